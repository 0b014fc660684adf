// C generation for int16 ADD, SUB and MUL (symmetric int16 activations, zero point 0; kernels in
// mlb_int16.h). TFLite Micro and desktop TFLite run the same reference arithmetic for these; they
// differ in two places, which follow the requantization mode (`fp32` = desktop TFLite / LiteRT,
// `tflm` = TFLite Micro): desktop TFLite takes a power-of-two path for ADD/SUB when the options'
// pot_scale_int16 is set (the schema default) and every scale is a power of two, and TFLM computes
// SUB's multipliers in float32 where desktop TFLite uses double.
import { DTYPE_BYTES, type Tensor } from '../../core/model.js';
import { doubleLiteral } from './c-format.js';
import type { ConstArray } from './c-format.js';
import { arenaPtr, elements, layerFunction, poolGeometry, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { broadcastStrides, rank4 } from './layers-float.js';
import { checkedLog2, quantizeMultiplier, quantizedActivationRange } from './quant-math.js';

/** Pointer to an int16 operand: its arena place, or a constant array emitted for this layer. */
export function operand16(li: LayerInput, tensor: Tensor, slot: number, constants: ConstArray[]): string {
  if (!tensor.data) return arenaPtr(li, tensor.index, 'int16_t', true);
  const name = `mlb_l${li.op.index}_operand${slot}`;
  const d = tensor.data;
  const values = Array.from(new Int16Array(d.slice().buffer));
  constants.push({ name, ctype: 'int16_t', values, what: `layer ${li.op.index} ${li.op.opcode} constant operand ${slot} [${tensor.shape.join('][')}]` });
  return name;
}


/**
 * Right shifts of desktop TFLite's power-of-two ADD/SUB, or undefined where it takes the general
 * path. Prepare refuses POT scales whose shifts are not (0, ≤ 0) in some order; mlbaot then runs
 * the general arithmetic, as TFLite Micro does for every int16 ADD/SUB.
 */
export function potShifts(li: LayerInput, a: Tensor, b: Tensor, output: Tensor): [number, number] | undefined {
  const o = li.op.options;
  if (li.requantize !== 'fp32' || !('potScaleInt16' in o ? o.potScaleInt16 !== false : true)) return undefined;
  const [la, lb, lo] = [a, b, output].map((t) => checkedLog2(scaleOf(t)));
  if (la === undefined || lb === undefined || lo === undefined) return undefined;
  const [sa, sb] = [la - lo, lb - lo];
  if ((sa !== 0 && sb !== 0) || sa > 0 || sb > 0) return undefined;
  return [-sa, -sb];
}

/** General ADD/SUB multipliers: inputs to twice the larger input scale (left shift 15), then to the output. */
export function addSubMultipliers(sub: boolean, mode: LayerInput['requantize'], s1: number, s2: number, so: number) {
  // TFLM's SUB divides in float32 (sub_common.cc); ADD and desktop TFLite's SUB in double.
  const f = sub && mode === 'tflm' ? Math.fround : (x: number): number => x;
  const twiceMax = f(2 * Math.max(s1, s2));
  return {
    a: quantizeMultiplier(f(s1 / twiceMax)),
    b: quantizeMultiplier(f(s2 / twiceMax)),
    out: quantizeMultiplier(f(twiceMax / f(2 ** 15 * so))),
  };
}

function operands(li: LayerInput) {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const activation = 'activation' in op.options ? op.options.activation : 'NONE';
  const constants: ConstArray[] = [];
  const pa = operand16(li, a, 0, constants);
  const pb = operand16(li, b, 1, constants);
  const shapes = [...rank4(output.shape), ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)];
  const range = quantizedActivationRange(activation, scaleOf(output), 0, 'int16');
  return { a, b, output, activation, constants, pa, pb, shapes, range, out: arenaPtr(li, op.outputs[0], 'int16_t', false) };
}

export function generateAddSubS16(li: LayerInput): GeneratedLayer {
  const sub = li.op.opcode === 'SUB';
  const p = operands(li);
  const title = `int16 [${p.a.shape.join(',')}] ${li.op.opcode.toLowerCase()} [${p.b.shape.join(',')}] ${p.activation}`;
  const pot = potShifts(li, p.a, p.b, p.output);
  let layer;
  if (pot) {
    layer = layerFunction(li, `${title}, power-of-two scales`, ['desktop TFLite\'s pot_scale_int16 path: one input shifted right, saturating add'], [
      `mlb_addsub_pot_bcast_s16(${p.pa}, ${p.pb}, ${p.out}, ${sub ? 1 : 0},`,
      `                         ${[...p.shapes, ...pot, ...p.range].join(', ')});`,
    ]);
  } else {
    const q = addSubMultipliers(sub, li.requantize, scaleOf(p.a), scaleOf(p.b), scaleOf(p.output));
    const args = [q.a.multiplier, q.a.shift, q.b.multiplier, q.b.shift, q.out.multiplier, q.out.shift, ...p.range];
    layer = layerFunction(li, title, [], [
      `mlb_addsub_bcast_s16(${p.pa}, ${p.pb}, ${p.out}, ${sub ? 1 : 0},`,
      `                     ${[...p.shapes, ...args].join(', ')});`,
    ]);
  }
  layer.constants = p.constants;
  return layer;
}

