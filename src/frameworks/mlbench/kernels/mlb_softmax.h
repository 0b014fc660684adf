/* mlbench kernel library: int8 SOFTMAX, a bit-exact port of TFLite's LUT-free reference
 * (gemmlowp exp_on_negative_values on Q5.26 input differences, Q12.19 accumulation and a
 * Newton-Raphson reciprocal). Output is int8 with scale 1/256 and zero point -128. */
#ifndef MLB_SOFTMAX_H
#define MLB_SOFTMAX_H

#include "mlb_fixedpoint.h"

/* exp(x) for x in [-1/4, 0), Q0.31 in and out. */
MLB_INLINE int32_t mlb_exp_quarter_q31(int32_t a) {
  const int32_t constant_term = 1895147668;  /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;
  const int32_t x = a + (1 << 28);
  const int32_t x2 = mlb_srdhm(x, x);
  const int32_t x3 = mlb_srdhm(x2, x);
  const int32_t x4 = mlb_srdhm(x2, x2);
  const int32_t x4_over_4 = mlb_rdbpot(x4, 2);
  const int32_t poly = mlb_rdbpot(mlb_srdhm(x4_over_4 + x3, constant_1_over_3) + x2, 1);
  return constant_term + mlb_srdhm(constant_term, x + poly);
}

/* gemmlowp exp_on_negative_values for a Q5.26 input; result Q0.31. */
MLB_INLINE int32_t mlb_exp_on_negative_q5_26(int32_t a) {
  const int32_t one_quarter = 1 << 24;
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  int32_t result = mlb_exp_quarter_q31(mlb_sat_shl(a_mod_quarter_minus_one_quarter, 5));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  if (remainder & (1 << 24)) result = mlb_srdhm(result, 1672461947);
  if (remainder & (1 << 25)) result = mlb_srdhm(result, 1302514674);
  if (remainder & (1 << 26)) result = mlb_srdhm(result, 790015084);
  if (remainder & (1 << 27)) result = mlb_srdhm(result, 290630308);
  if (remainder & (1 << 28)) result = mlb_srdhm(result, 39332535);
  if (remainder & (1 << 29)) result = mlb_srdhm(result, 720401);
  if (remainder & (1 << 30)) result = mlb_srdhm(result, 242);
  if (a == 0) result = INT32_MAX;
  return result;
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0.31 in, Q0.31 out. */
MLB_INLINE int32_t mlb_one_over_one_plus_x(int32_t a) {
  const int64_t sum = (int64_t)a + (int64_t)INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  int32_t x = constant_48_over_17 + mlb_srdhm(half_denominator, constant_neg_32_over_17);
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = mlb_srdhm(half_denominator, x);
    const int32_t one_minus = (1 << 29) - half_denominator_times_x;
    x = x + mlb_sat_shl(mlb_srdhm(x, one_minus), 2);
  }
  return mlb_sat_shl(x, 1);
}

/* exp of one scaled input difference, out of line: both passes below call it, and each inlined
 * copy is ~0.5 kB of 64-bit multiplies on 32-bit cores (SOFTMAX runs on a few values). */
static __attribute__((noinline, unused, optimize("Os"))) int32_t mlb_softmax_exp_os(int32_t diff, int input_left_shift,
                                                                                    int32_t input_multiplier) {
  return mlb_exp_on_negative_q5_26(mlb_srdhm((int32_t)((uint32_t)diff << input_left_shift), input_multiplier));
}

MLB_INLINE void mlb_softmax_s8(const int8_t *restrict in, int8_t *restrict out, int ROWS, int DEPTH,
                               int32_t input_multiplier, int input_left_shift, int32_t diff_min) {
  for (int r = 0; r < ROWS; ++r) {
    int32_t max_in_row = -128;
    for (int c = 0; c < DEPTH; ++c) max_in_row = mlb_max_i32(max_in_row, in[c]);

    int32_t sum_of_exps = 0; /* Q12.19 */
    for (int c = 0; c < DEPTH; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= diff_min) sum_of_exps += mlb_rdbpot(mlb_softmax_exp_os(diff, input_left_shift, input_multiplier), 12);
    }

    const int headroom_plus_one = mlb_clz32((uint32_t)sum_of_exps);
    const int num_bits_over_unit = 12 - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31));
    const int32_t shifted_scale = mlb_one_over_one_plus_x(shifted_sum_minus_one);

    for (int c = 0; c < DEPTH; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= diff_min) {
        const int32_t exp_in_0 = mlb_softmax_exp_os(diff, input_left_shift, input_multiplier);
        const int32_t unsat = mlb_rdbpot(mlb_srdhm(shifted_scale, exp_in_0), num_bits_over_unit + 31 - 8);
        out[c] = (int8_t)mlb_clamp_i32(unsat - 128, -128, 127);
      } else {
        out[c] = -128;
      }
    }
    in += DEPTH;
    out += DEPTH;
  }
}

/* Out of line and optimised for size: SOFTMAX runs once per inference on a few values, and
 * inlined at -O3 its two exp evaluations cost ~3 kB of code. */
static __attribute__((noinline, unused, optimize("Os"))) void mlb_softmax_s8_os(const int8_t *restrict in, int8_t *restrict out,
                                                                                int ROWS, int DEPTH, int32_t input_multiplier,
                                                                                int input_left_shift, int32_t diff_min) {
  mlb_softmax_s8(in, out, ROWS, DEPTH, input_multiplier, input_left_shift, diff_min);
}

/* uint8 SOFTMAX as TensorFlow Lite's optimized kernel runs it (optimized_ops::Softmax with a
 * float table), on the int8 interior (q - 128; only differences to the row maximum matter):
 * table[k] = expf(-input_scale * beta * (255 - k)) from the generator, float sum in order, then
 * (int)(p + 0.5f) plus the output zero point. fp-contract off: a fused multiply-add would round
 * differently from TFLite's separate float operations. */
static __attribute__((noinline, unused, optimize("Os", "fp-contract=off"))) void mlb_softmax_u8_table(
    const int8_t *restrict in, int8_t *restrict out, int ROWS, int DEPTH, const float *table, float out_scale,
    int32_t out_zp) {
  for (int r = 0; r < ROWS; ++r) {
    int32_t max_in_row = -128;
    for (int c = 0; c < DEPTH; ++c) max_in_row = mlb_max_i32(max_in_row, in[c]);
    const float *t = table + 255 - max_in_row;
    float sum = 0.0f;
    for (int c = 0; c < DEPTH; ++c) sum += t[in[c]];
    const float inv = 1.0f / (sum * out_scale);
    for (int c = 0; c < DEPTH; ++c) {
      const float p = t[in[c]] * inv;
      out[c] = (int8_t)mlb_clamp_i32((int32_t)(p + 0.5f) + out_zp, -128, 127);
    }
    in += DEPTH;
    out += DEPTH;
  }
}

#endif
