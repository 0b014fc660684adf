/* 16x8 kernels: int16 activations (symmetric, zero point 0), int8 weights (symmetric, per channel
 * or per tensor), int64 bias. Bit-exact with TensorFlow Lite's reference integer kernels
 * (reference_integer_ops::ConvPerChannel / DepthwiseConvPerChannel / FullyConnected with int16
 * input): the accumulator is 64-bit and is scaled with the int64 MultiplyByQuantizedMultiplier,
 * which rounds the Q31 multiplier to Q15 first. One exception: desktop TensorFlow Lite (and so the
 * LiteRT oracle) runs 16x8 FULLY_CONNECTED through its optimized GEMM with an int32 accumulator and
 * a single-rounding Q31 multiply; mlb_fully_connected_s16 does that when `rounding` is
 * MLB_ROUND16_LITERT (the backend's requantize=fp32 mode, "match desktop TFLite") and TFLM's
 * arithmetic with MLB_ROUND16_TFLM (requantize=tflm).
 * QS is 1 when every output channel has its own multiplier/shift, 0 when one pair serves all. */
#ifndef MLB_CONV16_H
#define MLB_CONV16_H

#include <stdint.h>

/* TFLite's MultiplyByQuantizedMultiplier(int64_t x, int32_t q, int shift), without TFLITE_SINGLE_ROUNDING. */
static inline int32_t mlb_mqm64(int64_t x, int32_t q, int32_t shift) {
  const int64_t reduced = q < 0x7FFF0000 ? (int64_t)((q + (1 << 15)) >> 16) : 0x7FFF;
  const int32_t total_shift = 15 - shift;
  const int64_t r = x * reduced + ((int64_t)1 << (total_shift - 1));
  return (int32_t)(r >> total_shift);
}

#define MLB_ROUND16_TFLM 0
#define MLB_ROUND16_LITERT 1

/* Single-rounding MultiplyByQuantizedMultiplier on an int32 accumulator (ruy/TFLite optimized path). */
static inline int32_t mlb_mqm32_single(int64_t acc, int32_t q, int32_t shift) {
  const int64_t x = acc > INT32_MAX ? INT32_MAX : acc < INT32_MIN ? INT32_MIN : acc;
  const int32_t total_shift = 31 - shift;
  return (int32_t)((x * q + ((int64_t)1 << (total_shift - 1))) >> total_shift);
}

static inline int16_t mlb_requant_s16(int64_t acc, int32_t q, int32_t shift, int32_t act_min, int32_t act_max) {
  int32_t v = mlb_mqm64(acc, q, shift);
  v = v < act_min ? act_min : v;
  v = v > act_max ? act_max : v;
  return (int16_t)v;
}

/* sum_i w[i] * x[i] exactly: |int8 * int16| <= 2^22, so 256 products fit an int32 partial sum. */
static inline int64_t mlb_dot_s16x8(const int8_t *w, const int16_t *x, int32_t n) {
  int64_t acc = 0;
  for (int32_t c = 0; c < n; c += 256) {
    const int32_t end = n - c < 256 ? n : c + 256;
    int32_t part = 0;
    for (int32_t i = c; i < end; ++i) part += (int32_t)w[i] * x[i];
    acc += part;
  }
  return acc;
}

