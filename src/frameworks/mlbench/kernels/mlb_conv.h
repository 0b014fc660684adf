/* mlbench kernel library: convolution-like int8 kernels (NHWC, batch 1).
 * Biases arrive with the input zero point already folded in (bias - in_zp * sum(w)), so the
 * hot loops are plain int8 x int8 -> int32 MACs with constant bounds. Output pixels whose
 * receptive field crosses the padding take a separate border path that adds in_zp * w for the
 * padded taps, which is what TFLite's "skip padded taps" means once the zero point is folded. */
#ifndef MLB_CONV_H
#define MLB_CONV_H

#include "mlb_fixedpoint.h"

/* Weights OHWI: w[oc][ky][kx][ic]. */
MLB_INLINE void mlb_conv2d_s8(const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                              const int32_t *restrict bias, const int32_t *restrict mult,
                              const int32_t *restrict shift, int IH, int IW, int IC, int OH, int OW, int OC, int KH,
                              int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp, int32_t out_zp,
                              int32_t act_min, int32_t act_max) {
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + (KH - 1) * DH < IH;
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + (KW - 1) * DW < IW;
      const int8_t *wp = w;
      for (int oc = 0; oc < OC; ++oc) {
        int32_t acc = bias[oc];
        if (inside) {
          for (int ky = 0; ky < KH; ++ky) {
            for (int kx = 0; kx < KW; ++kx) {
              const int8_t *ip = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
              for (int ic = 0; ic < IC; ++ic) acc += (int32_t)ip[ic] * (int32_t)wp[ic];
              wp += IC;
            }
          }
        } else {
          for (int ky = 0; ky < KH; ++ky) {
            const int iy = iy0 + ky * DH;
            for (int kx = 0; kx < KW; ++kx) {
              const int ix = ix0 + kx * DW;
              if (iy >= 0 && iy < IH && ix >= 0 && ix < IW) {
                const int8_t *ip = in + (iy * IW + ix) * IC;
                for (int ic = 0; ic < IC; ++ic) acc += (int32_t)ip[ic] * (int32_t)wp[ic];
              } else {
                for (int ic = 0; ic < IC; ++ic) acc += in_zp * (int32_t)wp[ic];
              }
              wp += IC;
            }
          }
        }
        out[oc] = mlb_requant_s8(acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
      }
      out += OC;
    }
  }
}

/* Weights reordered at generation time to w[oc][ky][kx] (sequential per output channel);
 * output channel oc reads input channel oc / DM. */
MLB_INLINE void mlb_depthwise_conv2d_s8(const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
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
      for (int oc = 0; oc < OC; ++oc) {
        const int ic = oc / DM;
        int32_t acc = bias[oc];
        if (inside) {
          const int8_t *ip = in + (iy0 * IW + ix0) * IC + ic;
          for (int ky = 0; ky < KH; ++ky)
            for (int kx = 0; kx < KW; ++kx) acc += (int32_t)ip[(ky * DH * IW + kx * DW) * IC] * (int32_t)wp[ky * KW + kx];
        } else {
          for (int ky = 0; ky < KH; ++ky) {
            const int iy = iy0 + ky * DH;
            for (int kx = 0; kx < KW; ++kx) {
              const int ix = ix0 + kx * DW;
              const int32_t x = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? (int32_t)in[(iy * IW + ix) * IC + ic] : in_zp;
              acc += x * (int32_t)wp[ky * KW + kx];
            }
          }
        }
        wp += KH * KW;
        out[oc] = mlb_requant_s8(acc, mult[oc], (int)shift[oc], out_zp, act_min, act_max);
      }
      out += OC;
    }
  }
}

/* Weights w[n][k]; ROWS input rows of K values each. */
MLB_INLINE void mlb_fully_connected_s8(const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                       const int32_t *restrict bias, const int32_t *restrict mult,
                                       const int32_t *restrict shift, int ROWS, int K, int N, int32_t out_zp,
                                       int32_t act_min, int32_t act_max) {
  for (int r = 0; r < ROWS; ++r) {
    const int8_t *wp = w;
    for (int n = 0; n < N; ++n) {
      int32_t acc = bias[n];
      for (int k = 0; k < K; ++k) acc += (int32_t)in[k] * (int32_t)wp[k];
      wp += K;
      out[n] = mlb_requant_s8(acc, mult[n], (int)shift[n], out_zp, act_min, act_max);
    }
    in += K;
    out += N;
  }
}

#endif
