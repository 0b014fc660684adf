// Seeded random single-operator models in the 16x8 scheme: int16 activations (symmetric, zero
// point 0), int8 symmetric weights (per channel or per tensor), int64 bias. TFLite runs these with
// its reference integer kernels (64-bit accumulator, int64 MultiplyByQuantizedMultiplier), which
// the LiteRT oracle reproduces; mlbaot must match them bit for bit.
import type { Activation, Model, Padding } from '../../core/model.js';
import { ModelBuilder, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const SIXTEEN_BY_EIGHT_FUZZ_OPERATORS = ['CONV_2D_16X8', 'DEPTHWISE_CONV_2D_16X8', 'FULLY_CONNECTED_16X8'] as const;
export type SixteenByEightFuzzOperator = (typeof SIXTEEN_BY_EIGHT_FUZZ_OPERATORS)[number];

interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

export function int16Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Int16Array.from(values).buffer);
}

export function int64Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(8 * i, BigInt(values[i]), true);
  return out;
}

const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU6'];
const PADDINGS: readonly Padding[] = ['SAME', 'VALID'];
/** Spread of a uniformly random int8 weight around 0 (≈ 254/√12). */
const INT8_SPREAD = 74;

function outSize(inSize: number, filter: number, stride: number, padding: Padding): number {
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.ceil((inSize - filter + 1) / stride);
}

/** Input vectors: activations of varied magnitude (full range, or a few hundred LSB), as int16 bytes. */
function int16Vectors(rng: Rng, n: number, count: number): { vectors: Uint8Array[][]; amplitude: number } {
  const amplitude = rng.pick([32767, 8000, 600]);
  const value = (): number => (amplitude === 32767 && rng.bool(0.02) ? -32768 : rng.int(-amplitude, amplitude));
  return { vectors: Array.from({ length: count }, () => [int16Bytes(Array.from({ length: n }, value))]), amplitude };
}

/** Scales, bias and output scale of one MAC-heavy layer with `terms` products per output. */
function layerScales(rng: Rng, channels: number, perChannel: boolean, terms: number, amplitude: number) {
  const inScale = rng.logUniform(1e-4, 5e-3);
  const base = rng.logUniform(0.002, 0.05);
  const sw = perChannel ? Array.from({ length: channels }, () => base * rng.logUniform(0.3, 3)) : [base];
  const accSpread = Math.sqrt(terms) * (amplitude / Math.sqrt(3)) * INT8_SPREAD;
  // Output spans a few thousand LSB, sometimes saturating int16.
  const outScale = (accSpread * inScale * base) / rng.logUniform(500, 40000);
  const biasRange = Math.round(accSpread);
  const bias = Array.from({ length: channels }, () => rng.int(-biasRange, biasRange));
  return { inScale, sw, outScale, bias };
}

function convLike(rng: Rng, depthwise: boolean, count: number): GeneratedCase {
  const b = new ModelBuilder();
  const padding = rng.pick(PADDINGS);
  const kh = rng.int(1, 5);
  const kw = rng.int(1, 5);
  const h = padding === 'VALID' ? rng.int(kh, 10) : rng.int(1, 10);
  const w = padding === 'VALID' ? rng.int(kw, 10) : rng.int(1, 10);
  const strideH = rng.int(1, 3);
  const strideW = rng.int(1, 3);
  const dilation = padding === 'SAME' && rng.bool(0.2) ? 2 : 1;
  const cin = rng.int(1, 8);
  const multiplier = depthwise ? (rng.bool() ? 1 : rng.int(2, 3)) : 1;
  const cout = depthwise ? cin * multiplier : rng.int(1, 8);
  const activation = rng.pick(ACTIVATIONS);
  const perChannel = rng.bool(0.8);
  // LiteRT's 16x8 CONV_2D / DEPTHWISE_CONV_2D without a bias tensor return garbage (and corrupt
  // the other operators' outputs), so the oracle only sees biased layers; bias-less ones are
  // checked against hand-computed TFLM arithmetic (test/fuzz/operators-16x8.test.ts).
  const withBias = true;
  const terms = depthwise ? kh * kw : kh * kw * cin;
  const { vectors, amplitude } = int16Vectors(rng, h * w * cin, count);
  const s = layerScales(rng, cout, perChannel, terms, amplitude);
  const weightShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, cin];
  const weightCount = weightShape.reduce((a, c) => a * c, 1);

  const input = b.tensor('input', [1, h, w, cin], 'int16', { quantization: quant([s.inScale], [0]) });
  const weights = b.tensor('weights', weightShape, 'int8', {
    quantization: quant(s.sw, s.sw.map(() => 0), depthwise ? 3 : 0),
    data: int8Bytes(Array.from({ length: weightCount }, () => rng.int(-127, 127))),
  });
  const bias = withBias
    ? b.tensor('bias', [cout], 'int64', { quantization: quant(s.sw.map((x) => Math.fround(s.inScale) * Math.fround(x)), s.sw.map(() => 0)), data: int64Bytes(s.bias) })
    : -1;
  const output = b.tensor('output', [1, outSize(h, (kh - 1) * dilation + 1, strideH, padding), outSize(w, (kw - 1) * dilation + 1, strideW, padding), cout], 'int16', {
    quantization: quant([s.outScale], [0]),
  });
  const common = { padding, strideW, strideH, dilationW: dilation, dilationH: dilation, activation };
  if (depthwise) b.op('DEPTHWISE_CONV_2D', 5, [input, weights, bias], [output], { kind: 'depthwise_conv2d', depthMultiplier: multiplier, ...common });
  else b.op('CONV_2D', 4, [input, weights, bias], [output], { kind: 'conv2d', ...common });
  return {
    model: b.finish(depthwise ? 'fuzz_dwconv16x8' : 'fuzz_conv16x8', [input], [output]),
    vectors,
    params: { h, w, cin, cout, kh, kw, strideH, strideW, dilation, padding, multiplier, activation, perChannel, withBias, amplitude, inScale: s.inScale, outScale: s.outScale },
  };
}

