// Seeded random single-operator models with int16 activations (symmetric, zero point 0, TFLite's
// 16x8 scheme) for the operators beyond the 16x8 convolutions: ADD, SUB, MUL (broadcasting, a
// constant operand, power-of-two scales that take desktop TFLite's pot_scale_int16 path).
// The operators are named here and seeded by test/fuzz/operators-int16.test.ts; the 42-case
// suites of fuzz-models.ts keep their seeds.
import type { Activation, Model } from '../../core/model.js';
import { broadcastShapes } from './fuzz-models-more.js';
import { int16Bytes } from './fuzz-models-16x8.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { DType } from '../../core/model.js';
import { createRng, type Rng } from './prng.js';

export const INT16_FUZZ_OPERATORS = [
  'ADD_S16', 'SUB_S16', 'MUL_S16', 'LOGISTIC_S16', 'TANH_S16', 'MAX_POOL_2D_S16', 'AVERAGE_POOL_2D_S16',
  'QUANTIZE_F32_S16', 'QUANTIZE_S16_S8', 'QUANTIZE_S16_S16', 'QUANTIZE_S16_S32', 'QUANTIZE_S8_S16', 'QUANTIZE_S32_S16', 'DEQUANTIZE_S16_F32', 'LEAKY_RELU_S16',
] as const;
export type Int16FuzzOperator = (typeof INT16_FUZZ_OPERATORS)[number];

