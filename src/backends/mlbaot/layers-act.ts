// C generation for int8 MUL (broadcasting, constant operands), LOGISTIC and TANH (mlb_activation.h).
// In the `fp32` requantization mode they follow TensorFlow Lite on x86 (LiteRT): MUL rescales with
// XNNPACK's float32 scale, LOGISTIC/TANH look up a table of the float function. In the `tflm`
// mode they are TFLite Micro's reference kernels: MultiplyByQuantizedMultiplier, and gemmlowp's
// fixed-point logistic/tanh evaluated per element.
import type { ConstArray } from './c-format.js';
import { fp32Scale } from './layers-conv.js';
import { broadcastStrides, operandPointer, rank4 } from './layers-float.js';
import { arenaPtr, elements, layerFunction, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { frexp, quantizeMultiplier, quantizedActivationRange, roundHalfAway } from './quant-math.js';

/** int8 MUL: TFLite's (a - a_zp)(b - b_zp) rescaled by in1*in2/out, over broadcast strides. */
export function generateMulS8(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const activation = 'activation' in op.options ? op.options.activation : 'NONE';
  const q = li.requantize === 'fp32' ? fp32Scale(scaleOf(a), scaleOf(b), scaleOf(output)) : quantizeMultiplier((scaleOf(a) * scaleOf(b)) / scaleOf(output));
  const [actMin, actMax] = quantizedActivationRange(activation, scaleOf(output), zeroPointOf(output), 'int8');
  const constants: ConstArray[] = [];
  const pa = operandPointer(li, a, 0, 'int8_t', constants);
  const pb = operandPointer(li, b, 1, 'int8_t', constants);
  const mode = li.requantize === 'fp32' ? 'MLB_REQUANT_FP32' : 'MLB_REQUANT_TFLM';
  const layer = layerFunction(li, `int8 [${a.shape.join(',')}] mul [${b.shape.join(',')}] ${activation}`, [], [
    `mlb_mul_bcast_s8(${mode}, ${pa}, ${pb}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                 ${[...rank4(output.shape), ...broadcastStrides(a.shape), ...broadcastStrides(b.shape)].join(', ')},`,
    `                 ${[-zeroPointOf(a), -zeroPointOf(b), q.multiplier, q.shift, zeroPointOf(output), actMin, actMax].join(', ')});`,
  ]);
  layer.constants = constants;
  return layer;
}

/**
 * TensorFlow Lite's int8 lookup table (activations.cc PopulateLookupTable, as XNNPACK builds it
 * too): dequantize in float32, apply the float function, round to the output's step.
 */
export function activationTable(opcode: 'LOGISTIC' | 'TANH', inScale: number, inZp: number, outScale: number, outZp: number): number[] {
  const f = Math.fround;
  const inverse = f(1 / f(outScale));
  return Array.from({ length: 256 }, (_, k) => {
    const x = f(f(inScale) * (k - 128 - inZp));
    const y = opcode === 'LOGISTIC' ? f(1 / f(1 + f(Math.exp(-x)))) : f(Math.tanh(x));
    return Math.min(127, Math.max(-128, roundHalfAway(f(y * inverse)) + outZp));
  });
}

/** TFLM's Prepare for int8 LOGISTIC/TANH: input rescaled to Q4.27 (4 integer bits), and the radius beyond which the output saturates. */
export function tflmActivationParams(inScale: number): { multiplier: number; shift: number; radius: number } {
  const { mantissa, exponent } = frexp(Math.fround(inScale) * 2 ** 27);
  const radius = Math.floor((15 * 2 ** 27) / 2 ** exponent);
  return { multiplier: roundHalfAway(mantissa * 2 ** 31), shift: exponent, radius };
}

export function generateActivationS8(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const opcode = op.opcode === 'TANH' ? 'TANH' : 'LOGISTIC';
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const [inPtr, outPtr] = [arenaPtr(li, op.inputs[0], 'int8_t', true), arenaPtr(li, op.outputs[0], 'int8_t', false)];
  const n = elements(input);
  if (li.requantize === 'tflm') {
    const p = tflmActivationParams(scaleOf(input));
    return layerFunction(li, 'int8, TFLM fixed point', [], [
      `mlb_${opcode.toLowerCase()}_s8(${inPtr}, ${outPtr}, ${[n, zeroPointOf(input), p.radius, p.multiplier, p.shift].join(', ')});`,
    ]);
  }
  const name = `mlb_l${op.index}_table`;
  const layer = layerFunction(li, 'int8, table of the float function', [], [`mlb_lut_s8(${inPtr}, ${outPtr}, ${n}, ${name});`]);
  const values = activationTable(opcode, scaleOf(input), zeroPointOf(input), scaleOf(output), zeroPointOf(output));
  layer.constants = [{ name, ctype: 'int8_t', values, what: `layer ${op.index} ${opcode} table, indexed by input + 128` }];
  return layer;
}
