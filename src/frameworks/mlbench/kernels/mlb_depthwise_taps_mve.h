/* mlbench kernel library: depthwise on MVE (Cortex-M55) with the kernel taps in lanes. */
#ifndef MLB_DEPTHWISE_TAPS_MVE_H
#define MLB_DEPTHWISE_TAPS_MVE_H

#include "mlb_simd.h"

#if MLB_SIMD_MVE
/* Byte offsets of the KH*KW taps from the window's first input byte, as uint16 lanes (8 per
 * vector, unused lanes 0). Returns 0 when an offset does not fit in 16 bits. */
MLB_INLINE int mlb_dw_tap_offsets(uint16_t *offs, int n, int IW, int IC, int KH, int KW, int DH, int DW) {
  if (((KH - 1) * DH * IW + (KW - 1) * DW) * IC > 65535) return 0;
  for (int t = 0; t < n; ++t) offs[t] = 0;
  for (int ky = 0; ky < KH; ++ky)
    for (int kx = 0; kx < KW; ++kx) offs[ky * KW + kx] = (uint16_t)((ky * DH * IW + kx * DW) * IC);
  return 1;
}

/* One depthwise output pixel with channel multiplier 1, the taps in lanes: per channel, each 8
 * taps are one gather of their input bytes (offsets offs from base, widened to int16), one load
 * of the channel's 8 contiguous weights (w[c][KK], the generator's layout) and one VMLADAV. The
 * KK % 8 taps left (one of a 3x3) run with four channels in lanes: a widened load of the 4
 * input bytes at lp[t] + c, a gather of the 4 weights (stride KK), a multiply and an add. Four
 * channels are then requantized as one vector (mlb_requant4_s8). Against mlb_dw_pixel_mve
 * (channels in lanes for every tap) a 3x3 costs 4x3 + 4 instead of 9x4 per four channels in
 * the MACs. BORDER (a literal): taps in the padding are off in pv[chunk] (2 bits per int16
 * lane) and read as in_zp (VPSEL), their lp[t] point at zb (IC bytes of in_zp); the lanes off
 * are never loaded. */
MLB_INLINE void mlb_dw_pixel_taps_mve(int MODE, int BORDER, const int8_t *restrict base, const uint16_t *restrict offs,
                                      const mve_pred16_t *restrict pv, const int8_t *const *restrict lp, int32_t in_zp,
                                      int KK, int OC, int8_t *restrict out, const int8_t *restrict w,
                                      const int32_t *restrict bias, const int32_t *restrict mult,
                                      const int8_t *restrict shift, int QS, int32_t out_zp, int32_t act_min,
                                      int32_t act_max) {
  const uint32x4_t woff = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)KK);
  const int16x8_t zpv = vdupq_n_s16((int16_t)in_zp);
  int c = 0;
  for (; c + 4 <= OC; c += 4) {
    const int8_t *ip = base + c, *wp = w + c * KK;
    int32x4_t acc = vldrwq_s32(bias + c);
    if (KK >= 8) {
      int32_t a[4];
      MLB_UNROLL
      for (int j = 0; j < 4; ++j) {
        int32_t s = 0;
        MLB_UNROLL
        for (int t = 0; t + 8 <= KK; t += 8) {
          const uint16x8_t o = vldrhq_u16(offs + t);
          const int16x8_t x = BORDER ? vpselq_s16(vldrbq_gather_offset_z_s16(ip + j, o, pv[t / 8]), zpv, pv[t / 8])
                                     : vldrbq_gather_offset_s16(ip + j, o);
          s = vmladavaq_s16(s, x, vldrbq_s16(wp + j * KK + t));
        }
        a[j] = s;
      }
      int32x4_t v = vdupq_n_s32(a[0]);
      v = vsetq_lane_s32(a[1], v, 1);
      v = vsetq_lane_s32(a[2], v, 2);
      v = vsetq_lane_s32(a[3], v, 3);
      acc = vaddq_s32(acc, v);
    }
    MLB_UNROLL
    for (int t = KK / 8 * 8; t < KK; ++t)
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32((BORDER ? lp[t] : base + offs[t]) + c), vldrbq_gather_offset_s32(wp + t, woff)));
    mlb_requant4_s8(MODE, acc, mult + c * QS, shift + c * QS, QS, out + c, out_zp, act_min, act_max);
  }
  for (; c < OC; ++c) {
    int32_t s = bias[c];
    for (int t = 0; t < KK; ++t) {
      const int on = !BORDER || ((pv[t / 8] >> (2 * (t % 8))) & 1);
      s += (on ? (int32_t)base[offs[t] + c] : in_zp) * (int32_t)w[c * KK + t];
    }
    out[c] = mlb_requant_s8(MODE, s, mult[c * QS], (int)shift[c * QS], out_zp, act_min, act_max);
  }
}

/* A border pixel (window origin iy0, ix0, partly in the padding) on mlb_dw_pixel_taps_mve. The
 * window's base address is formed as an integer: it may lie before the input, but only lanes
 * inside the input are loaded. */
MLB_INLINE void mlb_dw_border_taps_mve(int MODE, const int8_t *restrict in, const int8_t *restrict zb,
                                       const uint16_t *restrict offs, int8_t *restrict out, const int8_t *restrict w,
                                       const int32_t *restrict bias, const int32_t *restrict mult,
                                       const int8_t *restrict shift, int QS, int IH, int IW, int IC, int KH, int KW, int DH,
                                       int DW, int iy0, int ix0, int32_t in_zp, int32_t out_zp, int32_t act_min,
                                       int32_t act_max) {
  mve_pred16_t pv[(KH * KW + 7) / 8];
  const int8_t *lp[KH * KW];
  for (int k = 0; k < (KH * KW + 7) / 8; ++k) pv[k] = 0;
  const int8_t *base = (const int8_t *)((uintptr_t)in + (uintptr_t)(intptr_t)((iy0 * IW + ix0) * IC));
  MLB_UNROLL
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = iy0 + ky * DH;
    MLB_UNROLL
    for (int kx = 0; kx < KW; ++kx) {
      const int ix = ix0 + kx * DW, t = ky * KW + kx;
      const int on = iy >= 0 && iy < IH && ix >= 0 && ix < IW;
      lp[t] = on ? in + (iy * IW + ix) * IC : zb;
      if (on) pv[t / 8] |= (mve_pred16_t)(3u << (2 * (t % 8)));
    }
  }
  /* Opaque: with literal shapes GCC 12 folds a predicate into a 16-bit constant move it cannot
   * encode (`mov rN, #-1024 @ movhi` for 0xfc00: an assembler error). */
  for (int k = 0; k < (KH * KW + 7) / 8; ++k) {
    uint32_t v = pv[k];
    __asm__("" : "+r"(v));
    pv[k] = (mve_pred16_t)v;
  }
  mlb_dw_pixel_taps_mve(MODE, 1, base, offs, pv, lp, in_zp, KH * KW, IC, out, w, bias, mult, shift, QS, out_zp, act_min,
                        act_max);
}
#endif

#endif
