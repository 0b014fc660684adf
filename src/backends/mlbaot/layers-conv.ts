// C generation for the MAC-heavy operators: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED.
// Requantization multipliers and zero-point-folded biases are computed here, once.
import { MlbenchError } from '../../core/errors.js';
import type { Tensor } from '../../core/model.js';
import { floatLiteral } from './c-format.js';
import {
  arenaPtr,
  elements,
  float32Data,
  int32Data,
  int8Data,
  layerFunction,
  scaleOf,
  sharedKernelCall,
  tensorAt,
  zeroPointOf,
  type GeneratedLayer,
  type LayerInput,
} from './layer-common.js';
import { DSP_W16_MAX_WEIGHT_BYTES, depthwisePairs16, dspLiteralClamp, interleaveRows4, interleaveRows4Pairs16 } from './arm-dsp.js';
import { planFp32, type Fp32Plan } from './fp32-bound.js';
import { floatActivationRange, frexp, leadingPadding, quantizeMultiplier, quantizedActivationRange } from './quant-math.js';

interface Requant {
  mult: number[];
  shift: number[];
}

/** fp32 mode: XNNPACK's float32 scale in*w/out (float arithmetic) as mantissa m (24 bits) and e, scale = m * 2^-e. */
export function fp32Scale(inScale: number, wScale: number, outScale: number): { multiplier: number; shift: number } {
  const s = Math.fround(Math.fround(inScale * wScale) / outScale);
  const { mantissa, exponent } = frexp(s);
  // Pre-shift the mantissa (exact) so that e > 32: the kernel's fast path then needs only the
  // high word of the 64-bit product (mlb_fp32_requant).
  let multiplier = mantissa * 2 ** 24;
  let shift = 24 - exponent;
  while (shift <= 32 && multiplier < 2 ** 30) {
    multiplier *= 2;
    shift += 1;
  }
  return { multiplier, shift };
}

/** Per-output-channel multipliers from the effective scale in*w[c]/out (per-tensor weights repeat one value). */
export function channelRequant(li: LayerInput, input: Tensor, weights: Tensor, output: Tensor, channels: number, fc: boolean): Requant {
  const ws = weights.quantization!.scale;
  const mult: number[] = [];
  const shift: number[] = [];
  for (let c = 0; c < channels; ++c) {
    const w = ws.length === 1 ? ws[0] : ws[c];
    if (li.requantize === 'fp32') {
      const q = fp32Scale(scaleOf(input), w, scaleOf(output));
      mult.push(q.multiplier);
      shift.push(q.shift);
      continue;
    }
    // TFLite's per-tensor FULLY_CONNECTED multiplies the two scales in float32 first.
    const real = fc && ws.length === 1 ? Math.fround(scaleOf(input) * w) / scaleOf(output) : (scaleOf(input) * w) / scaleOf(output);
    const q = quantizeMultiplier(real);
    mult.push(q.multiplier);
    shift.push(q.shift);
  }
  return { mult, shift };
}

/** bias'[c] = bias[c] - in_zp * sum_k w[c][k]; weights laid out [channels][k]. */
function foldedBias(bias: Tensor | undefined, weights: ArrayLike<number>, channels: number, inZp: number): number[] {
  const raw = bias ? int32Data(bias) : new Array<number>(channels).fill(0);
  const k = weights.length / channels;
  return raw.map((b, c) => {
    let sum = 0;
    for (let i = 0; i < k; ++i) sum += weights[c * k + i];
    const folded = b - inZp * sum;
    if (folded < -(2 ** 31) || folded >= 2 ** 31) {
      throw new MlbenchError('unsupported', `folding the input zero point into bias ${c} overflows int32 (${folded})`, {
        hint: 'the model has unusually large weights or zero points; try another backend',
      });
    }
    return folded;
  });
}

/** The kernels' requantization literal and the constants to emit (planFp32 may rewrite constant channels). */
function requantPlan(li: LayerInput, bias: number[], w: ArrayLike<number>, rq: Requant, outZp: number, act: [number, number]): Fp32Plan & { mode: string } {
  if (li.requantize !== 'fp32') return { mode: 'MLB_REQUANT_TFLM', bounded: false, bias, weights: w, ...rq };
  const plan = planFp32(bias, w, rq.mult, rq.shift, outZp, act[0], act[1]);
  return { ...plan, mode: plan.bounded ? 'MLB_REQUANT_FP32B' : 'MLB_REQUANT_FP32' };
}

function allNames(args: [string, number][]): Set<string> {
  return new Set(args.map(([n]) => n));
}

