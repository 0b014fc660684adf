// C generation for 16x8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: int16 activations with
// zero point 0, int8 symmetric weights, int64 bias (kernels in mlb_conv16.h). The multipliers are
// TFLite's QuantizeMultiplier of in*w/out, exactly as TFLite computes them at prepare time.
// CONV_2D and DEPTHWISE_CONV_2D have one arithmetic (TFLite's and TFLM's reference kernels agree);
// TRANSPOSE_CONV has one arithmetic too (TFLite's reference TransposeConv for int16, as TFLM runs it).
// FULLY_CONNECTED follows desktop TFLite in requantize=fp32 mode and TFLM in tflm mode (see mlb_conv16.h).
import { MlbenchError } from '../../core/errors.js';
import type { Tensor } from '../../core/model.js';
import type { ConstArray } from './c-format.js';
import { arenaPtr, elements, int8Data, layerFunction, scaleOf, tensorAt, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { transposeConvPadding } from './layers-upsample.js';
import { leadingPadding, quantizeMultiplier, quantizedActivationRange } from './quant-math.js';

/** int64 values as numbers; refuses values a double cannot hold exactly (a sane bias never comes close). */
export function int64Data(t: Tensor): number[] {
  const d = t.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return Array.from({ length: d.byteLength / 8 }, (_, i) => {
    const v = view.getBigInt64(i * 8, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(-Number.MAX_SAFE_INTEGER)) {
      throw new MlbenchError('unsupported', `tensor ${t.name}: int64 bias ${v} is beyond ±2^53`);
    }
    return Number(v);
  });
}

/**
 * Per-channel multipliers and shifts (stored once when all channels share them). TFLite's per-tensor
 * FULLY_CONNECTED multiplies input and weight scales in float32 first; the others work in double.
 */
function requantConstants(prefix: string, what: string, input: Tensor, weights: Tensor, output: Tensor, channels: number, fc: boolean): { qs: number; constants: ConstArray[] } {
  const ws = weights.quantization!.scale;
  const pairs = Array.from({ length: channels }, (_, c) => {
    const w = ws.length === 1 ? ws[0] : ws[c];
    const real = fc && ws.length === 1 ? Math.fround(scaleOf(input) * w) / scaleOf(output) : (scaleOf(input) * w) / scaleOf(output);
    return quantizeMultiplier(real);
  });
  const shared = pairs.every((p) => p.multiplier === pairs[0].multiplier && p.shift === pairs[0].shift);
  const used = shared ? pairs.slice(0, 1) : pairs;
  for (const p of used) {
    if (p.shift < -31 || p.shift > 7) throw new MlbenchError('unsupported', `${what}: requantization shift ${p.shift} is outside TFLite's range [-31, 7]`);
  }
  const note = shared ? ' (one for all channels)' : '';
  return {
    qs: shared ? 0 : 1,
    constants: [
      { name: `${prefix}_mult`, ctype: 'int32_t', values: used.map((p) => p.multiplier), what: `${what} requantization multipliers${note}` },
      { name: `${prefix}_shift`, ctype: 'int8_t', values: used.map((p) => p.shift), what: `${what} requantization shifts${note}` },
    ],
  };
}

interface ConvPieces {
  input: Tensor;
  weights: Tensor;
  output: Tensor;
  bias?: Tensor;
  prefix: string;
  what: string;
}

function pieces(li: LayerInput): ConvPieces {
  const { model, op } = li;
  return {
    input: model.tensors[op.inputs[0]],
    weights: model.tensors[op.inputs[1]],
    output: model.tensors[op.outputs[0]],
    bias: tensorAt(model, op.inputs[2] ?? -1),
    prefix: `mlb_l${op.index}`,
    what: `layer ${op.index} ${op.opcode} 16x8`,
  };
}

/** Kernel call: pointers, then the shape/quantization arguments as literals (one function per layer). */
function kernelCall(li: LayerInput, kernel: string, p: ConvPieces, args: number[], lead = ''): string[] {
  const biasName = p.bias ? `${p.prefix}_bias` : '0';
  return [
    `${kernel}(${lead}${arenaPtr(li, li.op.inputs[0], 'int16_t', true)}, ${arenaPtr(li, li.op.outputs[0], 'int16_t', false)},`,
    `    ${p.prefix}_weights, ${biasName}, ${p.prefix}_mult, ${p.prefix}_shift, ${args.join(', ')});`,
  ];
}

function biasConstant(p: ConvPieces): ConstArray[] {
  return p.bias ? [{ name: `${p.prefix}_bias`, ctype: 'int64_t', values: int64Data(p.bias), what: `${p.what} bias (int64)` }] : [];
}

function activationRange(li: LayerInput, output: Tensor): [number, number] {
  const o = li.op.options;
  return quantizedActivationRange('activation' in o ? o.activation : 'NONE', scaleOf(output), 0, 'int16');
}

export function generateConv2dS16(li: LayerInput): GeneratedLayer {
  const o = li.op.options;
  if (o.kind !== 'conv2d') throw new Error('CONV_2D without conv2d options');
  const p = pieces(li);
  const [, IH, IW, IC] = p.input.shape;
  const [OC, KH, KW] = p.weights.shape;
  const [, OH, OW] = p.output.shape;
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  const rq = requantConstants(p.prefix, p.what, p.input, p.weights, p.output, OC, false);
  const [actMin, actMax] = activationRange(li, p.output);
  const layer = layerFunction(
    li,
    `16x8 ${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} ${o.activation}`,
    [`MACs ${OH * OW * OC * KH * KW * IC}; weights OHWI`],
    kernelCall(li, 'mlb_conv2d_s16', p, [rq.qs, IH, IW, IC, OH, OW, OC, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL, actMin, actMax]),
  );
  layer.constants = [
    { name: `${p.prefix}_weights`, ctype: 'int8_t', values: int8Data(p.weights), what: `${p.what} weights [${OC}][${KH}][${KW}][${IC}]` },
    ...biasConstant(p),
    ...rq.constants,
  ];
  return layer;
}

export function generateDepthwiseConv2dS16(li: LayerInput): GeneratedLayer {
  const o = li.op.options;
  if (o.kind !== 'depthwise_conv2d') throw new Error('DEPTHWISE_CONV_2D without options');
  const p = pieces(li);
  const [, IH, IW, IC] = p.input.shape;
  const [, KH, KW, OC] = p.weights.shape;
  const [, OH, OW] = p.output.shape;
  // The kernel sums one channel's taps in int32: |int8 * int16| < 2^22, so fewer than 512 taps.
  if (KH * KW >= 512) throw new MlbenchError('unsupported', `${p.what}: ${KH}x${KW} window is too large for the 16x8 depthwise kernel (max 511 taps)`);
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  // File layout is [1][KH][KW][OC]; reorder to [OC][KH*KW] so each channel reads its taps in sequence.
  const src = int8Data(p.weights);
  const w = new Int8Array(src.length);
  for (let t = 0; t < KH * KW; ++t) for (let c = 0; c < OC; ++c) w[c * KH * KW + t] = src[t * OC + c];
  const rq = requantConstants(p.prefix, p.what, p.input, p.weights, p.output, OC, false);
  const [actMin, actMax] = activationRange(li, p.output);
  const layer = layerFunction(
    li,
    `16x8 ${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} multiplier ${OC / IC} ${o.activation}`,
    [`MACs ${OH * OW * OC * KH * KW}; weights reordered to [OC][KH][KW]`],
    kernelCall(li, 'mlb_depthwise_conv2d_s16', p, [rq.qs, IH, IW, IC, OH, OW, OC / IC, KH, KW, o.strideH, o.strideW, o.dilationH, o.dilationW, PT, PL, actMin, actMax]),
  );
  layer.constants = [{ name: `${p.prefix}_weights`, ctype: 'int8_t', values: w, what: `${p.what} weights [${OC}][${KH}][${KW}]` }, ...biasConstant(p), ...rq.constants];
  return layer;
}

export function generateFullyConnectedS16(li: LayerInput): GeneratedLayer {
  const o = li.op.options;
  if (o.kind !== 'fully_connected') throw new Error('FULLY_CONNECTED without options');
  const p = pieces(li);
  const [N, K] = p.weights.shape;
  const ROWS = elements(p.input) / K;
  const rq = requantConstants(p.prefix, p.what, p.input, p.weights, p.output, N, true);
  const [actMin, actMax] = activationRange(li, p.output);
  const layer = layerFunction(
    li,
    `16x8 ${o.activation}`,
    [`MACs ${ROWS * N * K}; weights [${N}][${K}]; rounding ${li.requantize === 'fp32' ? 'as desktop TFLite (int32 accumulator, single rounding)' : 'as TFLM (int64 accumulator)'}`],
    kernelCall(li, 'mlb_fully_connected_s16', p, [rq.qs, ROWS, K, N, actMin, actMax], `${li.requantize === 'fp32' ? 'MLB_ROUND16_LITERT' : 'MLB_ROUND16_TFLM'}, `),
  );
  layer.constants = [{ name: `${p.prefix}_weights`, ctype: 'int8_t', values: int8Data(p.weights), what: `${p.what} weights [${N}][${K}]` }, ...biasConstant(p), ...rq.constants];
  return layer;
}

/** TRANSPOSE_CONV (inputs: output shape, weights [OC,KH,KW,IC], input, optional int64 bias): scatters into an int64 scratch. */
export function generateTransposeConvS16(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const o = op.options;
  if (o.kind !== 'transpose_conv') throw new Error('TRANSPOSE_CONV without options');
  const p: ConvPieces = { ...pieces(li), input: model.tensors[op.inputs[2]], bias: tensorAt(model, op.inputs[3] ?? -1) };
  const [, IH, IW, IC] = p.input.shape;
  const [, OH, OW, OC] = p.output.shape;
  const [, KH, KW] = p.weights.shape;
  const PT = transposeConvPadding(o.padding, OH, KH, o.strideH);
  const PL = transposeConvPadding(o.padding, OW, KW, o.strideW);
  const rq = requantConstants(p.prefix, p.what, p.input, p.weights, p.output, OC, false);
  const [actMin, actMax] = activationRange(li, p.output);
  const layer = layerFunction(li, `16x8 ${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} pad ${PT},${PL} ${o.activation}`, [`scratch: int64 accumulators ${OH}x${OW}x${OC}`], [
    `static int64_t acc[${OH * OW * OC}];`,
    `mlb_transpose_conv_s16(${arenaPtr(li, p.input.index, 'int16_t', true)}, ${arenaPtr(li, p.output.index, 'int16_t', false)},`,
    `    ${p.prefix}_weights, ${p.bias ? `${p.prefix}_bias` : '0'}, ${p.prefix}_mult, ${p.prefix}_shift, ${rq.qs}, acc, ${[IH, IW, IC, OH, OW, OC, KH, KW, o.strideH, o.strideW, PT, PL, actMin, actMax].join(', ')});`,
  ]);
  layer.constants = [{ name: `${p.prefix}_weights`, ctype: 'int8_t', values: int8Data(p.weights), what: `${p.what} weights [${OC}][${KH}][${KW}][${IC}]` }, ...biasConstant(p), ...rq.constants];
  return layer;
}

/** Generators of layers whose input and output are int16 (the 16x8 scheme). */
export const SIXTEEN_BY_EIGHT_GENERATORS: Record<string, (li: LayerInput) => GeneratedLayer> = {
  CONV_2D: generateConv2dS16,
  DEPTHWISE_CONV_2D: generateDepthwiseConv2dS16,
  FULLY_CONNECTED: generateFullyConnectedS16,
  TRANSPOSE_CONV: generateTransposeConvS16,
};
