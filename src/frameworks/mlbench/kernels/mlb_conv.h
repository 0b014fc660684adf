/* mlbench kernel library: CONV_2D int8 kernels (pointwise as a matrix product, general with
 * interior and border pixels); the shared machinery is in mlb_conv_core.h. */
#ifndef MLB_CONV_H
#define MLB_CONV_H

#include "mlb_conv_core.h"
#include "mlb_conv_block4.h"

/* Pointwise convolution (1x1, stride 1, no padding) as a matrix product over the flattened
 * pixels: out[p][n] = requant(bias[n] + sum_k in[p][k] * w[n][k]). Pixel pairs run on across
 * image rows (no odd pixel per row); without SIMD four pixels x four channels share each load. */
MLB_INLINE void mlb_pointwise_s8(int MODE, int U4, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                 const int32_t *restrict bias, const int32_t *restrict mult, const int8_t *restrict shift,
                                 int QS, int P, int K, int N, int32_t out_zp, int32_t act_min, int32_t act_max) {
  int p = 0;
  if (N % 4 == 0) {
#if MLB_BLOCK4
    for (; p + 4 <= P; p += 4, in += 4 * K, out += 4 * N) {
      mlb_conv_block_4x4(MODE, in, K, 0, out, w, bias, mult, shift, QS, 1, K, N, out_zp, act_min, act_max);
    }
#endif
    for (; p + 2 <= P; p += 2, in += 2 * K, out += 2 * N) {
      for (int n = 0; n < N; n += 4) {
        int32_t acc[8] = {bias[n], bias[n + 1], bias[n + 2], bias[n + 3], bias[n], bias[n + 1], bias[n + 2], bias[n + 3]};
        mlb_conv_interior_2x4(U4, in, w + n * K, acc, 2, K, 1, 1, 1, 1, 1, 0, 0);
        MLB_REQUANT4(MODE, acc, n, out + n);
        MLB_REQUANT4(MODE, acc + 4, n, out + N + n);
      }
    }
  }
  for (; p < P; ++p, in += K, out += N)
    mlb_conv_pixel(MODE, U4, in, out, w, bias, mult, shift, QS, 1, K, N, 1, 1, 1, 1, 0, 0, out_zp, act_min, act_max);
}

/* Weights OHWI: w[oc][ky][kx][ic].
 * mlb_conv2d_s8: border pixels through the shared out-of-line border function.
 * mlb_conv2d_sp_s8 (specialized variant, compile-time shapes): border pixels gather their
 *   receptive field into a stack patch (padded taps = in_zp) and take the interior path.
 * mlb_conv2d_u4_s8 (blocked variant): as _sp_, with the channel loop unrolled by 4. */
