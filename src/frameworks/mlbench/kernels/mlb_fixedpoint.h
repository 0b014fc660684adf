/* mlbench kernel library: integer requantization primitives.
 * Bit-exact ports of TensorFlow Lite Micro's reference math (gemmlowp fixed point,
 * double-rounding MultiplyByQuantizedMultiplier) so generated code matches TFLM's results.
 * No floating point here: targets are soft-float cores. */
#ifndef MLB_FIXEDPOINT_H
#define MLB_FIXEDPOINT_H

#include <stdint.h>

#define MLB_INLINE static inline __attribute__((always_inline))

MLB_INLINE int32_t mlb_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
MLB_INLINE int32_t mlb_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
MLB_INLINE int32_t mlb_clamp_i32(int32_t v, int32_t lo, int32_t hi) { return mlb_min_i32(mlb_max_i32(v, lo), hi); }

/* gemmlowp SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31 rounding) >> 32, truncating division
 * as in the reference (not an arithmetic shift), saturating the single overflow case. */
MLB_INLINE int32_t mlb_srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: divide by 2^exponent rounding half away from zero. */
MLB_INLINE int32_t mlb_rdbpot(int32_t x, int exponent) {
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier (TFLITE_SINGLE_ROUNDING off). */
MLB_INLINE int32_t mlb_mbqm(int32_t x, int32_t multiplier, int shift) {
  int left_shift = shift > 0 ? shift : 0;
  int right_shift = shift > 0 ? 0 : -shift;
  return mlb_rdbpot(mlb_srdhm((int32_t)((uint32_t)x << left_shift), multiplier), right_shift);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent (saturating left shift). */
MLB_INLINE int32_t mlb_sat_shl(int32_t x, int exponent) {
  int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

/* Requantize a 32-bit accumulator to int8 with a per-channel multiplier and clamp. */
MLB_INLINE int8_t mlb_requant_s8(int32_t acc, int32_t multiplier, int shift, int32_t out_zp, int32_t act_min,
                                 int32_t act_max) {
  int32_t v = mlb_mbqm(acc, multiplier, shift) + out_zp;
  return (int8_t)mlb_clamp_i32(v, act_min, act_max);
}

#endif
