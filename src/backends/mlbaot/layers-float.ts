// C generation for float32 layers (mlb_float.h). int8 conv/depthwise/FC stay in layers-conv.ts,
// the byte-moving operators every dtype shares are in layers-shape.ts.
import type { Tensor } from '../../core/model.js';
import type { ConstArray } from './c-format.js';
import { floatLiteral } from './c-format.js';
import { arenaPtr, elements, float32Data, layerFunction, poolGeometry, tensorAt, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { floatActivationRange, leadingPadding } from './quant-math.js';

const F = 'mlb_f32';

function activationOf(li: LayerInput): [string, string] {
  const o = li.op.options;
  const [lo, hi] = floatActivationRange('activation' in o ? o.activation : 'NONE');
  return [floatLiteral(lo), floatLiteral(hi)];
}

/** Weights and bias of a float conv-like layer as constant arrays. */
function floatParams(li: LayerInput, what: string): { constants: ConstArray[]; bias: string; prefix: string } {
  const { model, op } = li;
  const prefix = `mlb_l${op.index}`;
  const weights = model.tensors[op.inputs[1]];
  const bias = tensorAt(model, op.inputs[2] ?? -1);
  const constants: ConstArray[] = [{ name: `${prefix}_weights`, ctype: 'float', values: float32Data(weights), what: `layer ${op.index} ${what} weights [${weights.shape.join('][')}]` }];
  if (bias) constants.push({ name: `${prefix}_bias`, ctype: 'float', values: float32Data(bias), what: `layer ${op.index} ${what} bias` });
  return { constants, bias: bias ? `${prefix}_bias` : '0', prefix };
}

export function generateConv2dF32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const o = op.options;
  const depthwise = o.kind === 'depthwise_conv2d';
  if (o.kind !== 'conv2d' && o.kind !== 'depthwise_conv2d') throw new Error(`${op.opcode} without conv options`);
  const [input, weights, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const [, IH, IW, IC] = input.shape;
  const [, OH, OW, OC] = output.shape;
  const [KH, KW] = [weights.shape[1], weights.shape[2]];
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  const p = floatParams(li, op.opcode);
  const [lo, hi] = activationOf(li);
  const shape = depthwise
    ? [IH, IW, IC, OH, OW, OC / IC, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL]
    : [IH, IW, IC, OH, OW, OC, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL];
  const kernel = depthwise ? 'mlb_depthwise_conv2d_f32' : 'mlb_conv2d_f32';
  const macs = OH * OW * OC * KH * KW * (depthwise ? 1 : IC);
  const layer = layerFunction(li, `float32 ${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} ${o.activation}`, [`MACs ${macs}`], [
    `${kernel}(${arenaPtr(li, op.inputs[0], F, true)}, ${arenaPtr(li, op.outputs[0], F, false)}, ${p.prefix}_weights, ${p.bias},`,
    `               ${shape.join(', ')}, ${lo}, ${hi});`,
  ]);
  layer.constants = p.constants;
  return layer;
}

export function generatePoolF32(li: LayerInput): GeneratedLayer {
  const { op } = li;
  const { o, dims } = poolGeometry(li);
  const [lo, hi] = activationOf(li);
  const args = [op.opcode === 'MAX_POOL_2D' ? 1 : 0, ...dims];
  return layerFunction(li, `float32 ${o.filterHeight}x${o.filterWidth} stride ${o.strideH}x${o.strideW} ${o.padding} ${o.activation}`, [], [
    `mlb_pool_f32(${arenaPtr(li, op.inputs[0], F, true)}, ${arenaPtr(li, op.outputs[0], F, false)},`,
    `             ${args.join(', ')}, ${lo}, ${hi});`,
  ]);
}

export function generateSoftmaxF32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const beta = op.options.kind === 'softmax' ? op.options.beta : 1;
  const input = model.tensors[op.inputs[0]];
  const depth = input.shape[input.shape.length - 1];
  return layerFunction(li, `float32 beta ${beta}`, [], [
    `mlb_softmax_f32(${arenaPtr(li, op.inputs[0], F, true)}, ${arenaPtr(li, op.outputs[0], F, false)}, ${elements(input) / depth}, ${depth}, ${floatLiteral(beta)});`,
  ]);
}

const UNARY: Record<string, string> = {
  RELU: 'MLB_UNARY_RELU',
  RELU6: 'MLB_UNARY_RELU6',
  RELU_N1_TO_1: 'MLB_UNARY_RELU_N1_TO_1',
  TANH: 'MLB_UNARY_TANH',
  LOGISTIC: 'MLB_UNARY_LOGISTIC',
};

export const FLOAT_UNARY_OPERATORS = Object.keys(UNARY);

export function generateUnaryF32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  return layerFunction(li, 'float32', [], [
    `mlb_unary_f32(${arenaPtr(li, op.inputs[0], F, true)}, ${arenaPtr(li, op.outputs[0], F, false)}, ${elements(model.tensors[op.inputs[0]])}, ${UNARY[op.opcode]});`,
  ]);
}

const BINARY: Record<string, string> = {
  ADD: 'MLB_BINARY_ADD',
  SUB: 'MLB_BINARY_SUB',
  MUL: 'MLB_BINARY_MUL',
  MINIMUM: 'MLB_BINARY_MIN',
  MAXIMUM: 'MLB_BINARY_MAX',
};

export const FLOAT_BINARY_OPERATORS = Object.keys(BINARY);

/** A shape left-padded with 1s to rank 4. */
export function rank4(shape: number[]): number[] {
  return [...new Array<number>(4 - shape.length).fill(1), ...shape];
}

/** Element strides of `shape` read along the (rank-4) output dims: 0 where it is broadcast. */
export function broadcastStrides(shape: number[]): number[] {
  const s = rank4(shape);
  const strides = [0, 0, 0, 0];
  let step = 1;
  for (let d = 3; d >= 0; --d) {
    strides[d] = s[d] === 1 ? 0 : step;
    step *= s[d];
  }
  return strides;
}

/** Pointer to an operand: its arena place, or a constant array emitted for this layer. */
export function operandPointer(li: LayerInput, tensor: Tensor, slot: number, ctype: 'float' | 'int8_t', constants: ConstArray[]): string {
  if (!tensor.data) return arenaPtr(li, tensor.index, ctype === 'float' ? F : 'int8_t', true);
  const name = `mlb_l${li.op.index}_operand${slot}`;
  const values = ctype === 'float' ? float32Data(tensor) : Array.from(new Int8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  constants.push({ name, ctype, values, what: `layer ${li.op.index} ${li.op.opcode} constant operand ${slot} [${tensor.shape.join('][')}]` });
  return ctype === 'float' ? `(const ${F} *)${name}` : name;
}

export function generateBinaryF32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const constants: ConstArray[] = [];
  const pa = operandPointer(li, a, 0, 'float', constants);
  const pb = operandPointer(li, b, 1, 'float', constants);
  const [lo, hi] = activationOf(li);
  const dims = rank4(output.shape);
  const layer = layerFunction(li, `float32 [${a.shape.join(',')}] ${op.opcode.toLowerCase()} [${b.shape.join(',')}]`, [], [
    `mlb_binary_f32(${pa}, ${pb}, ${arenaPtr(li, op.outputs[0], F, false)}, ${BINARY[op.opcode]},`,
    `               ${[...dims, ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)].join(', ')}, ${lo}, ${hi});`,
  ]);
  layer.constants = constants;
  return layer;
}
