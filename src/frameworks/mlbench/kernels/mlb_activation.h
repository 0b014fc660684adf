/* mlbench kernel library: int8 MUL (broadcasting, either requantization scheme), LOGISTIC and
 * TANH. LOGISTIC/TANH come in two forms: a 256-entry table the generator computes (TensorFlow
 * Lite's and XNNPACK's float formula, the `fp32` mode), and TFLite Micro's reference fixed-point
 * arithmetic (gemmlowp's logistic/tanh on Q4.27, the `tflm` mode), ported bit for bit. */
#ifndef MLB_ACTIVATION_H
#define MLB_ACTIVATION_H

#include "mlb_fixedpoint.h"
#include "mlb_broadcast.h"

/* int8 MUL: (a - a_zp) * (b - b_zp) requantized to the output like a conv accumulator (TFLM's
 * MulElementwise, or XNNPACK's fp32 scale in1*in2/out), over rank-4 dims with broadcast strides
 * (0 along a broadcast dimension). */
MLB_INLINE void mlb_mul_bcast_s8(int mode, const int8_t *a, const int8_t *b, int8_t *out, int D0, int D1, int D2,
                                 int D3, int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3,
                                 int32_t a_offset, int32_t b_offset, int32_t mult, int shift, int32_t out_zp,
                                 int32_t act_min, int32_t act_max) {
  MLB_BROADCAST4(int8_t, *out++ = mlb_requant_s8(mode, (a_offset + x) * (b_offset + y), mult, shift, out_zp, act_min, act_max))
}

/* A unary int8 function as a table indexed by the input byte (table[q + 128]). */
MLB_INLINE void mlb_lut_s8(const int8_t *in, int8_t *out, int N, const int8_t *table) {
  for (int i = 0; i < N; ++i) out[i] = table[(int32_t)in[i] + 128];
}

/* --- gemmlowp fixed point (fixedpoint.h) on raw int32 values; Qm = m integer bits. --- */

/* RoundingHalfSum: (a + b) / 2 rounded half away from zero, in 64 bits. */
MLB_INLINE int32_t mlb_gl_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(x) for x in [-1/4, 0), Q0 in and out: Taylor expansion around -1/8. */
static inline int32_t mlb_gl_exp_quarter(int32_t a) {
  const int32_t exp_minus_1_8 = 1895147668, one_third = 715827883;
  const int32_t x = a + (1 << 28);
  const int32_t x2 = mlb_srdhm(x, x), x3 = mlb_srdhm(x2, x), x4 = mlb_srdhm(x2, x2);
  const int32_t x4_over_4 = mlb_rdbpot(x4, 2);
  const int32_t poly = mlb_rdbpot(mlb_srdhm(x4_over_4 + x3, one_third) + x2, 1);
  return exp_minus_1_8 + mlb_srdhm(exp_minus_1_8, x + poly);
}

/* exp(a) for a <= 0 given with `ib` integer bits (4 or 5 here), result Q0: exp of a mod 1/4,
 * times exp(-2^k) for every bit k of the rest. */
static inline int32_t mlb_gl_exp_negative(int32_t a, int ib) {
  static const int32_t factor[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int frac = 31 - ib;
  const int32_t quarter = 1 << (frac - 2);
  const int32_t mod_minus_quarter = (a & (quarter - 1)) - quarter;
  int32_t result = mlb_gl_exp_quarter(mlb_sat_shl(mod_minus_quarter, ib));
  const int32_t remainder = mod_minus_quarter - a;
  for (int e = -2; e <= 4 && ib > e; ++e)
    if (remainder & (1 << (frac + e))) result = mlb_srdhm(result, factor[e + 2]);
  return a == 0 ? INT32_MAX : result;
}

/* Newton-Raphson 1 / (1 + a) for a in (0, 1) in Q0, as Q2 times two (gemmlowp's
 * one_over_one_plus_x_for_x_in_0_1 and one_minus_x_over_one_plus_x_for_x_in_0_1 share it). */
static inline int32_t mlb_gl_inverse_q2(int32_t a) {
  const int32_t half_denominator = mlb_gl_half_sum(a, INT32_MAX);
  int32_t x = 1515870810 + mlb_srdhm(half_denominator, -1010580540); /* 48/17 - 32/17 d */
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus_dx = (1 << 29) - mlb_srdhm(half_denominator, x);
    x = x + mlb_sat_shl(mlb_srdhm(x, one_minus_dx), 2);
  }
  return x;
}

/* gemmlowp::logistic of a Q4.27 value, Q0.31 result. */
static inline int32_t mlb_gl_logistic_q4(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t magnitude = a > 0 ? a : -a;
  const int32_t positive = mlb_sat_shl(mlb_gl_inverse_q2(mlb_gl_exp_negative(-magnitude, 4)), 1);
  return a > 0 ? positive : INT32_MAX - positive;
}

/* gemmlowp::tanh of a Q4.27 value, Q0.31 result: (1 - exp(-2|a|)) / (1 + exp(-2|a|)). */
static inline int32_t mlb_gl_tanh_q4(int32_t a) {
  if (a == 0) return 0;
  const int32_t negative = a < 0 ? a : -a;
  /* Doubling is free: the same raw value read with 5 integer bits. */
  const int32_t t = mlb_sat_shl(mlb_gl_inverse_q2(mlb_gl_exp_negative(negative, 5)) - (1 << 29), 2);
  return a < 0 ? -t : t;
}

/* TFLM reference_integer_ops::Logistic (int8, output scale 1/256, zero point -128). */
static void __attribute__((noinline, unused)) mlb_logistic_s8(const int8_t *in, int8_t *out, int N, int32_t in_zp,
                                                              int32_t radius, int32_t mult, int shift) {
  for (int i = 0; i < N; ++i) {
    const int32_t x = (int32_t)in[i] - in_zp;
    if (x <= -radius) out[i] = -128;
    else if (x >= radius) out[i] = 127;
    else out[i] = (int8_t)mlb_clamp_i32(mlb_rdbpot(mlb_gl_logistic_q4(mlb_mbqm(x, mult, shift)), 23) - 128, -128, 127);
  }
}

/* TFLM reference_integer_ops::Tanh (int8, output scale 1/128, zero point 0). */
static void __attribute__((noinline, unused)) mlb_tanh_s8(const int8_t *in, int8_t *out, int N, int32_t in_zp,
                                                          int32_t radius, int32_t mult, int shift) {
  for (int i = 0; i < N; ++i) {
    const int32_t x = (int32_t)in[i] - in_zp;
    if (x <= -radius) out[i] = -128;
    else if (x >= radius) out[i] = 127;
    else out[i] = (int8_t)mlb_clamp_i32(mlb_rdbpot(mlb_gl_tanh_q4(mlb_mbqm(x, mult, shift)), 24), -128, 127);
  }
}

#endif
