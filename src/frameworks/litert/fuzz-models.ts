// Seeded random single-operator models for differential testing against the LiteRT oracle.
// Scales are chosen the way a converter would pick them (output scale sized to the accumulator's
// spread), so requantization multipliers land in TFLite's usual range (well below 1).
import type { Activation, Model, Padding } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import { MORE_FUZZ_OPERATORS, moreFuzzCase, type MoreFuzzOperator } from './fuzz-models-more.js';
import { ACT_FUZZ_OPERATORS, actFuzzCase, type ActFuzzOperator } from './fuzz-models-act.js';
import { MOVE_FUZZ_OPERATORS, moveFuzzCase, type MoveFuzzOperator } from './fuzz-models-moves.js';
import { TENSOR_FUZZ_OPERATORS, isTensorFuzzOperator, tensorFuzzCase } from './fuzz-models-tensor-ops.js';
import { SIXTEEN_BY_EIGHT_FUZZ_OPERATORS, sixteenByEightFuzzCase, type SixteenByEightFuzzOperator } from './fuzz-models-16x8.js';
import { UINT8_FUZZ_OPERATORS, int8Source, isUint8FuzzOperator, toUint8 } from './fuzz-models-uint8.js';
import { UPSAMPLE_FUZZ_OPERATORS, isUpsampleFuzzOperator, upsampleFuzzCase } from './fuzz-models-upsample.js';
import { LSTM_FUZZ_OPERATORS, isLstmFuzzOperator, lstmFuzzCase } from './fuzz-models-lstm.js';
import { DTYPE_MOVE_FUZZ_OPERATORS, dtypeMoveFuzzCase, isDtypeMoveFuzzOperator } from './fuzz-models-dtypes.js';
import { INT_FUZZ_OPERATORS, intFuzzCase, isIntFuzzOperator } from './fuzz-models-int.js';
import { createRng, type Rng } from './prng.js';

export const FUZZ_OPERATORS = [
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'FULLY_CONNECTED',
  'AVERAGE_POOL_2D',
  'MAX_POOL_2D',
  'ADD',
  'SOFTMAX',
  'RESHAPE',
  'QUANTIZE',
  'REQUANTIZE',
  'DEQUANTIZE',
  'FULLY_CONNECTED_F32',
  // Appended after the original twelve so their seeds stay as they were.
  ...MORE_FUZZ_OPERATORS,
  ...MOVE_FUZZ_OPERATORS,
  ...TENSOR_FUZZ_OPERATORS,
  ...SIXTEEN_BY_EIGHT_FUZZ_OPERATORS,
  ...ACT_FUZZ_OPERATORS,
  ...UPSAMPLE_FUZZ_OPERATORS,
  ...UINT8_FUZZ_OPERATORS,
  // Appended last so every earlier operator keeps its seeds.
  ...LSTM_FUZZ_OPERATORS,
  ...DTYPE_MOVE_FUZZ_OPERATORS,
  ...INT_FUZZ_OPERATORS,
] as const;
export type FuzzOperator = (typeof FUZZ_OPERATORS)[number];

export interface FuzzCase {
  operator: FuzzOperator;
  seed: number;
  model: Model;
  /** Input vectors, each one raw byte buffer per model input. */
  vectors: Uint8Array[][];
  /** Human-readable parameters, printed when the case fails. */
  params: Record<string, unknown>;
}

const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU6'];
const PADDINGS: readonly Padding[] = ['SAME', 'VALID'];
/** Spread of a uniformly random int8 value around its mean (≈ 256/√12). */
const INT8_SPREAD = 74;

function outSize(inSize: number, filter: number, stride: number, padding: Padding): number {
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.ceil((inSize - filter + 1) / stride);
}

function randomInt8(rng: Rng, n: number, lo = -128, hi = 127): number[] {
  return Array.from({ length: n }, () => rng.int(lo, hi));
}

function int8Vectors(rng: Rng, sizes: number[], count: number): Uint8Array[][] {
  return Array.from({ length: count }, () => sizes.map((n) => int8Bytes(randomInt8(rng, n))));
}

/** Output zero point: anywhere, but usually near -128 after a ReLU like real converters do. */
function outputZeroPoint(rng: Rng, activation: Activation): number {
  return activation === 'NONE' ? rng.int(-100, 100) : rng.int(-128, -60);
}