#define mlb_conv2d_s8(MODE, ...) mlb_conv2d_impl_s8(MODE, 0, 1, __VA_ARGS__)
#define mlb_conv2d_sp_s8(MODE, ...) mlb_conv2d_impl_s8(MODE, 0, 1, __VA_ARGS__)
#define mlb_conv2d_u4_s8(MODE, ...) mlb_conv2d_impl_s8(MODE, 1, 1, __VA_ARGS__)
MLB_INLINE void mlb_conv2d_impl_s8(int MODE, int U4, int PATCH, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                              const int32_t *restrict bias, const int32_t *restrict mult,
                              const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OH, int OW, int OC, int KH,
                              int KW, int SH, int SW, int DH, int DW, int PT, int PL, int32_t in_zp, int32_t out_zp,
                              int32_t act_min, int32_t act_max) {
  const int K = KH * KW * IC;
  /* Not on Arm (the SIMD pixel pairs per row measured as fast or faster) nor on the host. */
  if (MLB_BLOCK4 && KH == 1 && KW == 1 && SH == 1 && SW == 1 && OH == IH && OW == IW) {
    mlb_pointwise_s8(MODE, U4, in, out, w, bias, mult, shift, QS, OH * OW, IC, OC, out_zp, act_min, act_max);
    return;
  }
#if MLB_BLOCK4
  /* Other 1x1 kernels (strided, or a run-time shape) never pad and never leave the image: rows of
   * 4-pixel blocks, the rest pixel by pixel; none of the border or pixel-pair code below. */
  if (KH == 1 && KW == 1) {
    for (int oy = 0; oy < OH; ++oy) {
      int ox = 0;
      /* Row stride 1 for KH = 1 (never applied): a literal non-zero tells mlb_conv_block_4x4 that
       * the shared-stride pointwise dot product cannot apply, so it is not compiled in. */
      if (OC % 4 == 0)
        for (; ox + 4 <= OW; ox += 4, out += 4 * OC)
          mlb_conv_block_4x4(MODE, in + (oy * SH * IW + ox * SW) * IC, SW * IC, SW == 1 ? 0 : 1, out, w, bias, mult, shift, QS,
                             1, IC, OC, out_zp, act_min, act_max);
      for (; ox < OW; ++ox, out += OC)
        mlb_conv_pixel(MODE, U4, in, out, w, bias, mult, shift, QS, IW, IC, OC, 1, 1, 1, 1, oy * SH, ox * SW, out_zp, act_min,
                       act_max);
    }
    return;
  }
#endif
#if MLB_SIMD_MVE
  /* Four pixels x one channel (mlb_pointwise_mve) for shallow inputs (kept in registers) and for
   * run-time depths up to 128 (shared instances); deeper inputs, and literal depths above 16
   * (where GCC 12 gives the 2-pixel x 4-channel loop below its offsets as immediates), measured
   * faster on the path below (aww K = 64: 249k vs 226k instructions per layer). */
  if (KH == 1 && KW == 1 && SH == 1 && SW == 1 && OH == IH && OW == IW &&
      (IC <= 16 || (!__builtin_constant_p(IC) && IC <= 128))) {
    mlb_pointwise_mve(MODE, in, out, w, bias, mult, shift, QS, OH * OW, IC, OC, out_zp, act_min, act_max);
    return;
  }
  /* Other pointwise layers: the pixels are one contiguous run, so the pixel pairs below run on
   * across row ends (one image row of OH*OW pixels) and leave at most one single pixel (aww's
   * 25x5 layers had 25). */
  if (KH == 1 && KW == 1 && SH == 1 && SW == 1 && OH == IH && OW == IW) {
    OW *= OH, IW = OW, OH = 1, IH = 1;
  }
#endif
  /* SIMD builds take deep inputs' border pixels (and dilated kernels) tap by tap instead. */
  const int use_taps = MLB_SIMD && (IC >= 16 || DW != 1);
  const int use_patch = !use_taps && PATCH && __builtin_constant_p(K) && K <= MLB_PATCH_MAX;
#if MLB_BLOCK4
  /* Fixed size: a variable-length array needs a frame pointer (one register fewer in every loop
   * of the kernel); measured faster and smaller on RV32. */
  int8_t patch[MLB_PATCH_MAX];
#else
  int8_t patch[use_patch ? K : 1];
#endif
  /* MVE: when a kernel row is shorter than a vector (shallow inputs, e.g. a first layer with 1-3
   * channels), every pixel is gathered into the patch (one predicated copy per kernel row) so
   * that the dot products run over all K bytes at once instead of KH short predicated rows. */
  const int patch_all = MLB_SIMD_MVE && use_patch && DW == 1 && KW * IC < 16;
#if MLB_SIMD
  int8_t zb[use_taps ? IC : 1];
  for (int ic = 0; ic < (use_taps ? IC : 0); ++ic) zb[ic] = (int8_t)in_zp;
#endif
#if MLB_BLOCK4
  /* Small receptive fields (first layers, shallow inputs): four pixels at a time in row-major
   * order, across row ends and borders alike, gathered into the patch and run as one 4x4 block
   * over all K bytes (the gathers are small next to the 4*OC*K MACs when OC >= 16; vww's first
   * layer, 8 channels, measured slower). */
  if (use_patch && 4 * K <= 512 && OC % 4 == 0 && OC >= 16) {
    const int P = OH * OW;
    int p = 0;
    for (; p + 4 <= P; p += 4, out += 4 * OC) {
      for (int r = 0; r < 4; ++r) {
        const int oy = (p + r) / OW, ox = (p + r) % OW;
        mlb_gather_patch(patch + r * K, in, IH, IW, IC, KH, KW, DH, DW, oy * SH - PT, ox * SW - PL, in_zp);
      }
      mlb_conv_block_4x4(MODE, patch, K, 0, out, w, bias, mult, shift, QS, 1, K, OC, out_zp, act_min, act_max);
    }
    for (; p < P; ++p, out += OC) {
      mlb_gather_patch(patch, in, IH, IW, IC, KH, KW, DH, DW, (p / OW) * SH - PT, (p % OW) * SW - PL, in_zp);
      mlb_conv_pixel(MODE, U4, patch, out, w, bias, mult, shift, QS, KW, IC, OC, KH, KW, 1, 1, 0, 0, out_zp, act_min, act_max);
    }
    return;
  }
#endif
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    const int rows_inside = iy0 >= 0 && iy0 + (KH - 1) * DH < IH;
    for (int ox = 0; ox < OW; ++ox) {
      const int ix0 = ox * SW - PL;
      const int inside = rows_inside && ix0 >= 0 && ix0 + (KW - 1) * DW < IW;
#if MLB_BLOCK4
      if (inside && DW == 1 && ox + 3 < OW && ix0 + 3 * SW + (KW - 1) < IW && OC % 4 == 0) {
        /* Four pixels at once. */
        mlb_conv_block_4x4(MODE, in + (iy0 * IW + ix0) * IC, SW * IC, DH * IW * IC, out, w, bias, mult, shift, QS, KH,
                           KW * IC, OC, out_zp, act_min, act_max);
        out += 4 * OC;
        ox += 3;
        continue;
      }
#endif
      if (!(MLB_BLOCK4 && use_patch) && !patch_all && inside && ox + 1 < OW && ix0 + SW + (KW - 1) * DW < IW && OC % 4 == 0) {
        /* Two pixels at once. */
        for (int oc = 0; oc < OC; oc += 4) {
          int32_t acc[8] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3],
                            bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
          mlb_conv_interior_2x4(U4, in, w + oc * K, acc, IW, IC, KH, KW, SW, DH, DW, iy0, ix0);
#if MLB_SIMD_MVE
          mlb_requant4x2_s8(MODE, vldrwq_s32(acc), vldrwq_s32(acc + 4), mult + oc * QS, shift + oc * QS, QS, out + oc,
                            out + OC + oc, out_zp, act_min, act_max);
#else
#define MLB_PAIR_REQUANT_(j)                                                                                          \
  out[oc + j] = mlb_requant_s8(MODE, acc[j], mult[(oc + j) * QS], (int)shift[(oc + j) * QS], out_zp, act_min, act_max); \
  out[OC + oc + j] = mlb_requant_s8(MODE, acc[4 + j], mult[(oc + j) * QS], (int)shift[(oc + j) * QS], out_zp, act_min, act_max);
#if MLB_BLOCK4
          if (KH * KW > 1) {
            MLB_ROLL for (int j = 0; j < 4; ++j) { MLB_PAIR_REQUANT_(j) }
          } else
#endif
          {
            for (int j = 0; j < 4; ++j) { MLB_PAIR_REQUANT_(j) }
          }
#undef MLB_PAIR_REQUANT_
#endif
        }
        out += 2 * OC;
        ++ox;
        continue;
      }
#if MLB_SIMD_MVE
      if (patch_all && inside) {
        const mve_pred16_t p = vctp8q((uint32_t)(KW * IC));
        for (int ky = 0; ky < KH; ++ky)
          vstrbq_p_s8(patch + ky * KW * IC, vldrbq_z_s8(in + ((iy0 + ky * DH) * IW + ix0) * IC, p), p);
        mlb_conv_pixel(MODE, U4, patch, out, w, bias, mult, shift, QS, KW, IC, OC, KH, KW, 1, 1, 0, 0, out_zp, act_min, act_max);
        out += OC;
        continue;
      }
#endif
#if MLB_SIMD
      if (use_taps) {
        mlb_conv_pixel_taps(MODE, in, zb, out, w, bias, mult, shift, QS, IH, IW, IC, OC, KH, KW, DH, DW, iy0, ix0, out_zp,
                            act_min, act_max);
        out += OC;
        continue;
      }
#endif
      if (use_patch) {
        /* Border pixels, and the odd interior pixel the 2-pixel path leaves: one code path
         * (a second inlined pixel path for the few interior ones would double the code). */
        mlb_gather_patch(patch, in, IH, IW, IC, KH, KW, DH, DW, iy0, ix0, in_zp);
        mlb_conv_pixel(MODE, U4, patch, out, w, bias, mult, shift, QS, KW, IC, OC, KH, KW, 1, 1, 0, 0, out_zp, act_min, act_max);
      } else if (inside) {
        mlb_conv_pixel(MODE, U4, in, out, w, bias, mult, shift, QS, IW, IC, OC, KH, KW, DH, DW, iy0, ix0, out_zp, act_min, act_max);
      } else {
        mlb_conv_border_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OC, KH, KW, DH, DW, iy0, ix0, in_zp, out_zp,
                           act_min, act_max);
      }
      out += OC;
    }
  }
}

#endif
