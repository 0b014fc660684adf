/* mlbench kernel library: convolution-like int8 kernels (NHWC, batch 1).
 * Biases arrive with the input zero point already folded in (bias - in_zp * sum(w)), so the
 * hot loops are plain int8 x int8 -> int32 MACs with constant bounds. Output pixels whose
 * receptive field crosses the padding take a separate border path that adds in_zp * w for the
 * padded taps, which is what TFLite's "skip padded taps" means once the zero point is folded. */
#ifndef MLB_CONV_H
#define MLB_CONV_H

#include "mlb_fixedpoint.h"
#include "mlb_simd.h"

/* MVE's mlb_requant4_s8 checks each vector of lanes for the fast path itself. */
#if MLB_SIMD_MVE
#undef MLB_REQUANT_FP32B
#define MLB_REQUANT_FP32B MLB_REQUANT_FP32
#endif

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

/* Four output channels of two horizontally adjacent interior pixels: 6 loads for 8 MACs. */
MLB_INLINE void mlb_conv_interior_2x4(int U4, const int8_t *restrict in, const int8_t *restrict w, int32_t acc[8], int IW,
                                      int IC, int KH, int KW, int SW, int DH, int DW, int iy0, int ix0) {
  const int K = KH * KW * IC;
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
    MLB_REQUANT4(MODE, acc, oc, out + oc);
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

#if MLB_BLOCK4
/* a[r*4+j] = b[j] + sum_{k<L} x[r*XS+k] * w[j*WS+k] for inputs r and channels j = 0..3: 8 loads for
 * 16 MACs (RV32 has no SIMD; 16 accumulators, 4 inputs and a weight fit its 27 allocatable
 * registers). Out of line: inlined into a kernel, GCC 12 spills accumulators inside the loop to
 * keep the kernel's outer-loop values in registers. IPA-CP clones it per literal XS/WS/L, so the
 * eight streams are then offsets from two pointers. */
static __attribute__((noinline, unused)) void mlb_dot_4x4(const int8_t *restrict x, int XS, int RS, const int8_t *restrict w, int WS, int KH, int L,
                                                          const int32_t *restrict b, int32_t a[16]) {
  int32_t a00 = b[0], a01 = b[1], a02 = b[2], a03 = b[3], a10 = a00, a11 = a01, a12 = a02, a13 = a03;
  int32_t a20 = a00, a21 = a01, a22 = a02, a23 = a03, a30 = a00, a31 = a01, a32 = a02, a33 = a03;
  for (int ky = 0; ky < KH; ++ky, x += RS, w += L) {
  /* The empty asm statements keep GCC's scheduler from hoisting all eight loads to the top of
   * the body (which needs 4 more registers and spills accumulators in the loop). */
  for (int k = 0; k < L; ++k) {
    const int32_t x0 = x[k], x1 = x[XS + k], x2 = x[2 * XS + k], x3 = x[3 * XS + k];
    int32_t v = w[k];
    a00 += x0 * v, a10 += x1 * v, a20 += x2 * v, a30 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[WS + k];
    a01 += x0 * v, a11 += x1 * v, a21 += x2 * v, a31 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[2 * WS + k];
    a02 += x0 * v, a12 += x1 * v, a22 += x2 * v, a32 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[3 * WS + k];
    a03 += x0 * v, a13 += x1 * v, a23 += x2 * v, a33 += x3 * v;
  }
  }
  a[0] = a00, a[1] = a01, a[2] = a02, a[3] = a03, a[4] = a10, a[5] = a11, a[6] = a12, a[7] = a13;
  a[8] = a20, a[9] = a21, a[10] = a22, a[11] = a23, a[12] = a30, a[13] = a31, a[14] = a32, a[15] = a33;
}

/* mlb_dot_4x4 for pointwise blocks with a run-time depth S: inputs and weight rows share that one
 * stride, so the offsets S, 2S, 3S take three registers instead of six and the loop does not
 * spill (vww's shared 1x1 instance: 51 instead of 54 instructions per 16 MACs). */
static __attribute__((noinline, unused)) void mlb_dot_4x4_pw(const int8_t *restrict x, const int8_t *restrict w, int S,
                                                             const int32_t *restrict b, int32_t a[16]) {
  int32_t a00 = b[0], a01 = b[1], a02 = b[2], a03 = b[3], a10 = a00, a11 = a01, a12 = a02, a13 = a03;
  int32_t a20 = a00, a21 = a01, a22 = a02, a23 = a03, a30 = a00, a31 = a01, a32 = a02, a33 = a03;
  const int8_t *const end = x + S;
  for (; x != end; ++x, ++w) {
    const int32_t x0 = x[0], x1 = x[S], x2 = x[2 * S], x3 = x[3 * S];
    int32_t v = w[0];
    a00 += x0 * v, a10 += x1 * v, a20 += x2 * v, a30 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[S];
    a01 += x0 * v, a11 += x1 * v, a21 += x2 * v, a31 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[2 * S];
    a02 += x0 * v, a12 += x1 * v, a22 += x2 * v, a32 += x3 * v;
    __asm__ volatile("" ::: "memory");
    v = w[3 * S];
    a03 += x0 * v, a13 += x1 * v, a23 += x2 * v, a33 += x3 * v;
  }
  a[0] = a00, a[1] = a01, a[2] = a02, a[3] = a03, a[4] = a10, a[5] = a11, a[6] = a12, a[7] = a13;
  a[8] = a20, a[9] = a21, a[10] = a22, a[11] = a23, a[12] = a30, a[13] = a31, a[14] = a32, a[15] = a33;
}

/* Four inputs (stride XS) x OC channels: acc from bias, one dot per kernel row (KW*IC contiguous
 * bytes when DW == 1), then the 16 outputs requantized into out (pixel stride OC). */
MLB_INLINE void mlb_conv_block_4x4(int MODE, const int8_t *restrict x, int XS, int RS, int8_t *restrict out,
                                   const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                   const int8_t *restrict shift, int QS, int KH, int L, int OC, int32_t out_zp,
                                   int32_t act_min, int32_t act_max) {
  const int K = KH * L;
  for (int n = 0; n < OC; n += 4) {
    int32_t acc[16];
    if (!__builtin_constant_p(K) && KH == 1 && RS == 0 && XS == K)
      mlb_dot_4x4_pw(x, w + n * K, K, bias + n, acc);
    else
      mlb_dot_4x4(x, XS, RS, w + n * K, K, KH, L, bias + n, acc);
    if (__builtin_constant_p(OC)) {
      /* Channel by channel: one multiplier and shift live at a time (four at once spill); with a
       * run-time OC the four output rows' pointers cost more than that saves (vww). */
      for (int j = 0; j < 4; ++j) {
        const int32_t m = mult[(n + j) * QS];
        const int e = (int)shift[(n + j) * QS];
        for (int r = 0; r < 4; ++r) out[r * OC + n + j] = mlb_requant_s8(MODE, acc[r * 4 + j], m, e, out_zp, act_min, act_max);
      }
    } else {
      for (int r = 0; r < 4; ++r) MLB_REQUANT4(MODE, acc + r * 4, n, out + r * OC + n);
    }
  }
}
#endif

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
      if (!patch_all && inside && ox + 1 < OW && ix0 + SW + (KW - 1) * DW < IW && OC % 4 == 0) {
        /* Two pixels at once. */
        for (int oc = 0; oc < OC; oc += 4) {
          int32_t acc[8] = {bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3],
                            bias[oc], bias[oc + 1], bias[oc + 2], bias[oc + 3]};
          mlb_conv_interior_2x4(U4, in, w + oc * K, acc, IW, IC, KH, KW, SW, DH, DW, iy0, ix0);
#if MLB_SIMD_MVE
          MLB_REQUANT4(MODE, acc, oc, out + oc);
          MLB_REQUANT4(MODE, acc + 4, oc, out + OC + oc);
#else
          for (int j = 0; j < 4; ++j) {
            out[oc + j] = mlb_requant_s8(MODE, acc[j], mult[(oc + j) * QS], (int)shift[(oc + j) * QS], out_zp, act_min, act_max);
            out[OC + oc + j] = mlb_requant_s8(MODE, acc[4 + j], mult[(oc + j) * QS], (int)shift[(oc + j) * QS], out_zp, act_min, act_max);
          }
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

#if MLB_BLOCK4
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

/* Weights reordered at generation time to w[oc][ky][kx] (sequential per output channel);
 * output channel oc reads input channel oc / DM. */
MLB_INLINE void mlb_depthwise_conv2d_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
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
#if MLB_BLOCK4
  if (DM == 1 && KH == 3 && KW == 3 && (SW == 1 || (SW == 2 && PL <= 1)) && DH == 1 && DW == 1) {
    mlb_dw3x3_rows_s8(MODE, in, out, w, bias, mult, shift, QS, IH, IW, IC, OH, OW, SH, SW, PT, PL, in_zp, out_zp, act_min, act_max);
    return;
  }
#endif
  int8_t zb[IC];
  for (int ic = 0; ic < IC; ++ic) zb[ic] = (int8_t)in_zp;
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

/* Weights w[n][k]; ROWS input rows of K values each. Four outputs at a time share input loads.
 * mlb_fully_connected_s8 / mlb_fully_connected_u4_s8 (K loop unrolled by 4). */
#define mlb_fully_connected_s8(MODE, ...) mlb_fully_connected_impl_s8(MODE, 0, __VA_ARGS__)
#define mlb_fully_connected_u4_s8(MODE, ...) mlb_fully_connected_impl_s8(MODE, 1, __VA_ARGS__)
MLB_INLINE void mlb_fully_connected_impl_s8(int MODE, int U4, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                       const int32_t *restrict bias, const int32_t *restrict mult,
                                       const int8_t *restrict shift, int QS, int ROWS, int K, int N, int32_t out_zp,
                                       int32_t act_min, int32_t act_max) {
  for (int r = 0; r < ROWS; ++r) {
    int n = 0;
    for (; n + 4 <= N; n += 4) {
      int32_t acc[4] = {bias[n], bias[n + 1], bias[n + 2], bias[n + 3]};
      mlb_conv_interior_x4(U4, in, w + n * K, acc, K, K, 1, 1, 1, 1, 0, 0);
      MLB_REQUANT4(MODE, acc, n, out + n);
    }
    /* The weight pointer advances instead of being recomputed as w + n * K: with run-time K and N,
     * GCC's loop analysis otherwise warns about an overflow of n * K that cannot happen. */
    for (const int8_t *wp = w + n * K; n < N; ++n, wp += K) {
      int32_t acc = bias[n];
      for (int k = 0; k < K; ++k) acc += (int32_t)in[k] * (int32_t)wp[k];
      out[n] = mlb_requant_s8(MODE, acc, mult[(n) * QS], (int)shift[(n) * QS], out_zp, act_min, act_max);
    }
    in += K;
    out += N;
  }
}

#endif
