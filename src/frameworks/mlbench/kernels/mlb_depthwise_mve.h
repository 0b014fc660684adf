/* mlbench kernel library: depthwise on MVE (Cortex-M55) with four interior pixels in lanes. */
#ifndef MLB_DEPTHWISE_MVE_H
#define MLB_DEPTHWISE_MVE_H

#include "mlb_depthwise_core.h"

#if MLB_SIMD_MVE
/* Four pixels (input stride si, output stride so, in lanes) of one depthwise channel: per tap one
 * gather of the four inputs and one VMLA by the tap's weight wc[t]; then requantized and stored. */
MLB_INLINE void mlb_dw_px4_mve(int MODE, const int8_t *ip, int8_t *op, const int8_t *wc, int32_t b, int32_t m, int e,
                               uint32x4_t si, uint32x4_t so, int IW, int IC, int KH, int KW, int DH, int DW, int32_t out_zp,
                               int32_t act_min, int32_t act_max) {
  int32x4_t acc = vdupq_n_s32(b);
  MLB_UNROLL
  for (int ky = 0; ky < KH; ++ky) {
    MLB_UNROLL
    for (int kx = 0; kx < KW; ++kx)
      acc = vmlaq_n_s32(acc, vldrbq_gather_offset_s32(ip + (ky * DH * IW + kx * DW) * IC, si), (int32_t)wc[ky * KW + kx]);
  }
  mlb_requant_px4_s8(MODE, acc, m, e, op, so, out_zp, act_min, act_max);
}

/* Depthwise with channel multiplier 1 on MVE, four interior pixels in lanes (mlb_dw_px4_mve).
 * Channel-major when input and output are apart: per channel its constants are loaded once and
 * its lines of interior pixels (rows, or columns when the interior is narrower than 4 and taller
 * than wide) run in blocks of four; border pixels (mlb_dw_border_pixel) after. Row-major when the
 * arena plan overlaps the output with the input it consumes row by row (planner.ts overlapSlack):
 * each output row is finished, border pixels included, before the next, and a block of four
 * pixels of the row runs through all channels, which the overlap allows.
 * Returns 0 (and does nothing) when the lines are shorter than 16 pixels (or, row-major, the
 * rows): leftover pixels and the share of border pixels make it slower there than the
 * pixel-major path (vww's 12x12 and smaller layers measured 7-100% slower, its 24x24 and 48x48
 * ones 8-37% faster). */
MLB_INLINE int mlb_depthwise_mve_cm(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                    const int32_t *restrict bias, const int32_t *restrict mult,
                                    const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW, int KH,
                                    int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp, int32_t out_zp,
                                    int32_t act_min, int32_t act_max) {
  const int OC = IC, KK = KH * KW;
  int oy_lo, oy_hi, ox_lo, ox_hi;
  mlb_interior(OH, IH, KH, SH, DH, PT, &oy_lo, &oy_hi);
  mlb_interior(OW, IW, KW, SW, DW, PL, &ox_lo, &ox_hi);
  const int nx = ox_hi - ox_lo, ny = oy_hi - oy_lo;
  const int overlap = (uintptr_t)out < (uintptr_t)(in + IH * IW * IC) && (uintptr_t)in < (uintptr_t)(out + OH * OW * OC);
  const int cols = !overlap && nx < 4 && ny > nx;
  const int n_in = cols ? ny : nx, n_lines = cols ? nx : ny;
  if (n_in < 16 || n_lines < 1) return 0;
  const int step_in = cols ? SH * IW * IC : SW * IC, line_in = cols ? SW * IC : SH * IW * IC;
  const int step_out = cols ? OW * OC : OC, line_out = cols ? OC : OW * OC;
  const uint32x4_t si = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)step_in);
  const uint32x4_t so = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)step_out);
  const int8_t *in0 = in + ((oy_lo * SH - PT) * IW + (ox_lo * SW - PL)) * IC;
  int8_t *out0 = out + (oy_lo * OW + ox_lo) * OC;
  int8_t zb[IC];
  for (int ic = 0; ic < IC; ++ic) zb[ic] = (int8_t)in_zp;
  if (overlap) {
    for (int oy = 0; oy < OH; ++oy) {
      const int inside = oy >= oy_lo && oy < oy_hi;
      for (int ox = 0; ox < OW; ++ox) {
        if (inside && ox == ox_lo) {
          const int8_t *ip = in0 + (oy - oy_lo) * line_in;
          int8_t *op = out0 + (oy - oy_lo) * line_out;
          int i = 0;
          for (; i + 4 <= nx; i += 4, ip += 4 * step_in, op += 4 * step_out)
            for (int c = 0; c < OC; ++c)
              mlb_dw_px4_mve(MODE, ip + c, op + c, w + c * KK, bias[c], mult[c * QS], (int)shift[c * QS], si, so, IW, IC, KH,
                             KW, DH, DW, out_zp, act_min, act_max);
          ox += i;
          if (ox >= ox_hi) {
            --ox;
            continue;
          }
        }
        mlb_dw_border_pixel(MODE, in, zb, out + (oy * OW + ox) * OC, w, bias, mult, shift, QS, IH, IW, IC, 1, KH, KW, DH,
                            DW, oy * SH - PT, ox * SW - PL, out_zp, act_min, act_max);
      }
    }
    return 1;
  }
  for (int c = 0; c < OC; ++c) {
    const int8_t *wc = w + c * KK;
    const int32_t b = bias[c], m = mult[c * QS];
    const int e = (int)shift[c * QS];
    for (int l = 0; l < n_lines; ++l) {
      const int8_t *ip = in0 + l * line_in + c;
      int8_t *op = out0 + l * line_out + c;
      int i = 0;
      for (; i + 4 <= n_in; i += 4, ip += 4 * step_in, op += 4 * step_out)
        mlb_dw_px4_mve(MODE, ip, op, wc, b, m, e, si, so, IW, IC, KH, KW, DH, DW, out_zp, act_min, act_max);
      for (; i < n_in; ++i, ip += step_in, op += step_out) {
        int32_t acc = b;
        MLB_UNROLL
        for (int ky = 0; ky < KH; ++ky) {
          MLB_UNROLL
          for (int kx = 0; kx < KW; ++kx) acc += (int32_t)ip[(ky * DH * IW + kx * DW) * IC] * (int32_t)wc[ky * KW + kx];
        }
        *op = mlb_requant_s8(MODE, acc, m, e, out_zp, act_min, act_max);
      }
    }
  }
  mlb_dw_border_pixels(MODE, in, zb, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, 1, KH, KW, SH, SW, DH, DW, PT, PL,
                       oy_lo, oy_hi, ox_lo, ox_hi, out_zp, act_min, act_max);
  return 1;
}
#endif

#endif
