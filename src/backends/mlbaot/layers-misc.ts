// C generation for the light operators: pooling, ADD, SOFTMAX, QUANTIZE, DEQUANTIZE, RESHAPE.
import { cCommentText } from '../../core/c-text.js';
import { doubleLiteral, floatLiteral } from './c-format.js';
import { arenaPtr, elements, layerFunction, poolGeometry, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { floatActivationRange, quantizeMultiplier, quantizedActivationRange, softmaxParams } from './quant-math.js';

export function generatePool(li: LayerInput): GeneratedLayer {
  const { op } = li;
  const { o, output, dims } = poolGeometry(li);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  const kernel = op.opcode === 'MAX_POOL_2D' ? 'mlb_max_pool_s8' : 'mlb_avg_pool_s8';
  const args = [...dims, actMin, actMax];
  return layerFunction(li, `${o.filterHeight}x${o.filterWidth} stride ${o.strideH}x${o.strideW} ${o.padding} ${o.activation}`, [], [
    `${kernel}(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `        ${args.join(', ')});`,
  ]);
}

/**
 * XNNPACK's add parameters (xnn_init_qs8_add_minmax_scalar_params), which LiteRT uses for int8 and
 * uint8 ADD of equal shapes (the fp32 mode's reference; 500 int8 and 100 uint8 fuzz seeds agree
 * exactly, TFLite's own fixed point misses one element in each): input-to-output scale ratios in
 * float32, the larger one's exponent fixes a shift giving it a 21-bit multiplier, both multipliers
 * rounded half to even. undefined where TFLite's delegate refuses the node (a ratio outside
 * [2^-10, 2^8)) and TFLite's own kernel runs.
 */
export function xnnpackAddParams(sa: number, sb: number, so: number): { aMult: number; bMult: number; shift: number } | undefined {
  const ra = Math.fround(Math.fround(sa) / Math.fround(so));
  const rb = Math.fround(Math.fround(sb) / Math.fround(so));
  if ([ra, rb].some((r) => !(r >= 2 ** -10 && r < 2 ** 8))) return undefined;
  const exponent = Math.floor(Math.log2(Math.max(ra, rb)));
  const shift = 20 - exponent;
  return { aMult: roundHalfEven(ra * 2 ** shift), bMult: roundHalfEven(rb * 2 ** shift), shift };
}

const roundHalfEven = (x: number): number => {
  const f = Math.floor(x);
  return x - f > 0.5 || (x - f === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

export function generateAdd(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const activation = op.options.kind === 'add' ? op.options.activation : 'NONE';
  const [a, b, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const n = elements(output);
  if (output.dtype === 'float32') {
    const [lo, hi] = floatActivationRange(activation);
    return layerFunction(li, `float32 ${activation}`, [], [
      `mlb_add_f32(${arenaPtr(li, op.inputs[0], 'mlb_f32', true)}, ${arenaPtr(li, op.inputs[1], 'mlb_f32', true)},`,
      `            ${arenaPtr(li, op.outputs[0], 'mlb_f32', false)}, ${n}, ${floatLiteral(lo)}, ${floatLiteral(hi)});`,
    ]);
  }
  const [actMin, actMax] = quantizedActivationRange(activation, scaleOf(output), zeroPointOf(output), 'int8');
  const xnn = li.requantize === 'fp32' ? xnnpackAddParams(scaleOf(a), scaleOf(b), scaleOf(output)) : undefined;
  if (xnn) {
    const args = [n, zeroPointOf(a), xnn.aMult, zeroPointOf(b), xnn.bMult, xnn.shift, zeroPointOf(output), actMin, actMax];
    return layerFunction(li, `int8 ${activation} (XNNPACK rounding)`, [], [
      `mlb_add_s8_xnn(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.inputs[1], 'int8_t', true)},`,
      `               ${arenaPtr(li, op.outputs[0], 'int8_t', false)}, ${args.join(', ')});`,
    ]);
  }
  // TFLite's int8 ADD parameters (add.cc), left shift 20.
  const twiceMax = 2 * Math.max(scaleOf(a), scaleOf(b));
  const qa = quantizeMultiplier(scaleOf(a) / twiceMax);
  const qb = quantizeMultiplier(scaleOf(b) / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** 20 * scaleOf(output)));
  const args = [n, -zeroPointOf(a), qa.multiplier, qa.shift, -zeroPointOf(b), qb.multiplier, qb.shift, qo.multiplier, qo.shift, zeroPointOf(output), actMin, actMax];
  return layerFunction(li, `int8 ${activation}`, [], [
    `mlb_add_s8(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.inputs[1], 'int8_t', true)},`,
    `           ${arenaPtr(li, op.outputs[0], 'int8_t', false)}, ${args.join(', ')});`,
  ]);
}

export function generateSoftmax(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const beta = op.options.kind === 'softmax' ? op.options.beta : 1;
  const input = model.tensors[op.inputs[0]];
  const depth = input.shape[input.shape.length - 1];
  const rows = elements(input) / depth;
  const p = softmaxParams(beta, scaleOf(input));
  return layerFunction(li, `beta ${beta}`, [], [
    `mlb_softmax_s8_os(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                  ${[rows, depth, p.multiplier, p.leftShift, p.diffMin].join(', ')});`,
  ]);
}

export function generateQuantize(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const n = elements(output);
  if (li.requantize === 'fp32') return generateQuantizeFp32(li);
  if (input.dtype === 'float32') {
    return layerFunction(li, 'float32 -> int8', [], [
      `mlb_quantize_f32_s8(${arenaPtr(li, op.inputs[0], 'mlb_f32', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
      `                    ${n}, ${doubleLiteral(scaleOf(output))}, ${zeroPointOf(output)});`,
    ]);
  }
  const q = quantizeMultiplier(scaleOf(input) / scaleOf(output));
  return layerFunction(li, 'int8 requantize', [], [
    `mlb_requantize_s8(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                  ${[n, zeroPointOf(input), q.multiplier, q.shift, zeroPointOf(output)].join(', ')});`,
  ]);
}

