/* mlbench kernel library: the machinery shared by the convolution-like int8 kernels (NHWC, batch 1).
 * Biases arrive with the input zero point already folded in (bias - in_zp * sum(w)), so the
 * hot loops are plain int8 x int8 -> int32 MACs with constant bounds. Output pixels whose
 * receptive field crosses the padding take a separate border path that adds in_zp * w for the
 * padded taps, which is what TFLite's "skip padded taps" means once the zero point is folded. */
#ifndef MLB_CONV_CORE_H
#define MLB_CONV_CORE_H

#include "mlb_fixedpoint.h"
#include "mlb_simd.h"

/* With run-time channel counts GCC's loop analysis reports iterations "invoking undefined
 * behaviour" (index overflow) that no valid shape reaches; the diagnostic is a false positive. */
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"

/* 4 pixels x 4 channels register blocking (mlb_dot_4x4) needs ~27 free general registers: RV32I/
 * RV64I have 31 (x86-64 has 16 and spills: the host measured ~40% slower; Cortex-M has 13 and
 * takes the SIMD paths). Tests force it on the host with -DMLB_BLOCK4=1 to check it there. */
#ifndef MLB_BLOCK4
#if !MLB_SIMD && defined(__riscv) && !defined(__riscv_32e) && !defined(__riscv_e)
#define MLB_BLOCK4 1
#else
#define MLB_BLOCK4 0
#endif
#endif

/* RISC-V (MLB_BLOCK4): in spatial kernels (KH*KW > 1) the requantization loops of the single-pixel
 * and pixel-pair paths (border, odd and leftover pixels; the 4x4 blocks do the bulk) stay rolled:
 * each inlined requantization is ~70 bytes, 12 of them per instance, and the loop costs ~3
 * instructions per output. Pointwise instances keep them unrolled (rolled, vww's pointwise
 * layers measured +0.1 M instructions). */
#if MLB_BLOCK4
#define MLB_ROLL _Pragma("GCC unroll 1")
#else
#define MLB_ROLL
#endif

/* Attributes of the generated shared CONV_2D instances with a spatial window (KH*KW > 1). RISC-V:
 * compiled at O2, not O3: each instance carries its own border, odd-pixel and block paths for its
 * literal IC and strides (1.2-1.8 kB at O3); O2 measured resnet -1.6 kB ROM for +0.6 M
 * instructions (+1.4%). Elsewhere the TU's level. */
#if MLB_BLOCK4
#define MLB_SPATIAL_INSTANCE __attribute__((optimize("O2")))
#else
#define MLB_SPATIAL_INSTANCE
#endif

/* Four output channels of one interior pixel: each input byte is loaded once for four MACs. */
/* U4 (a literal): unroll the channel loop by 4 (the `blocked` variant; fewer loop overheads, more code). */
#define MLB_IC_LOOP(U4, IC, ...)                                                \
  do {                                                                         \
    if (U4) {                                                                  \
      _Pragma("GCC unroll 4") for (int ic = 0; ic < (IC); ++ic) { __VA_ARGS__ } \
    } else {                                                                   \
      for (int ic = 0; ic < (IC); ++ic) { __VA_ARGS__ }                        \
    }                                                                          \
  } while (0)

/* Requantizes acc[0..3] (channels c..c+3) into o[0..3]: as vectors on MVE, else lane by lane.
 * Uses the caller's mult, shift, QS, out_zp, act_min, act_max. */
#if MLB_SIMD_MVE
#define MLB_REQUANT4(MODE, acc, c, o) \
  mlb_requant4_s8(MODE, vldrwq_s32(acc), mult + (c) * QS, shift + (c) * QS, QS, (o), out_zp, act_min, act_max)
#else
#define MLB_REQUANT4(MODE, acc, c, o)                                                                              \
  do {                                                                                                              \
    for (int j_ = 0; j_ < 4; ++j_)                                                                                  \
      (o)[j_] = mlb_requant_s8(MODE, (acc)[j_], mult[((c) + j_) * QS], (int)shift[((c) + j_) * QS], out_zp, act_min, \
                               act_max);                                                                            \
  } while (0)