function fullyConnected(rng: Rng, count: number): GeneratedCase {
  const b = new ModelBuilder();
  const batch = rng.int(1, 3);
  const k = rng.int(1, 300);
  const n = rng.int(1, 16);
  const activation = rng.pick(ACTIVATIONS);
  const withBias = rng.bool(0.85);
  const { vectors, amplitude } = int16Vectors(rng, batch * k, count);
  const s = layerScales(rng, n, false, k, amplitude);
  const input = b.tensor('input', [batch, k], 'int16', { quantization: quant([s.inScale], [0]) });
  const weights = b.tensor('weights', [n, k], 'int8', { quantization: quant(s.sw, [0]), data: int8Bytes(Array.from({ length: n * k }, () => rng.int(-127, 127))) });
  const bias = withBias
    ? b.tensor('bias', [n], 'int64', { quantization: quant([Math.fround(s.inScale) * Math.fround(s.sw[0])], [0]), data: int64Bytes(s.bias) })
    : -1;
  const output = b.tensor('output', [batch, n], 'int16', { quantization: quant([s.outScale], [0]) });
  b.op('FULLY_CONNECTED', 7, [input, weights, bias], [output], {
    kind: 'fully_connected', activation, weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false,
  });
  return {
    model: b.finish('fuzz_fc16x8', [input], [output]),
    vectors,
    params: { batch, k, n, activation, withBias, amplitude, inScale: s.inScale, sw: s.sw[0], outScale: s.outScale },
  };
}

/**
 * TRANSPOSE_CONV 16x8, per-channel weights as converters write it (outside SIXTEEN_BY_EIGHT_FUZZ_OPERATORS:
 * test/fuzz/operators-16x8.test.ts runs these cases in one batch against TFLM's arithmetic and LiteRT).
 */
export function transposeConv16x8(rng: Rng, count: number): GeneratedCase {
  const b = new ModelBuilder();
  const padding = rng.pick(PADDINGS);
  const [kh, kw, sh, sw] = [rng.int(1, 4), rng.int(1, 4), rng.int(1, 3), rng.int(1, 3)];
  const [ih, iw, ic, oc] = [rng.int(1, 6), rng.int(1, 6), rng.int(1, 6), rng.int(1, 6)];
  // The output size whose forward convolution gives the input size (the converter's choice).
  const out = (i: number, k: number, s: number): number => (padding === 'SAME' ? i * s : (i - 1) * s + k);
  const [oh, ow] = [out(ih, kh, sh), out(iw, kw, sw)];
  const activation = rng.pick(ACTIVATIONS);
  const withBias = rng.bool(0.8);
  const { vectors, amplitude } = int16Vectors(rng, ih * iw * ic, count);
  const s = layerScales(rng, oc, true, Math.ceil(kh / sh) * Math.ceil(kw / sw) * ic, amplitude);
  const wShape = [oc, kh, kw, ic];
  const shape = b.tensor('output_shape', [4], 'int32', { data: int32Bytes([1, oh, ow, oc]) });
  const weights = b.tensor('weights', wShape, 'int8', {
    quantization: quant(s.sw, s.sw.map(() => 0), 0),
    data: int8Bytes(Array.from({ length: oc * kh * kw * ic }, () => rng.int(-127, 127))),
  });
  const input = b.tensor('input', [1, ih, iw, ic], 'int16', { quantization: quant([s.inScale], [0]) });
  const bias = withBias
    ? b.tensor('bias', [oc], 'int64', { quantization: quant(s.sw.map((x) => Math.fround(s.inScale) * Math.fround(x)), s.sw.map(() => 0)), data: int64Bytes(s.bias) })
    : -1;
  const output = b.tensor('output', [1, oh, ow, oc], 'int16', { quantization: quant([s.outScale], [0]) });
  // Version 3 is 16x8 (4 adds the fused activation); a bias-less node has three inputs.
  b.op('TRANSPOSE_CONV', activation === 'NONE' ? 3 : 4, withBias ? [shape, weights, input, bias] : [shape, weights, input], [output], { kind: 'transpose_conv', padding, strideW: sw, strideH: sh, activation });
  return {
    model: b.finish('fuzz_tconv16x8', [input], [output]),
    vectors,
    params: { ih, iw, ic, oc, kh, kw, sh, sw, padding, activation, withBias, amplitude, inScale: s.inScale, outScale: s.outScale },
  };
}

export function sixteenByEightFuzzCase(operator: SixteenByEightFuzzOperator, rng: Rng, count: number): GeneratedCase {
  switch (operator) {
    case 'CONV_2D_16X8': return convLike(rng, false, count);
    case 'DEPTHWISE_CONV_2D_16X8': return convLike(rng, true, count);
    case 'FULLY_CONNECTED_16X8': return fullyConnected(rng, count);
  }
}
