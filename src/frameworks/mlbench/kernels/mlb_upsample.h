/* mlbench kernel library: uint8 model edges, RESIZE_NEAREST_NEIGHBOR and TRANSPOSE_CONV, after
 * TFLite Micro's reference kernels (NHWC, batch 1). */
#ifndef MLB_UPSAMPLE_H
#define MLB_UPSAMPLE_H

#include <stdint.h>

#include "mlb_conv16.h"
#include "mlb_fixedpoint.h"
#include "mlb_float.h"

/* uint8 <-> int8 with one scale and zero points 128 apart: q ^ 0x80 is q - 128 (or + 128) exactly. */
MLB_INLINE void mlb_flip_u8_s8(const uint8_t *in, uint8_t *out, int N) {
  for (int i = 0; i < N; ++i) out[i] = (uint8_t)(in[i] ^ 0x80u);
}

/* RESIZE_NEAREST_NEIGHBOR of RUN-byte pixels: output row y reads input row ys[y], column x reads
 * column xs[x] (the maps are computed at generation time with TFLite's float formula). */
MLB_INLINE void mlb_resize_nn_bytes(const uint8_t *in, uint8_t *out, const int32_t *ys, const int32_t *xs, int B, int IH,
                                    int IW, int OH, int OW, int RUN) {
  for (int b = 0; b < B; ++b)
    for (int y = 0; y < OH; ++y) {
      const uint8_t *row = in + ((b * IH + ys[y]) * IW) * RUN;
      for (int x = 0; x < OW; ++x) {
        const uint8_t *src = row + xs[x] * RUN;
        for (int i = 0; i < RUN; ++i) *out++ = src[i];
      }
    }
}

/* The scatter of TRANSPOSE_CONV, shared by both dtypes (in TFLite's loop order): every input value
 * plus OFFSET times each tap lands on ACC[(oy * OW + ox) * OC + oc] where that is inside the output.
 * XTYPE holds the input value and so the product (16x8: int32, exact, summed into int64 ACC).
 * Expects in, w and the geometry names of the kernels below. */
#define MLB_TCONV_SCATTER(XTYPE, TYPE, ACC, OFFSET)                                              \
  for (int iy = 0; iy < IH; ++iy)                                                                \
    for (int ix = 0; ix < IW; ++ix)                                                              \
      for (int ic = 0; ic < IC; ++ic) {                                                          \
        const XTYPE x = (XTYPE)(in[(iy * IW + ix) * IC + ic] + (OFFSET));                        \
        for (int fy = 0; fy < KH; ++fy) {                                                        \
          const int oy = iy * SH - PT + fy;                                                      \
          if (oy < 0 || oy >= OH) continue;                                                      \
          for (int fx = 0; fx < KW; ++fx) {                                                      \
            const int ox = ix * SW - PL + fx;                                                    \
            if (ox < 0 || ox >= OW) continue;                                                    \
            TYPE *a = (ACC) + (oy * OW + ox) * OC;                                               \
            for (int oc = 0; oc < OC; ++oc) a[oc] += x * w[((oc * KH + fy) * KW + fx) * IC + ic]; \
          }                                                                                      \
        }                                                                                        \
      }

/* TRANSPOSE_CONV int8 as TFLite Micro's reference_integer_ops::TransposeConv: every input pixel
 * scatters (q + in_offset) * w into an int32 scratch of the output's size, then bias and per-channel
 * requantization in either mode. Weights [OC][KH][KW][IC]; bias may be NULL. */
MLB_INLINE void mlb_transpose_conv_s8(int mode, const int8_t *in, int8_t *out, const int8_t *w, const int32_t *bias,
                                      const int32_t *mult, const int32_t *shift, int32_t *acc, int IH, int IW, int IC,
                                      int OH, int OW, int OC, int KH, int KW, int SH, int SW, int PT, int PL,
                                      int32_t in_offset, int32_t out_zp, int32_t act_min, int32_t act_max) {
  for (int i = 0; i < OH * OW * OC; ++i) acc[i] = 0;
  MLB_TCONV_SCATTER(int32_t, int32_t, acc, in_offset);
  for (int p = 0; p < OH * OW; ++p)
    for (int oc = 0; oc < OC; ++oc) {
      const int32_t v = acc[p * OC + oc] + (bias ? bias[oc] : 0);
      out[p * OC + oc] = mlb_requant_s8(mode, v, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
    }
}

/* TRANSPOSE_CONV 16x8 as TFLite's reference_integer_ops::TransposeConv for int16: the scatter sums
 * int16 * int8 products (exact in int32) into an int64 scratch, then int64 bias (may be NULL) and the int64
 * MultiplyByQuantizedMultiplier per channel (QS 0: one multiplier for all channels). */
MLB_INLINE void mlb_transpose_conv_s16(const int16_t *in, int16_t *out, const int8_t *w, const int64_t *bias,
                                       const int32_t *mult, const int8_t *shift, int32_t QS, int64_t *acc, int IH, int IW,
                                       int IC, int OH, int OW, int OC, int KH, int KW, int SH, int SW, int PT, int PL,
                                       int32_t act_min, int32_t act_max) {
  for (int i = 0; i < OH * OW * OC; ++i) acc[i] = 0;
  MLB_TCONV_SCATTER(int32_t, int64_t, acc, 0);
  for (int p = 0; p < OH * OW; ++p)
    for (int oc = 0; oc < OC; ++oc) {
      const int64_t v = acc[p * OC + oc] + (bias ? bias[oc] : 0);
      out[p * OC + oc] = mlb_requant_s16(v, mult[oc * QS], shift[oc * QS], act_min, act_max);
    }
}

/* TRANSPOSE_CONV float32 as TFLite's reference TransposeConv (same scatter order); bias may be NULL. */
MLB_INLINE void mlb_transpose_conv_f32(const mlb_f32 *in, mlb_f32 *out, const mlb_f32 *w, const mlb_f32 *bias, int IH,
                                       int IW, int IC, int OH, int OW, int OC, int KH, int KW, int SH, int SW, int PT,
                                       int PL, float act_min, float act_max) {
  for (int i = 0; i < OH * OW * OC; ++i) out[i] = 0.0f;
  MLB_TCONV_SCATTER(mlb_f32, mlb_f32, out, 0);
  for (int p = 0; p < OH * OW; ++p)
    for (int oc = 0; oc < OC; ++oc) {
      const float v = out[p * OC + oc] + (bias ? bias[oc] : 0.0f);
      out[p * OC + oc] = v < act_min ? act_min : v > act_max ? act_max : v;
    }
}

#endif
