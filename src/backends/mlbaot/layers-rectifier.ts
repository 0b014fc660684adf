// C generation for the standalone activations (mlb_rectifier.h): int8 RELU/RELU6 and
// LEAKY_RELU/HARD_SWISH/PRELU in int8 and float32, with TFLite Micro's prepare-time constants.
import type { Tensor } from '../../core/model.js';
import type { ConstArray } from './c-format.js';
import { floatLiteral } from './c-format.js';
import { arenaPtr, elements, layerFunction, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { broadcastStrides, operandPointer, rank4 } from './layers-float.js';
import { quantizeMultiplier, roundHalfAway } from './quant-math.js';

const f = Math.fround;

function io(li: LayerInput, ctype: string): string {
  return `${arenaPtr(li, li.op.inputs[0], ctype, true)}, ${arenaPtr(li, li.op.outputs[0], ctype, false)}`;
}

function tensors(li: LayerInput): [Tensor, Tensor] {
  return [li.model.tensors[li.op.inputs[0]], li.model.tensors[li.op.outputs[0]]];
}

/** int8 RELU (rescaled, ReluQuantized) and RELU6 (a clamp in the input's quantization, Relu6Quantized). */
export function generateReluS8(li: LayerInput): GeneratedLayer {
  const [input, output] = tensors(li);
  const n = elements(input);
  if (li.op.opcode === 'RELU6') {
    // FloatToQuantizedType(6.0f, scale, zp): the quotient in float32, rounded half away.
    const six = Math.min(127, Math.max(-128, roundHalfAway(f(6 / scaleOf(input))) + zeroPointOf(input)));
    const zero = zeroPointOf(input);
    return layerFunction(li, `int8 clamp [${zero}, ${six}]`, [], [`mlb_clamp_s8(${io(li, 'int8_t')}, ${n}, ${zero}, ${six});`]);
  }
  const q = quantizeMultiplier(f(scaleOf(input) / scaleOf(output)));
  const actMin = Math.max(-128, zeroPointOf(output));
  const args = [n, zeroPointOf(input), q.multiplier, q.shift, zeroPointOf(output), actMin, 127];
  return layerFunction(li, 'int8', [], [`mlb_relu_s8(${io(li, 'int8_t')}, ${args.join(', ')});`]);
}

export function leakyAlpha(li: LayerInput): number {
  return li.op.options.kind === 'leaky_relu' ? li.op.options.alpha : 0;
}

export function generateLeakyRelu(li: LayerInput): GeneratedLayer {
  const [input, output] = tensors(li);
  const alpha = leakyAlpha(li);
  if (output.dtype === 'float32') {
    return layerFunction(li, `float32 alpha ${alpha}`, [], [`mlb_leaky_relu_f32(${io(li, 'mlb_f32')}, ${elements(input)}, ${floatLiteral(alpha)});`]);
  }
  // CalculateOpDataLeakyRelu multiplies and divides in float32 before widening.
  const [si, so] = [scaleOf(input), scaleOf(output)];
  const identity = quantizeMultiplier(f(si / so));
  const scaled = quantizeMultiplier(f(f(si * alpha) / so));
  const args = [elements(input), zeroPointOf(input), identity.multiplier, identity.shift, scaled.multiplier, scaled.shift, zeroPointOf(output)];
  // int16 (symmetric) runs the same arithmetic, saturating to int16 (mlb_int16.h).
  const [ctype, bits] = output.dtype === 'int16' ? ['int16_t', 16] : ['int8_t', 8];
  return layerFunction(li, `${output.dtype} alpha ${alpha}`, [], [`mlb_leaky_relu_s${bits}(${io(li, ctype)}, ${args.join(', ')});`]);
}

/** DownScaleInt32ToInt16Multiplier: the Q0.31 multiplier rounded to Q0.15. */
function toInt16Multiplier(m: number): number {
  return m >= 2 ** 31 - 1 - 2 ** 15 ? 32767 : Math.floor((m + 2 ** 15) / 2 ** 16);
}

/** HardSwishPrepare's constants: both multipliers in Q0.15 with their exponents. */
export function hardSwishParams(inScale: number, outScale: number): { outMult: number; outExp: number; reluMult: number; reluExp: number } {
  const hires = f(f(1 / 128) * inScale);
  const out = quantizeMultiplier(f(hires / outScale));
  const relu = quantizeMultiplier(f(hires / f(3 / 32768)));
  return { outMult: toInt16Multiplier(out.multiplier), outExp: out.shift, reluMult: toInt16Multiplier(relu.multiplier), reluExp: relu.shift };
}

export function generateHardSwish(li: LayerInput): GeneratedLayer {
  const [input, output] = tensors(li);
  if (output.dtype === 'float32') return layerFunction(li, 'float32', [], [`mlb_hard_swish_f32(${io(li, 'mlb_f32')}, ${elements(input)});`]);
  const p = hardSwishParams(scaleOf(input), scaleOf(output));
  const args = [elements(input), zeroPointOf(input), p.outMult, p.outExp, p.reluMult, p.reluExp, zeroPointOf(output)];
  return layerFunction(li, 'int8', [], [`mlb_hard_swish_s8(${io(li, 'int8_t')}, ${args.join(', ')});`]);
}

export function generatePrelu(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, alpha, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const constants: ConstArray[] = [];
  const float = output.dtype === 'float32';
  const pa = operandPointer(li, alpha, 1, float ? 'float' : 'int8_t', constants);
  const shape = [...rank4(output.shape), ...broadcastStrides(alpha.shape)].join(', ');
  const kernelIo = `${arenaPtr(li, input.index, float ? 'mlb_f32' : 'int8_t', true)}, ${pa}, ${arenaPtr(li, output.index, float ? 'mlb_f32' : 'int8_t', false)}`;
  let body: string;
  if (float) body = `mlb_prelu_f32(${kernelIo}, ${shape});`;
  else {
    // CalculatePreluParams: both ratios in double.
    const q1 = quantizeMultiplier(scaleOf(input) / scaleOf(output));
    const q2 = quantizeMultiplier((scaleOf(input) * scaleOf(alpha)) / scaleOf(output));
    const quant = [-zeroPointOf(input), -zeroPointOf(alpha), q1.multiplier, q1.shift, q2.multiplier, q2.shift, zeroPointOf(output)];
    body = `mlb_prelu_s8(${kernelIo}, ${shape},\n               ${quant.join(', ')});`;
  }
  const layer = layerFunction(li, `${output.dtype} alpha [${alpha.shape.join(',')}]`, [], [body]);
  layer.constants = constants;
  return layer;
}
