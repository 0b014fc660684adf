// TFLite's fixed-point primitives, written independently of mlbaot (BigInt, straight from
// quantization_util.cc and gemmlowp): QuantizeMultiplier and MultiplyByQuantizedMultiplier, for the
// oracles of TFLM arithmetic (test/fuzz/tflm-reference*.ts, tflm-lstm-reference.ts).

export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** TFLite QuantizeMultiplier: real = multiplier · 2^(shift − 31), multiplier in [2^30, 2^31). */
export function tflmQuantizeMultiplier(real: number): { multiplier: bigint; shift: number } {
  if (real === 0) return { multiplier: 0n, shift: 0 };
  let shift = Math.floor(Math.log2(real)) + 1;
  let mantissa = real / 2 ** shift;
  if (mantissa >= 1) { mantissa /= 2; shift += 1; }
  if (mantissa < 0.5) { mantissa *= 2; shift -= 1; }
  let q = roundHalfAway(mantissa * 2 ** 31);
  if (q === 2 ** 31) { q /= 2; shift += 1; }
  return { multiplier: BigInt(q), shift };
}

/** gemmlowp SaturatingRoundingDoublingHighMul (no saturation case arises for int8 inputs). */
function srdhm(a: bigint, b: bigint): bigint {
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  const sum = ab + nudge;
  // C's int64 division truncates toward zero.
  const q = sum / (1n << 31n);
  return q;
}

/** gemmlowp RoundingDivideByPOT: half away from zero. */
function rdbpot(x: bigint, exponent: number): bigint {
  const mask = (1n << BigInt(exponent)) - 1n;
  const remainder = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> BigInt(exponent)) + (remainder > threshold ? 1n : 0n);
}

export function multiplyByQuantizedMultiplier(x: number, multiplier: bigint, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return Number(rdbpot(srdhm(BigInt(x) << BigInt(left), multiplier), right));
}
