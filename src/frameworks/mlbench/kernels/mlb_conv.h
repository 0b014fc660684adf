/* mlbench kernel library: convolution-like int8 kernels (NHWC, batch 1).
 * Biases arrive with the input zero point already folded in (bias - in_zp * sum(w)), so the
 * hot loops are plain int8 x int8 -> int32 MACs with constant bounds. Output pixels whose
 * receptive field crosses the padding take a separate border path that adds in_zp * w for the
 * padded taps, which is what TFLite's "skip padded taps" means once the zero point is folded. */
#ifndef MLB_CONV_H
#define MLB_CONV_H

#include "mlb_fixedpoint.h"

/* With run-time channel counts GCC's loop analysis reports iterations "invoking undefined
 * behaviour" (index overflow) that no valid shape reaches; the diagnostic is a false positive. */
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"

/* Four output channels of one interior pixel: each input byte is loaded once for four MACs. */
MLB_INLINE void mlb_conv_interior_x4(const int8_t *restrict in, const int8_t *restrict w, int32_t acc[4], int IW, int IC,
                                     int KH, int KW, int DH, int DW, int iy0, int ix0) {
  const int K = KH * KW * IC;
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int ky = 0; ky < KH; ++ky) {
    for (int kx = 0; kx < KW; ++kx) {
      const int8_t *ip = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
      const int t = (ky * KW + kx) * IC;
      for (int ic = 0; ic < IC; ++ic) {
        const int32_t x = ip[ic];
        a0 += x * w0[t + ic];
        a1 += x * w1[t + ic];
        a2 += x * w2[t + ic];
        a3 += x * w3[t + ic];
      }
    }
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/* Four output channels of two horizontally adjacent interior pixels: 6 loads for 8 MACs. */
MLB_INLINE void mlb_conv_interior_2x4(const int8_t *restrict in, const int8_t *restrict w, int32_t acc[8], int IW,
                                      int IC, int KH, int KW, int SW, int DH, int DW, int iy0, int ix0) {
  const int K = KH * KW * IC;
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t b0 = acc[4], b1 = acc[5], b2 = acc[6], b3 = acc[7];
  for (int ky = 0; ky < KH; ++ky) {
    for (int kx = 0; kx < KW; ++kx) {
      const int8_t *ip0 = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
      const int8_t *ip1 = ip0 + SW * IC;
      const int t = (ky * KW + kx) * IC;
      for (int ic = 0; ic < IC; ++ic) {
        const int32_t x0 = ip0[ic], x1 = ip1[ic];
        const int32_t v0 = w0[t + ic], v1 = w1[t + ic], v2 = w2[t + ic], v3 = w3[t + ic];
        a0 += x0 * v0, b0 += x1 * v0;
        a1 += x0 * v1, b1 += x1 * v1;
        a2 += x0 * v2, b2 += x1 * v2;
        a3 += x0 * v3, b3 += x1 * v3;
      }
    }
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = b0, acc[5] = b1, acc[6] = b2, acc[7] = b3;
}

/* All OC outputs of one pixel whose receptive field lies inside `in` (row width IW). */
MLB_INLINE void mlb_conv_pixel(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                               const int32_t *restrict bias, const int32_t *restrict mult,
                               const int32_t *restrict shift, int IW, int IC, int OC, int KH, int KW, int DH, int DW,
                               int iy0, int ix0, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int K = KH * KW * IC;
  int oc = 0;
  for (; oc + 4 <= OC; oc += 4) {
    int32_t acc[4] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
    mlb_conv_interior_x4(in, w + oc * K, acc, IW, IC, KH, KW, DH, DW, iy0, ix0);
    for (int j = 0; j < 4; ++j)
      out[oc + j] = mlb_requant_s8(MODE, acc[j], mult[oc + j], (int)shift[oc + j], out_zp, act_min, act_max);
  }
  for (const int8_t *wo = w + oc * K; oc < OC; ++oc, wo += K) {
    const int8_t *wp = wo;
    int32_t acc = bias[oc];
    for (int ky = 0; ky < KH; ++ky) {
      for (int kx = 0; kx < KW; ++kx) {
        const int8_t *ip = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
        for (int ic = 0; ic < IC; ++ic) acc += (int32_t)ip[ic] * (int32_t)wp[ic];
        wp += IC;
      }
    }
    out[oc] = mlb_requant_s8(MODE, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
  }
}

/* One output pixel (all OC channels) whose receptive field crosses the padding: padded taps
 * contribute in_zp * w, which the folded bias subtracted, exactly as TFLite's skipped taps.
 * Shared and out of line with run-time shapes: border pixels are a small share of the work. */
static __attribute__((noinline, noclone, unused)) void mlb_conv_border_s8(
    int mode, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w, const int32_t *restrict bias,
    const int32_t *restrict mult, const int32_t *restrict shift, int IH, int IW, int IC, int OC, int KH, int KW, int DH,
    int DW, int iy0, int ix0, int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int8_t *wp = w;
  for (int oc = 0; oc < OC; ++oc) {
    int32_t acc = bias[oc];
    for (int ky = 0; ky < KH; ++ky) {
      const int iy = iy0 + ky * DH;
      for (int kx = 0; kx < KW; ++kx) {
        const int ix = ix0 + kx * DW;
        if (iy >= 0 && iy < IH && ix >= 0 && ix < IW) {
          const int8_t *ip = in + (iy * IW + ix) * IC;
          for (int ic = 0; ic < IC; ++ic) acc += (int32_t)ip[ic] * (int32_t)wp[ic];
        } else {
          int32_t s = 0;
          for (int ic = 0; ic < IC; ++ic) s += (int32_t)wp[ic];
          acc += in_zp * s;
        }
        wp += IC;
      }
    }
    out[oc] = mode == MLB_REQUANT_FP32
                  ? mlb_requant_s8(MLB_REQUANT_FP32, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max)
                  : mlb_requant_s8(MLB_REQUANT_TFLM, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
  }
}

/* Weights OHWI: w[oc][ky][kx][ic]. */
MLB_INLINE void mlb_conv2d_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                              const int32_t *restrict bias, const int32_t *restrict mult,
                              const int32_t *restrict shift, int IH, int IW, int IC, int OH, int OW, int OC, int KH,
                              int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp, int32_t out_zp,
                              int32_t act_min, int32_t act_max) {
  const int K = KH * KW * IC;
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + (KH - 1) * DH < IH;
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + (KW - 1) * DW < IW;
      if (inside && ox + 1 < OW && ix0 + SW + (KW - 1) * DW < IW && OC % 4 == 0) {
        /* Two pixels at once. */
        for (int oc = 0; oc < OC; oc += 4) {
          int32_t acc[8] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3],
                            bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
          mlb_conv_interior_2x4(in, w + oc * K, acc, IW, IC, KH, KW, SW, DH, DW, iy0, ix0);
          for (int j = 0; j < 4; ++j) {
            out[oc + j] = mlb_requant_s8(MODE, acc[j], mult[oc + j], (int)shift[oc + j], out_zp, act_min, act_max);
            out[OC + oc + j] = mlb_requant_s8(MODE, acc[4 + j], mult[oc + j], (int)shift[oc + j], out_zp, act_min, act_max);
          }
        }
        out += 2 * OC;
        ++ox;
        continue;
      }
      if (inside) {
        mlb_conv_pixel(MODE, in, out, w, bias, mult, shift, IW, IC, OC, KH, KW, DH, DW, iy0, ix0, out_zp, act_min, act_max);
      } else {
        mlb_conv_border_s8(MODE, in, out, w, bias, mult, shift, IH, IW, IC, OC, KH, KW, DH, DW, iy0, ix0, in_zp, out_zp,
                           act_min, act_max);
      }
      out += OC;
    }
  }
}

