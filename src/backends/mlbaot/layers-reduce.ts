// C generation for MEAN and REDUCE_MAX (mlb_reduce.h), int8 and float32, over any axes of a
// tensor of rank <= 4: the reduced dimensions become flags of one rank-4 loop nest.
import type { Model, Operator } from '../../core/model.js';
import { arenaPtr, int32Data, layerFunction, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { floatLiteral } from './c-format.js';
import { rank4 } from './layers-float.js';
import { quantizeMultiplier } from './quant-math.js';

/** The reduced dimensions of a reducer's (data, axes) inputs, resolved and deduplicated, ascending. */
export function reducedAxes(model: Model, op: Operator): number[] {
  const [data, axes] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]]];
  const rank = data.shape.length;
  return [...new Set(int32Data(axes).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/** The output shape TFLite derives: reduced dimensions become 1 (keep_dims) or disappear. */
export function reducedShape(shape: number[], axes: number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * TFLM QuantizedMeanOrSum's multiplier with 1/count folded in: the input/output scale ratio's
 * multiplier is shifted up by floor(log2(count)) (at most 32, and keeping the shift >= -31), then
 * divided by count in 64-bit integers.
 */
export function meanMultiplier(inScale: number, outScale: number, count: number): { multiplier: number; shift: number } {
  const q = quantizeMultiplier(inScale / outScale);
  let shift = Math.floor(Math.log2(count));
  while (2 ** (shift + 1) <= count) shift++;
  while (2 ** shift > count) shift--;
  shift = Math.min(shift, 32, 31 + q.shift);
  const multiplier = Number((BigInt(q.multiplier) << BigInt(shift)) / BigInt(count));
  return { multiplier, shift: q.shift - shift };
}

export function generateReduce(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const axes = reducedAxes(model, op);
  const pad = 4 - input.shape.length;
  const dims = rank4(input.shape);
  const flags = dims.map((_, d) => (axes.includes(d - pad) ? 1 : 0));
  const count = axes.reduce((n, a) => n * input.shape[a], 1);
  const float = output.dtype === 'float32';
  const [ctype, suffix] = float ? ['mlb_f32', 'f32'] : ['int8_t', 's8'];
  const keep = op.options.kind === 'reducer' && op.options.keepDims;
  const summary = `${output.dtype} axes [${axes.join(',')}]${keep ? ' keep_dims' : ''}, ${count} elements each`;
  const io = `${arenaPtr(li, input.index, ctype, true)}, ${arenaPtr(li, output.index, ctype, false)}`;
  const shape = [...dims, ...flags].join(', ');
  if (op.opcode === 'REDUCE_MAX') return layerFunction(li, summary, [], [`mlb_reduce_max_${suffix}(${io}, ${shape});`]);
  if (float) return layerFunction(li, summary, [], [`mlb_mean_f32(${io}, ${shape}, ${count});`]);
  if (li.requantize === 'fp32') {
    // TensorFlow Lite's float QuantizedMeanOrSum: scale and bias as float32, as it computes them.
    const scale = Math.fround(scaleOf(input) / scaleOf(output));
    const bias = Math.fround(-zeroPointOf(input) * scale);
    return layerFunction(li, summary, [], [`mlb_mean_fp32_s8(${io}, ${shape}, ${count}, ${floatLiteral(scale)}, ${floatLiteral(bias)}, ${zeroPointOf(output)});`]);
  }
  const m = meanMultiplier(scaleOf(input), scaleOf(output), count);
  return layerFunction(li, summary, [], [`mlb_mean_s8(${io}, ${shape}, ${count}, ${zeroPointOf(input)}, ${m.multiplier}, ${m.shift}, ${zeroPointOf(output)});`]);
}

