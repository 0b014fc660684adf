// Generation-time integer math, done exactly like TensorFlow Lite's quantization_util.cc so
// the constants baked into the C code equal the ones TFLM computes at init.
import type { Activation, DType, Padding } from '../../core/model.js';

export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/** Splits x into mantissa in [0.5, 1) and exponent, like C's frexp. */
export function frexp(x: number): { mantissa: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { mantissa: x, exponent: 0 };
  const abs = Math.abs(x);
  let exponent = Math.max(-1023, Math.floor(Math.log2(abs)) + 1);
  let mantissa = abs * 2 ** -exponent;
  // log2 can be off by one near powers of two; normalise into [0.5, 1).
  while (mantissa < 0.5) {
    mantissa *= 2;
    exponent -= 1;
  }
  while (mantissa >= 1) {
    mantissa /= 2;
    exponent += 1;
  }
  return { mantissa: x < 0 ? -mantissa : mantissa, exponent };
}

/** TfLiteRound: half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** TFLite QuantizeMultiplier: q in Q0.31 and a power-of-two shift with real = q * 2^(shift-31). */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { mantissa, exponent } = frexp(real);
  let shift = exponent;
  let q = roundHalfAway(mantissa * 2 ** 31);
  if (q > 2 ** 31) throw new Error(`quantizeMultiplier(${real}): mantissa out of range`);
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: q, shift };
}

/** TFLite PreprocessSoftmaxScaling + CalculateInputRadius for int8 (5 integer bits). */
export function softmaxParams(beta: number, inputScale: number): { multiplier: number; leftShift: number; diffMin: number } {
  const integerBits = 5;
  const real = Math.min(beta * inputScale * 2 ** (31 - integerBits), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  if (shift < 0) throw new Error('softmax multiplier below one');
  const maxInputRescaled = ((2 ** integerBits - 1) * 2 ** (31 - integerBits)) / 2 ** shift;
  return { multiplier, leftShift: shift, diffMin: -Math.floor(maxInputRescaled) };
}

export const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
};

/** TFLite CalculateActivationRangeQuantized: clamp bounds of a fused activation in the output's integers. */
export function quantizedActivationRange(act: Activation, scale: number, zp: number, dtype: DType): [number, number] {
  const [qmin, qmax] = INT_RANGE[dtype] ?? [-128, 127];
  // TFLite divides in float32.
  const q = (v: number): number => zp + roundHalfAway(Math.fround(v / scale));
  switch (act) {
    case 'RELU':
      return [Math.max(qmin, q(0)), qmax];
    case 'RELU6':
      return [Math.max(qmin, q(0)), Math.min(qmax, q(6))];
    case 'RELU_N1_TO_1':
      return [Math.max(qmin, q(-1)), Math.min(qmax, q(1))];
    default:
      return [qmin, qmax];
  }
}

export function floatActivationRange(act: Activation): [number, number] {
  switch (act) {
    case 'RELU':
      return [0, Number.POSITIVE_INFINITY];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    default:
      return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  }
}

/** TFLite ComputePaddingHeightWidth, one dimension: the leading (top/left) padding. */
export function leadingPadding(padding: Padding, inSize: number, outSize: number, filter: number, stride: number, dilation: number): number {
  if (padding === 'VALID') return 0;
  const effectiveFilter = (filter - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effectiveFilter - inSize;
  return Math.max(0, Math.floor(total / 2));
}

/** TFLite's CheckedLog2: the rounded log2 of a scale, when it is within 1e-3 (in log2) of a power of two. */
export function checkedLog2(scale: number): number | undefined {
  const l = Math.log(scale) * (1 / Math.log(2));
  const r = roundHalfAway(l);
  return Math.abs(l - r) < 1e-3 ? r : undefined;
}