/** Scales of one weight tensor: per channel along `channels`, or one for the whole tensor. */
function weightScales(rng: Rng, channels: number, perChannel: boolean): number[] {
  const base = rng.logUniform(0.002, 0.05);
  return perChannel ? Array.from({ length: channels }, () => base * rng.logUniform(0.3, 3)) : [base];
}

/** Output scale for an accumulator of `terms` products, so the output spans ~±targetLsb. */
function accumulatorOutputScale(rng: Rng, inScale: number, weightScale: number, terms: number): number {
  const accSpread = Math.sqrt(terms) * INT8_SPREAD * INT8_SPREAD * inScale * weightScale;
  return accSpread / rng.logUniform(15, 90);
}

/** Shapes beyond the default draw: `pointwise` = 1x1, stride 1, up to 160 input channels; `wide` =
 * one spatial side up to 36 (rows or columns of 16+ interior pixels), channel multiplier 1;
 * `deep` = 9-72 channels, channel multiplier 1; `multiple4` = depths multiples of 4. The default
 * draws are unchanged. */
type ConvShape = 'any' | 'pointwise' | 'wide' | 'multiple4' | 'deep';

function convLike(rng: Rng, seed: number, depthwise: boolean, count: number, shape: ConvShape = 'any'): FuzzCase {
  const b = new ModelBuilder();
  const pointwise = shape === 'pointwise';
  const padding = rng.pick(PADDINGS);
  const kh = pointwise ? 1 : rng.int(1, 5);
  const kw = pointwise ? 1 : rng.int(1, 5);
  const tall = shape === 'wide' && rng.bool();
  const hMax = shape === 'wide' && tall ? 36 : 12;
  const wMax = shape === 'wide' && !tall ? 36 : 12;
  const h = padding === 'VALID' ? rng.int(kh, hMax) : rng.int(1, hMax);
  const w = padding === 'VALID' ? rng.int(kw, wMax) : rng.int(1, wMax);
  const strideH = pointwise ? 1 : rng.int(1, 3);
  const strideW = pointwise ? 1 : rng.int(1, 3);
  const multiple4 = shape === 'multiple4';
  const cin = pointwise ? rng.int(1, 160) : multiple4 ? 4 * rng.int(1, 12) : shape === 'deep' ? rng.int(9, 72) : rng.int(1, 8);
  const multiplier = depthwise && shape !== 'wide' && shape !== 'deep' && shape !== 'multiple4' ? (rng.bool() ? 1 : rng.int(2, 4)) : 1;
  const cout = depthwise ? cin * multiplier : multiple4 ? 4 * rng.int(1, 4) : rng.int(1, pointwise ? 12 : 8);
  const activation = rng.pick(ACTIVATIONS);
  const perChannel = rng.bool();
  const oh = outSize(h, kh, strideH, padding);
  const ow = outSize(w, kw, strideW, padding);
  const terms = depthwise ? kh * kw : kh * kw * cin;

  const inScale = rng.logUniform(0.005, 0.2);
  const inZp = rng.int(-128, 127);
  const sw = weightScales(rng, cout, perChannel);
  const outScale = accumulatorOutputScale(rng, inScale, sw[0], terms);
  const outZp = outputZeroPoint(rng, activation);
  const weightShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, cin];
  const weightCount = weightShape.reduce((a, c) => a * c, 1);
  const biasRange = Math.round(Math.sqrt(terms) * INT8_SPREAD * INT8_SPREAD);

  const input = b.tensor('input', [1, h, w, cin], 'int8', { quantization: quant([inScale], [inZp]) });
  const weights = b.tensor('weights', weightShape, 'int8', {
    quantization: quant(sw, sw.map(() => 0), depthwise ? 3 : 0),
    data: int8Bytes(randomInt8(rng, weightCount, -127, 127)),
  });
  const bias = b.tensor('bias', [cout], 'int32', {
    quantization: quant(sw.map((s) => Math.fround(inScale) * Math.fround(s)), sw.map(() => 0)),
    data: int32Bytes(Array.from({ length: cout }, () => rng.int(-biasRange, biasRange))),
  });
  const output = b.tensor('output', [1, oh, ow, cout], 'int8', { quantization: quant([outScale], [outZp]) });
  const common = { padding, strideW, strideH, dilationW: 1, dilationH: 1, activation };
  if (depthwise) {
    b.op('DEPTHWISE_CONV_2D', 3, [input, weights, bias], [output], { kind: 'depthwise_conv2d', depthMultiplier: multiplier, ...common });
  } else {
    b.op('CONV_2D', 3, [input, weights, bias], [output], { kind: 'conv2d', ...common });
  }
  return {
    operator: depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D',
    seed,
    model: b.finish(`fuzz_${depthwise ? 'dwconv' : 'conv'}_${seed}`, [input], [output]),
    vectors: int8Vectors(rng, [h * w * cin], count),
    params: { h, w, cin, cout, kh, kw, strideH, strideW, padding, multiplier, activation, perChannel, inScale, inZp, outScale, outZp },
  };
}

