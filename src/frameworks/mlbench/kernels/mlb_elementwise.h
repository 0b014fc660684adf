/* mlbench kernel library: element-wise kernels (ADD, QUANTIZE, DEQUANTIZE) and the float32
 * kernels of float models. Float kernels go through a may_alias type because the arena is a
 * byte array. */
#ifndef MLB_ELEMENTWISE_H
#define MLB_ELEMENTWISE_H

#include "mlb_fixedpoint.h"
#include "mlb_simd.h"

typedef float __attribute__((may_alias)) mlb_f32;

/* TFLM int8 ADD: both inputs shifted left by 20 bits, rescaled to a common scale, summed,
 * rescaled to the output (all multipliers < 1, so only right shifts). */
#if MLB_SIMD_MVE
/* mlb_mbqm on four lanes, bit for bit, for a multiplier >= 0: VQRDMULH is gemmlowp's
 * SaturatingRoundingDoublingHighMul then (no saturation case), and VRSHL rounds half up, so
 * negative values take -1 first to round half away from zero as RoundingDivideByPOT does. */
MLB_INLINE int32x4_t mlb_mbqm4(int32x4_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int32x4_t h = vqrdmulhq_n_s32(vshlq_r_s32(x, left), multiplier);
  const int32x4_t fix = vshrq_n_s32(vandq_s32(h, vdupq_n_s32(-right)), 31);
  return vrshlq_s32(vqaddq_s32(h, fix), vdupq_n_s32(-right));
}
#endif