function named(names: string[], values: number[]): [string, number][] {
  return names.map((n, i) => [n, values[i]]);
}

/** The pointer parameters shared by conv-like kernels: input, output, weights, bias, requantization. */
function convPointers(li: LayerInput, input: number, output: number, prefix: string): [string, string][] {
  return [
    ['const int8_t *in', arenaPtr(li, input, 'int8_t', true)],
    ['int8_t *out', arenaPtr(li, output, 'int8_t', false)],
    ['const int8_t *w', `${prefix}_weights`],
    ['const int32_t *bias', `${prefix}_bias`],
    ['const int32_t *mult', `${prefix}_mult`],
    ['const int8_t *shift', `${prefix}_shift`],
  ];
}

/** 1 when channels have their own multiplier/shift, 0 when one pair serves all (stored once). */
function quantStride(rq: Requant): number {
  return rq.mult.every((m, i) => m === rq.mult[0] && rq.shift[i] === rq.shift[0]) ? 0 : 1;
}

function quantConstants(prefix: string, what: string, bias: number[], rq: Requant): GeneratedLayer['constants'] {
  const qs = quantStride(rq);
  for (const sh of rq.shift) if (sh < -128 || sh > 127) throw new Error(`${what}: requantization shift ${sh} does not fit int8`);
  return [
    { name: `${prefix}_bias`, ctype: 'int32_t', values: bias, what: `${what} bias with input zero point folded in` },
    { name: `${prefix}_mult`, ctype: 'int32_t', values: qs ? rq.mult : rq.mult.slice(0, 1), what: `${what} requantization multipliers${qs ? '' : ' (one for all channels)'}` },
    { name: `${prefix}_shift`, ctype: 'int8_t', values: qs ? rq.shift : rq.shift.slice(0, 1), what: `${what} requantization shifts${qs ? '' : ' (one for all channels)'}` },
  ];
}