function fullyConnected(rng: Rng, seed: number, count: number, shape: 'any' | 'multiple4' = 'any'): FuzzCase {
  const b = new ModelBuilder();
  const batch = rng.int(1, 3);
  // multiple4: K and N multiples of 4 (the Arm DSP kernel's interleaved weights), K up to 320.
  const k = shape === 'multiple4' ? 4 * rng.int(1, 80) : rng.int(1, 64);
  const n = shape === 'multiple4' ? 4 * rng.int(1, 8) : rng.int(1, 16);
  const activation = rng.pick(ACTIVATIONS);
  const perChannel = rng.bool(0.3);
  const withBias = rng.bool(0.85);
  const inScale = rng.logUniform(0.005, 0.2);
  const inZp = rng.int(-128, 127);
  const sw = weightScales(rng, n, perChannel);
  const outScale = accumulatorOutputScale(rng, inScale, sw[0], k);
  const outZp = outputZeroPoint(rng, activation);
  const biasRange = Math.round(Math.sqrt(k) * INT8_SPREAD * INT8_SPREAD);
  const input = b.tensor('input', [batch, k], 'int8', { quantization: quant([inScale], [inZp]) });
  const weights = b.tensor('weights', [n, k], 'int8', { quantization: quant(sw, sw.map(() => 0)), data: int8Bytes(randomInt8(rng, n * k, -127, 127)) });
  const bias = withBias
    ? b.tensor('bias', [n], 'int32', {
        quantization: quant(sw.map((s) => Math.fround(inScale) * Math.fround(s)), sw.map(() => 0)),
        data: int32Bytes(Array.from({ length: n }, () => rng.int(-biasRange, biasRange))),
      })
    : -1;
  const output = b.tensor('output', [batch, n], 'int8', { quantization: quant([outScale], [outZp]) });
  b.op('FULLY_CONNECTED', perChannel ? 12 : 4, [input, weights, bias], [output], {
    kind: 'fully_connected', activation, weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false,
  });
  return {
    operator: 'FULLY_CONNECTED', seed,
    model: b.finish(`fuzz_fc_${seed}`, [input], [output]),
    vectors: int8Vectors(rng, [batch * k], count),
    params: { batch, k, n, activation, perChannel, withBias, inScale, inZp, sw, outScale, outZp },
  };
}

function fullyConnectedFloat(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const batch = rng.int(1, 3);
  const k = rng.int(1, 64);
  const n = rng.int(1, 16);
  const activation = rng.pick(ACTIVATIONS);
  const randomFloats = (len: number, lo: number, hi: number): number[] => Array.from({ length: len }, () => Math.fround(rng.float(lo, hi)));
  const input = b.tensor('input', [batch, k], 'float32');
  const weights = b.tensor('weights', [n, k], 'float32', { data: float32Bytes(randomFloats(n * k, -1, 1)) });
  const bias = b.tensor('bias', [n], 'float32', { data: float32Bytes(randomFloats(n, -1, 1)) });
  const output = b.tensor('output', [batch, n], 'float32');
  b.op('FULLY_CONNECTED', 1, [input, weights, bias], [output], {
    kind: 'fully_connected', activation, weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false,
  });
  const vectors = Array.from({ length: count }, () => [float32Bytes(randomFloats(batch * k, -2, 2))]);
  return { operator: 'FULLY_CONNECTED_F32', seed, model: b.finish(`fuzz_fcf_${seed}`, [input], [output]), vectors, params: { batch, k, n, activation } };
}

