// Support checks of MEAN, REDUCE_MAX, TRANSPOSE, STRIDED_SLICE, CAST and the standalone
// activations LEAKY_RELU, HARD_SWISH, PRELU and int8 RELU/RELU6 (support.ts asks).
import type { Model, Operator, Tensor } from '../../core/model.js';
import { int32Data } from './layer-common.js';
import { hardSwishParams } from './layers-rectifier.js';
import { reducedAxes, reducedShape } from './layers-reduce.js';
import { CAST_DTYPES, sliceOf, transposePermutation } from './layers-strided.js';
import { MOVABLE_DTYPES } from './support-more.js';

export const TENSOR_OPERATORS = ['MEAN', 'REDUCE_MAX', 'TRANSPOSE', 'STRIDED_SLICE', 'CAST', 'LEAKY_RELU', 'HARD_SWISH', 'PRELU'] as const;

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const perTensor = (t: Tensor): boolean => t.quantization?.scale.length === 1 && t.quantization.zeroPoint.length === 1;
/** int8, and int16 where it carries quantization (16-bit activations): byte copies keep its scale and zero point. */
const quantized = (t: Tensor): boolean => t.dtype === 'int8' || (t.dtype === 'int16' && !!t.quantization);
const sameQuantization = (a: Tensor, b: Tensor): boolean =>
  a.quantization?.scale[0] === b.quantization?.scale[0] && a.quantization?.zeroPoint[0] === b.quantization?.zeroPoint[0];
const isConstInt32 = (t: Tensor | undefined): t is Tensor => !!t?.data && t.dtype === 'int32';

/** Input and output dtypes: int8 (per-tensor quantized) or float32, or any byte-copied type for the movers; the same on both sides. */
function dtypeProblems(input: Tensor, output: Tensor, where: string, moves: boolean): string[] {
  const dtypes: readonly string[] = moves ? MOVABLE_DTYPES : ['int8', 'float32'];
  if (!dtypes.includes(input.dtype) || input.dtype !== output.dtype) return [`${where}: unsupported dtypes ${input.dtype}->${output.dtype} (supported: ${dtypes.map((d) => `${d}->${d}`).join(', ')})`];
  if (quantized(input) && (!perTensor(input) || !perTensor(output))) return [`${where}: ${input.dtype} tensors need per-tensor quantization`];
  if (input.data) return [`${where}: a constant input is not supported`];
  return [];
}

function reduceProblems(model: Model, op: Operator, where: string, input: Tensor, output: Tensor): string[] {
  const axesTensor = model.tensors[op.inputs[1]];
  if (!isConstInt32(axesTensor)) return [`${where}: the axes must be a constant int32 tensor`];
  if (input.shape.length > 4) return [`${where}: reducing a tensor of rank ${input.shape.length} is not supported (at most 4)`];
  const rank = input.shape.length;
  if (int32Data(axesTensor).some((a) => a < -rank || a >= rank)) return [`${where}: an axis is outside the input's rank ${rank}`];
  const keep = op.options.kind === 'reducer' && op.options.keepDims;
  const want = reducedShape(input.shape, reducedAxes(model, op), keep);
  if (!sameShape(want, output.shape) && want.reduce((a, b) => a * b, 1) !== output.shape.reduce((a, b) => a * b, 1)) {
    return [`${where}: output shape [${output.shape.join(',')}] is not the reduced shape [${want.join(',')}]`];
  }
  if (op.opcode === 'REDUCE_MAX' && input.dtype === 'int8' && !sameQuantization(input, output)) return [`${where}: int8 input and output must share scale and zero point`];
  return [];
}

