// Generators of layers with int16 activations other than the 16x8 convolutions (layers-conv16.ts).
import type { GeneratedLayer, LayerInput } from './layer-common.js';
import { generateLeakyRelu } from './layers-rectifier.js';
import { generateActivationS16, generateAddSubS16, generateMulS16, generatePoolS16, generateQuantizeS16 } from './layers-int16.js';

export const INT16_GENERATORS: Record<string, (li: LayerInput) => GeneratedLayer> = {
  ADD: generateAddSubS16,
  SUB: generateAddSubS16,
  MUL: generateMulS16,
  LOGISTIC: generateActivationS16,
  TANH: generateActivationS16,
  MAX_POOL_2D: generatePoolS16,
  AVERAGE_POOL_2D: generatePoolS16,
  QUANTIZE: generateQuantizeS16,
  LEAKY_RELU: generateLeakyRelu,
  DEQUANTIZE: generateQuantizeS16,
};