/* CONV_2D, NHWC input [IH][IW][IC], weights OHWI [OC][KH][KW][IC], output [OH][OW][OC]. */
static inline void mlb_conv2d_s16(const int16_t *in, int16_t *out, const int8_t *w, const int64_t *bias, const int32_t *mult, const int8_t *shift,
                                  int32_t QS, int32_t IH, int32_t IW, int32_t IC, int32_t OH, int32_t OW, int32_t OC, int32_t KH, int32_t KW,
                                  int32_t SH, int32_t SW, int32_t DH, int32_t DW, int32_t PT, int32_t PL, int32_t act_min, int32_t act_max) {
  for (int32_t oy = 0; oy < OH; ++oy) {
    for (int32_t ox = 0; ox < OW; ++ox) {
      const int32_t y0 = oy * SH - PT, x0 = ox * SW - PL;
      for (int32_t oc = 0; oc < OC; ++oc) {
        int64_t acc = bias ? bias[oc] : 0;
        const int8_t *wc = w + oc * KH * KW * IC;
        for (int32_t ky = 0; ky < KH; ++ky) {
          const int32_t y = y0 + ky * DH;
          if (y < 0 || y >= IH) continue;
          for (int32_t kx = 0; kx < KW; ++kx) {
            const int32_t x = x0 + kx * DW;
            if (x < 0 || x >= IW) continue;
            acc += mlb_dot_s16x8(wc + (ky * KW + kx) * IC, in + (y * IW + x) * IC, IC);
          }
        }
        *out++ = mlb_requant_s16(acc, mult[oc * QS], shift[oc * QS], act_min, act_max);
      }
    }
  }
}

/* DEPTHWISE_CONV_2D with depth multiplier DM; weights reordered to [OC][KH][KW], OC = IC * DM. */
static inline void mlb_depthwise_conv2d_s16(const int16_t *in, int16_t *out, const int8_t *w, const int64_t *bias, const int32_t *mult,
                                            const int8_t *shift, int32_t QS, int32_t IH, int32_t IW, int32_t IC, int32_t OH, int32_t OW,
                                            int32_t DM, int32_t KH, int32_t KW, int32_t SH, int32_t SW, int32_t DH, int32_t DW, int32_t PT,
                                            int32_t PL, int32_t act_min, int32_t act_max) {
  const int32_t OC = IC * DM;
  for (int32_t oy = 0; oy < OH; ++oy) {
    for (int32_t ox = 0; ox < OW; ++ox) {
      const int32_t y0 = oy * SH - PT, x0 = ox * SW - PL;
      for (int32_t oc = 0; oc < OC; ++oc) {
        const int32_t ic = oc / DM;
        const int8_t *wc = w + oc * KH * KW;
        int32_t part = 0; /* KH*KW taps of < 2^22 each: fits while KH*KW < 512 (checked by the generator). */
        for (int32_t ky = 0; ky < KH; ++ky) {
          const int32_t y = y0 + ky * DH;
          if (y < 0 || y >= IH) continue;
          for (int32_t kx = 0; kx < KW; ++kx) {
            const int32_t x = x0 + kx * DW;
            if (x < 0 || x >= IW) continue;
            part += (int32_t)wc[ky * KW + kx] * in[(y * IW + x) * IC + ic];
          }
        }
        const int64_t acc = (bias ? bias[oc] : 0) + part;
        *out++ = mlb_requant_s16(acc, mult[oc * QS], shift[oc * QS], act_min, act_max);
      }
    }
  }
}

/* FULLY_CONNECTED: ROWS input rows of K, weights [N][K], output [ROWS][N]. */
static inline void mlb_fully_connected_s16(int32_t rounding, const int16_t *in, int16_t *out, const int8_t *w, const int64_t *bias, const int32_t *mult,
                                           const int8_t *shift, int32_t QS, int32_t ROWS, int32_t K, int32_t N, int32_t act_min,
                                           int32_t act_max) {
  for (int32_t r = 0; r < ROWS; ++r, in += K) {
    for (int32_t n = 0; n < N; ++n) {
      const int64_t acc = (bias ? bias[n] : 0) + mlb_dot_s16x8(w + n * K, in, K);
      if (rounding == MLB_ROUND16_LITERT) {
        int32_t v = mlb_mqm32_single(acc, mult[n * QS], shift[n * QS]);
        v = v < act_min ? act_min : v;
        *out++ = (int16_t)(v > act_max ? act_max : v);
      } else {
        *out++ = mlb_requant_s16(acc, mult[n * QS], shift[n * QS], act_min, act_max);
      }
    }
  }
}

#endif
