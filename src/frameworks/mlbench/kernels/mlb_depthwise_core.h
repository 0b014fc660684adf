/* mlbench kernel library: what the DEPTHWISE_CONV_2D int8 kernels share: border pixels (shared
 * out-of-line and inline forms) and the interior bounds. */
#ifndef MLB_DEPTHWISE_CORE_H
#define MLB_DEPTHWISE_CORE_H

#include "mlb_conv_core.h"

/* One border pixel of a depthwise convolution (all OC channels); shared, run-time shapes. */
static __attribute__((noinline, noclone, unused, optimize("Os"))) void mlb_dw_border_s8(
    int mode, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w, const int32_t *restrict bias,
    const int32_t *restrict mult, const int8_t *restrict shift, int QS, int IH, int IW, int IC, int DM, int KH, int KW,
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
    out[oc] = mode != MLB_REQUANT_TFLM
                  ? mlb_requant_s8(MLB_REQUANT_FP32, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max)
                  : mlb_requant_s8(MLB_REQUANT_TFLM, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max);
  }
}

/* One border pixel of a depthwise convolution, inline: the validity of each tap is the same for
 * all channels, so each tap gets a pointer once per pixel, to its input pixel or to `zb` (IC
 * bytes of in_zp) for a padded tap; the channel loop then runs as in the interior. */
MLB_INLINE void mlb_dw_border_pixel(int MODE, const int8_t *restrict in, const int8_t *restrict zb, int8_t *restrict out,
                                    const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                    const int8_t *restrict shift, int QS, int IH, int IW, int IC, int DM, int KH, int KW,
                                    int DH, int DW, int iy0, int ix0, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int8_t *tp[KH * KW];
  MLB_UNROLL
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = iy0 + ky * DH;
    MLB_UNROLL
    for (int kx = 0; kx < KW; ++kx) {
      const int ix = ix0 + kx * DW;
      tp[ky * KW + kx] = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? in + (iy * IW + ix) * IC : zb;
    }
  }
#if MLB_SIMD_MVE
  if (DM == 1) {
    mlb_dw_pixel_mve(MODE, tp, KH * KW, IC, out, w, bias, mult, shift, QS, out_zp, act_min, act_max);
    return;
  }
#endif
  const int8_t *wp = w;
  int oc = 0;
  for (int ic = 0; ic < IC; ++ic) {
    for (int m = 0; m < DM; ++m, ++oc, wp += KH * KW) {
      int32_t acc = bias[oc];
      MLB_UNROLL
      for (int t = 0; t < KH * KW; ++t) acc += (int32_t)tp[t][ic] * (int32_t)wp[t];
      out[oc] = mlb_requant_s8(MODE, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max);
    }
  }
}

/* Every output pixel outside the interior [oy_lo, oy_hi) x [ox_lo, ox_hi), by mlb_dw_border_pixel. */
MLB_INLINE void mlb_dw_border_pixels(int MODE, const int8_t *restrict in, const int8_t *restrict zb, int8_t *restrict out,
                                     const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                     const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW, int DM,
                                     int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL, int oy_lo, int oy_hi,
                                     int ox_lo, int ox_hi, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int OC = IC * DM;
  for (int oy = 0; oy < OH; ++oy) {
    const int row_inside = oy >= oy_lo && oy < oy_hi;
    for (int ox = 0; ox < OW; ++ox) {
      if (row_inside && ox >= ox_lo && ox < ox_hi) {
        ox = ox_hi - 1;
        continue;
      }
      mlb_dw_border_pixel(MODE, in, zb, out + (oy * OW + ox) * OC, w, bias, mult, shift, QS, IH, IW, IC, DM, KH, KW, DH,
                          DW, oy * SH - PT, ox * SW - PL, out_zp, act_min, act_max);
    }
  }
}

/* Output positions [lo, hi) along one axis whose window lies inside the input:
 * o*S - P >= 0 and o*S - P + (K-1)*D < I. */
MLB_INLINE void mlb_interior(int O, int I, int K, int S, int D, int P, int *lo, int *hi) {
  const int top = I - 1 - (K - 1) * D + P;
  int l = (P + S - 1) / S, h = top >= 0 ? top / S + 1 : 0;
  if (h > O) h = O;
  if (l > h) l = h;
  *lo = l, *hi = h;
}

#endif
