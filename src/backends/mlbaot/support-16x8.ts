// Support checks of the 16x8 scheme (int16 activations, int8 weights): support.ts hands CONV_2D,
// DEPTHWISE_CONV_2D and FULLY_CONNECTED here when their input or output is int16 (other operators
// with int16 activations are refused by its dtype table).
import type { Model, Operator, Tensor } from '../../core/model.js';

/** Operators mlbaot builds with int16 activations (mlb_conv16.h), plus RESHAPE (no code). */
export const SIXTEEN_BY_EIGHT_OPERATORS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

const symmetricInt16 = (t: Tensor): boolean =>
  t.dtype === 'int16' && !!t.quantization && t.quantization.scale.length === 1 && t.quantization.zeroPoint.every((z) => z === 0);

export function sixteenByEightProblems(model: Model, op: Operator, where: string): string[] {
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  if (!symmetricInt16(input) || !symmetricInt16(output)) return [`${where}: 16x8 needs int16 input and output with per-tensor quantization and zero point 0`];
  const problems: string[] = [];
  const o = op.options;
  if ('activation' in o && !['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'].includes(o.activation)) problems.push(`${where}: fused activation ${o.activation} is not supported`);
  if (o.kind === 'fully_connected' && o.weightsFormat !== 'DEFAULT') problems.push(`${where}: weights format ${o.weightsFormat} is not supported`);
  if (op.opcode !== 'FULLY_CONNECTED' && (input.shape.length !== 4 || input.shape[0] !== 1)) problems.push(`${where}: only NHWC inputs with batch 1 are supported`);
  const weights = model.tensors[op.inputs[1]];
  const q = weights?.quantization;
  if (!weights?.data || weights.dtype !== 'int8' || !q) problems.push(`${where}: 16x8 needs constant, quantized int8 weights`);
  else {
    if (q.zeroPoint.some((z) => z !== 0)) problems.push(`${where}: weights with a non-zero zero point are not supported`);
    const axis = op.opcode === 'DEPTHWISE_CONV_2D' ? 3 : 0;
    if (q.scale.length > 1 && (q.quantizedDimension !== axis || q.scale.length !== weights.shape[axis])) {
      problems.push(`${where}: per-channel weight scales must run along dimension ${axis} (one per output channel)`);
    }
  }
  const biasIndex = op.inputs[2] ?? -1;
  const bias = biasIndex >= 0 ? model.tensors[biasIndex] : undefined;
  // int32 bias selects TFLite's 32-bit accumulator and another rounding: not built (yet).
  if (bias && (!bias.data || bias.dtype !== 'int64')) problems.push(`${where}: 16x8 bias must be a constant int64 tensor (found ${bias.dtype}${bias.data ? '' : ', not constant'})`);
  return problems;
}
