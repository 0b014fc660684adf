/* mlbench kernel library: integer requantization primitives.
 * Bit-exact ports of TensorFlow Lite Micro's reference math (gemmlowp fixed point,
 * double-rounding MultiplyByQuantizedMultiplier) so generated code matches TFLM's results.
 * No floating point here: targets are soft-float cores. */
#ifndef MLB_FIXEDPOINT_H
#define MLB_FIXEDPOINT_H

#include <stdint.h>

#define MLB_INLINE static inline __attribute__((always_inline))
/* Fully unrolls a loop with a small constant trip count (the generator passes literals). */
#define MLB_UNROLL _Pragma("GCC unroll 25")

/* Returns p unchanged but opaque to the optimiser. Layer functions take the arena through it:
 * GCC 12 at -O2 otherwise rewrites a loop that reads int8 and writes float32 in the same static
 * array into an address it later mistakes for a NULL access, and deletes the layer call. Volatile:
 * GCC 12 -O2 otherwise judged some layer functions that only store through the laundered pointer
 * free of side effects and dropped their calls (SPLIT/UNPACK with 1-byte runs, found by the fuzzer). */
MLB_INLINE uint8_t *mlb_launder(uint8_t *p) {
  __asm__ volatile("" : "+r"(p));
  return p;
}

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

/* mlb_srdhm for a positive multiplier b (QuantizeMultiplier's are in [2^30, 2^31)): the
 * overflow case cannot occur, and truncating (ab + nudge) / 2^31 equals flooring
 * (ab + 2^30) / 2^31 for either sign of ab, which is one add and a shift. */
