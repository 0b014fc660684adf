/* mlbench kernel library: int16 element-wise arithmetic (symmetric int16 activations, zero point 0,
 * TFLite's 16x8 scheme): ADD, SUB, MUL with 4-D broadcasting. Bit-exact with TensorFlow Lite's
 * reference kernels, which desktop TFLite and TFLite Micro both run for int16. */
#ifndef MLB_INT16_H
#define MLB_INT16_H

#include "mlb_broadcast.h"
#include "mlb_fixedpoint.h"
#include "mlb_lstm.h"
#include "mlb_elementwise.h"
#include "mlb_pool.h"

MLB_INLINE int16_t mlb_sat_s16(int32_t v) { return (int16_t)mlb_clamp_i32(v, -32768, 32767); }

/* TFLite's general int16 ADD/SUB (AddElementwise, SubElementwise): both inputs shifted left by 15,
 * rescaled to a common scale (multipliers < 1), added or subtracted, rescaled to the output with
 * the double-rounding MultiplyByQuantizedMultiplier. |x << 15| <= 2^30, so nothing overflows. */
MLB_INLINE int16_t mlb_addsub_s16_one(int32_t x, int32_t y, int sub, int32_t a_mult, int a_shift, int32_t b_mult, int b_shift,
                                      int32_t out_mult, int out_shift, int32_t act_min, int32_t act_max) {
  const int32_t sa = mlb_mbqm(x * (1 << 15), a_mult, a_shift);
  const int32_t sb = mlb_mbqm(y * (1 << 15), b_mult, b_shift);
  return (int16_t)mlb_clamp_i32(mlb_mbqm(sub ? sa - sb : sa + sb, out_mult, out_shift), act_min, act_max);
}

MLB_INLINE void mlb_addsub_bcast_s16(const int16_t *a, const int16_t *b, int16_t *out, int sub, int D0, int D1, int D2, int D3,
                                     int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3, int32_t a_mult,
                                     int a_shift, int32_t b_mult, int b_shift, int32_t out_mult, int out_shift,
                                     int32_t act_min, int32_t act_max) {
  MLB_BROADCAST4(int16_t, *out++ = mlb_addsub_s16_one(x, y, sub, a_mult, a_shift, b_mult, b_shift, out_mult, out_shift, act_min, act_max))
}

/* Desktop TFLite's power-of-two int16 ADD/SUB (AddOptions/SubOptions pot_scale_int16 set and every
 * scale a power of two): the input whose scale is finer than the output's is divided by 2^shift
 * rounding half away from zero (the other has shift 0), then a saturating int16 add or subtract. */
MLB_INLINE int16_t mlb_addsub_pot_s16_one(int32_t x, int32_t y, int sub, int a_right, int b_right, int32_t act_min, int32_t act_max) {
  const int32_t sa = mlb_rdbpot(x, a_right);
  const int32_t sb = mlb_rdbpot(y, b_right);
  return (int16_t)mlb_clamp_i32(mlb_sat_s16(sub ? sa - sb : sa + sb), act_min, act_max);
}

MLB_INLINE void mlb_addsub_pot_bcast_s16(const int16_t *a, const int16_t *b, int16_t *out, int sub, int D0, int D1, int D2, int D3,
                                         int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3, int a_right,
                                         int b_right, int32_t act_min, int32_t act_max) {
  MLB_BROADCAST4(int16_t, *out++ = mlb_addsub_pot_s16_one(x, y, sub, a_right, b_right, act_min, act_max))
}

/* int16 MUL (reference_integer_ops::MulElementwise): the int32 product (|x * y| <= 2^30) rescaled
 * by in1 * in2 / out. */
MLB_INLINE void mlb_mul_bcast_s16(const int16_t *a, const int16_t *b, int16_t *out, int D0, int D1, int D2, int D3, int A0,
                                  int A1, int A2, int A3, int B0, int B1, int B2, int B3, int32_t mult, int shift,
                                  int32_t act_min, int32_t act_max) {
  MLB_BROADCAST4(int16_t, *out++ = (int16_t)mlb_clamp_i32(mlb_mbqm((int32_t)x * y, mult, shift), act_min, act_max))
}

/* reference_integer_ops::Logistic(int16): the input rescaled to 1/(3 * 4096) per step by
 * (x * mult + round) >> shift, then TFLite's interpolated sigmoid table (mlb_lstm.h), Q0.15 out.
 * The generator passes mult = 3 << s and shift 0 for the power-of-two scales TFLite special-cases. */
MLB_INLINE void mlb_logistic_s16(const int16_t *in, int16_t *out, int N, int32_t mult, int32_t shift) {
  const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  for (int i = 0; i < N; ++i) out[i] = mlb_sigmoid_rescaled_s16(((int32_t)in[i] * mult + round) >> shift);
}

