/* mlbench kernel library: DEPTHWISE_CONV_2D int8 kernels (pixel-major and channel-major). */
#ifndef MLB_DEPTHWISE_H
#define MLB_DEPTHWISE_H

#include "mlb_depthwise_core.h"
#include "mlb_depthwise_rows.h"
#include "mlb_depthwise_mve.h"
#include "mlb_depthwise_taps_mve.h"

/* Weights reordered at generation time to w[oc][ky][kx] (sequential per output channel);
 * output channel oc reads input channel oc / DM. */
MLB_INLINE void mlb_depthwise_conv2d_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                        const int32_t *restrict bias, const int32_t *restrict mult,
                                        const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW,
                                        int DM, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
                                        int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
#if MLB_SIMD_MVE
  /* Pixels in lanes (mlb_depthwise_mve_cm) for long lines of few channels; with 16 or more
   * channels the taps-in-lanes pixels below measured faster (vww 24x24x32: 414k vs 482k; its
   * 48x48x8 layer: 527k vs 478k). */
  if (DM == 1 && IC < 16 &&
      mlb_depthwise_mve_cm(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, in_zp,
                           out_zp, act_min, act_max))
    return;
#endif
  const int OC = IC * DM;
#if MLB_BLOCK4
  if (DM == 1 && KH == 3 && KW == 3 && (SW == 1 || (SW == 2 && PL <= 1)) && DH == 1 && DW == 1) {
    mlb_dw3x3_rows_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, SH, SW, PT, PL, in_zp, out_zp, act_min, act_max);
    return;
  }
#endif
  int8_t zb[IC];
  for (int ic = 0; ic < IC; ++ic) zb[ic] = (int8_t)in_zp;
#if MLB_SIMD_MVE
  /* Interior pixels with the taps in lanes (mlb_depthwise_taps_mve.h) when the window's offsets
   * fit in 16 bits. */
  uint16_t offs[(KH * KW + 7) / 8 * 8];
  const int taps_in_lanes = DM == 1 && mlb_dw_tap_offsets(offs, (KH * KW + 7) / 8 * 8, IW, IC, KH, KW, DH, DW);
#endif
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + (KH - 1) * DH < IH;
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + (KW - 1) * DW < IW;
      const int8_t *wp = w;
#if MLB_BLOCK4
      if (DM == 1 && inside && ox + 1 < OW && ix0 + SW + (KW - 1) * DW < IW) {
        /* Two pixels per channel: each weight loaded once for two MACs, and with stride 1 the
         * two windows share KW-1 of their input columns. */
        const int8_t *base = in + (iy0 * IW + ix0) * IC;
        for (int c = 0; c < IC; ++c, wp += KH * KW) {
          const int8_t *ip = base + c;
          int32_t a0 = bias[c], a1 = a0;
          MLB_UNROLL
          for (int ky = 0; ky < KH; ++ky) {
            MLB_UNROLL
            for (int kx = 0; kx < KW; ++kx) {
              const int32_t wv = wp[ky * KW + kx];
              const int8_t *q = ip + (ky * DH * IW + kx * DW) * IC;
              a0 += (int32_t)q[0] * wv;
              a1 += (int32_t)q[SW * IC] * wv;
            }
          }
          out[c] = mlb_requant_s8(MODE, a0, mult[c * QS], (int)shift[c * QS], out_zp, act_min, act_max);
          out[OC + c] = mlb_requant_s8(MODE, a1, mult[c * QS], (int)shift[c * QS], out_zp, act_min, act_max);
        }
        out += 2 * OC;
        ++ox;
        continue;
      }
#endif
      if (inside) {
        const int8_t *base = in + (iy0 * IW + ix0) * IC;
#if MLB_SIMD_MVE
        if (taps_in_lanes) {
          mlb_dw_pixel_taps_mve(MODE, 0, base, offs, 0, 0, in_zp, KH * KW, OC, out, w, bias, mult, shift, QS, out_zp, act_min,
                                act_max);
          out += OC;
          continue;
        }
        if (DM == 1) {
          const int8_t *tp[KH * KW];
          MLB_UNROLL
          for (int ky = 0; ky < KH; ++ky) {
            MLB_UNROLL
            for (int kx = 0; kx < KW; ++kx) tp[ky * KW + kx] = base + (ky * DH * IW + kx * DW) * IC;
          }
          mlb_dw_pixel_mve(MODE, tp, KH * KW, OC, out, w, bias, mult, shift, QS, out_zp, act_min, act_max);
          out += OC;
          continue;
        }
#endif
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
          out[oc] = mlb_requant_s8(MODE, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max);
        }
      } else {
#if MLB_SIMD_MVE
        if (taps_in_lanes) {
          mlb_dw_border_taps_mve(MODE, in, zb, offs, out, w, bias, mult, shift, QS, IH, IW, IC, KH, KW, DH, DW, iy0, ix0, in_zp,
                                 out_zp, act_min, act_max);
          out += OC;
          continue;
        }
#endif
        mlb_dw_border_pixel(MODE, in, zb, out, w, bias, mult, shift, QS, IH, IW, IC, DM, KH, KW, DH, DW, iy0, ix0, out_zp,
                            act_min, act_max);
      }
      out += OC;
    }
  }
}

