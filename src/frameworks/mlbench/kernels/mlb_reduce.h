/* mlbench kernel library: MEAN and REDUCE_MAX over any set of axes of a tensor of rank <= 4,
 * following TFLite Micro's reference (reduce_common.cc, reference_ops::QuantizedMeanOrSum) or, for
 * int8 MEAN in the `fp32` mode, TensorFlow Lite's float rescaling.
 * Dimensions D0..D3 of the input; R0..R3 are 1 where that dimension is reduced. Each output
 * element sums (or maxes) its inputs in row-major order, the order TFLM's ReduceSumImpl adds
 * them in, so float sums round the same way and no int32 scratch buffer is needed. */
#ifndef MLB_REDUCE_H
#define MLB_REDUCE_H

#include <float.h>
#include <stdint.h>

#include "mlb_fixedpoint.h"
#include "mlb_elementwise.h"

/* Loops over the kept (outer) and reduced (inner) positions: in each dimension exactly one of
 * the two indices moves. */
#define MLB_REDUCE_LOOPS(BODY_INIT, BODY_STEP, BODY_STORE)                                               \
  const int K0 = R0 ? 1 : D0, K1 = R1 ? 1 : D1, K2 = R2 ? 1 : D2, K3 = R3 ? 1 : D3;                    \
  const int N0 = R0 ? D0 : 1, N1 = R1 ? D1 : 1, N2 = R2 ? D2 : 1, N3 = R3 ? D3 : 1;                    \
  for (int o0 = 0; o0 < K0; ++o0)                                                                      \
    for (int o1 = 0; o1 < K1; ++o1)                                                                    \
      for (int o2 = 0; o2 < K2; ++o2)                                                                  \
        for (int o3 = 0; o3 < K3; ++o3) {                                                              \
          BODY_INIT;                                                                                   \
          for (int r0 = 0; r0 < N0; ++r0)                                                              \
            for (int r1 = 0; r1 < N1; ++r1)                                                            \
              for (int r2 = 0; r2 < N2; ++r2)                                                          \
                for (int r3 = 0; r3 < N3; ++r3) {                                                      \
                  const int at = (((o0 + r0) * D1 + (o1 + r1)) * D2 + (o2 + r2)) * D3 + (o3 + r3);     \
                  BODY_STEP;                                                                           \
                }                                                                                      \
          BODY_STORE;                                                                                  \
        }

/* int8 MEAN: the int32 sum less COUNT * in_zp, rescaled by TFLM's multiplier already divided by
 * COUNT (the generator folds 1/COUNT in exactly as QuantizedMeanOrSum does), plus out_zp. */
MLB_INLINE void mlb_mean_s8(const int8_t *in, int8_t *out, int D0, int D1, int D2, int D3, int R0, int R1, int R2,
                            int R3, int32_t count, int32_t in_zp, int32_t mult, int shift, int32_t out_zp) {
  MLB_REDUCE_LOOPS(int32_t acc = 0, acc += in[at],
                   *out++ = (int8_t)mlb_clamp_i32(mlb_mbqm(acc - in_zp * count, mult, shift) + out_zp, -128, 127))
}

/* int8 MEAN as TensorFlow Lite computes it (the `fp32` requantization mode; reduce.cc's float
 * QuantizedMeanOrSum): the sum's mean in float, times in_scale/out_scale plus -in_zp times that
 * (both float32 constants from the generator), rounded half away from zero, plus out_zp. Every
 * step rounds to float as TFLite's does; the clamp to +-2^20 first keeps the rounding exact. */
MLB_INLINE void mlb_mean_fp32_s8(const int8_t *in, int8_t *out, int D0, int D1, int D2, int D3, int R0, int R1, int R2,
                                 int R3, int32_t count, float scale, float bias, int32_t out_zp) {
  MLB_REDUCE_LOOPS(int32_t acc = 0, acc += in[at], {
    float v = ((float)acc / (float)count) * scale + bias;
    v = v > 1048576.0f ? 1048576.0f : v < -1048576.0f ? -1048576.0f : v;
    int32_t r = (int32_t)v;
    const float frac = v - (float)r;
    r += frac >= 0.5f ? 1 : frac <= -0.5f ? -1 : 0;
    *out++ = (int8_t)mlb_clamp_i32(r + out_zp, -128, 127);
  })
}

/* float32 MEAN: sum in row-major order, then divided by the element count (TFLM's Mean). */
MLB_INLINE void mlb_mean_f32(const mlb_f32 *in, mlb_f32 *out, int D0, int D1, int D2, int D3, int R0, int R1, int R2,
                             int R3, int32_t count) {
  MLB_REDUCE_LOOPS(float acc = 0.0f, acc += in[at], *out++ = acc / (float)count)
}

/* REDUCE_MAX, int8 (input and output share one quantization) and float32. */
MLB_INLINE void mlb_reduce_max_s8(const int8_t *in, int8_t *out, int D0, int D1, int D2, int D3, int R0, int R1,
                                  int R2, int R3) {
  MLB_REDUCE_LOOPS(int8_t acc = -128, acc = in[at] > acc ? in[at] : acc, *out++ = acc)
}

MLB_INLINE void mlb_reduce_max_f32(const mlb_f32 *in, mlb_f32 *out, int D0, int D1, int D2, int D3, int R0, int R1,
                                   int R2, int R3) {
  MLB_REDUCE_LOOPS(float acc = -FLT_MAX, acc = in[at] > acc ? in[at] : acc, *out++ = acc)
}

#undef MLB_REDUCE_LOOPS
#endif