/* reference_integer_ops::Tanh(int16), the same table read as tanh(x) = 2 sigmoid(2x) - 1. */
MLB_INLINE void mlb_tanh_s16(const int16_t *in, int16_t *out, int N, int32_t mult, int32_t shift) {
  for (int i = 0; i < N; ++i) out[i] = mlb_lstm_tanh_s16(in[i], mult, shift);
}

/* int16 MAX_POOL_2D / AVERAGE_POOL_2D (reference_integer_ops, NHWC, batch 1): padded positions
 * are left out, the mean rounds half away from zero (as mlb_pool.h's int8 kernels). */
MLB_INLINE void mlb_pool_s16(int is_max, const int16_t *restrict in, int16_t *restrict out, int IH, int IW, int C, int OH, int OW,
                             int FH, int FW, int SH, int SW, int PT, int PL, int32_t act_min, int32_t act_max) {
  MLB_POOL_LOOPS(int32_t, is_max ? -32768 : 0, acc = is_max ? mlb_max_i32(acc, v) : acc + v, {
    if (!is_max) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
    out[c] = (int16_t)mlb_clamp_i32(acc, act_min, act_max);
  })
}

/* Loads element i of an int8 (BYTES 1), int16 (2) or int32 (4) array; BYTES is a literal. */
MLB_INLINE int32_t mlb_load_int(const void *p, int BYTES, int i) {
  return BYTES == 1 ? ((const int8_t *)p)[i] : BYTES == 2 ? ((const int16_t *)p)[i] : ((const int32_t *)p)[i];
}

/* reference_ops::Requantize between int8, int16 and int32 (QUANTIZE with an integer input):
 * MultiplyByQuantizedMultiplier(q - in_zp) + out_zp, saturated to the output type. */
MLB_INLINE void mlb_requantize_int(const void *in, int IN_BYTES, void *out, int OUT_BYTES, int N, int32_t in_zp, int32_t mult,
                                   int shift, int32_t out_zp) {
  const int32_t lo = OUT_BYTES == 1 ? -128 : OUT_BYTES == 2 ? -32768 : INT32_MIN;
  const int32_t hi = OUT_BYTES == 1 ? 127 : OUT_BYTES == 2 ? 32767 : INT32_MAX;
  for (int i = 0; i < N; ++i) {
    const int32_t v = mlb_clamp_i32(mlb_mbqm(mlb_load_int(in, IN_BYTES, i) - in_zp, mult, shift) + out_zp, lo, hi);
    if (OUT_BYTES == 1) ((int8_t *)out)[i] = (int8_t)v;
    else if (OUT_BYTES == 2) ((int16_t *)out)[i] = (int16_t)v;
    else ((int32_t *)out)[i] = v;
  }
}

/* QUANTIZE float32 -> int16: round(x / scale) half away from zero. FLOAT_DIV (a literal) divides in
 * float32 as TFLite Micro's reference_ops::AffineQuantize does; else in double, as desktop TFLite
 * (LiteRT) does: the two differ by one step where the float quotient rounds onto a half. */
MLB_INLINE void mlb_quantize_f32_s16(const mlb_f32 *in, int16_t *restrict out, int N, double scale, int32_t zp, int FLOAT_DIV) {
  for (int i = 0; i < N; ++i) {
    const double q = FLOAT_DIV ? (double)(in[i] / (float)scale) : (double)in[i] / scale;
    out[i] = mlb_sat_s16(mlb_round_f64(q) + zp);
  }
}

/* reference_ops::Dequantize of int16: (float)(scale * (q - zp)) with a double scale. */
MLB_INLINE void mlb_dequantize_s16_f32(const int16_t *restrict in, mlb_f32 *out, int N, double scale, int32_t zp) {
  for (int i = 0; i < N; ++i) out[i] = (float)(scale * (double)((int32_t)in[i] - zp));
}

/* int16 LEAKY_RELU (reference_ops::QuantizeLeakyRelu): mlb_leaky_relu_s8's arithmetic saturated to int16. */
MLB_INLINE void mlb_leaky_relu_s16(const int16_t *in, int16_t *out, int N, int32_t in_zp, int32_t id_mult, int id_shift,
                                   int32_t alpha_mult, int alpha_shift, int32_t out_zp) {
  for (int i = 0; i < N; ++i) {
    const int32_t x = (int32_t)in[i] - in_zp;
    out[i] = mlb_sat_s16(out_zp + (x >= 0 ? mlb_mbqm(x, id_mult, id_shift) : mlb_mbqm(x, alpha_mult, alpha_shift)));
  }
}

#endif