/* One border pixel of a depthwise convolution (all OC channels); shared, run-time shapes. */
static __attribute__((noinline, noclone, unused)) void mlb_dw_border_s8(
    int mode, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w, const int32_t *restrict bias,
    const int32_t *restrict mult, const int32_t *restrict shift, int IH, int IW, int IC, int DM, int KH, int KW,
    int DH, int DW, int iy0, int ix0, int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int OC = IC * DM;
  const int8_t *wp = w;
  for (int oc = 0; oc < OC; ++oc) {
    const int ic = oc / DM;
    int32_t acc = bias[oc];
    for (int ky = 0; ky < KH; ++ky) {
      const int iy = iy0 + ky * DH;
      for (int kx = 0; kx < KW; ++kx) {
        const int ix = ix0 + kx * DW;
        const int32_t x = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? (int32_t)in[(iy * IW + ix) * IC + ic] : in_zp;
        acc += x * (int32_t)wp[ky * KW + kx];
      }
    }
    wp += KH * KW;
    out[oc] = mode == MLB_REQUANT_FP32
                  ? mlb_requant_s8(MLB_REQUANT_FP32, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max)
                  : mlb_requant_s8(MLB_REQUANT_TFLM, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
  }
}

/* Weights reordered at generation time to w[oc][ky][kx] (sequential per output channel);
 * output channel oc reads input channel oc / DM. */
MLB_INLINE void mlb_depthwise_conv2d_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                        const int32_t *restrict bias, const int32_t *restrict mult,
                                        const int32_t *restrict shift, int IH, int IW, int IC, int OH, int OW,
                                        int DM, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
                                        int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int OC = IC * DM;
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + (KH - 1) * DH < IH;
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + (KW - 1) * DW < IW;
      const int8_t *wp = w;
      if (inside) {
        const int8_t *base = in + (iy0 * IW + ix0) * IC;
        for (int oc = 0; oc < OC; ++oc) {
          const int8_t *ip = base + oc / DM;
          int32_t acc = bias[oc];
          /* Constant 3x3 (or 5x5) taps: unrolled into straight-line loads with constant offsets. */
          MLB_UNROLL
          for (int ky = 0; ky < KH; ++ky) {
            MLB_UNROLL
            for (int kx = 0; kx < KW; ++kx) acc += (int32_t)ip[(ky * DH * IW + kx * DW) * IC] * (int32_t)wp[ky * KW + kx];
          }
          wp += KH * KW;
          out[oc] = mlb_requant_s8(MODE, acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
        }
      } else {
        mlb_dw_border_s8(MODE, in, out, w, bias, mult, shift, IH, IW, IC, DM, KH, KW, DH, DW, iy0, ix0, in_zp, out_zp,
                         act_min, act_max);
      }
      out += OC;
    }
  }
}