function sliceProblems(model: Model, op: Operator, where: string, input: Tensor, output: Tensor): string[] {
  const o = op.options;
  if (o.kind !== 'strided_slice') return [`${where}: missing options`];
  const params = op.inputs.slice(1, 4).map((i) => model.tensors[i]);
  if (params.length !== 3 || !params.every(isConstInt32)) return [`${where}: begin, end and strides must be constant int32 tensors`];
  if (input.shape.length > 4) return [`${where}: slicing a tensor of rank ${input.shape.length} is not supported (at most 4)`];
  if (params.some((p) => int32Data(p).length !== input.shape.length)) return [`${where}: begin, end and strides need one entry per input dimension`];
  if (o.ellipsisMask || o.newAxisMask || o.offset) return [`${where}: ellipsis_mask, new_axis_mask and offset are not supported`];
  const strides = int32Data(params[2]);
  if (strides.some((s, d) => s === 0 || (o.shrinkAxisMask & (1 << d) && s < 0))) return [`${where}: strides must be non-zero (and positive on shrunk dimensions)`];
  const g = sliceOf(model, op);
  if (g.counts.some((c) => c === 0)) return [`${where}: empty slices are not supported`];
  if (!sameShape(g.shape, output.shape)) return [`${where}: output shape [${output.shape.join(',')}] is not the slice's [${g.shape.join(',')}]`];
  return quantized(input) && !sameQuantization(input, output) ? [`${where}: ${input.dtype} input and output must share scale and zero point`] : [];
}

function transposeProblems(model: Model, op: Operator, where: string, input: Tensor, output: Tensor): string[] {
  const permTensor = model.tensors[op.inputs[1]];
  if (!isConstInt32(permTensor)) return [`${where}: the permutation must be a constant int32 tensor`];
  if (input.shape.length > 4) return [`${where}: transposing a tensor of rank ${input.shape.length} is not supported (at most 4)`];
  const perm = transposePermutation(model, op);
  const rank = input.shape.length;
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) return [`${where}: [${int32Data(permTensor).join(',')}] is not a permutation of ${rank} dimensions`];
  if (!sameShape(perm.map((p) => input.shape[p]), output.shape)) return [`${where}: output shape [${output.shape.join(',')}] does not match the permutation`];
  return quantized(input) && !sameQuantization(input, output) ? [`${where}: ${input.dtype} input and output must share scale and zero point`] : [];
}

function activationProblems(model: Model, op: Operator, where: string, input: Tensor, output: Tensor): string[] {
  if (op.opcode === 'PRELU') {
    const alpha = model.tensors[op.inputs[1]];
    if (!alpha || alpha.dtype !== input.dtype) return [`${where}: alpha must have the input's dtype`];
    if (input.dtype === 'int8' && !perTensor(alpha)) return [`${where}: int8 alpha needs per-tensor quantization`];
    if (!sameShape(input.shape, output.shape) || output.shape.length > 4) return [`${where}: the input must have the output's shape (rank <= 4)`];
    const fits = alpha.shape.length <= output.shape.length && alpha.shape.every((d, i) => d === 1 || d === output.shape[output.shape.length - alpha.shape.length + i]);
    return fits ? [] : [`${where}: alpha [${alpha.shape.join(',')}] does not broadcast to [${output.shape.join(',')}]`];
  }
  if (!sameShape(input.shape, output.shape)) return [`${where}: output shape differs from the input's`];
  if (input.dtype !== 'int8') return [];
  if (op.opcode === 'RELU6' && !sameQuantization(input, output)) return [`${where}: int8 RELU6 must keep the input's scale and zero point (TFLite Micro only clamps)`];
  if (op.opcode === 'HARD_SWISH' && hardSwishParams(input.quantization!.scale[0], output.quantization!.scale[0]).outExp > 0) {
    return [`${where}: output scale below input scale / 128 (TFLite Micro refuses it)`];
  }
  return [];
}

/** Problems of the operators above; RELU/RELU6 only reach here as int8. */
export function tensorOperatorProblems(model: Model, op: Operator, where: string): string[] {
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  if (op.opcode === 'CAST') {
    const ok = CAST_DTYPES.includes(input.dtype) && CAST_DTYPES.includes(output.dtype) && input.dtype !== output.dtype;
    if (!ok) return [`${where}: unsupported cast ${input.dtype}->${output.dtype} (between ${CAST_DTYPES.join(', ')})`];
    return input.data ? [`${where}: a constant input is not supported`] : [];
  }
  const moves = op.opcode === 'TRANSPOSE' || op.opcode === 'STRIDED_SLICE';
  const problems = dtypeProblems(input, output, where, moves);
  if (problems.length > 0) return problems;
  switch (op.opcode) {
    case 'MEAN':
    case 'REDUCE_MAX': return reduceProblems(model, op, where, input, output);
    case 'STRIDED_SLICE': return sliceProblems(model, op, where, input, output);
    case 'TRANSPOSE': return transposeProblems(model, op, where, input, output);
    default: return activationProblems(model, op, where, input, output);
  }
}
