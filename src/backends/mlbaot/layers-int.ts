// C generation for the element-wise integer operators of mlb_int_binary.h: MINIMUM / MAXIMUM of
// int8, int16, int32, int64 and unquantized int32 ADD / MUL (TFLite's plain integer arithmetic
// and the fused activation's clamp).
import type { DType, Model, Operator, Tensor } from '../../core/model.js';
import { intLiteral, type CArrayType, type ConstArray } from './c-format.js';
import { arenaPtr, int32Data, int8Data, layerFunction, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { broadcastStrides, rank4 } from './layers-float.js';

const C_TYPE: Partial<Record<DType, string>> = { int8: 'int8_t', int16: 'int16_t', int32: 'int32_t', int64: 'int64_t' };
const SUFFIX: Partial<Record<DType, string>> = { int8: 's8', int16: 's16', int32: 's32', int64: 's64' };
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** int16 values of a constant tensor. */
function int16Data(t: Tensor): number[] {
  const d = t.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return Array.from({ length: d.byteLength / 2 }, (_, i) => view.getInt16(2 * i, true));
}

/**
 * Pointer to an integer operand: its arena place, or a constant array of this layer. int64
 * constants are stored as int32 pairs (little-endian words): the array formatter writes numbers,
 * which cannot hold every int64.
 */
function operandPointer(li: LayerInput, t: Tensor, slot: number, constants: ConstArray[]): string {
  const ctype = C_TYPE[t.dtype]!;
  if (!t.data) return arenaPtr(li, t.index, ctype, true);
  const name = `mlb_l${li.op.index}_operand${slot}`;
  const [arrayType, values]: [CArrayType, ArrayLike<number>] =
    t.dtype === 'int8' ? ['int8_t', int8Data(t)] : t.dtype === 'int16' ? ['int16_t', int16Data(t)] : ['int32_t', int32Data(t)];
  constants.push({ name, ctype: arrayType, values, what: `layer ${li.op.index} ${li.op.opcode} constant operand ${slot} [${t.shape.join('][')}] ${t.dtype}` });
  return t.dtype === 'int64' ? `(const int64_t *)${name}` : name;
}

function operands(li: LayerInput, a: Tensor, b: Tensor, constants: ConstArray[]): { pa: string; pb: string } {
  return { pa: operandPointer(li, a, 0, constants), pb: operandPointer(li, b, 1, constants) };
}

export function isIntegerMinMax(model: Model, op: Operator): boolean {
  return (op.opcode === 'MINIMUM' || op.opcode === 'MAXIMUM') && SUFFIX[model.tensors[op.outputs[0]].dtype] !== undefined;
}

/** MINIMUM / MAXIMUM of any integer dtype (int8/int16 operands share the output's quantization, checked by support). */
export function generateMinMax(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const constants: ConstArray[] = [];
  const { pa, pb } = operands(li, a, b, constants);
  const layer = layerFunction(li, `${output.dtype} [${a.shape.join(',')}] ${op.opcode.toLowerCase()} [${b.shape.join(',')}]`, [], [
    `mlb_minmax_${SUFFIX[output.dtype]}(${pa}, ${pb}, ${arenaPtr(li, output.index, C_TYPE[output.dtype]!, false)}, ${op.opcode === 'MAXIMUM' ? 1 : 0},`,
    `              ${[...rank4(output.shape), ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)].join(', ')});`,
  ]);
  layer.constants = constants;
  return layer;
}

/** The clamp of a fused activation on int32 values (TFLite's CalculateActivationRange<int32_t>). */
function int32ActivationRange(activation: string): [number, number] {
  switch (activation) {
    case 'RELU': return [0, INT32_MAX];
    case 'RELU6': return [0, 6];
    case 'RELU_N1_TO_1': return [-1, 1];
    default: return [INT32_MIN, INT32_MAX];
  }
}

/** Unquantized int32 ADD or MUL with broadcasting and a fused activation. */
export function generateAddMulS32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const activation = 'activation' in op.options ? op.options.activation : 'NONE';
  const [lo, hi] = int32ActivationRange(activation);
  const constants: ConstArray[] = [];
  const { pa, pb } = operands(li, a, b, constants);
  const layer = layerFunction(li, `int32 [${a.shape.join(',')}] ${op.opcode.toLowerCase()} [${b.shape.join(',')}] ${activation}`, [], [
    `mlb_addmul_s32(${pa}, ${pb}, ${arenaPtr(li, output.index, 'int32_t', false)}, ${op.opcode === 'MUL' ? 1 : 0},`,
    `               ${[...rank4(output.shape), ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)].join(', ')}, ${intLiteral(lo)}, ${intLiteral(hi)});`,
  ]);
  layer.constants = constants;
  return layer;
}

/** The generator of an integer element-wise layer other than int8 arithmetic, if this is one. */
export function integerElementwiseGenerator(model: Model, op: Operator): ((li: LayerInput) => GeneratedLayer) | undefined {
  if (isIntegerMinMax(model, op)) return generateMinMax;
  const dtype = model.tensors[op.outputs[0]].dtype;
  return (op.opcode === 'ADD' || op.opcode === 'MUL') && dtype === 'int32' ? generateAddMulS32 : undefined;
}
