/* mlbench kernel library: int8 pooling (NHWC, batch 1), TFLM reference semantics:
 * padded positions are excluded, the average rounds half away from zero. */
#ifndef MLB_POOL_H
#define MLB_POOL_H

#include "mlb_fixedpoint.h"
#include "mlb_simd.h"

/* The loop nest of every pooling kernel (NHWC, batch 1; padded positions are left out of the
 * window): for each output pixel and channel, acc (of type T) starts at INIT, STEP folds in each
 * window element v, FINISH writes out[c] (`count` = the window's positions inside the input).
 * The names are the kernels' own parameters. */
#define MLB_POOL_LOOPS(T, INIT, STEP, FINISH)                                                          \
  for (int oy = 0; oy < OH; ++oy) {                                                                  \
    const int iy0 = oy * SH - PT;                                                                    \
    const int fy0 = mlb_max_i32(0, -iy0), fy1 = mlb_min_i32(FH, IH - iy0);                          \
    for (int ox = 0; ox < OW; ++ox) {                                                                \
      const int ix0 = ox * SW - PL;                                                                  \
      const int fx0 = mlb_max_i32(0, -ix0), fx1 = mlb_min_i32(FW, IW - ix0);                        \
      const int32_t count = (fy1 - fy0) * (fx1 - fx0);                                               \
      (void)count;                                                                                   \
      for (int c = 0; c < C; ++c) {                                                                  \
        T acc = INIT;                                                                                \
        for (int fy = fy0; fy < fy1; ++fy)                                                           \
          for (int fx = fx0; fx < fx1; ++fx) {                                                       \
            const T v = in[((iy0 + fy) * IW + (ix0 + fx)) * C + c];                                  \
            STEP;                                                                                    \
          }                                                                                          \
        FINISH;                                                                                      \
      }                                                                                              \
      out += C;                                                                                      \
    }                                                                                                \
  }

/* TIES_UP (a literal): TFLite's uint8 rounding of the mean, for uint8 models run as int8 (q - 128):
 * (sum + count/2) / count on the non-negative uint8 sum, where int8 rounds ties away from zero. */
MLB_INLINE int8_t mlb_avg_round_s8(int32_t acc, int32_t count, int TIES_UP, int32_t act_min, int32_t act_max) {
  if (TIES_UP) acc = (acc + 128 * count + count / 2) / count - 128;
  else acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
  return (int8_t)mlb_clamp_i32(acc, act_min, act_max);
}

MLB_INLINE void mlb_avg_pool_round_s8(const int8_t *restrict in, int8_t *restrict out, int IH, int IW, int C, int OH,
                                      int OW, int FH, int FW, int SH, int SW, int PT, int PL, int32_t act_min,
                                      int32_t act_max, int TIES_UP) {
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int fy0 = mlb_max_i32(0, -iy0), fy1 = mlb_min_i32(FH, IH - iy0);
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int fx0 = mlb_max_i32(0, -ix0), fx1 = mlb_min_i32(FW, IW - ix0);
      const int32_t count = (fy1 - fy0) * (fx1 - fx0);
      int c = 0;
#if MLB_SIMD_MVE
      /* Four channels' sums per vector (one widening load and one add per tap); the rounded
       * division stays per lane. */
      for (; c + 4 <= C; c += 4) {
        int32x4_t v = vdupq_n_s32(0);
        for (int fy = fy0; fy < fy1; ++fy) {
          const int8_t *ip = in + ((iy0 + fy) * IW + (ix0 + fx0)) * C + c;
          for (int fx = fx0; fx < fx1; ++fx, ip += C) v = vaddq_s32(v, vldrbq_s32(ip));
        }
        int32_t sums[4];
        vstrwq_s32(sums, v);
        for (int j = 0; j < 4; ++j) out[c + j] = mlb_avg_round_s8(sums[j], count, TIES_UP, act_min, act_max);
      }
#endif
      for (; c < C; ++c) {
        int32_t acc = 0;
        for (int fy = fy0; fy < fy1; ++fy)
          for (int fx = fx0; fx < fx1; ++fx) acc += in[((iy0 + fy) * IW + (ix0 + fx)) * C + c];
        out[c] = mlb_avg_round_s8(acc, count, TIES_UP, act_min, act_max);
      }
      out += C;
    }
  }
}

MLB_INLINE void mlb_avg_pool_s8(const int8_t *restrict in, int8_t *restrict out, int IH, int IW, int C, int OH,
                                int OW, int FH, int FW, int SH, int SW, int PT, int PL, int32_t act_min,
                                int32_t act_max) {
  mlb_avg_pool_round_s8(in, out, IH, IW, C, OH, OW, FH, FW, SH, SW, PT, PL, act_min, act_max, 0);
}

MLB_INLINE void mlb_max_pool_s8(const int8_t *restrict in, int8_t *restrict out, int IH, int IW, int C, int OH,
                                int OW, int FH, int FW, int SH, int SW, int PT, int PL, int32_t act_min,
                                int32_t act_max) {
  MLB_POOL_LOOPS(int32_t, -128, acc = mlb_max_i32(acc, v), out[c] = (int8_t)mlb_clamp_i32(acc, act_min, act_max))
}

#endif
