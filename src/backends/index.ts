// Every backend mlbench knows.
import type { Backend } from '../core/component.js';
import { mlbaotBackend } from './mlbaot/index.js';

export const backends: Backend[] = [mlbaotBackend];