/* Depthwise, channel-major (the `blocked` variant): for each output channel its taps, bias and
 * requantization constants are loaded once and stay in registers while the loop runs over the
 * interior pixels; border pixels then take the shared border function (all channels). */
MLB_INLINE void mlb_depthwise_conv2d_cm_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                           const int32_t *restrict bias, const int32_t *restrict mult,
                                           const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW,
                                           int DM, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
                                           int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
#if MLB_SIMD_MVE
  if (DM == 1 && mlb_depthwise_mve_cm(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, KH, KW, SH, SW, DH, DW, PT,
                                       PL, in_zp, out_zp, act_min, act_max))
    return;
#endif
  const int OC = IC * DM;
  int8_t zb[IC];
  for (int ic = 0; ic < IC; ++ic) zb[ic] = (int8_t)in_zp;
  int oy_lo, oy_hi, ox_lo, ox_hi;
  mlb_interior(OH, IH, KH, SH, DH, PT, &oy_lo, &oy_hi);
  mlb_interior(OW, IW, KW, SW, DW, PL, &ox_lo, &ox_hi);
  if (ox_lo < ox_hi) {
    for (int oc = 0; oc < OC; ++oc) {
      int32_t wr[KH * KW];
      MLB_UNROLL
      for (int t = 0; t < KH * KW; ++t) wr[t] = w[oc * KH * KW + t];
      const int32_t b = bias[oc], m = mult[(oc) * QS];
      const int sh = (int)shift[(oc) * QS];
      for (int oy = oy_lo; oy < oy_hi; ++oy) {
        const int8_t *ip = in + ((oy * SH - PT) * IW + (ox_lo * SW - PL)) * IC + oc / DM;
        int8_t *op = out + (oy * OW + ox_lo) * OC + oc;
        for (int ox = ox_lo; ox < ox_hi; ++ox, ip += SW * IC, op += OC) {
          int32_t acc = b;
          MLB_UNROLL
          for (int ky = 0; ky < KH; ++ky) {
            MLB_UNROLL
            for (int kx = 0; kx < KW; ++kx) acc += (int32_t)ip[(ky * DH * IW + kx * DW) * IC] * wr[ky * KW + kx];
          }
          *op = mlb_requant_s8(MODE, acc, m, sh, out_zp, act_min, act_max);
        }
      }
    }
  }
  mlb_dw_border_pixels(MODE, in, zb, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, DM, KH, KW, SH, SW, DH, DW, PT, PL,
                       oy_lo, oy_hi, ox_lo, ox_hi, out_zp, act_min, act_max);
}

/* Arm DSP targets (Cortex-M4/M7), layers whose output rows are 12 or more pixels wide: the
 * sliding 3x3 rows of mlb_depthwise_rows.h, as a kernel of its own, which the generator emits
 * only for DM 1, 3x3, no dilation, stride 1 or 2 with PL <= 1 (mlb_dw3x3_rows_s8's condition).
 * Measured on cortexm4_qemu: vww 48x48 1.40 M -> 1.01 M instructions, 12x12 644k -> 578k; on
 * narrower rows slower (vww 6x6 324k -> 336k, aww 25x5 505k -> 538k: few pixels per row to
 * amortize the row set-up), and a run-time width test inside the shared kernel made both paths
 * slower (GCC 12's register allocation), hence the choice at generation time. Elsewhere it is
 * the pixel-major kernel. */
MLB_INLINE void mlb_depthwise_conv2d_rows_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                             const int32_t *restrict bias, const int32_t *restrict mult,
                                             const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW,
                                             int DM, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
                                             int32_t in_zp, int32_t out_zp, int32_t act_min, int32_t act_max) {
#if MLB_BLOCK4 || MLB_SIMD_DSP
  (void)DM, (void)KH, (void)KW, (void)DH, (void)DW;
  mlb_dw3x3_rows_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, SH, SW, PT, PL, in_zp, out_zp, act_min, act_max);
#else
  mlb_depthwise_conv2d_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, DM, KH, KW, SH, SW, DH, DW, PT, PL, in_zp,
                          out_zp, act_min, act_max);
#endif
}

#endif