#endif

MLB_INLINE void mlb_conv_interior_x4(int U4, const int8_t *restrict in, const int8_t *restrict w, int32_t acc[4], int IW, int IC,
                                     int KH, int KW, int DH, int DW, int iy0, int ix0) {
  const int K = KH * KW * IC;
#if MLB_SIMD
  if (DW == 1) {
    /* Each kernel row is one contiguous run of KW*IC bytes in input and weights; the runs of
     * consecutive rows join when the input row is exactly the window (patches, FC). */
    const int joined = KH == 1 || (DH == 1 && IW == KW);
    const int L = joined ? K : KW * IC;
    for (int ky = 0; ky < (joined ? 1 : KH); ++ky)
      mlb_dot_1x4(in + ((iy0 + ky * DH) * IW + ix0) * IC, w + ky * L, K, L, acc);
    return;
  }
#endif
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int ky = 0; ky < KH; ++ky) {
    for (int kx = 0; kx < KW; ++kx) {
      const int8_t *ip = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
      const int t = (ky * KW + kx) * IC;
      MLB_IC_LOOP(U4, IC, {
        const int32_t x = ip[ic];
        a0 += x * w0[t + ic];
        a1 += x * w1[t + ic];
        a2 += x * w2[t + ic];
        a3 += x * w3[t + ic];
      });
    }
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

#if MLB_SIMD_MVE
/* Two pixels (x0, x0 + SX) x two weight rows (w, w + K) over KH kernel rows of L contiguous
 * bytes (row stride RS), KH and L literals: a[0..1] and b[0..1] accumulate. Each 16-byte step is register-exact assembly, unrolled by the compiler (one asm
 * statement per step, so GCC's size estimates, and its literal pools, stay right): VMLADAVA
 * needs even core registers ("Te"), and in C GCC 12 spilled about half the loop (the 2x4 pass's
 * 8 accumulators do not fit beside its pointers; 2x2 in C shared the input loads across passes
 * and spilled vectors). The weight rows are read straight through, K bytes each. */
MLB_INLINE void mlb_dot_rows_2x2_mve(const int8_t *x0, int SX, int RS, const int8_t *w, int K, int KH, int L, int32_t *a,
                                     int32_t *b) {
  int32_t a0 = a[0], a1 = a[1], b0 = b[0], b1 = b[1];
  const int8_t *p = x0, *q = x0 + SX, *wa = w, *wb = w + K;
  MLB_UNROLL
  for (int ky = 0; ky < KH; ++ky, p += RS - L, q += RS - L) {
    MLB_UNROLL
    for (int j = 0; j + 16 <= L; j += 16) {
      __asm__ volatile(
          "vldrb.8 q0, [%[p]], #16\n"
          "vldrb.8 q1, [%[q]], #16\n"
          "vldrb.8 q2, [%[wa]], #16\n"
          "vldrb.8 q3, [%[wb]], #16\n"
          "vmladava.s8 %[a0], q0, q2\n"
          "vmladava.s8 %[a1], q0, q3\n"
          "vmladava.s8 %[b0], q1, q2\n"
          "vmladava.s8 %[b1], q1, q3\n"
          : [a0] "+Te"(a0), [a1] "+Te"(a1), [b0] "+Te"(b0), [b1] "+Te"(b1), [p] "+r"(p), [q] "+r"(q), [wa] "+r"(wa),
            [wb] "+r"(wb)
          :
          : "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7");
    }
    if (L & 15) {
      /* Predicated tail: lanes past L load as zero and add nothing. */
      const mve_pred16_t pr = vctp8q((uint32_t)(L & 15));
      const int8x16_t xv = vldrbq_z_s8(p, pr), yv = vldrbq_z_s8(q, pr), va = vldrbq_z_s8(wa, pr), vb = vldrbq_z_s8(wb, pr);
      a0 = vmladavaq_s8(a0, xv, va), a1 = vmladavaq_s8(a1, xv, vb);
      b0 = vmladavaq_s8(b0, yv, va), b1 = vmladavaq_s8(b1, yv, vb);
      p += L & 15, q += L & 15, wa += L & 15, wb += L & 15;
    }
  }
  a[0] = a0, a[1] = a1, b[0] = b0, b[1] = b1;
}
#endif

/* Four output channels of two horizontally adjacent interior pixels: 6 loads for 8 MACs. */
MLB_INLINE void mlb_conv_interior_2x4(int U4, const int8_t *restrict in, const int8_t *restrict w, int32_t acc[8], int IW,
                                      int IC, int KH, int KW, int SW, int DH, int DW, int iy0, int ix0) {
  const int K = KH * KW * IC;
#if MLB_SIMD_MVE
  if (DW == 1 && __builtin_constant_p(KH) && __builtin_constant_p(KW * IC)) {
    mlb_dot_rows_2x2_mve(in + (iy0 * IW + ix0) * IC, SW * IC, DH * IW * IC, w, K, KH, KW * IC, acc, acc + 4);
    mlb_dot_rows_2x2_mve(in + (iy0 * IW + ix0) * IC, SW * IC, DH * IW * IC, w + 2 * K, K, KH, KW * IC, acc + 2, acc + 6);
    return;
  }
#endif
#if MLB_SIMD
  if (DW == 1) {
    const int L = KW * IC;
    for (int ky = 0; ky < KH; ++ky) {
      const int8_t *ip = in + ((iy0 + ky * DH) * IW + ix0) * IC;
      mlb_dot_2x4(ip, ip + SW * IC, w + ky * L, K, L, acc);
    }
    return;
  }
#endif
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t b0 = acc[4], b1 = acc[5], b2 = acc[6], b3 = acc[7];
  for (int ky = 0; ky < KH; ++ky) {
    for (int kx = 0; kx < KW; ++kx) {
      const int8_t *ip0 = in + ((iy0 + ky * DH) * IW + (ix0 + kx * DW)) * IC;
      const int8_t *ip1 = ip0 + SW * IC;
      const int t = (ky * KW + kx) * IC;
      MLB_IC_LOOP(U4, IC, {
        const int32_t x0 = ip0[ic], x1 = ip1[ic];
        const int32_t v0 = w0[t + ic], v1 = w1[t + ic], v2 = w2[t + ic], v3 = w3[t + ic];
        a0 += x0 * v0, b0 += x1 * v0;
        a1 += x0 * v1, b1 += x1 * v1;
        a2 += x0 * v2, b2 += x1 * v2;
        a3 += x0 * v3, b3 += x1 * v3;
      });
    }
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = b0, acc[5] = b1, acc[6] = b2, acc[7] = b3;
}

/* All OC outputs of one pixel whose receptive field lies inside `in` (row width IW). */
MLB_INLINE void mlb_conv_pixel(int MODE, int U4, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                               const int32_t *restrict bias, const int32_t *restrict mult,
                               const int8_t *restrict shift, int QS, int IW, int IC, int OC, int KH, int KW, int DH, int DW,
                               int iy0, int ix0, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int K = KH * KW * IC;
  int oc = 0;
  for (; oc + 4 <= OC; oc += 4) {
    int32_t acc[4] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
    mlb_conv_interior_x4(U4, in, w + oc * K, acc, IW, IC, KH, KW, DH, DW, iy0, ix0);
#if MLB_BLOCK4
    if (KH * KW > 1) {
      MLB_ROLL for (int j = 0; j < 4; ++j)
        out[oc + j] = mlb_requant_s8(MODE, acc[j], mult[(oc + j) * QS], (int)shift[(oc + j) * QS], out_zp, act_min, act_max);
    } else {
      MLB_REQUANT4(MODE, acc, oc, out + oc);
    }
#else
    MLB_REQUANT4(MODE, acc, oc, out + oc);
#endif
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
    out[oc] = mlb_requant_s8(MODE, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max);
  }
}

/* One output pixel (all OC channels) whose receptive field crosses the padding: padded taps
 * contribute in_zp * w, which the folded bias subtracted, exactly as TFLite's skipped taps.
 * Shared and out of line with run-time shapes: border pixels are a small share of the work. */
static __attribute__((noinline, noclone, unused, optimize("Os"))) void mlb_conv_border_s8(
    int mode, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w, const int32_t *restrict bias,
    const int32_t *restrict mult, const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OC, int KH, int KW, int DH,
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
    out[oc] = mode != MLB_REQUANT_TFLM
                  ? mlb_requant_s8(MLB_REQUANT_FP32, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max)
                  : mlb_requant_s8(MLB_REQUANT_TFLM, acc, mult[(oc) * QS], (int)shift[(oc) * QS], out_zp, act_min, act_max);
  }
}

#if MLB_SIMD
/* One output pixel (all OC channels) on the SIMD dot products, tap by tap: each tap points at its
 * input pixel or, when it lies in the padding, at `zb` (IC bytes of in_zp), so border pixels need
 * no gathered patch; the IC bytes of a tap are one contiguous run. Used for border pixels of deep
 * inputs (IC >= 16) and for dilated kernels. */
MLB_INLINE void mlb_conv_pixel_taps(int MODE, const int8_t *restrict in, const int8_t *restrict zb, int8_t *restrict out,
                                    const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                    const int8_t *restrict shift, int QS, int IH, int IW, int IC, int OC, int KH, int KW,
                                    int DH, int DW, int iy0, int ix0, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const int K = KH * KW * IC;
  const int8_t *tp[KH * KW];
  _Pragma("GCC unroll 1")
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = iy0 + ky * DH;
    _Pragma("GCC unroll 1")
    for (int kx = 0; kx < KW; ++kx) {
      const int ix = ix0 + kx * DW;
      tp[ky * KW + kx] = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? in + (iy * IW + ix) * IC : zb;
    }
  }
  int oc = 0;
  for (; oc + 4 <= OC; oc += 4) {
    int32_t acc[4] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
    _Pragma("GCC unroll 1")
    for (int t = 0; t < KH * KW; ++t) mlb_dot_1x4(tp[t], w + oc * K + t * IC, K, IC, acc);
    MLB_REQUANT4(MODE, acc, oc, out + oc);
  }
  for (; oc < OC; ++oc) {
    int32_t acc = bias[oc];
    for (int t = 0; t < KH * KW; ++t)
      for (int ic = 0; ic < IC; ++ic) acc += (int32_t)tp[t][ic] * (int32_t)w[oc * K + t * IC + ic];
    out[oc] = mlb_requant_s8(MODE, acc, mult[oc * QS], (int)shift[oc * QS], out_zp, act_min, act_max);
  }
}
#endif

