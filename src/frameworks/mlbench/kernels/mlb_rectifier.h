/* mlbench kernel library: the rectifier family of standalone activations, as TFLite Micro computes them: int8 RELU/RELU6
 * (activations_common.cc), LEAKY_RELU, HARD_SWISH (16-bit fixed point, reference hard_swish.h),
 * PRELU (broadcast alpha), and their float32 forms. */
#ifndef MLB_RECTIFIER_H
#define MLB_RECTIFIER_H

#include <stdint.h>

#include "mlb_fixedpoint.h"
#include "mlb_elementwise.h"

/* int8 RELU: rescaled to the output (ReluQuantized), clamped to [act_min, act_max]; RELU6 keeps
 * the input's quantization and only clamps (Relu6Quantized), which is mult = 2^30, shift 1. */
MLB_INLINE void mlb_relu_s8(const int8_t *in, int8_t *out, int N, int32_t in_zp, int32_t mult, int shift,
                            int32_t out_zp, int32_t act_min, int32_t act_max) {
  for (int i = 0; i < N; ++i) out[i] = (int8_t)mlb_clamp_i32(out_zp + mlb_mbqm((int32_t)in[i] - in_zp, mult, shift), act_min, act_max);
}

MLB_INLINE void mlb_clamp_s8(const int8_t *in, int8_t *out, int N, int32_t lo, int32_t hi) {
  for (int i = 0; i < N; ++i) out[i] = (int8_t)mlb_clamp_i32(in[i], lo, hi);
}

/* int8 LEAKY_RELU (QuantizeLeakyRelu): identity or alpha multiplier by the input's sign. */
MLB_INLINE void mlb_leaky_relu_s8(const int8_t *in, int8_t *out, int N, int32_t in_zp, int32_t id_mult, int id_shift,
                                  int32_t alpha_mult, int alpha_shift, int32_t out_zp) {
  for (int i = 0; i < N; ++i) {
    const int32_t x = (int32_t)in[i] - in_zp;
    const int32_t v = out_zp + (x >= 0 ? mlb_mbqm(x, id_mult, id_shift) : mlb_mbqm(x, alpha_mult, alpha_shift));
    out[i] = (int8_t)mlb_clamp_i32(v, -128, 127);
  }
}

/* gemmlowp's 16-bit SaturatingRoundingDoublingHighMul and RoundingDivideByPOT. */
MLB_INLINE int16_t mlb_srdhm16(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return (int16_t)((ab + nudge) / (1 << 15));
}

MLB_INLINE int16_t mlb_rdbpot16(int16_t x, int exponent) {
  const int32_t mask = (1 << exponent) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

MLB_INLINE int16_t mlb_sat_shl16(int16_t x, int amount) {
  const int32_t v = (int32_t)x * (1 << amount);
  return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

/* int8 HARD_SWISH, step for step reference_ops::HardSwish (quantized). */
MLB_INLINE void mlb_hard_swish_s8(const int8_t *in, int8_t *out, int N, int32_t in_zp, int16_t out_mult, int out_exp,
                                  int16_t relu_mult, int relu_exp, int32_t out_zp) {
  for (int i = 0; i < N; ++i) {
    const int16_t x = (int16_t)((int32_t)in[i] - in_zp);
    const int16_t hires = (int16_t)(x * (1 << 7));
    const int16_t preshift_out = mlb_srdhm16(hires, out_mult);
    int16_t reluish = hires;
    if (relu_exp > 0) reluish = mlb_sat_shl16(reluish, relu_exp - 1);
    reluish = mlb_srdhm16(reluish, relu_mult);
    if (relu_exp > 0) reluish = mlb_sat_shl16(reluish, 1);
    if (relu_exp < 0) reluish = mlb_rdbpot16(reluish, -relu_exp);
    reluish = (int16_t)(((int32_t)reluish + (1 << 15)) >> 1);
    /* SaturatingDoublingHighMul: truncating, not rounding. */
    const int16_t pre = (reluish == preshift_out && reluish == INT16_MIN)
                            ? INT16_MAX
                            : (int16_t)(((int32_t)reluish * (int32_t)preshift_out) / (1 << 15));
    int16_t v = mlb_rdbpot16(pre, -out_exp);
    v = (int16_t)(v + out_zp);
    out[i] = (int8_t)(v > 127 ? 127 : (v < -128 ? -128 : v));
  }
}

/* int8 PRELU (BroadcastPrelu4DSlow): alpha broadcast over the 4-D output with element strides
 * A0..A3 (0 where broadcast); the input has the output's shape. */
MLB_INLINE void mlb_prelu_s8(const int8_t *in, const int8_t *alpha, int8_t *out, int D0, int D1, int D2, int D3,
                             int A0, int A1, int A2, int A3, int32_t in_offset, int32_t alpha_offset, int32_t mult1,
                             int shift1, int32_t mult2, int shift2, int32_t out_zp) {
  for (int i0 = 0; i0 < D0; ++i0)
    for (int i1 = 0; i1 < D1; ++i1)
      for (int i2 = 0; i2 < D2; ++i2)
        for (int i3 = 0; i3 < D3; ++i3) {
          const int32_t x = in_offset + *in++;
          const int32_t a = alpha_offset + alpha[i0 * A0 + i1 * A1 + i2 * A2 + i3 * A3];
          const int32_t v = out_zp + (x >= 0 ? mlb_mbqm(x, mult1, shift1) : mlb_mbqm(x * a, mult2, shift2));
          *out++ = (int8_t)mlb_clamp_i32(v, -128, 127);
        }
}

/* float32 forms, as TFLite's reference kernels write them. */
MLB_INLINE void mlb_leaky_relu_f32(const mlb_f32 *in, mlb_f32 *out, int N, float alpha) {
  for (int i = 0; i < N; ++i) {
    const float x = in[i];
    out[i] = x > 0.0f ? x : x * alpha;
  }
}

MLB_INLINE void mlb_hard_swish_f32(const mlb_f32 *in, mlb_f32 *out, int N) {
  for (int i = 0; i < N; ++i) {
    const float x = in[i];
    const float r = x + 3.0f;
    out[i] = x * (r < 0.0f ? 0.0f : (r > 6.0f ? 6.0f : r)) / 6.0f;
  }
}

MLB_INLINE void mlb_prelu_f32(const mlb_f32 *in, const mlb_f32 *alpha, mlb_f32 *out, int D0, int D1, int D2, int D3,
                              int A0, int A1, int A2, int A3) {
  for (int i0 = 0; i0 < D0; ++i0)
    for (int i1 = 0; i1 < D1; ++i1)
      for (int i2 = 0; i2 < D2; ++i2)
        for (int i3 = 0; i3 < D3; ++i3) {
          const float x = *in++;
          *out++ = x >= 0.0f ? x : x * alpha[i0 * A0 + i1 * A1 + i2 * A2 + i3 * A3];
        }
}

#endif
