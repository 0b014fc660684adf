// `validate`: compile the model's reference vectors into the benchmark program and compare
// every output. int8/uint8 outputs may differ by `validate.tolerance` LSB per element; float32
// outputs by `validate.float_tolerance` in absolute value.
import type { Feature } from '../core/component.js';

/**
 * 1e-5 absolute: float models run with the same operations as TFLite differ from its outputs
 * only in the last bits (sine within 4e-7); a real error is orders of magnitude larger.
 */
export const DEFAULT_FLOAT_TOLERANCE = 1e-5;

export const validateFeature: Feature = {
  name: 'validate',
  kind: 'feature',
  description: "check the model's outputs on the target against the reference vectors next to the model",
  appliesTo: ['platform'],
  config: [
    {
      key: 'tolerance',
      type: 'int',
      default: null,
      min: 0,
      max: 255,
      help: "allowed difference of int8/uint8 outputs, in LSB per element (default: the backend's own, 0 for mlbaot)",
    },
    {
      key: 'float_tolerance',
      type: 'float',
      default: DEFAULT_FLOAT_TOLERANCE,
      min: 0,
      help: 'allowed absolute difference of float32 outputs per element',
    },
  ],
};