MLB_INLINE void mlb_add_s8(const int8_t *restrict a, const int8_t *restrict b, int8_t *restrict out, int N,
                           int32_t a_offset, int32_t a_mult, int a_shift, int32_t b_offset, int32_t b_mult,
                           int b_shift, int32_t out_mult, int out_shift, int32_t out_zp, int32_t act_min,
                           int32_t act_max) {
  int i = 0;
#if MLB_SIMD_MVE
  /* Four elements per step; each step loads its inputs before it stores, so an output that
   * overlaps an input from below (the planner's in-place ADD) stays correct. */
  if (a_mult >= 0 && b_mult >= 0 && out_mult >= 0) {
    for (; i + 4 <= N; i += 4) {
      const int32x4_t sa = mlb_mbqm4(vshlq_n_s32(vaddq_n_s32(vldrbq_s32(a + i), a_offset), 20), a_mult, a_shift);
      const int32x4_t sb = mlb_mbqm4(vshlq_n_s32(vaddq_n_s32(vldrbq_s32(b + i), b_offset), 20), b_mult, b_shift);
      int32x4_t v = vaddq_n_s32(mlb_mbqm4(vaddq_s32(sa, sb), out_mult, out_shift), out_zp);
      v = vminq_s32(vmaxq_s32(v, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
      vstrbq_s32(out + i, v);
    }
  }
#endif
  for (; i < N; ++i) {
    const int32_t sa = mlb_mbqm((a_offset + a[i]) * (1 << 20), a_mult, a_shift);
    const int32_t sb = mlb_mbqm((b_offset + b[i]) * (1 << 20), b_mult, b_shift);
    const int32_t v = mlb_mbqm(sa + sb, out_mult, out_shift) + out_zp;
    out[i] = (int8_t)mlb_clamp_i32(v, act_min, act_max);
  }
}

/* int8 ADD as TensorFlow Lite runs it (XNNPACK's qs8/qu8 add): 21-bit multipliers of the two
 * input-to-output scales share one shift, one sum, one rounding (half up: the rounding constant
 * then an arithmetic shift). The sum stays below 2^31 for the shifts the generator allows. */
MLB_INLINE void mlb_add_s8_xnn(const int8_t *restrict a, const int8_t *restrict b, int8_t *restrict out, int N,
                               int32_t a_zp, int32_t a_mult, int32_t b_zp, int32_t b_mult, int shift, int32_t out_zp,
                               int32_t act_min, int32_t act_max) {
  const int32_t rounding = (int32_t)1 << (shift - 1);
  int i = 0;
#if MLB_SIMD_MVE
  /* Four elements per step: the zero points fold into one bias (the wrap-around sums agree with
   * the scalar ones mod 2^32, and the true sum fits in 32 bits), VMLAS then VMLA, and VSHL by
   * -shift is the arithmetic shift. Each step loads before it stores (in-place ADD from below). */
  const int32_t bias = rounding - a_zp * a_mult - b_zp * b_mult;
  const int32x4_t vam = vdupq_n_s32(a_mult), vlo = vdupq_n_s32(act_min), vhi = vdupq_n_s32(act_max);
  for (; i + 4 <= N; i += 4) {
    int32x4_t acc = vmlasq_n_s32(vldrbq_s32(a + i), vam, bias);
    acc = vshlq_r_s32(vmlaq_n_s32(acc, vldrbq_s32(b + i), b_mult), -shift);
    vstrbq_s32(out + i, vminq_s32(vmaxq_s32(vaddq_n_s32(acc, out_zp), vlo), vhi));
  }
#endif
  for (; i < N; ++i) {
    const int32_t acc = rounding + (a[i] - a_zp) * a_mult + (b[i] - b_zp) * b_mult;
    out[i] = (int8_t)mlb_clamp_i32((acc >> shift) + out_zp, act_min, act_max);
  }
}

MLB_INLINE float mlb_clamp_f32(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

MLB_INLINE void mlb_add_f32(const mlb_f32 *a, const mlb_f32 *b, mlb_f32 *out, int N, float act_min, float act_max) {
  for (int i = 0; i < N; ++i) out[i] = mlb_clamp_f32(a[i] + b[i], act_min, act_max);
}

/* TFLM reference float FULLY_CONNECTED: products summed in order, bias added last. */
MLB_INLINE void mlb_fully_connected_f32(const mlb_f32 *in, mlb_f32 *out, const float *restrict w,
                                        const float *restrict bias, int ROWS, int K, int N, float act_min,
                                        float act_max) {
  for (int r = 0; r < ROWS; ++r) {
    const float *wp = w;
    for (int n = 0; n < N; ++n) {
      float acc = 0.0f;
      for (int k = 0; k < K; ++k) acc += in[k] * wp[k];
      wp += K;
      out[n] = mlb_clamp_f32(acc + (bias ? bias[n] : 0.0f), act_min, act_max);
    }
    in += K;
    out += N;
  }
}

/* Rounds half away from zero like TfLiteRound, without libm. */
MLB_INLINE int32_t mlb_round_f64(double q) {
  if (q > 2147483647.0) return INT32_MAX;
  if (q < -2147483648.0) return INT32_MIN;
  int32_t t = (int32_t)q;
  double frac = q - (double)t;
  if (frac >= 0.5) t += 1;
  else if (frac <= -0.5) t -= 1;
  return t;
}

/* TFLM AffineQuantize: round(x / scale) + zp in double, clamped to int8. */
MLB_INLINE void mlb_quantize_f32_s8(const mlb_f32 *in, int8_t *restrict out, int N, double scale, int32_t zp) {
  for (int i = 0; i < N; ++i) {
    int64_t v = (int64_t)mlb_round_f64((double)in[i] / scale) + zp;
    out[i] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
  }
}

/* Rounds half to even like lrintf in the default rounding mode, without libm. */
MLB_INLINE int32_t mlb_rint_f32(float v) {
  if (v > 2147483520.0f) return INT32_MAX;
  if (v < -2147483648.0f) return INT32_MIN;
  int32_t t = (int32_t)v; /* truncates toward zero */
  const float frac = v - (float)t; /* exact for |v| < 2^24; larger floats are integers */
  if (frac > 0.5f || (frac == 0.5f && (t & 1))) t += 1;
  else if (frac < -0.5f || (frac == -0.5f && (t & 1))) t -= 1;
  return t;
}

/* XNNPACK's f32 -> qs8 convert: lrintf(x * (1/scale)) + zp, all in float32. */
MLB_INLINE void mlb_quantize_f32_s8_fp32(const mlb_f32 *in, int8_t *restrict out, int N, float inv_scale, int32_t zp) {
  const float lo = (float)(-128 - zp), hi = (float)(127 - zp);
  for (int i = 0; i < N; ++i) {
    float v = in[i] * inv_scale;
    v = v < lo ? lo : (v > hi ? hi : v);
    out[i] = (int8_t)(mlb_rint_f32(v) + zp);
  }
}

/* XNNPACK's qs8 -> qs8 convert: (bias + q * mult) >> 8 with an 8-bit fixed-point multiplier and
 * bias = (out_zp << 8) - mult * in_zp + 128 (round half up). */
MLB_INLINE void mlb_requantize_s8_fp32(const int8_t *restrict in, int8_t *restrict out, int N, int32_t mult, int32_t bias) {
  for (int i = 0; i < N; ++i) out[i] = (int8_t)mlb_clamp_i32((bias + (int32_t)in[i] * mult) >> 8, -128, 127);
}

/* TFLM Dequantize: (float)(scale * (q - zp)) with a double scale. */
MLB_INLINE void mlb_dequantize_s8_f32(const int8_t *restrict in, mlb_f32 *out, int N, double scale, int32_t zp) {
  for (int i = 0; i < N; ++i) out[i] = (float)(scale * (double)((int32_t)in[i] - zp));
}

/* TFLM int8 -> int8 QUANTIZE (requantize): mbqm(q - in_zp) + out_zp. */
MLB_INLINE void mlb_requantize_s8(const int8_t *restrict in, int8_t *restrict out, int N, int32_t in_zp, int32_t mult,
                                  int shift, int32_t out_zp) {
  for (int i = 0; i < N; ++i) {
    int32_t v = mlb_mbqm((int32_t)in[i] - in_zp, mult, shift) + out_zp;
    out[i] = (int8_t)mlb_clamp_i32(v, -128, 127);
  }
}

#endif
