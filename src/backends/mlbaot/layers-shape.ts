// C generation for the operators that move bytes without arithmetic, the same for every dtype
// (mlb_shape.h): CONCATENATION, PAD, SPLIT, UNPACK, GATHER, and SQUEEZE (aliased, no code).
import { cCommentText } from '../../core/c-text.js';
import { DTYPE_BYTES, type Tensor } from '../../core/model.js';
import { float32Data, int32Data, int8Data, layerFunction, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import type { CArrayType, ConstArray } from './c-format.js';
import { broadcastStrides, operandPointer, rank4 } from './layers-float.js';
import { quantizeMultiplier, quantizedActivationRange } from './quant-math.js';

function elementBytes(t: Tensor): number {
  return DTYPE_BYTES[t.dtype] ?? 1;
}

/** CONCATENATION of tensors sharing dtype and quantization: a copy of byte runs. */
export function generateConcatenation(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'concatenation') throw new Error('CONCATENATION without options');
  const output = model.tensors[op.outputs[0]];
  const rank = output.shape.length;
  const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
  const outer = output.shape.slice(0, axis).reduce((x, y) => x * y, 1);
  const inputs = op.inputs.map((i) => model.tensors[i]);
  const runs = inputs.map((t) => t.shape.slice(axis).reduce((x, y) => x * y, 1) * elementBytes(t));
  const n = inputs.length;
  return layerFunction(li, `${output.dtype} axis ${axis}, ${n} inputs`, [], [
    `const uint8_t *const ins[${n}] = {${inputs.map((t) => `arena + ${li.offsets.get(t.index)}`).join(', ')}};`,
    `static const int32_t runs[${n}] = {${runs.join(', ')}};`,
    `mlb_concat_bytes(ins, runs, ${n}, ${outer}, arena + ${li.offsets.get(output.index)});`,
  ]);
}

/**
 * The padding element: the zero point of int8, zero otherwise. TFLite and TFLite Micro pad int16
 * with 0 whatever its zero point (converters write int16 with zero point 0).
 */
function padFill(output: Tensor): string {
  const ctype = output.dtype === 'float32' ? 'float' : output.dtype === 'bool' ? 'uint8_t' : `${output.dtype}_t`;
  return `static const ${ctype} fill = ${output.dtype === 'int8' ? zeroPointOf(output) : output.dtype === 'float32' ? '0.0f' : '0'};`;
}

/** PAD on up to 4 dimensions, any dtype (padFill). */
export function generatePad(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, paddings, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const pads = int32Data(paddings);
  const before = rank4(input.shape).map((_, d) => {
    const k = d - (4 - input.shape.length);
    return k < 0 ? 0 : pads[2 * k];
  });
  const fill = padFill(output);
  const args = [elementBytes(output), ...rank4(input.shape), ...before, ...rank4(output.shape)];
  return layerFunction(li, `${output.dtype} pads [${pads.join(',')}]`, [], [
    fill,
    `mlb_pad_bytes(arena + ${li.offsets.get(input.index)}, arena + ${li.offsets.get(output.index)}, (const uint8_t *)&fill,`,
    `              ${args.join(', ')});`,
  ]);
}

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
const at = (li: LayerInput, t: Tensor): string => `arena + ${li.offsets.get(t.index)}`;

/** SPLIT (axis from a constant input) and UNPACK (axis option): equal slices along the axis. */
export function generateSplit(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const unpack = op.options.kind === 'unpack';
  const input = model.tensors[op.inputs[unpack ? 0 : 1]];
  const rawAxis = op.options.kind === 'unpack' ? op.options.axis : int32Data(model.tensors[op.inputs[0]])[0];
  const axis = rawAxis < 0 ? rawAxis + input.shape.length : rawAxis;
  const n = op.outputs.length;
  const E = elementBytes(input);
  const inner = product(input.shape.slice(axis + 1)) * E;
  const outer = product(input.shape.slice(0, axis));
  const part = (input.shape[axis] / n) * inner;
  const srcStride = input.shape[axis] * inner;
  return layerFunction(li, `${input.dtype} axis ${axis} into ${n}`, [], op.outputs.map((o, k) =>
    `mlb_slice_bytes(${at(li, input)} + ${k * part}, ${at(li, model.tensors[o])}, ${outer}, ${part}, ${srcStride});`));
}