export interface Int16FuzzCase {
  operator: Int16FuzzOperator;
  seed: number;
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** int16 values of one amplitude per case (full range, a few thousand or a few hundred LSB). */
function int16Values(rng: Rng, n: number, amplitude: number): number[] {
  return Array.from({ length: n }, () => (amplitude === 32767 && rng.bool(0.02) ? -32768 : rng.int(-amplitude, amplitude)));
}

function vectorsFor(rng: Rng, shapes: number[][], amplitude: number, vectors: number): Uint8Array[][] {
  return Array.from({ length: vectors }, () => shapes.map((s) => int16Bytes(int16Values(rng, count(s), amplitude))));
}

/** The broadcast output shape of two operand shapes. */
function fullShape(aShape: number[], bShape: number[]): number[] {
  const rank = Math.max(aShape.length, bShape.length);
  return Array.from({ length: rank }, (_, i) => Math.max(aShape[aShape.length - rank + i] ?? 1, bShape[bShape.length - rank + i] ?? 1));
}

function binary(rng: Rng, opcode: 'ADD' | 'SUB' | 'MUL', vectors: number): Omit<Int16FuzzCase, 'operator' | 'seed'> {
  const b = new ModelBuilder();
  let [, aShape, bShape] = broadcastShapes(rng);
  const activation: Activation = rng.pick(['NONE', 'NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const);
  const amplitude = rng.pick([32767, 8000, 600]);
  const spread = amplitude / Math.sqrt(3);
  // A quarter of ADD/SUB cases have power-of-two scales, the output's equal to the coarser input's
  // (desktop TFLite's pot_scale_int16 path), half of them with the option cleared (general path).
  const pot = opcode !== 'MUL' && rng.bool(0.25);
  const potOption = pot && rng.bool(0.5) ? { potScaleInt16: false as const } : {};
  // LiteRT's power-of-two ADD has no broadcasting (it aborts): equal shapes there.
  if (pot && opcode === 'ADD' && !('potScaleInt16' in potOption)) bShape = aShape;
  const full = fullShape(aShape, bShape);
  let [sa, sb, so]: number[] = [];
  if (pot) {
    sa = 2 ** -rng.int(6, 14);
    sb = sa * 2 ** rng.int(-4, 4);
    so = Math.max(sa, sb);
  } else if (opcode === 'MUL') {
    [sa, sb] = [rng.logUniform(1e-4, 0.02), rng.logUniform(1e-4, 0.02)];
    so = (sa * sb * spread * spread) / rng.logUniform(300, 30000);
  } else {
    sa = rng.logUniform(1e-4, 0.02);
    sb = sa * rng.logUniform(0.25, 4);
    so = Math.max(sa, sb) * rng.logUniform(0.5, 2.5);
  }
  const constB = rng.bool(0.2);
  const a = b.tensor('a', aShape, 'int16', { quantization: quant([sa], [0]) });
  const c = b.tensor('b', bShape, 'int16', {
    quantization: quant([sb], [0]),
    ...(constB ? { data: int16Bytes(int16Values(rng, count(bShape), amplitude)) } : {}),
  });
  const output = b.tensor('output', full, 'int16', { quantization: quant([so], [0]) });
  const options = opcode === 'ADD' ? { kind: 'add' as const, activation, ...potOption } : opcode === 'SUB' ? { kind: 'sub' as const, activation, ...potOption } : { kind: 'mul' as const, activation };
  // Version 3 (ADD/SUB) and 4 (MUL) are TFLite's int16 versions of these operators.
  b.op(opcode, opcode === 'MUL' ? 4 : 3, [a, c], [output], options);
  return {
    model: b.finish(`fuzz_${opcode.toLowerCase()}16`, constB ? [a] : [a, c], [output]),
    vectors: vectorsFor(rng, constB ? [aShape] : [aShape, bShape], amplitude, vectors),
    params: { aShape, bShape, full, activation, amplitude, sa, sb, so, constB, pot, ...potOption },
  };
}

/** LOGISTIC/TANH: Q0.15 output (TFLite requires it); input steps from 2^-16 to 2^-7, a third of
 * them powers of two (2^-12 and, for TANH, 2^-11 are TFLite's special case). */
function activation(rng: Rng, opcode: 'LOGISTIC' | 'TANH', vectors: number): Omit<Int16FuzzCase, 'operator' | 'seed'> {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 8));
  const si = rng.bool(1 / 3) ? 2 ** -rng.int(9, 14) : rng.logUniform(2 ** -16, 2 ** -7);
  const amplitude = rng.pick([32767, 8000, 600]);
  const input = b.tensor('input', shape, 'int16', { quantization: quant([si], [0]) });
  const output = b.tensor('output', shape, 'int16', { quantization: quant([2 ** -15], [0]) });
  b.op(opcode, 3, [input], [output]);
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}16`, [input], [output]), vectors: vectorsFor(rng, [shape], amplitude, vectors), params: { shape, si, amplitude } };
}

/** Pooling keeps the input's quantization (TFLite requires it for int16). */
function pool(rng: Rng, opcode: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D', vectors: number): Omit<Int16FuzzCase, 'operator' | 'seed'> {
  const b = new ModelBuilder();
  const padding = rng.pick(['SAME', 'VALID'] as const);
  const [fh, fw] = [rng.int(1, 4), rng.int(1, 4)];
  const h = padding === 'VALID' ? rng.int(fh, 10) : rng.int(1, 10);
  const w = padding === 'VALID' ? rng.int(fw, 10) : rng.int(1, 10);
  const [strideH, strideW, c] = [rng.int(1, 3), rng.int(1, 3), rng.int(1, 8)];
  const activation: Activation = rng.pick(['NONE', 'RELU', 'RELU6'] as const);
  const amplitude = rng.pick([32767, 8000, 600]);
  const out = (n: number, f: number, s: number): number => (padding === 'SAME' ? Math.ceil(n / s) : Math.ceil((n - f + 1) / s));
  const q = quant([rng.logUniform(1e-4, 1e-2)], [0]);
  const input = b.tensor('input', [1, h, w, c], 'int16', { quantization: q });
  const output = b.tensor('output', [1, out(h, fh, strideH), out(w, fw, strideW), c], 'int16', { quantization: q });
  b.op(opcode, 3, [input], [output], { kind: 'pool2d', padding, strideW, strideH, filterWidth: fw, filterHeight: fh, activation });
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}16`, [input], [output]), vectors: vectorsFor(rng, [[h * w * c]], amplitude, vectors), params: { h, w, c, fh, fw, strideH, strideW, padding, activation, amplitude } };
}

/** QUANTIZE/DEQUANTIZE with an int16 side: the output scale a factor 0.1-10 from the input's (so
 * values saturate now and then), zero points on the int8/int32 side. */
