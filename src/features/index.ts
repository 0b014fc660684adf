// Every feature mlbench knows. Features in other files append themselves here.
import type { Feature } from '../core/component.js';
import { frameworkFeatures } from './framework-features.js';
import { profileFeature } from './profile.js';
import { validateFeature } from './validate.js';

export const features: Feature[] = [validateFeature, profileFeature, ...frameworkFeatures];