function pool(rng: Rng, seed: number, kind: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D', count: number): FuzzCase {
  const b = new ModelBuilder();
  const padding = rng.pick(PADDINGS);
  const fh = rng.int(1, 4);
  const fw = rng.int(1, 4);
  const h = padding === 'VALID' ? rng.int(fh, 12) : rng.int(1, 12);
  const w = padding === 'VALID' ? rng.int(fw, 12) : rng.int(1, 12);
  const strideH = rng.int(1, 3);
  const strideW = rng.int(1, 3);
  const c = rng.int(1, 8);
  const activation = rng.pick(ACTIVATIONS);
  // TFLite requires int8 pooling to keep the input's quantization.
  const q = quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]);
  const input = b.tensor('input', [1, h, w, c], 'int8', { quantization: q });
  const output = b.tensor('output', [1, outSize(h, fh, strideH, padding), outSize(w, fw, strideW, padding), c], 'int8', { quantization: q });
  b.op(kind, 2, [input], [output], { kind: 'pool2d', padding, strideW, strideH, filterWidth: fw, filterHeight: fh, activation });
  return {
    operator: kind, seed,
    model: b.finish(`fuzz_${kind === 'MAX_POOL_2D' ? 'maxpool' : 'avgpool'}_${seed}`, [input], [output]),
    vectors: int8Vectors(rng, [h * w * c], count),
    params: { h, w, c, fh, fw, strideH, strideW, padding, activation, scale: q.scale[0], zp: q.zeroPoint[0] },
  };
}

function add(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const shape = [1, rng.int(1, 8), rng.int(1, 8), rng.int(1, 8)];
  const n = shape.reduce((a, c) => a * c, 1);
  const activation = rng.pick(ACTIVATIONS);
  const s1 = rng.logUniform(0.005, 0.2);
  const s2 = s1 * rng.logUniform(0.25, 4);
  const so = Math.max(s1, s2) * rng.logUniform(1, 2.5);
  const a = b.tensor('a', shape, 'int8', { quantization: quant([s1], [rng.int(-128, 127)]) });
  const c = b.tensor('b', shape, 'int8', { quantization: quant([s2], [rng.int(-128, 127)]) });
  const output = b.tensor('output', shape, 'int8', { quantization: quant([so], [outputZeroPoint(rng, activation)]) });
  b.op('ADD', 2, [a, c], [output], { kind: 'add', activation });
  return { operator: 'ADD', seed, model: b.finish(`fuzz_add_${seed}`, [a, c], [output]), vectors: int8Vectors(rng, [n, n], count), params: { shape, activation, s1, s2, so } };
}

function softmax(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const batch = rng.int(1, 3);
  const n = rng.int(2, 32);
  const inScale = rng.logUniform(0.01, 0.3);
  const inZp = rng.int(-128, 127);
  const input = b.tensor('input', [batch, n], 'int8', { quantization: quant([inScale], [inZp]) });
  const output = b.tensor('output', [batch, n], 'int8', { quantization: quant([1 / 256], [-128]) });
  b.op('SOFTMAX', 2, [input], [output], { kind: 'softmax', beta: 1 });
  return { operator: 'SOFTMAX', seed, model: b.finish(`fuzz_softmax_${seed}`, [input], [output]), vectors: int8Vectors(rng, [batch * n], count), params: { batch, n, inScale, inZp } };
}

function reshape(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const [h, w, c] = [rng.int(1, 8), rng.int(1, 8), rng.int(1, 8)];
  const newShape = rng.bool() ? [1, h * w * c] : [h, w * c];
  const q = quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]);
  const input = b.tensor('input', [1, h, w, c], 'int8', { quantization: q });
  const shapeTensor = b.tensor('shape', [newShape.length], 'int32', { data: int32Bytes(newShape) });
  const output = b.tensor('output', newShape, 'int8', { quantization: q });
  b.op('RESHAPE', 1, [input, shapeTensor], [output], { kind: 'reshape', newShape });
  return { operator: 'RESHAPE', seed, model: b.finish(`fuzz_reshape_${seed}`, [input], [output]), vectors: int8Vectors(rng, [h * w * c], count), params: { h, w, c, newShape } };
}

function quantizeOp(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const n = rng.int(1, 64);
  const scale = Math.fround(rng.logUniform(0.005, 0.2));
  const zp = rng.int(-128, 127);
  const input = b.tensor('input', [1, n], 'float32');
  const output = b.tensor('output', [1, n], 'int8', { quantization: quant([scale], [zp]) });
  b.op('QUANTIZE', 1, [input], [output]);
  // Real values across (and beyond) the representable range; a quarter sit exactly half-way
  // between two steps, where TFLite (half away from zero) and XNNPACK (half to even) may differ.
  const value = (): number => {
    const q = rng.int(-140 - zp, 140 - zp);
    return Math.fround(rng.bool(0.25) ? (q + 0.5) * scale : rng.float(q - 0.5, q + 0.5) * scale);
  };
  const vectors = Array.from({ length: count }, () => [float32Bytes(Array.from({ length: n }, value))]);
  return { operator: 'QUANTIZE', seed, model: b.finish(`fuzz_quantize_${seed}`, [input], [output]), vectors, params: { n, scale, zp } };
}

