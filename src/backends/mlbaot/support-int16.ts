// Support checks of int16 element-wise operators (symmetric int16 activations, zero point 0, as in
// TFLite's 16x8 scheme): support.ts hands an operator here when its input or output is int16 and
// it is listed below.
import type { Model, Operator, Tensor } from '../../core/model.js';
import { checkedLog2 } from './quant-math.js';
import { broadcastProblems } from './support-more.js';

export const INT16_OPERATORS = new Set(['ADD', 'SUB', 'MUL', 'LOGISTIC', 'TANH', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'QUANTIZE', 'DEQUANTIZE', 'LEAKY_RELU']);

/** QUANTIZE/DEQUANTIZE conversions with an int16 side (TFLM's list, less int32 -> int8, which has none). */
const CONVERSIONS = ['float32->int16', 'int16->int8', 'int16->int16', 'int16->int32', 'int8->int16', 'int32->int16', 'int16->float32'];

const FUSABLE = new Set(['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1']);

export const symmetricInt16 = (t: Tensor): boolean =>
  t.dtype === 'int16' && !!t.quantization && t.quantization.scale.length === 1 && t.quantization.zeroPoint.every((z) => z === 0);

function conversionProblems(input: Tensor, output: Tensor, where: string): string[] {
  const combo = `${input.dtype}->${output.dtype}`;
  if (!CONVERSIONS.includes(combo)) return [`${where}: unsupported dtypes ${combo} (supported with int16: ${CONVERSIONS.join(', ')})`];
  const bad = [input, output].filter((t) => (t.dtype === 'int16' ? !symmetricInt16(t) : t.dtype !== 'float32' && t.quantization?.scale.length !== 1));
  return bad.map((t) => `${where}: tensor ${t.name} needs per-tensor quantization${t.dtype === 'int16' ? ' with zero point 0' : ''}`);
}

export function int16Problems(model: Model, op: Operator, where: string): string[] {
  if (op.opcode === 'QUANTIZE' || op.opcode === 'DEQUANTIZE') return conversionProblems(model.tensors[op.inputs[0]], model.tensors[op.outputs[0]], where);
  const tensors = [...op.inputs.filter((i) => i >= 0), ...op.outputs].map((i) => model.tensors[i]);
  const bad = tensors.filter((t) => !symmetricInt16(t));
  if (bad.length > 0) return [`${where}: int16 ${op.opcode} needs int16 inputs and output with per-tensor quantization and zero point 0 (not ${bad.map((t) => t.name).join(', ')})`];
  const problems: string[] = [];
  const o = op.options;
  if ('activation' in o && !FUSABLE.has(o.activation)) problems.push(`${where}: fused activation ${o.activation} is not supported`);
  if (op.opcode === 'LEAKY_RELU') return problems;
  if (op.opcode === 'LOGISTIC' || op.opcode === 'TANH') {
    // TFLite's Prepare: the output is Q0.15.
    const log2 = checkedLog2(tensors[1].quantization!.scale[0]);
    return log2 === -15 ? problems : [`${where}: int16 output scale must be 2^-15 (found ${tensors[1].quantization!.scale[0]})`];
  }
  if (op.opcode === 'MAX_POOL_2D' || op.opcode === 'AVERAGE_POOL_2D') {
    const [input, output] = tensors;
    if (input.shape.length !== 4 || input.shape[0] !== 1) problems.push(`${where}: only NHWC inputs with batch 1 are supported`);
    // TFLite's int16 pooling keeps the input's quantization.
    if (input.quantization!.scale[0] !== output.quantization!.scale[0]) problems.push(`${where}: int16 input and output scales must be equal`);
    return problems;
  }
  problems.push(...broadcastProblems(model, op, where));
  if (op.opcode === 'ADD') {
    // TFLite's QuantizeMultiplierSmallerThanOneExp aborts on an output multiplier >= 1.
    const [a, b, out] = [tensors[0], tensors[1], tensors[2]];
    const twiceMax = 2 * Math.max(a.quantization!.scale[0], b.quantization!.scale[0]);
    if (twiceMax / (2 ** 15 * out.quantization!.scale[0]) >= 1) problems.push(`${where}: output scale below the larger input scale / 2^14 (TFLite refuses it)`);
  }
  return problems;
}
