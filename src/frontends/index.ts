// Registry of frontends, chosen by model file extension.
import type { Frontend } from '../core/component.js';
import { tfliteFrontend } from './tflite/index.js';

export const frontends: Frontend[] = [tfliteFrontend];

export { tfliteFrontend };