function requantize(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const n = rng.int(1, 64);
  const inScale = rng.logUniform(0.005, 0.2);
  const outScale = inScale * rng.logUniform(0.5, 4);
  const input = b.tensor('input', [1, n], 'int8', { quantization: quant([inScale], [rng.int(-128, 127)]) });
  const output = b.tensor('output', [1, n], 'int8', { quantization: quant([outScale], [rng.int(-128, 127)]) });
  b.op('QUANTIZE', 2, [input], [output]);
  return { operator: 'REQUANTIZE', seed, model: b.finish(`fuzz_requantize_${seed}`, [input], [output]), vectors: int8Vectors(rng, [n], count), params: { n, inScale, outScale } };
}

function dequantize(rng: Rng, seed: number, count: number): FuzzCase {
  const b = new ModelBuilder();
  const n = rng.int(1, 64);
  const q = quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]);
  const input = b.tensor('input', [1, n], 'int8', { quantization: q });
  const output = b.tensor('output', [1, n], 'float32');
  b.op('DEQUANTIZE', 2, [input], [output]);
  return { operator: 'DEQUANTIZE', seed, model: b.finish(`fuzz_dequantize_${seed}`, [input], [output]), vectors: int8Vectors(rng, [n], count), params: { n, scale: q.scale[0], zp: q.zeroPoint[0] } };
}

/** A pointwise CONV_2D case (1x1, stride 1, 1-160 input channels) for kernels with a 1x1 path;
 * the other CONV_2D cases rarely draw that shape. */
export function pointwiseConvCase(seed: number, vectorCount = 4): FuzzCase {
  return convLike(createRng(seed), seed, false, vectorCount, 'pointwise');
}

/** A CONV_2D case with input and output depths multiples of 4 (4-48, 4-16): on Arm DSP targets
 * the weights are interleaved by four output channels for mlb_conv2d_il4_s8. */
export function multipleOf4ConvCase(seed: number, vectorCount = 4): FuzzCase {
  return convLike(createRng(seed), seed, false, vectorCount, 'multiple4');
}

/** A DEPTHWISE_CONV_2D case with multiplier 1 and 4-48 channels in fours: on Arm DSP targets the
 * weights become int16 pairs for mlb_depthwise_conv2d_dsp_s8 (windows 1x1-5x5, strides 1-3). */
export function multipleOf4DepthwiseCase(seed: number, vectorCount = 4): FuzzCase {
  return convLike(createRng(seed), seed, true, vectorCount, 'multiple4');
}

/** A DEPTHWISE_CONV_2D case with one spatial side up to 36 (long interior rows or columns) and
 * channel multiplier 1. */
export function wideDepthwiseCase(seed: number, vectorCount = 4): FuzzCase {
  return convLike(createRng(seed), seed, true, vectorCount, 'wide');
}

/** A FULLY_CONNECTED case with K (4-320) and N (4-32) multiples of 4: on Arm DSP targets the
 * weights are interleaved by four rows for mlb_fully_connected_il4_s8. */
export function multipleOf4FullyConnectedCase(seed: number, vectorCount = 4): FuzzCase {
  return fullyConnected(createRng(seed), seed, vectorCount, 'multiple4');
}

/** A DEPTHWISE_CONV_2D case with 9-72 channels and channel multiplier 1 (kernels that block
 * channels, e.g. MVE's taps-in-lanes pixels with their 4-channel groups and leftovers). */
export function deepDepthwiseCase(seed: number, vectorCount = 4): FuzzCase {
  return convLike(createRng(seed), seed, true, vectorCount, 'deep');
}

/** Seed of the i-th case of an operator: distinct per operator, stable across runs. */
export function fuzzSeed(operator: FuzzOperator, caseIndex: number, baseSeed = 20261125): number {
  return (baseSeed + FUZZ_OPERATORS.indexOf(operator) * 100_003 + caseIndex * 7919) >>> 0;
}

