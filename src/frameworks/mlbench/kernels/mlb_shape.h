/* mlbench kernel library: data movement shared by every dtype (CONCATENATION, PAD, SPLIT,
 * UNPACK, GATHER). Bytes are copied as they are, so results are exact for any element type. */
#ifndef MLB_SHAPE_H
#define MLB_SHAPE_H

#include <stdint.h>

#include "mlb_fixedpoint.h"
#include "mlb_broadcast.h"

/* Byte-level copies shared by all dtypes. CONCATENATION: each input contributes a run of
 * `run[k]` bytes to every one of OUTER output rows. */
MLB_INLINE void mlb_concat_bytes(const uint8_t *const *in, const int32_t *run, int N, int OUTER, uint8_t *out) {
  for (int o = 0; o < OUTER; ++o)
    for (int k = 0; k < N; ++k) {
      const uint8_t *src = in[k] + o * run[k];
      for (int i = 0; i < run[k]; ++i) *out++ = src[i];
    }
}

/* PAD over 4 dimensions of E-byte elements: input dims D0..D3, leading pads P0..P3, output dims
 * O0..O3; padded elements are a copy of the E bytes at `fill`. */
MLB_INLINE void mlb_pad_bytes(const uint8_t *in, uint8_t *out, const uint8_t *fill, int E, int D0, int D1, int D2,
                              int D3, int P0, int P1, int P2, int P3, int O0, int O1, int O2, int O3) {
  for (int i0 = 0; i0 < O0; ++i0)
    for (int i1 = 0; i1 < O1; ++i1)
      for (int i2 = 0; i2 < O2; ++i2)
        for (int i3 = 0; i3 < O3; ++i3) {
          const int j0 = i0 - P0, j1 = i1 - P1, j2 = i2 - P2, j3 = i3 - P3;
          const int inside = j0 >= 0 && j0 < D0 && j1 >= 0 && j1 < D1 && j2 >= 0 && j2 < D2 && j3 >= 0 && j3 < D3;
          const uint8_t *src = inside ? in + (((j0 * D1 + j1) * D2 + j2) * D3 + j3) * E : fill;
          for (int e = 0; e < E; ++e) *out++ = src[e];
        }
}

/* SPLIT / UNPACK: OUTER runs of RUN bytes, taken every SRC_STRIDE bytes. */
MLB_INLINE void mlb_slice_bytes(const uint8_t *in, uint8_t *out, int OUTER, int RUN, int SRC_STRIDE) {
  for (int o = 0; o < OUTER; ++o) {
    const uint8_t *src = in + o * SRC_STRIDE;
    for (int i = 0; i < RUN; ++i) *out++ = src[i];
  }
}

/* GATHER along an axis of AXIS_DIM entries: for each of OUTER outer rows and each of N indices,
 * the INNER-byte slice at idx[n]. Indices outside [0, AXIS_DIM) read slice 0 (TFLite refuses them
 * at run time; the generator checks constant indices beforehand). */
MLB_INLINE void mlb_gather_bytes(const uint8_t *in, uint8_t *out, const int32_t *idx, int N, int OUTER, int AXIS_DIM,
                                 int INNER) {
  for (int o = 0; o < OUTER; ++o)
    for (int n = 0; n < N; ++n) {
      const int32_t k = idx[n] >= 0 && idx[n] < AXIS_DIM ? idx[n] : 0;
      const uint8_t *src = in + (o * AXIS_DIM + k) * INNER;
      for (int i = 0; i < INNER; ++i) *out++ = src[i];
    }
}

/* int8 ADD / SUB with 4-D broadcasting, TFLite's rescaling (left shift 20) per element as
 * mlb_add_s8; SUB subtracts the rescaled second input. */
MLB_INLINE void mlb_addsub_bcast_s8(const int8_t *a, const int8_t *b, int8_t *out, int SUB, int D0, int D1, int D2,
                                    int D3, int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3,
                                    int32_t a_offset, int32_t a_mult, int a_shift, int32_t b_offset, int32_t b_mult,
                                    int b_shift, int32_t out_mult, int out_shift, int32_t out_zp, int32_t act_min,
                                    int32_t act_max) {
  MLB_BROADCAST4(int8_t, {
    const int32_t sa = mlb_mbqm((a_offset + x) * (1 << 20), a_mult, a_shift);
    const int32_t sb = mlb_mbqm((b_offset + y) * (1 << 20), b_mult, b_shift);
    *out++ = (int8_t)mlb_clamp_i32(mlb_mbqm(SUB ? sa - sb : sa + sb, out_mult, out_shift) + out_zp, act_min, act_max);
  })
}

#endif
