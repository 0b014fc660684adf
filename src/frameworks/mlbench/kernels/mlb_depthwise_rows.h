/* mlbench kernel library: sliding 3x3 depthwise rows, stride 1 and 2 (RISC-V, MLB_BLOCK4; Arm DSP builds for wide rows). */
#ifndef MLB_DEPTHWISE_ROWS_H
#define MLB_DEPTHWISE_ROWS_H

#include "mlb_depthwise_core.h"

#if MLB_BLOCK4 || MLB_SIMD_DSP
/* One input column (x0, x1, x2: rows 0..2) of mlb_dw3x3_rows_s8: completes the pixel in a0
 * (kernel column 2) and stores it, moves the next one on (column 1), starts one (column 0). */
#define MLB_DW3_COLUMN(x0, x1, x2)                                                                     \
  do {                                                                                                 \
    *op = mlb_requant_s8(MODE, a0 + (x0) * v02 + (x1) * v12 + (x2) * v22, m, e, out_zp, act_min, act_max); \
    op += IC;                                                                                          \
    a0 = a1 + (x0) * v01 + (x1) * v11 + (x2) * v21;                                                    \
    a1 = br + (x0) * v00 + (x1) * v10 + (x2) * v20;                                                    \
  } while (0)

/* Row setup shared by the sliding depthwise kernels: the taps of channel c (a padded kernel row gets
 * zero taps and its in_zp * w goes into the bias) and the three input rows at column 0 (a padded
 * one reads image row 0, with zero taps). */
#define MLB_DW3_ROW_SETUP(col0)                                                                   \
  const int8_t *const wc = w + c * 9;                                                           \
  const int32_t m = mult[c * QS];                                                               \
  const int e = (int)shift[c * QS];                                                             \
  int32_t v[9], br = bias[c];                                                                   \
  const int8_t *rp[3];                                                                          \
  for (int r = 0; r < 3; ++r) {                                                                 \
    const int ok = iy + r >= 0 && iy + r < IH;                                                  \
    rp[r] = in + ((ok ? iy + r : 0) * IW + (col0)) * IC + c;                                    \
    for (int j = 0; j < 3; ++j) {                                                               \
      v[r * 3 + j] = ok ? wc[r * 3 + j] : 0;                                                    \
      br += ok ? 0 : in_zp * wc[r * 3 + j];                                                     \
    }                                                                                           \
  }                                                                                             \
  const int32_t v00 = v[0], v01 = v[1], v02 = v[2], v10 = v[3], v11 = v[4], v12 = v[5], v20 = v[6], \
                v21 = v[7], v22 = v[8]

/* mlb_dw3x3_rows_s8 with stride 2 across (PL <= 1): pixel t reads input columns 2t-PL .. 2t-PL+2;
 * the last one is also the first of pixel t+1, so each pixel loads two new columns (6 loads). */
MLB_INLINE void mlb_dw3x3_rows_s2_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                     const int32_t *restrict bias, const int32_t *restrict mult,
                                     const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW, int SH,
                                     int PT, int PL, int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
  /* Pixels [0, t_fast) have both new columns (2t+1-PL, 2t+2-PL) inside the image. */
  int t_fast = IW - 3 + PL >= 0 ? (IW - 3 + PL) / 2 + 1 : 0;
  if (t_fast > OW) t_fast = OW;
  for (int oy = 0; oy < OH; ++oy) {
    const int iy = oy * SH - PT;
    for (int c = 0; c < IC; ++c) {
      MLB_DW3_ROW_SETUP(0);
      int8_t *op = out + oy * OW * IC + c;
      /* carry: the next pixel's sum so far (its first column, taps v_0). */
      int32_t carry = br;
      if (PL == 0) carry += rp[0][0] * v00 + rp[1][0] * v10 + rp[2][0] * v20;
      else carry += in_zp * (v00 + v10 + v20);
      const int8_t *p0 = rp[0] + (1 - PL) * IC, *p1 = rp[1] + (1 - PL) * IC, *p2 = rp[2] + (1 - PL) * IC;
      int t = 0;
      _Pragma("GCC unroll 1")
      for (; t < t_fast; ++t, p0 += 2 * IC, p1 += 2 * IC, p2 += 2 * IC, op += IC) {
        const int32_t a0 = p0[0], a1 = p1[0], a2 = p2[0], b0 = p0[IC], b1 = p1[IC], b2 = p2[IC];
        const int32_t done = carry + a0 * v01 + a1 * v11 + a2 * v21 + b0 * v02 + b1 * v12 + b2 * v22;
        carry = br + b0 * v00 + b1 * v10 + b2 * v20;
        *op = mlb_requant_s8(MODE, done, m, e, out_zp, act_min, act_max);
      }
      _Pragma("GCC unroll 1")
      for (; t < OW; ++t, op += IC) {
        const int ia = 2 * t + 1 - PL, ib = ia + 1;
        int32_t a[3], b[3];
        for (int r = 0; r < 3; ++r) {
          a[r] = ia < IW ? rp[r][ia * IC] : in_zp;
          b[r] = ib < IW ? rp[r][ib * IC] : in_zp;
        }
        const int32_t done = carry + a[0] * v01 + a[1] * v11 + a[2] * v21 + b[0] * v02 + b[1] * v12 + b[2] * v22;
        carry = br + b[0] * v00 + b[1] * v10 + b[2] * v20;
        *op = mlb_requant_s8(MODE, done, m, e, out_zp, act_min, act_max);
      }
    }
  }
}