/* Weights w[n][k]; ROWS input rows of K values each. Four outputs at a time share input loads. */
MLB_INLINE void mlb_fully_connected_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                       const int32_t *restrict bias, const int32_t *restrict mult,
                                       const int32_t *restrict shift, int ROWS, int K, int N, int32_t out_zp,
                                       int32_t act_min, int32_t act_max) {
  for (int r = 0; r < ROWS; ++r) {
    int n = 0;
    for (; n + 4 <= N; n += 4) {
      int32_t acc[4] = {bias[n], bias[n + 1], bias[n + 2], bias[n + 3]};
      mlb_conv_interior_x4(in, w + n * K, acc, K, K, 1, 1, 1, 1, 0, 0);
      for (int j = 0; j < 4; ++j)
        out[n + j] = mlb_requant_s8(MODE, acc[j], mult[n + j], (int)shift[n + j], out_zp, act_min, act_max);
    }
    /* The weight pointer advances instead of being recomputed as w + n * K: with run-time K and N,
     * GCC's loop analysis otherwise warns about an overflow of n * K that cannot happen. */
    for (const int8_t *wp = w + n * K; n < N; ++n, wp += K) {
      int32_t acc = bias[n];
      for (int k = 0; k < K; ++k) acc += (int32_t)in[k] * (int32_t)wp[k];
      out[n] = mlb_requant_s8(MODE, acc, mult[n], (int)shift[n], out_zp, act_min, act_max);
    }
    in += K;
    out += N;
  }
}

#endif