/* Copies the receptive field of the output pixel at (iy0, ix0) into pp (KH*KW*IC bytes, OHWI
 * order), padded taps as in_zp. Kept as loops: unrolled gathers cost code in every instance. */
MLB_INLINE void mlb_gather_patch(int8_t *restrict pp, const int8_t *restrict in, int IH, int IW, int IC, int KH, int KW,
                                 int DH, int DW, int iy0, int ix0, int32_t in_zp) {
  _Pragma("GCC unroll 1")
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = iy0 + ky * DH;
    _Pragma("GCC unroll 1")
    for (int kx = 0; kx < KW; ++kx, pp += IC) {
      const int ix = ix0 + kx * DW;
      if (iy >= 0 && iy < IH && ix >= 0 && ix < IW) {
        const int8_t *ip = in + (iy * IW + ix) * IC;
        for (int ic = 0; ic < IC; ++ic) pp[ic] = ip[ic];
      } else {
        for (int ic = 0; ic < IC; ++ic) pp[ic] = (int8_t)in_zp;
      }
    }
  }
}

/* Largest receptive field (KH*KW*IC bytes) that border pixels gather into a stack patch. */
#ifndef MLB_PATCH_MAX
#if MLB_BLOCK4
/* RISC-V: resnet's 8x8 layers (K = 576) gather their border pixels too (44% of their pixels;
 * the shared border function costs about twice as much per MAC). */
#define MLB_PATCH_MAX 1024
#else
#define MLB_PATCH_MAX 512
#endif
#endif

#endif