/* 3x3 depthwise with multiplier 1 and stride 1 across: row by row and, within a row, channel by
 * channel, the window slides one input column at a time. Each input column (three loads) feeds
 * three pixels: the one it completes (kernel column 2), the next (column 1) and the one it starts
 * (column 0), so a pixel costs 3 loads and 9 MACs with the channel's taps, bias and
 * requantization constants in registers, and there are no border pixels: a padded kernel row gets
 * zero taps and its in_zp * w goes into the row's bias; padded columns read in_zp. Output rows are
 * written in order, each after its input rows are read, as planner.ts's overlapSlack assumes
 * (sliding down the columns instead, faster for aww's 25x5 maps, would break that). */
MLB_INLINE void mlb_dw3x3_rows_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                  const int32_t *restrict bias, const int32_t *restrict mult, const int8_t *restrict shift,
                                  int QS, int IH, int IW, int IC, int OH, int OW, int SH, int SW, int PT, int PL,
                                  int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
  if (SW == 2) {
    mlb_dw3x3_rows_s2_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, SH, PT, PL, in_zp, out_zp, act_min, act_max);
    return;
  }
  /* Columns q = 0 .. OW+1 read input column q - PL: padding [0, q_in), image [q_in, q_out), padding. */
  const int q_in = PL < OW + 2 ? PL : OW + 2;
  int q_out = IW + PL < OW + 2 ? IW + PL : OW + 2;
  if (q_out < q_in) q_out = q_in;
  for (int oy = 0; oy < OH; ++oy) {
    const int iy = oy * SH - PT;
    for (int c = 0; c < IC; ++c) {
      const int8_t *const wc = w + c * 9;
      const int32_t m = mult[c * QS];
      const int e = (int)shift[c * QS];
      int32_t v[9], br = bias[c];
      const int8_t *rp[3];
      for (int r = 0; r < 3; ++r) {
        const int ok = iy + r >= 0 && iy + r < IH;
        /* A padded kernel row reads any image row (row 0) with zero taps. */
        rp[r] = in + ((ok ? iy + r : 0) * IW + (q_in - PL)) * IC + c;
        for (int j = 0; j < 3; ++j) {
          v[r * 3 + j] = ok ? wc[r * 3 + j] : 0;
          br += ok ? 0 : in_zp * wc[r * 3 + j];
        }
      }
      const int32_t v00 = v[0], v01 = v[1], v02 = v[2], v10 = v[3], v11 = v[4], v12 = v[5], v20 = v[6], v21 = v[7], v22 = v[8];
      int8_t *op = out + oy * OW * IC + c;
      int32_t a0 = 0, a1 = 0;
      int q = 0;
      /* Columns 0 and 1 start the pipeline (their "completed" pixels do not exist). */
      for (; q < 2; ++q) {
        const int ix = q - PL;
        int32_t x[3];
        for (int r = 0; r < 3; ++r) x[r] = ix >= 0 && ix < IW ? rp[r][(q - q_in) * IC] : in_zp;
        a0 = a1 + x[0] * v01 + x[1] * v11 + x[2] * v21;
        a1 = br + x[0] * v00 + x[1] * v10 + x[2] * v20;
      }
      _Pragma("GCC unroll 1")
      for (; q < q_in; ++q) MLB_DW3_COLUMN(in_zp, in_zp, in_zp);
      if (q < q_out) {
        const int8_t *p0 = rp[0] + (q - q_in) * IC, *p1 = rp[1] + (q - q_in) * IC, *p2 = rp[2] + (q - q_in) * IC;
        const int8_t *const end = rp[0] + (q_out - q_in) * IC;
        _Pragma("GCC unroll 1")
        for (; p0 != end; p0 += IC, p1 += IC, p2 += IC) MLB_DW3_COLUMN((int32_t)*p0, (int32_t)*p1, (int32_t)*p2);
        q = q_out;
      }
      _Pragma("GCC unroll 1")
      for (; q < OW + 2; ++q) MLB_DW3_COLUMN(in_zp, in_zp, in_zp);
    }
  }
}
#undef MLB_DW3_COLUMN
#undef MLB_DW3_ROW_SETUP
#endif

#endif