/** GATHER (batch_dims 0) with constant or int32 activation indices. */
export function generateGather(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'gather') throw new Error('GATHER without options');
  const [params, indices, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const axis = op.options.axis < 0 ? op.options.axis + params.shape.length : op.options.axis;
  const inner = product(params.shape.slice(axis + 1)) * elementBytes(params);
  const outer = product(params.shape.slice(0, axis));
  const n = product(indices.shape);
  const prefix = `mlb_l${op.index}`;
  const idx = indices.data ? `${prefix}_indices` : `(const int32_t *)(${at(li, indices)})`;
  const src = params.data ? `(const uint8_t *)${prefix}_params` : at(li, params);
  const layer = layerFunction(li, `${params.dtype} axis ${axis}, ${n} indices`, [], [
    `mlb_gather_bytes(${src}, ${at(li, output)}, ${idx}, ${n}, ${outer}, ${params.shape[axis]}, ${inner});`,
  ]);
  if (indices.data) layer.constants.push({ name: `${prefix}_indices`, ctype: 'int32_t', values: int32Data(indices), what: `layer ${op.index} GATHER indices` });
  if (params.data) {
    // 4-byte elements as int32 words (int32 tables as they are, float32 by value), others as bytes.
    const [ctype, values]: [CArrayType, ArrayLike<number>] = params.dtype === 'float32' ? ['float', float32Data(params)] : elementBytes(params) === 4 ? ['int32_t', int32Data(params)] : ['int8_t', int8Data(params)];
    layer.constants.push({ name: `${prefix}_params`, ctype, values, what: `layer ${op.index} GATHER table [${params.shape.join('][')}] ${params.dtype}` });
  }
  return layer;
}

/** SQUEEZE changes only the shape: the planner gives the output the input's bytes. */
export function generateAlias(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  return {
    code: `/* ${cCommentText(model.name)} layer ${op.index}: ${cCommentText(op.opcode)} [${input.shape.join(',')}] -> [${output.shape.join(',')}], aliased in the arena (no code). */\n`,
    constants: [],
  };
}

/** int8 ADD with broadcasting or a constant operand, and int8 SUB: TFLite's add/sub parameters. */
export function generateAddSubS8(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const activation = 'activation' in op.options ? op.options.activation : 'NONE';
  const twiceMax = 2 * Math.max(scaleOf(a), scaleOf(b));
  const qa = quantizeMultiplier(scaleOf(a) / twiceMax);
  const qb = quantizeMultiplier(scaleOf(b) / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** 20 * scaleOf(output)));
  const [actMin, actMax] = quantizedActivationRange(activation, scaleOf(output), zeroPointOf(output), 'int8');
  const constants: ConstArray[] = [];
  const pa = operandPointer(li, a, 0, 'int8_t', constants);
  const pb = operandPointer(li, b, 1, 'int8_t', constants);
  const quant = [-zeroPointOf(a), qa.multiplier, qa.shift, -zeroPointOf(b), qb.multiplier, qb.shift, qo.multiplier, qo.shift, zeroPointOf(output), actMin, actMax];
  const layer = layerFunction(li, `int8 [${a.shape.join(',')}] ${op.opcode.toLowerCase()} [${b.shape.join(',')}] ${activation}`, [], [
    `mlb_addsub_bcast_s8(${pa}, ${pb}, (int8_t *)(${at(li, output)}), ${op.opcode === 'SUB' ? 1 : 0},`,
    `                    ${[...rank4(output.shape), ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)].join(', ')},`,
    `                    ${quant.join(', ')});`,
  ]);
  layer.constants = constants;
  return layer;
}