/** The case for one seed; the same seed always yields the same model and vectors. */
export function fuzzCase(operator: FuzzOperator, seed: number, vectorCount = 4): FuzzCase {
  const rng = createRng(seed);
  if (isLstmFuzzOperator(operator)) return { operator, seed, ...lstmFuzzCase(operator, rng, vectorCount) };
  if (isDtypeMoveFuzzOperator(operator)) return { operator, seed, ...dtypeMoveFuzzCase(operator, rng, vectorCount) };
  if (isIntFuzzOperator(operator)) return { operator, seed, ...intFuzzCase(operator, rng, vectorCount) };
  if (isUpsampleFuzzOperator(operator)) return { operator, seed, ...upsampleFuzzCase(operator, rng, vectorCount) };
  // A uint8 case is the int8 case of the same seed in uint8; its own stream picks the weight zero points.
  if (isUint8FuzzOperator(operator)) return { operator, seed, ...toUint8(fuzzCase(int8Source(operator) as FuzzOperator, seed, vectorCount), createRng(seed ^ 0x5bd1e995)) };
  switch (operator) {
    case 'CONV_2D': return convLike(rng, seed, false, vectorCount);
    case 'DEPTHWISE_CONV_2D': return convLike(rng, seed, true, vectorCount);
    case 'FULLY_CONNECTED': return fullyConnected(rng, seed, vectorCount);
    case 'FULLY_CONNECTED_F32': return fullyConnectedFloat(rng, seed, vectorCount);
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': return pool(rng, seed, operator, vectorCount);
    case 'ADD': return add(rng, seed, vectorCount);
    case 'SOFTMAX': return softmax(rng, seed, vectorCount);
    case 'RESHAPE': return reshape(rng, seed, vectorCount);
    case 'QUANTIZE': return quantizeOp(rng, seed, vectorCount);
    case 'REQUANTIZE': return requantize(rng, seed, vectorCount);
    case 'DEQUANTIZE': return dequantize(rng, seed, vectorCount);
    case 'SQUEEZE':
    case 'SPLIT':
    case 'UNPACK':
    case 'GATHER':
    case 'MINIMUM':
    case 'MAXIMUM':
    case 'ADD_BROADCAST':
    case 'SUB': return { operator, seed, ...moveFuzzCase(operator satisfies MoveFuzzOperator, rng, vectorCount) };
    case 'CONV_2D_16X8':
    case 'DEPTHWISE_CONV_2D_16X8':
    case 'FULLY_CONNECTED_16X8': return { operator, seed, ...sixteenByEightFuzzCase(operator satisfies SixteenByEightFuzzOperator, rng, vectorCount) };
    case 'MUL':
    case 'LOGISTIC':
    case 'TANH':
    case 'LSTM_UNROLLED': return { operator, seed, ...actFuzzCase(operator satisfies ActFuzzOperator, rng, vectorCount) };
    default:
      if (isTensorFuzzOperator(operator)) return { operator, seed, ...tensorFuzzCase(operator, rng, vectorCount) };
      return { operator, seed, ...moreFuzzCase(operator satisfies MoreFuzzOperator, rng, vectorCount) };
  }
}

/** Several cases side by side in one model (disjoint subgraphs), so one compile serves them all. */
export interface MergedCases {
  model: Model;
  vectors: Uint8Array[][];
  /** For each case, the positions of its outputs among the merged model's outputs. */
  outputPositions: number[][];
}

export function mergeCases(cases: Pick<FuzzCase, 'model' | 'vectors'>[], name = 'fuzz_batch'): MergedCases {
  const tensors: Model['tensors'] = [];
  const operators: Model['operators'] = [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  const outputPositions: number[][] = [];
  const vectorCount = Math.min(...cases.map((c) => c.vectors.length));
  const vectors: Uint8Array[][] = Array.from({ length: vectorCount }, () => []);
  cases.forEach((c, k) => {
    const base = tensors.length;
    const at = (i: number): number => (i < 0 ? i : i + base);
    for (const t of c.model.tensors) tensors.push({ ...t, index: t.index + base, name: `c${k}_${t.name}` });
    for (const op of c.model.operators) operators.push({ ...op, index: operators.length, inputs: op.inputs.map(at), outputs: op.outputs.map(at) });
    inputs.push(...c.model.inputs.map(at));
    outputPositions.push(c.model.outputs.map((_, j) => outputs.length + j));
    outputs.push(...c.model.outputs.map(at));
    for (let v = 0; v < vectorCount; v++) vectors[v].push(...c.vectors[v]);
  });
  return { model: { name, version: 3, description: '', tensors, operators, inputs, outputs, subgraphCount: 1 }, vectors, outputPositions };
}