function conversion(rng: Rng, from: DType, to: DType, vectors: number): Omit<Int16FuzzCase, 'operator' | 'seed'> {
  const b = new ModelBuilder();
  const n = rng.int(1, 64);
  const range: Partial<Record<DType, number>> = { int8: 127, int16: 32767, int32: 2 ** 20 };
  const scaleOf = (t: DType): number => (t === 'int8' ? rng.logUniform(0.005, 0.2) : t === 'int16' ? rng.logUniform(1e-5, 1e-2) : rng.logUniform(1e-8, 1e-4));
  const zp = (t: DType): number => (t === 'int8' ? rng.int(-128, 127) : t === 'int32' ? rng.int(-1000, 1000) : 0);
  const si = from === 'float32' ? 0 : scaleOf(from);
  const so = to === 'float32' ? 0 : from === 'float32' ? scaleOf(to) : (si * (range[from] ?? 1)) / (range[to] ?? 1) * rng.logUniform(0.1, 10);
  const [zi, zo] = [zp(from), zp(to)];
  const input = b.tensor('input', [1, n], from, from === 'float32' ? {} : { quantization: quant([si], [zi]) });
  const output = b.tensor('output', [1, n], to, to === 'float32' ? {} : { quantization: quant([so], [zo]) });
  b.op(to === 'float32' ? 'DEQUANTIZE' : 'QUANTIZE', 2, [input], [output]);
  const value = (): number => {
    if (from === 'float32') {
      // A quarter exactly half-way between two steps (rounding ties), some beyond the int16 range.
      const q = rng.int(-34000, 34000);
      return Math.fround(rng.bool(0.25) ? (q + 0.5) * Math.fround(so) : rng.float(q - 0.5, q + 0.5) * so);
    }
    const r = range[from] ?? 127;
    return rng.int(from === 'int32' ? -r : -r - 1, r);
  };
  const bytes = (): Uint8Array => {
    const v = Array.from({ length: n }, value);
    return from === 'float32' ? float32Bytes(v) : from === 'int8' ? int8Bytes(v) : from === 'int16' ? int16Bytes(v) : int32Bytes(v);
  };
  return { model: b.finish(`fuzz_${from}_${to}`, [input], [output]), vectors: Array.from({ length: vectors }, () => [bytes()]), params: { n, from, to, si, zi, so, zo } };
}

/** LEAKY_RELU: alpha in (0, 1), the output scale within a factor 2 of the input's. */
function leakyRelu(rng: Rng, vectors: number): Omit<Int16FuzzCase, 'operator' | 'seed'> {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 8));
  const [si, alpha, amplitude] = [rng.logUniform(1e-4, 1e-2), Math.fround(rng.float(0.01, 0.99)), rng.pick([32767, 8000, 600])];
  const so = si * rng.logUniform(0.5, 2);
  const input = b.tensor('input', shape, 'int16', { quantization: quant([si], [0]) });
  const output = b.tensor('output', shape, 'int16', { quantization: quant([so], [0]) });
  b.op('LEAKY_RELU', 2, [input], [output], { kind: 'leaky_relu', alpha });
  return { model: b.finish('fuzz_leaky_relu16', [input], [output]), vectors: vectorsFor(rng, [shape], amplitude, vectors), params: { shape, si, so, alpha, amplitude } };
}

/** Seed of the i-th case of an int16 operator: distinct per operator, stable across runs. */
export function int16FuzzSeed(operator: Int16FuzzOperator, caseIndex: number, baseSeed = 20261202): number {
  return (baseSeed + INT16_FUZZ_OPERATORS.indexOf(operator) * 100_003 + caseIndex * 7919) >>> 0;
}

/** The case for one seed; the same seed always yields the same model and vectors. */
export function int16FuzzCase(operator: Int16FuzzOperator, seed: number, vectors = 4): Int16FuzzCase {
  const rng = createRng(seed);
  switch (operator) {
    case 'ADD_S16': return { operator, seed, ...binary(rng, 'ADD', vectors) };
    case 'SUB_S16': return { operator, seed, ...binary(rng, 'SUB', vectors) };
    case 'MUL_S16': return { operator, seed, ...binary(rng, 'MUL', vectors) };
    case 'LOGISTIC_S16': return { operator, seed, ...activation(rng, 'LOGISTIC', vectors) };
    case 'TANH_S16': return { operator, seed, ...activation(rng, 'TANH', vectors) };
    case 'MAX_POOL_2D_S16': return { operator, seed, ...pool(rng, 'MAX_POOL_2D', vectors) };
    case 'AVERAGE_POOL_2D_S16': return { operator, seed, ...pool(rng, 'AVERAGE_POOL_2D', vectors) };
    case 'QUANTIZE_F32_S16': return { operator, seed, ...conversion(rng, 'float32', 'int16', vectors) };
    case 'QUANTIZE_S16_S8': return { operator, seed, ...conversion(rng, 'int16', 'int8', vectors) };
    case 'QUANTIZE_S16_S16': return { operator, seed, ...conversion(rng, 'int16', 'int16', vectors) };
    case 'QUANTIZE_S16_S32': return { operator, seed, ...conversion(rng, 'int16', 'int32', vectors) };
    case 'QUANTIZE_S8_S16': return { operator, seed, ...conversion(rng, 'int8', 'int16', vectors) };
    case 'QUANTIZE_S32_S16': return { operator, seed, ...conversion(rng, 'int32', 'int16', vectors) };
    case 'DEQUANTIZE_S16_F32': return { operator, seed, ...conversion(rng, 'int16', 'float32', vectors) };
    case 'LEAKY_RELU_S16': return { operator, seed, ...leakyRelu(rng, vectors) };
  }
}