MLB_INLINE int32_t mlb_srdhm_pos(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* TFLM MultiplyByQuantizedMultiplier (TFLITE_SINGLE_ROUNDING off). */
MLB_INLINE int32_t mlb_mbqm(int32_t x, int32_t multiplier, int shift) {
  int left_shift = shift > 0 ? shift : 0;
  int right_shift = shift > 0 ? 0 : -shift;
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  const int32_t high = multiplier > 0 ? mlb_srdhm_pos(shifted, multiplier) : mlb_srdhm(shifted, multiplier);
  return mlb_rdbpot(high, right_shift);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent (saturating left shift). */
MLB_INLINE int32_t mlb_sat_shl(int32_t x, int exponent) {
  int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

/* Leading zeros. RV32 without Zbb has no instruction for it, and libgcc's __clzsi2/__clzdi2 bring a
 * 256-byte table: a loop instead (only rare paths count bits: large accumulators, near-half
 * requantization, the SOFTMAX sum). */
MLB_INLINE int mlb_clz32(uint32_t x) {
#if defined(__riscv) && !defined(__riscv_zbb)
  int n = 32;
  for (; x; x >>= 1) --n;
  return n;
#else
  return x ? __builtin_clz(x) : 32;
#endif
}

MLB_INLINE int mlb_clz64(uint64_t x) {
  const uint32_t hi = (uint32_t)(x >> 32);
  return hi ? mlb_clz32(hi) : 32 + mlb_clz32((uint32_t)x);
}

/* x / 2^s rounded half to even (s >= 0). */
MLB_INLINE uint64_t mlb_rne_shift_u64(uint64_t x, int s) {
  if (s == 0) return x;
  if (s > 63) return 0;
  const uint64_t q = x >> s;
  const uint64_t r = x & ((((uint64_t)1) << s) - 1);
  const uint64_t half = ((uint64_t)1) << (s - 1);
  return q + ((r > half || (r == half && (q & 1))) ? 1 : 0);
}

/* Integer emulation of XNNPACK's fp32 requantization, lrintf((float)acc * scale), bit for bit
 * and without floating point: scale = m * 2^-e with a 24-bit mantissa m (an exact float32; the
 * generator may pre-shift m left by up to 7 bits, which changes nothing here).
 * Rounds acc to 24 significant bits, the product to 24 bits, then to an integer, each
 * half-to-even as the FPU would. Out of line (and for size on RISC-V): only near-ties and huge accumulators get here. */
#if defined(__riscv)
#define MLB_RARE_PATH_ __attribute__((noinline, unused, optimize("Os")))
#else /* Arm keeps -O3 here: Os cost toycar a few instructions on Cortex-M4 for a few dozen bytes. */
#define MLB_RARE_PATH_ __attribute__((noinline, unused))
#endif
static MLB_RARE_PATH_ int32_t mlb_fp32_requant_exact(int32_t acc, int32_t m, int e) {
  const int neg = acc < 0;
  uint64_t a = neg ? (uint64_t)(-(int64_t)acc) : (uint64_t)acc;
  int exp2 = -e;
  if (a >= ((uint64_t)1 << 24)) {
    const int sh = (64 - mlb_clz64(a)) - 24;
    a = mlb_rne_shift_u64(a, sh);
    exp2 += sh;
  }
  uint64_t p = a * (uint64_t)(uint32_t)m;
  const int bits = 64 - mlb_clz64(p);
  if (bits > 24) {
    p = mlb_rne_shift_u64(p, bits - 24);
    exp2 += bits - 24;
  }
  int64_t y;
  if (exp2 >= 0) y = exp2 > 20 ? (int64_t)1 << 40 : (int64_t)(p << exp2); /* far beyond int8 either way */
  else y = (int64_t)mlb_rne_shift_u64(p, -exp2);
  if (y > (1 << 30)) y = 1 << 30;
  return neg ? -(int32_t)y : (int32_t)y;
}

/* mlb_fp32_requant_exact with a fast path. When |acc| < 2^24 (exact as a float) and the exact
 * result is below 2^12, rounding the product to 24 bits moves it by at most 2^(e-13), i.e. by
 * at most 2^-13 of an output step, so it can only change the integer rounding when the exact
 * product lies within 2^-12 of a half. Everywhere else the result is the exact product rounded
 * to nearest: one signed 32x32->64 multiply (mul + mulh), an arithmetic shift of the high word
 * by e-32 and the rounding bit taken from the fraction, normalised to 32 bits (t, half = 2^31).
 * Results of magnitude >= 2^12 may be off by one (never in sign): every caller adds a zero point
 * in [-128, 127] and clamps to int8, so they saturate the same way. Needs 32 < e < 64 and
 * 0 < m < 2^31; the generator pre-shifts m so that most layers qualify. */
MLB_INLINE int32_t mlb_fp32_requant_fast(int32_t acc, int32_t m, int e, int32_t *out) {
  const int sh = e - 32;
  if ((unsigned)(sh - 1) < 31u && m > 0) {
    const int64_t p = (int64_t)acc * m;
    const int32_t hi = (int32_t)(p >> 32);
    const uint32_t lo = (uint32_t)p;
    const uint32_t t = ((uint32_t)hi << (32 - sh)) | (lo >> sh);
    if (t - (0x80000000u - (1u << 21)) > (1u << 22)) {
      *out = (hi >> sh) + (int32_t)(t >> 31);
      return 1;
    }
  }
  return 0;
}

/* |acc| > 2^24 (out of line): (float)acc rounds to 24 significant bits, half to even. Do exactly
 * that (a * 2^s == (float)acc); then scale = m * 2^-(e-s) and the fast path applies. */
static __attribute__((noinline, unused)) int32_t mlb_fp32_requant_big(int32_t acc, int32_t m, int e) {
  const uint32_t ua = acc < 0 ? 0u - (uint32_t)acc : (uint32_t)acc;
  const int s = 8 - mlb_clz32(ua);
  uint32_t q = ua >> s;
  const uint32_t r = ua & ((1u << s) - 1u), half = 1u << (s - 1);
  q += (r > half || (r == half && (q & 1u))) ? 1u : 0u;
  int32_t y;
  if (mlb_fp32_requant_fast(acc < 0 ? -(int32_t)q : (int32_t)q, m, e - s, &y)) return y;
  return mlb_fp32_requant_exact(acc, m, e);
}

MLB_INLINE int32_t mlb_fp32_requant(int32_t acc, int32_t m, int e) {
  int32_t y;
  if ((uint32_t)acc + (1u << 24) >= (1u << 25)) return mlb_fp32_requant_big(acc, m, e);
  if (mlb_fp32_requant_fast(acc, m, e, &y)) return y;
  return mlb_fp32_requant_exact(acc, m, e);
}

/* mlb_fp32_requant for a layer whose generator proved, for every channel and every possible input,
 * |acc| < 2^24 (|bias| + 128 * sum |w| < 2^24), 0 <= m < 2^31 and 33 <= e <= 63: only the near-half
 * check of mlb_fp32_requant_fast remains. On RISC-V and x86 the shift counts are taken mod 32
 * (e & 31 = e - 32, -e & 31 = 64 - e), which their shifts do by themselves. */
MLB_INLINE int32_t mlb_fp32_requant_bounded(int32_t acc, int32_t m, int e) {
  const int64_t p = (int64_t)acc * m;
  const int32_t hi = (int32_t)(p >> 32);
  const uint32_t lo = (uint32_t)p;
#if defined(__riscv) || defined(__x86_64__) || defined(__i386__)
  const unsigned s = (unsigned)e & 31u, ls = (0u - (unsigned)e) & 31u;
#else /* Arm shifts by the whole bottom byte (>= 32 gives 0): subtract instead of masking. */
  const unsigned s = (unsigned)e - 32u, ls = 64u - (unsigned)e;
#endif
  const uint32_t t = ((uint32_t)hi << ls) | (lo >> s);
  uint32_t near = 0x80000000u - (1u << 21);
#if defined(__ARM_FEATURE_DSP) && !defined(__ARM_FEATURE_MVE) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
  /* Opaque to GCC, which then keeps it in a register outside the loops (one SUB per output)
   * instead of two ADDs of Thumb-2 immediates. */
  __asm__("" : "+r"(near));
#endif
  if (__builtin_expect(t - near > (1u << 22), 1)) return (hi >> s) + (int32_t)(t >> 31);
  return mlb_fp32_requant_exact(acc, m, e);
}

/* Requantization schemes: TFLM's fixed-point multiplier (multiplier Q0.31, shift) or the
 * fp32 emulation (multiplier = 24-bit mantissa, shift = e in scale = m * 2^-e); FP32B is fp32 for
 * layers whose accumulators and constants are bounded as mlb_fp32_requant_bounded needs (same
 * constants, same results); MVE's vector requantization (mlb_simd.h) then checks only the near-half
 * condition, one reduction per vector. */
#define MLB_REQUANT_TFLM 0
#define MLB_REQUANT_FP32 1
#define MLB_REQUANT_FP32B 2

/* Clamp to [act_min, act_max] within int8. On Cortex-M4/M7 (DSP extension, no MVE) a literal
 * lower bound of -128 (every ReLU layer with output zero point -128, and no activation) becomes one
 * SSAT: GCC 12 emits two compare-and-select pairs for the min/max form even with literal bounds. */
MLB_INLINE int32_t mlb_clamp_act_s8(int32_t v, int32_t act_min, int32_t act_max) {
#if defined(__ARM_FEATURE_DSP) && !defined(__ARM_FEATURE_MVE) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
  if (__builtin_constant_p(act_min) && act_min <= -128) {
    v = __builtin_arm_ssat(v, 8);
    return __builtin_constant_p(act_max) && act_max >= 127 ? v : mlb_min_i32(v, act_max);
  }
#endif
  return mlb_clamp_i32(v, act_min, act_max);
}

/* Requantize a 32-bit accumulator to int8 with a per-channel multiplier and clamp. `mode` is a
 * literal at every call, so the unused scheme is compiled away. */
MLB_INLINE int8_t mlb_requant_s8(int mode, int32_t acc, int32_t multiplier, int shift, int32_t out_zp, int32_t act_min,
                                 int32_t act_max) {
  const int32_t scaled = mode == MLB_REQUANT_FP32B  ? mlb_fp32_requant_bounded(acc, multiplier, shift)
                         : mode == MLB_REQUANT_FP32 ? mlb_fp32_requant(acc, multiplier, shift)
                                                    : mlb_mbqm(acc, multiplier, shift);
  return (int8_t)mlb_clamp_act_s8(scaled + out_zp, act_min, act_max);
}

#endif