export function generateConv2d(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'conv2d') throw new Error('CONV_2D without conv2d options');
  const o = op.options;
  const [input, weights, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const bias = tensorAt(model, op.inputs[2] ?? -1);
  const [, IH, IW, IC] = input.shape;
  const [OC, KH, KW] = weights.shape;
  const [, OH, OW] = output.shape;
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  const w = int8Data(weights);
  const prefix = `mlb_l${op.index}`;
  const rq = channelRequant(li, input, weights, output, OC, false);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  const plan = requantPlan(li, foldedBias(bias, w, OC, zeroPointOf(input)), w, rq, zeroPointOf(output), [actMin, actMax]);
  const args = named(
    ['QS', 'IH', 'IW', 'IC', 'OH', 'OW', 'OC', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', 'PT', 'PL', 'in_zp', 'out_zp', 'act_min', 'act_max'],
    [quantStride(plan), IH, IW, IC, OH, OW, OC, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL, zeroPointOf(input), zeroPointOf(output), actMin, actMax],
  );
  // Kernel window, strides and dilations are compile-time constants (unrolled taps); so is
  // the input depth of spatial kernels and of shallow inputs, whose short channel loops would
  // otherwise dominate (1x1 layers keep a run-time depth: one instance serves them all).
  const variant = li.variant ?? 'shared';
  const constant =
    variant === 'shared'
      ? new Set(['QS', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', ...(IC < 8 || KH * KW > 1 ? ['IC'] : []), ...dspLiteralClamp(li.armDsp, actMin, actMax)])
      : allNames(args);
  // Arm DSP targets: weights interleaved by four output channels (arm-dsp.ts, mlb_conv_dsp.h).
  const interleaved = li.armDsp === true && IC % 4 === 0 && OC % 4 === 0 && o.dilationH === 1 && o.dilationW === 1;
  // Small weight tensors also widened to int16 pairs (15 instructions per 16 MACs instead of 20).
  const wide = interleaved && plan.weights.length <= DSP_W16_MAX_WEIGHT_BYTES;
  const kernel = wide
    ? 'mlb_conv2d_il4h_s8'
    : interleaved
      ? 'mlb_conv2d_il4_s8'
      : ({ shared: 'mlb_conv2d_s8', specialized: 'mlb_conv2d_sp_s8', blocked: 'mlb_conv2d_u4_s8' } as const)[variant];
  const pointers = convPointers(li, op.inputs[0], op.outputs[0], prefix);
  if (wide) pointers[2] = ['const int32_t *w', `${prefix}_weights`];
  const layout = wide ? ' interleaved by 4 output channels as int16 pairs' : interleaved ? ' interleaved by 4 output channels' : '';
  const layer = layerFunction(
    li,
    `${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} ${o.activation}`,
    [`MACs ${OH * OW * OC * KH * KW * IC}; weights OHWI${layout}${interleaved ? ' for the Arm DSP kernel' : ''}; variant ${variant}`],
    sharedKernelCall(li, kernel, plan.mode, pointers, args, constant, kernel === 'mlb_conv2d_s8' && (KH * KW > 1 || o.strideH * o.strideW > 1) ? 'MLB_SPATIAL_INSTANCE' : undefined),
  );
  const what = `layer ${op.index} CONV_2D weights [${OC}][${KH}][${KW}][${IC}]`;
  layer.constants = [
    wide
      ? { name: `${prefix}_weights`, ctype: 'int32_t', values: interleaveRows4Pairs16(plan.weights, OC, KH * KW * IC), what: `${what} interleaved [OC/4][K/4][4 rows][k 0,2 | k 1,3] as int16 pairs` }
      : { name: `${prefix}_weights`, ctype: 'int8_t', values: interleaved ? interleaveRows4(plan.weights, OC, KH * KW * IC) : plan.weights, what: `${what}${interleaved ? ' interleaved [OC/4][K/4][4][4]' : ''}` },
    ...quantConstants(prefix, `layer ${op.index} CONV_2D`, plan.bias, plan),
  ];
  return layer;
}

export function generateDepthwiseConv2d(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'depthwise_conv2d') throw new Error('DEPTHWISE_CONV_2D without options');
  const o = op.options;
  const [input, weights, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const bias = tensorAt(model, op.inputs[2] ?? -1);
  const [, IH, IW, IC] = input.shape;
  const [, KH, KW, OC] = weights.shape;
  const [, OH, OW] = output.shape;
  const DM = OC / IC;
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  // File layout is [1][KH][KW][OC]; reorder to [OC][KH*KW] so each channel reads its taps in sequence.
  const src = int8Data(weights);
  const w = new Int8Array(src.length);
  for (let t = 0; t < KH * KW; ++t) for (let c = 0; c < OC; ++c) w[c * KH * KW + t] = src[t * OC + c];
  const prefix = `mlb_l${op.index}`;
  const rq = channelRequant(li, input, weights, output, OC, false);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  const plan = requantPlan(li, foldedBias(bias, w, OC, zeroPointOf(input)), w, rq, zeroPointOf(output), [actMin, actMax]);
  const args = named(
    ['QS', 'IH', 'IW', 'IC', 'OH', 'OW', 'DM', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', 'PT', 'PL', 'in_zp', 'out_zp', 'act_min', 'act_max'],
    [quantStride(plan), IH, IW, IC, OH, OW, DM, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL, zeroPointOf(input), zeroPointOf(output), actMin, actMax],
  );
  const variant = li.variant ?? 'shared';
  const constant =
    variant === 'shared' ? new Set(['QS', 'DM', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', ...dspLiteralClamp(li.armDsp, actMin, actMax)]) : allNames(args);
  // Arm DSP targets, output rows of 12+ pixels and fewer than 32 channels: the sliding 3x3 rows
  // kernel (mlb_depthwise.h says why).
  const dspRows =
    li.armDsp === true && DM === 1 && KH === 3 && KW === 3 && o.dilationH === 1 && o.dilationW === 1 && OW >= 12 && !(IC % 4 === 0 && IC >= 32) &&
    (o.strideW === 1 || (o.strideW === 2 && PL <= 1));
  // Other Arm DSP layers of multiplier 1 and channels in fours: int16 weight pairs for SMLABB/SMLATT
  // (mlb_depthwise_dsp.h), with a literal depth (instances per depth: the group loop's bound and
  // the pixel stride fold). On vww's wide layers (cortexm4_qemu) they beat the sliding rows from 32
  // channels (24x24x32 1.05 M -> 0.94 M, 12x12x64 575k -> 462k) and lose below (with a run-time
  // depth: 48x48x8 1.01 M -> 1.20 M, 48x48x16 stride 2 489k -> 521k): few channel groups per pixel
  // to amortize the pixel's tap pointers.
  const dspPairs = li.armDsp === true && !dspRows && variant !== 'blocked' && DM === 1 && IC % 4 === 0;
  if (dspPairs) constant.add('IC');
  const pointers = convPointers(li, op.inputs[0], op.outputs[0], prefix);
  if (dspPairs) pointers[2] = ['const int32_t *w', `${prefix}_weights`];
  const kernel =
    variant === 'blocked' ? 'mlb_depthwise_conv2d_cm_s8' : dspRows ? 'mlb_depthwise_conv2d_rows_s8' : dspPairs ? 'mlb_depthwise_conv2d_dsp_s8' : 'mlb_depthwise_conv2d_s8';
  const layer = layerFunction(
    li,
    `${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} multiplier ${DM} ${o.activation}`,
    [`MACs ${OH * OW * OC * KH * KW}; weights reordered to [OC][KH][KW]${dspPairs ? ' as int16 pairs of channels for the Arm DSP kernel' : ''}; variant ${variant}`],
    sharedKernelCall(li, kernel, plan.mode, pointers, args, constant),
  );
  const what = `layer ${op.index} DEPTHWISE_CONV_2D weights [${OC}][${KH}][${KW}]`;
  layer.constants = [
    dspPairs
      ? { name: `${prefix}_weights`, ctype: 'int32_t', values: depthwisePairs16(plan.weights, OC, KH * KW), what: `${what} as int16 pairs [OC/4][KH*KW][ch 0,2 | ch 1,3]` }
      : { name: `${prefix}_weights`, ctype: 'int8_t', values: plan.weights, what },
    ...quantConstants(prefix, `layer ${op.index} DEPTHWISE_CONV_2D`, plan.bias, plan),
  ];
  return layer;
}

export function generateFullyConnected(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'fully_connected') throw new Error('FULLY_CONNECTED without options');
  const o = op.options;
  const [input, weights, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const bias = tensorAt(model, op.inputs[2] ?? -1);
  const [N, K] = weights.shape;
  const ROWS = elements(input) / K;
  const prefix = `mlb_l${op.index}`;
  const extra = [`MACs ${ROWS * N * K}; weights [${N}][${K}]`];
  if (input.dtype === 'float32') {
    const [lo, hi] = floatActivationRange(o.activation);
    const layer = layerFunction(li, `float32 ${o.activation}`, extra, [
      `mlb_fully_connected_f32(${arenaPtr(li, op.inputs[0], 'mlb_f32', true)}, ${arenaPtr(li, op.outputs[0], 'mlb_f32', false)},`,
      `                        ${prefix}_weights, ${bias ? `${prefix}_bias` : '0'}, ${ROWS}, ${K}, ${N}, ${floatLiteral(lo)}, ${floatLiteral(hi)});`,
    ]);
    layer.constants = [{ name: `${prefix}_weights`, ctype: 'float', values: float32Data(weights), what: `layer ${op.index} FULLY_CONNECTED weights [${N}][${K}]` }];
    if (bias) layer.constants.push({ name: `${prefix}_bias`, ctype: 'float', values: float32Data(bias), what: `layer ${op.index} FULLY_CONNECTED bias` });
    return layer;
  }
  const w = int8Data(weights);
  const rq = channelRequant(li, input, weights, output, N, true);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  const plan = requantPlan(li, foldedBias(bias, w, N, zeroPointOf(input)), w, rq, zeroPointOf(output), [actMin, actMax]);
  const args = named(['QS', 'ROWS', 'K', 'N', 'out_zp', 'act_min', 'act_max'], [quantStride(plan), ROWS, K, N, zeroPointOf(output), actMin, actMax]);
  const variant = li.variant ?? 'shared';
  // Arm DSP targets: weights interleaved by four rows for one pointer and LDRD pairs (arm-dsp.ts).
  const interleaved = li.armDsp === true && N % 4 === 0 && K % 4 === 0;
  extra.push(`variant ${variant}`);
  if (interleaved) extra.push('weights interleaved by 4 rows for the Arm DSP kernel');
  const kernel = interleaved ? 'mlb_fully_connected_il4_s8' : variant === 'blocked' ? 'mlb_fully_connected_u4_s8' : 'mlb_fully_connected_s8';
  const layer = layerFunction(
    li,
    `int8 ${o.activation}`,
    extra,
    sharedKernelCall(li, kernel, plan.mode, convPointers(li, op.inputs[0], op.outputs[0], prefix), args, variant === 'shared' ? new Set(['QS']) : allNames(args)),
  );
  layer.constants = [
    {
      name: `${prefix}_weights`,
      ctype: 'int8_t',
      values: interleaved ? interleaveRows4(plan.weights, N, K) : plan.weights,
      what: `layer ${op.index} FULLY_CONNECTED weights [${N}][${K}]${interleaved ? ' interleaved [N/4][K/4][4][4]' : ''}`,
    },
    ...quantConstants(prefix, `layer ${op.index} FULLY_CONNECTED`, plan.bias, plan),
  ];
  return layer;
}