export function generateMulS16(li: LayerInput): GeneratedLayer {
  const p = operands(li);
  const q = quantizeMultiplier((scaleOf(p.a) * scaleOf(p.b)) / scaleOf(p.output));
  const layer = layerFunction(li, `int16 [${p.a.shape.join(',')}] mul [${p.b.shape.join(',')}] ${p.activation}`, [], [
    `mlb_mul_bcast_s16(${p.pa}, ${p.pb}, ${p.out},`,
    `                  ${[...p.shapes, q.multiplier, q.shift, ...p.range].join(', ')});`,
  ]);
  layer.constants = p.constants;
  return layer;
}

/**
 * TFLite's Prepare of int16 LOGISTIC/TANH (the same in TFLite Micro and desktop TFLite): the input
 * is rescaled to 1/(3 * 4096) per step by an integer multiplier below 2^15 and a right shift; an
 * input scale of exactly 2^-12 (TANH also 2^-11) becomes multiplier 3 << left shift, no shift.
 */
export function int16ActivationParams(opcode: string, inScale: number): { mult: number; shift: number } {
  const log2 = checkedLog2(inScale);
  const leftShift = log2 === undefined ? undefined : 12 + log2;
  if (leftShift === 0 || (opcode === 'TANH' && leftShift === 1)) return { mult: 3 * 2 ** leftShift, shift: 0 };
  let multiplier = inScale * 4096 * 3;
  let shift = 0;
  while (multiplier <= 32767 / 2 && shift <= 30) {
    shift++;
    multiplier *= 2;
  }
  return { mult: Math.trunc(multiplier), shift };
}

export function generateActivationS16(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const input = model.tensors[op.inputs[0]];
  const p = int16ActivationParams(op.opcode, scaleOf(input));
  const kernel = op.opcode === 'TANH' ? 'mlb_tanh_s16' : 'mlb_logistic_s16';
  return layerFunction(li, `int16, TFLite's interpolated sigmoid table`, [`input rescaled by ${p.mult} >> ${p.shift} to 1/12288 per step`], [
    `${kernel}(${arenaPtr(li, op.inputs[0], 'int16_t', true)}, ${arenaPtr(li, op.outputs[0], 'int16_t', false)}, ${[input.shape.reduce((a, b) => a * b, 1), p.mult, p.shift].join(', ')});`,
  ]);
}

export function generatePoolS16(li: LayerInput): GeneratedLayer {
  const { o, output, dims } = poolGeometry(li);
  const range = quantizedActivationRange(o.activation, scaleOf(output), 0, 'int16');
  return layerFunction(li, `int16 ${o.filterHeight}x${o.filterWidth} stride ${o.strideH}x${o.strideW} ${o.padding} ${o.activation}`, [], [
    `mlb_pool_s16(${li.op.opcode === 'MAX_POOL_2D' ? 1 : 0}, ${arenaPtr(li, li.op.inputs[0], 'int16_t', true)}, ${arenaPtr(li, li.op.outputs[0], 'int16_t', false)},`,
    `             ${[...dims, ...range].join(', ')});`,
  ]);
}

/** QUANTIZE into or out of int16 and DEQUANTIZE of int16: TFLite's reference kernels (one arithmetic in TFLM and desktop TFLite but for float32 -> int16). */
export function generateQuantizeS16(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const [inPtr, n] = [`arena + ${li.offsets.get(input.index)}`, elements(output)];
  if (op.opcode === 'DEQUANTIZE') {
    return layerFunction(li, 'int16 -> float32', [], [
      `mlb_dequantize_s16_f32((const int16_t *)(${inPtr}), ${arenaPtr(li, output.index, 'mlb_f32', false)}, ${n}, ${doubleLiteral(scaleOf(input))}, ${zeroPointOf(input)});`,
    ]);
  }
  if (input.dtype === 'float32') {
    const floatDiv = li.requantize === 'tflm' ? 1 : 0;
    return layerFunction(li, `float32 -> int16, ${floatDiv ? 'float32 division as TFLM' : 'double division as desktop TFLite'}`, [], [
      `mlb_quantize_f32_s16((const mlb_f32 *)(${inPtr}), ${arenaPtr(li, output.index, 'int16_t', false)}, ${n}, ${doubleLiteral(scaleOf(output))}, ${zeroPointOf(output)}, ${floatDiv});`,
    ]);
  }
  const q = quantizeMultiplier(scaleOf(input) / scaleOf(output));
  const args = [DTYPE_BYTES[output.dtype], n, zeroPointOf(input), q.multiplier, q.shift, zeroPointOf(output)];
  return layerFunction(li, `${input.dtype} -> ${output.dtype} requantize`, [], [
    `mlb_requantize_int(${inPtr}, ${DTYPE_BYTES[input.dtype]}, arena + ${li.offsets.get(output.index)}, ${args.join(', ')});`,
  ]);
}