/** QUANTIZE as LiteRT runs it through XNNPACK (the `fp32` requantization mode). */
function generateQuantizeFp32(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const n = elements(output);
  if (input.dtype === 'float32') {
    return layerFunction(li, 'float32 -> int8, XNNPACK rounding', [], [
      `mlb_quantize_f32_s8_fp32(${arenaPtr(li, op.inputs[0], 'mlb_f32', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
      `                         ${n}, ${floatLiteral(Math.fround(1 / Math.fround(scaleOf(output))))}, ${zeroPointOf(output)});`,
    ]);
  }
  // lrintf(256 * (in_scale / out_scale)) in float32; ×256 is exact, so only the quotient rounds.
  const ratio = Math.fround(scaleOf(input) / scaleOf(output));
  const scaled = ratio * 256;
  const floor = Math.floor(scaled);
  const mult = scaled - floor > 0.5 || (scaled - floor === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  const bias = zeroPointOf(output) * 256 - mult * zeroPointOf(input) + 0x80;
  return layerFunction(li, 'int8 requantize, XNNPACK rounding', [], [
    `mlb_requantize_s8_fp32(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                       ${[n, mult, bias].join(', ')});`,
  ]);
}

export function generateDequantize(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const input = model.tensors[op.inputs[0]];
  return layerFunction(li, 'int8 -> float32', [], [
    `mlb_dequantize_s8_f32(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'mlb_f32', false)},`,
    `                      ${elements(input)}, ${doubleLiteral(scaleOf(input))}, ${zeroPointOf(input)});`,
  ]);
}

/** RESHAPE is free: the planner gives its output the input's bytes, so only a comment remains. */
export function generateReshape(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  return {
    code: `/* ${cCommentText(model.name)} layer ${op.index}: RESHAPE [${input.shape.join(',')}] -> [${output.shape.join(',')}], aliased in the arena (no code). */\n`,
    constants: [],
  };
}
