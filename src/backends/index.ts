// Every backend mlbench knows.
import type { Backend } from '../core/component.js';
import { mlbaotBackend } from './mlbaot/index.js';
import { tflmBackends } from './tflm/index.js';
import { tvmBackends } from './tvm/index.js';

export const backends: Backend[] = [mlbaotBackend, ...tflmBackends, ...tvmBackends];
