// Every framework mlbench knows.
import type { Framework } from '../core/component.js';
import { mlbenchFramework } from './mlbench/index.js';

export const frameworks: Framework[] = [mlbenchFramework];
