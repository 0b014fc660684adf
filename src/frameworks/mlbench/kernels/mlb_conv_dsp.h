/* mlbench kernel library: int8 CONV_2D on weights interleaved by four output channels, the
 * layout the generator emits for Arm DSP targets when IC and OC are multiples of 4 and the
 * kernel is not dilated: w[((oc/4) * (K/4) + k/4) * 16 + r * 4 + j] = W[oc + r][k + j] with
 * k over (ky, kx, ic) as in OHWI. One pixel x four channels at a time: each kernel row of an
 * interior pixel is one run of KW*IC input bytes, each tap of a border pixel one run of IC bytes
 * (padded taps read `zb`, IC bytes of in_zp, which the folded bias expects); the runs go
 * through the SMLAD loop of mlb_dsp_rows4.h, which walks the group's weights in order.
 * Pixels in row-major order, each written after its receptive field is read (the arena plan's
 * in-place condition). Portable on other targets (the same loops in C). */
#ifndef MLB_CONV_DSP_H
#define MLB_CONV_DSP_H

#include "mlb_conv_core.h"
#include "mlb_dsp_rows4.h"

#define MLB_IL4_ROWS(x, n) \
  (W16 ? mlb_fc_dsp_rows4_h((x), wp, (n), &a0, &a1, &a2, &a3) : mlb_fc_dsp_rows4((x), wp, (n), &a0, &a1, &a2, &a3))

/* W16 (literal): the weights are int16 pairs (mlb_fc_dsp_rows4_h's layout, twice the bytes). */
MLB_INLINE void mlb_conv2d_il4_body(int MODE, int W16, const int8_t *restrict in, int8_t *restrict out,
                                    const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                    const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW, int OC,
                                    int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp,
                                    int32_t out_zp, int32_t act_min, int32_t act_max) {
  (void)DH, (void)DW; /* 1: the generator interleaves undilated kernels only */
  const int32_t m0 = mult[0];
  const int e0 = shift[0];
  const int L = KW * IC;
  /* 1x1 kernels never pad (SAME or VALID), so they never read zb: a fixed size keeps run-time
   * depths (shared pointwise instances) from making it a variable-length array, which costs a
   * frame-pointer register in every loop of the kernel. */
  int8_t zb[KH * KW == 1 ? 1 : IC];
  for (int ic = 0; ic < (KH * KW == 1 ? 1 : IC); ++ic) zb[ic] = (int8_t)in_zp;
  const int8_t *tp[KH * KW];
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + KH <= IH;
    for (int ox = 0; ox < OW; ++ox, out += OC) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + KW <= IW;
      const int8_t *const ip = in + (iy0 * IW + ix0) * IC;
      if (!inside) {
        _Pragma("GCC unroll 1")
        for (int ky = 0; ky < KH; ++ky) {
          const int iy = iy0 + ky;
          _Pragma("GCC unroll 1")
          for (int kx = 0; kx < KW; ++kx) {
            const int ix = ix0 + kx;
            tp[ky * KW + kx] = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? in + (iy * IW + ix) * IC : zb;
          }
        }
      }
      const int8_t *wp = (const int8_t *)__builtin_assume_aligned(w, 4);
      for (int oc = 0; oc < OC; oc += 4) {
        int32_t a0 = bias[oc], a1 = bias[oc + 1], a2 = bias[oc + 2], a3 = bias[oc + 3];
        if (inside) {
          _Pragma("GCC unroll 1")
          for (int ky = 0; ky < KH; ++ky) wp = MLB_IL4_ROWS(ip + ky * IW * IC, L);
        } else {
          _Pragma("GCC unroll 1")
          for (int t = 0; t < KH * KW; ++t) wp = MLB_IL4_ROWS(tp[t], IC);
        }
        MLB_DSP_REQUANT4(MODE, a0, a1, a2, a3, oc, out + oc);
      }
    }
  }
}

#define MLB_IL4_PARAMS                                                                                                \
  const int32_t *restrict bias, const int32_t *restrict mult, const int8_t *restrict shift, int QS, int IH, int IW,     \
      int IC, int OH, int OW, int OC, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp,      \
      int32_t out_zp, int32_t act_min, int32_t act_max
#define MLB_IL4_ARGS \
  bias, mult, shift, QS, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, in_zp, out_zp, act_min, act_max

MLB_INLINE void mlb_conv2d_il4_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                  MLB_IL4_PARAMS) {
  mlb_conv2d_il4_body(MODE, 0, in, out, w, MLB_IL4_ARGS);
}

/* The same on int16 weight pairs (the generator's choice for layers with small weights: 15
 * instructions per 16 MACs instead of 20, for twice the weight bytes). */
MLB_INLINE void mlb_conv2d_il4h_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int32_t *restrict w,
                                   MLB_IL4_PARAMS) {
  mlb_conv2d_il4_body(MODE, 1, in, out, (const int8_t *)w, MLB_IL4_ARGS);
}

#endif
