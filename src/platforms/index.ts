// Every platform mlbench knows.
import type { Platform } from '../core/component.js';
import { mlifPlatform } from './mlif/index.js';

export const platforms: Platform[] = [mlifPlatform];
