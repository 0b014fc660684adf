// Every framework mlbench knows.
import type { Framework } from '../core/component.js';
import { mlbenchFramework } from './mlbench/index.js';
import { tflmFramework } from './tflm/index.js';
import { tvmFramework } from './tvm/index.js';

export const frameworks: Framework[] = [mlbenchFramework, tflmFramework, tvmFramework];
