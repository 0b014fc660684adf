/* mlbench kernel library: int8 dot products on the target's SIMD unit, chosen by the compiler's
 * predefined ISA macros (never by a user flag):
 *   __ARM_FEATURE_MVE (integer Helium, Cortex-M55): 16 int8 lanes, VMLADAVA multiply-accumulate
 *     across the vector into a scalar; tails predicated (VCTP).
 *   __ARM_FEATURE_DSP (Cortex-M4/M7, and M55 without MVE): SXTB16 splits 4 int8 into two pairs of
 *     int16, SMLAD does two MACs.
 * Sums are exact int32 arithmetic in any order, so every path gives the same accumulators as the
 * portable loops (and the same outputs as TensorFlow Lite after requantization).
 * MLB_SIMD is 0 elsewhere (RISC-V, host, Cortex-M3): the callers keep their portable loops. */
#ifndef MLB_SIMD_H
#define MLB_SIMD_H

#include <stdint.h>
#include <string.h>

#include "mlb_fixedpoint.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define MLB_SIMD_MVE 1
#define MLB_SIMD_DSP 0
#define MLB_SIMD 1
#elif defined(__ARM_FEATURE_DSP) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#include <arm_acle.h>
#define MLB_SIMD_MVE 0
#define MLB_SIMD_DSP 1
#define MLB_SIMD 1
#else
#define MLB_SIMD_MVE 0
#define MLB_SIMD_DSP 0
#define MLB_SIMD 0
#endif

#if MLB_SIMD_MVE
/* One 16-byte step of a 1 x 4 dot product in assembly: the common vector from %[c] against the
 * four rows %[r0..r3] (all post-incremented), into the even core registers %[a0..a3]. */
#define MLB_MVE_STEP_1X4                \
  "vldrb.8 q0, [%[c]], #16\n"          \
  "vldrb.8 q1, [%[r0]], #16\n"         \
  "vldrb.8 q2, [%[r1]], #16\n"         \
  "vmladava.s8 %[a0], q0, q1\n"        \
  "vldrb.8 q3, [%[r2]], #16\n"         \
  "vmladava.s8 %[a1], q0, q2\n"        \
  "vldrb.8 q1, [%[r3]], #16\n"         \
  "vmladava.s8 %[a2], q0, q3\n"        \
  "vmladava.s8 %[a3], q0, q1\n"

/* a[j] += sum_{i<L} x[i] * w[j*K + i] for j = 0..3: one input vector feeds four weight rows. */
MLB_INLINE void mlb_dot_1x4(const int8_t *restrict x, const int8_t *restrict w, int K, int L, int32_t a[4]) {
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  int j = 0;
  if (__builtin_constant_p(L) && L % 16 == 0) {
    /* Literal lengths: each 16-byte step is register-exact assembly (see mlb_dot_rows_2x2_mve),
     * post-incrementing the five pointers. */
    const int8_t *p = x, *q0 = w0, *q1 = w1, *q2 = w2, *q3 = w3;
    MLB_UNROLL
    for (; j + 16 <= L; j += 16) {
      __asm__ volatile(
          MLB_MVE_STEP_1X4
          : [a0] "+Te"(a0), [a1] "+Te"(a1), [a2] "+Te"(a2), [a3] "+Te"(a3), [c] "+r"(p), [r0] "+r"(q0), [r1] "+r"(q1),
            [r2] "+r"(q2), [r3] "+r"(q3)
          :
          : "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7");
    }
  }
  for (; j + 16 <= L; j += 16) {
    const int8x16_t xv = vldrbq_s8(x + j);
    a0 = vmladavaq_s8(a0, xv, vldrbq_s8(w0 + j));
    a1 = vmladavaq_s8(a1, xv, vldrbq_s8(w1 + j));
    a2 = vmladavaq_s8(a2, xv, vldrbq_s8(w2 + j));
    a3 = vmladavaq_s8(a3, xv, vldrbq_s8(w3 + j));
  }
  if (j < L) {
    /* Predicated tail: lanes past L load as zero and add nothing. */
    const mve_pred16_t p = vctp8q((uint32_t)(L - j));
    const int8x16_t xv = vldrbq_z_s8(x + j, p);
    a0 = vmladavaq_s8(a0, xv, vldrbq_z_s8(w0 + j, p));
    a1 = vmladavaq_s8(a1, xv, vldrbq_z_s8(w1 + j, p));
    a2 = vmladavaq_s8(a2, xv, vldrbq_z_s8(w2 + j, p));
    a3 = vmladavaq_s8(a3, xv, vldrbq_z_s8(w3 + j, p));
  }
  a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
}

/* Two inputs (x0 -> a[0..3], x1 -> a[4..7]) against the same four weight rows: 6 loads, 8 MACs of 16 lanes. */
MLB_INLINE void mlb_dot_2x4(const int8_t *restrict x0, const int8_t *restrict x1, const int8_t *restrict w, int K, int L,
                            int32_t a[8]) {
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], b0 = a[4], b1 = a[5], b2 = a[6], b3 = a[7];
  int j = 0;
  for (; j + 16 <= L; j += 16) {
    const int8x16_t xv = vldrbq_s8(x0 + j), yv = vldrbq_s8(x1 + j);
    int8x16_t wv = vldrbq_s8(w0 + j);
    a0 = vmladavaq_s8(a0, xv, wv), b0 = vmladavaq_s8(b0, yv, wv);
    wv = vldrbq_s8(w1 + j);
    a1 = vmladavaq_s8(a1, xv, wv), b1 = vmladavaq_s8(b1, yv, wv);
    wv = vldrbq_s8(w2 + j);
    a2 = vmladavaq_s8(a2, xv, wv), b2 = vmladavaq_s8(b2, yv, wv);
    wv = vldrbq_s8(w3 + j);
    a3 = vmladavaq_s8(a3, xv, wv), b3 = vmladavaq_s8(b3, yv, wv);
  }
  if (j < L) {
    const mve_pred16_t p = vctp8q((uint32_t)(L - j));
    const int8x16_t xv = vldrbq_z_s8(x0 + j, p), yv = vldrbq_z_s8(x1 + j, p);
    int8x16_t wv = vldrbq_z_s8(w0 + j, p);
    a0 = vmladavaq_s8(a0, xv, wv), b0 = vmladavaq_s8(b0, yv, wv);
    wv = vldrbq_z_s8(w1 + j, p);
    a1 = vmladavaq_s8(a1, xv, wv), b1 = vmladavaq_s8(b1, yv, wv);
    wv = vldrbq_z_s8(w2 + j, p);
    a2 = vmladavaq_s8(a2, xv, wv), b2 = vmladavaq_s8(b2, yv, wv);
    wv = vldrbq_z_s8(w3 + j, p);
    a3 = vmladavaq_s8(a3, xv, wv), b3 = vmladavaq_s8(b3, yv, wv);
  }
  a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3, a[4] = b0, a[5] = b1, a[6] = b2, a[7] = b3;
}

/* Requantizes four int32 accumulators (channels c..c+3: mult/shift already offset, QS as in
 * mlb_requant_s8) and stores the four int8 results at out. In fp32 mode the four lanes take
 * mlb_fp32_requant_fast's arithmetic as vectors when every lane qualifies for it (|acc| < 2^24,
 * 32 < e < 64, product not near a half), which gives the same bits; otherwise, and in tflm mode,
 * each lane goes through the scalar mlb_requant_s8. (m is positive or zero from the generator:
 * with m = 0 both paths give 0.) The lane checks are across-vector min/max reductions into core
 * registers: GCC 12 handles those better than chained VPT predicates. */
/* Bounded layer (mlb_fp32_requant_bounded's conditions hold for every lane): only the near-half
 * check remains, one reduction. The rounding shift VRSHL adds bit sh-1 of hi, which is t >> 31.
 * m and nsh = 32 - shift per lane; returns 0, storing nothing, when a lane is near a half. */
MLB_INLINE int mlb_requant4_b_s8(int32x4_t acc, int32x4_t m, int32x4_t nsh, int8_t *out, int32_t out_zp, int32_t act_min,
                                 int32_t act_max) {
  const int32x4_t hi = vmulhq_s32(acc, m);
  const uint32x4_t lo = vreinterpretq_u32_s32(vmulq_s32(acc, m));
  const uint32x4_t t = vorrq_u32(vshlq_u32(vreinterpretq_u32_s32(hi), vaddq_n_s32(nsh, 32)), vshlq_u32(lo, nsh));
  if (vminvq_u32(UINT32_MAX, vsubq_n_u32(t, 0x80000000u - (1u << 21))) <= (1u << 22)) return 0;
  int32x4_t y = vaddq_n_s32(vrshlq_s32(hi, nsh), out_zp);
  y = vminq_s32(vmaxq_s32(y, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  vstrbq_s32(out, y);
  return 1;
}

MLB_INLINE void mlb_requant4_s8(int MODE, int32x4_t acc, const int32_t *mult, const int8_t *shift, int QS, int8_t *out,
                                int32_t out_zp, int32_t act_min, int32_t act_max) {
  if (MODE == MLB_REQUANT_FP32B) {
    const int32x4_t m = QS ? vldrwq_s32(mult) : vdupq_n_s32(mult[0]);
    const int32x4_t nsh = vsubq_s32(vdupq_n_s32(32), QS ? vldrbq_s32(shift) : vdupq_n_s32(shift[0]));
    if (mlb_requant4_b_s8(acc, m, nsh, out, out_zp, act_min, act_max)) return;
  }
  if (MODE == MLB_REQUANT_FP32) {
    const int32x4_t m = QS ? vldrwq_s32(mult) : vdupq_n_s32(mult[0]);
    const int32x4_t sh = vsubq_n_s32(QS ? vldrbq_s32(shift) : vdupq_n_s32(shift[0]), 32);
    const uint32x4_t hi = vreinterpretq_u32_s32(vmulhq_s32(acc, m));
    const uint32x4_t lo = vreinterpretq_u32_s32(vmulq_s32(acc, m));
    const int32x4_t nsh = vnegq_s32(sh);
    const uint32x4_t t = vorrq_u32(vshlq_u32(hi, vaddq_n_s32(nsh, 32)), vshlq_u32(lo, nsh));
    const uint32_t acc_span = vmaxvq_u32(0, vaddq_n_u32(vreinterpretq_u32_s32(acc), 1u << 24));
    const uint32_t half_gap = vminvq_u32(UINT32_MAX, vsubq_n_u32(t, 0x80000000u - (1u << 21)));
    const uint32_t sh_span = vmaxvq_u32(0, vreinterpretq_u32_s32(vsubq_n_s32(sh, 1)));
    if (acc_span < (1u << 25) && half_gap > (1u << 22) && sh_span < 31u) {
      int32x4_t y = vaddq_s32(vshlq_s32(vreinterpretq_s32_u32(hi), nsh), vreinterpretq_s32_u32(vshrq_n_u32(t, 31)));
      y = vaddq_n_s32(y, out_zp);
      y = vminq_s32(vmaxq_s32(y, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
      vstrbq_s32(out, y);
      return;
    }
  }
  int32_t a[4];
  vstrwq_s32(a, acc);
  for (int j = 0; j < 4; ++j) out[j] = mlb_requant_s8(MODE, a[j], mult[j * QS], (int)shift[j * QS], out_zp, act_min, act_max);
}

/* Two pixels' accumulators of the same four channels (acc0 -> out0, acc1 -> out1): a bounded
 * layer loads the channels' constants once for both (stores to int8 outputs may alias them, so
 * GCC reloads them per call otherwise). */
MLB_INLINE void mlb_requant4x2_s8(int MODE, int32x4_t acc0, int32x4_t acc1, const int32_t *mult, const int8_t *shift, int QS,
                                  int8_t *out0, int8_t *out1, int32_t out_zp, int32_t act_min, int32_t act_max) {
  if (MODE == MLB_REQUANT_FP32B) {
    const int32x4_t m = QS ? vldrwq_s32(mult) : vdupq_n_s32(mult[0]);
    const int32x4_t nsh = vsubq_s32(vdupq_n_s32(32), QS ? vldrbq_s32(shift) : vdupq_n_s32(shift[0]));
    if (!mlb_requant4_b_s8(acc0, m, nsh, out0, out_zp, act_min, act_max))
      mlb_requant4_s8(MODE, acc0, mult, shift, QS, out0, out_zp, act_min, act_max);
    if (!mlb_requant4_b_s8(acc1, m, nsh, out1, out_zp, act_min, act_max))
      mlb_requant4_s8(MODE, acc1, mult, shift, QS, out1, out_zp, act_min, act_max);
    return;
  }
  mlb_requant4_s8(MODE, acc0, mult, shift, QS, out0, out_zp, act_min, act_max);
  mlb_requant4_s8(MODE, acc1, mult, shift, QS, out1, out_zp, act_min, act_max);
}

/* Requantizes four pixels' accumulators of one channel (multiplier m, shift e: the lanes share
 * them, so every shift is by a scalar) and stores the int8 results at out + so[i] (a scatter,
 * e.g. pixel stride OC). Same arithmetic and lane checks as mlb_requant4_s8; the rounding shift
 * (VRSHL) adds bit sh-1 of the high word, which is mlb_fp32_requant_fast's t >> 31. */
MLB_INLINE void mlb_requant_px4_s8(int MODE, int32x4_t acc, int32_t m, int e, int8_t *out, uint32x4_t so, int32_t out_zp,
                                   int32_t act_min, int32_t act_max) {
  const int sh = e - 32;
  if (MODE == MLB_REQUANT_FP32B) {
    /* Bounded layer: 1 <= sh <= 31 and |acc| < 2^24 hold, only the near-half check remains. */
    const int32x4_t hi = vmulhq_s32(acc, vdupq_n_s32(m));
    const uint32x4_t lo = vreinterpretq_u32_s32(vmulq_n_s32(acc, m));
    const uint32x4_t t = vorrq_u32(vshlq_r_u32(vreinterpretq_u32_s32(hi), 32 - sh), vshlq_r_u32(lo, -sh));
    if (vminvq_u32(UINT32_MAX, vsubq_n_u32(t, 0x80000000u - (1u << 21))) > (1u << 22)) {
      int32x4_t y = vaddq_n_s32(vrshlq_n_s32(hi, -sh), out_zp);
      y = vminq_s32(vmaxq_s32(y, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
      vstrbq_scatter_offset_s32(out, so, y);
      return;
    }
  }
  if (MODE == MLB_REQUANT_FP32 && (unsigned)(sh - 1) < 31u && m > 0) {
    const int32x4_t hi = vmulhq_s32(acc, vdupq_n_s32(m));
    const uint32x4_t lo = vreinterpretq_u32_s32(vmulq_n_s32(acc, m));
    const uint32x4_t t = vorrq_u32(vshlq_r_u32(vreinterpretq_u32_s32(hi), 32 - sh), vshlq_r_u32(lo, -sh));
    const uint32_t acc_span = vmaxvq_u32(0, vaddq_n_u32(vreinterpretq_u32_s32(acc), 1u << 24));
    const uint32_t half_gap = vminvq_u32(UINT32_MAX, vsubq_n_u32(t, 0x80000000u - (1u << 21)));
    if (acc_span < (1u << 25) && half_gap > (1u << 22)) {
      int32x4_t y = vaddq_n_s32(vrshlq_n_s32(hi, -sh), out_zp);
      y = vminq_s32(vmaxq_s32(y, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
      vstrbq_scatter_offset_s32(out, so, y);
      return;
    }
  }
  int32_t a[4];
  uint32_t o[4];
  vstrwq_s32(a, acc);
  vstrwq_u32(o, so);
  for (int j = 0; j < 4; ++j) out[o[j]] = mlb_requant_s8(MODE, a[j], m, e, out_zp, act_min, act_max);
}

/* Pointwise convolution (1x1, stride 1, no padding) over P flattened pixels, four pixels x one
 * output channel at a time (CMSIS-NN's 4-row matrix product): each weight vector feeds four
 * VMLADAVAs, and the requantization runs once per channel on a vector of four pixels with the
 * channel's constants as scalars. Inputs of at most 16 bytes stay in registers across channels.
 * Needs K <= 128. */
MLB_INLINE void mlb_pointwise_mve(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                  const int32_t *restrict bias, const int32_t *restrict mult, const int8_t *restrict shift,
                                  int QS, int P, int K, int N, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const uint32x4_t so = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)N);
  /* K <= 128 (the caller's condition) lets GCC peel the K loop into at most 8 steps with early
   * exits, without loop overheads. K is made opaque first: with a literal K the peeled loads are
   * unconditional, GCC 12 hoists all input vectors out of the channel loop and spills them. */
  __asm__("" : "+r"(K));
  if (K > 128) __builtin_unreachable();
  int p = 0;
  for (; p + 4 <= P; p += 4, in += 4 * K, out += 4 * N) {
    const int8_t *x0 = in, *x1 = in + K, *x2 = in + 2 * K, *x3 = in + 3 * K;
    const int8_t *wn = w;
    if (K <= 16) {
      const mve_pred16_t pr = vctp8q((uint32_t)K);
      const int8x16_t v0 = vldrbq_z_s8(x0, pr), v1 = vldrbq_z_s8(x1, pr), v2 = vldrbq_z_s8(x2, pr), v3 = vldrbq_z_s8(x3, pr);
      for (int n = 0; n < N; ++n, wn += K) {
        const int8x16_t wv = vldrbq_z_s8(wn, pr);
        const int32_t b = bias[n];
        int32x4_t acc = vdupq_n_s32(vmladavaq_s8(b, v0, wv));
        acc = vsetq_lane_s32(vmladavaq_s8(b, v1, wv), acc, 1);
        acc = vsetq_lane_s32(vmladavaq_s8(b, v2, wv), acc, 2);
        acc = vsetq_lane_s32(vmladavaq_s8(b, v3, wv), acc, 3);
        mlb_requant_px4_s8(MODE, acc, mult[n * QS], (int)shift[n * QS], out + n, so, out_zp, act_min, act_max);
      }
      continue;
    }
    for (int n = 0; n < N; ++n, wn += K) {
      int32_t a0 = bias[n], a1 = a0, a2 = a0, a3 = a0;
      const int8_t *p0 = x0, *p1 = x1, *p2 = x2, *p3 = x3, *pw = wn;
      /* The full 16-byte steps as a low-overhead loop (WLS/LE) in register-exact assembly:
       * VMLADAVA takes even core registers ("Te"); in C GCC 12 spent ~2x the MAC instructions. */
      __asm__ volatile(
          "wls lr, %[n], 2f\n"
          "1:\n"
          MLB_MVE_STEP_1X4
          "le lr, 1b\n"
          "2:\n"
          : [a0] "+Te"(a0), [a1] "+Te"(a1), [a2] "+Te"(a2), [a3] "+Te"(a3), [r0] "+r"(p0), [r1] "+r"(p1), [r2] "+r"(p2),
            [r3] "+r"(p3), [c] "+r"(pw)
          : [n] "r"(K >> 4)
          : "lr", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7");
      if (K & 15) {
        const mve_pred16_t pr = vctp8q((uint32_t)(K & 15));
        const int8x16_t wv = vldrbq_z_s8(pw, pr);
        a0 = vmladavaq_s8(a0, vldrbq_z_s8(p0, pr), wv);
        a1 = vmladavaq_s8(a1, vldrbq_z_s8(p1, pr), wv);
        a2 = vmladavaq_s8(a2, vldrbq_z_s8(p2, pr), wv);
        a3 = vmladavaq_s8(a3, vldrbq_z_s8(p3, pr), wv);
      }
      int32x4_t acc = vdupq_n_s32(a0);
      acc = vsetq_lane_s32(a1, acc, 1);
      acc = vsetq_lane_s32(a2, acc, 2);
      acc = vsetq_lane_s32(a3, acc, 3);
      mlb_requant_px4_s8(MODE, acc, mult[n * QS], (int)shift[n * QS], out + n, so, out_zp, act_min, act_max);
    }
  }
  for (; p < P; ++p, in += K, out += N) {
    const int8_t *wn = w;
    for (int n = 0; n < N; ++n, wn += K) {
      int32_t a = bias[n];
      for (int j = 0; j < K; j += 16) {
        const mve_pred16_t pr = vctp8q((uint32_t)(K - j));
        a = vmladavaq_s8(a, vldrbq_z_s8(in + j, pr), vldrbq_z_s8(wn + j, pr));
      }
      out[n] = mlb_requant_s8(MODE, a, mult[n * QS], (int)shift[n * QS], out_zp, act_min, act_max);
    }
  }
}

/* One depthwise output pixel with channel multiplier 1: tap t of channel c reads tp[t][c];
 * weights [OC][KK]. Four channels per vector (int32 lanes), two vectors per step: the input
 * bytes of a tap load widened, the channels' weights of the tap by a gather (stride KK). */
MLB_INLINE void mlb_dw_pixel_mve(int MODE, const int8_t *const *tp, int KK, int OC, int8_t *restrict out,
                                 const int8_t *restrict w, const int32_t *restrict bias, const int32_t *restrict mult,
                                 const int8_t *restrict shift, int QS, int32_t out_zp, int32_t act_min, int32_t act_max) {
  const uint32x4_t woff = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)KK);
  const uint32x4_t woff4 = vaddq_n_u32(woff, 4u * (uint32_t)KK);
  int oc = 0;
  /* Eight channels per step: each tap's input pointer is read once for two vectors. */
  for (; oc + 8 <= OC; oc += 8) {
    int32x4_t acc0 = vldrwq_s32(bias + oc), acc1 = vldrwq_s32(bias + oc + 4);
    const int8_t *wp = w + oc * KK;
    _Pragma("GCC unroll 1") /* unrolled, GCC 12 keeps all KK pointers live and spills */
    for (int t = 0; t < KK; ++t) {
      const int8_t *ip = tp[t] + oc;
      acc0 = vaddq_s32(acc0, vmulq_s32(vldrbq_s32(ip), vldrbq_gather_offset_s32(wp + t, woff)));
      acc1 = vaddq_s32(acc1, vmulq_s32(vldrbq_s32(ip + 4), vldrbq_gather_offset_s32(wp + t, woff4)));
    }
    mlb_requant4_s8(MODE, acc0, mult + oc * QS, shift + oc * QS, QS, out + oc, out_zp, act_min, act_max);
    mlb_requant4_s8(MODE, acc1, mult + (oc + 4) * QS, shift + (oc + 4) * QS, QS, out + oc + 4, out_zp, act_min, act_max);
  }
  for (; oc + 4 <= OC; oc += 4) {
    int32x4_t acc = vldrwq_s32(bias + oc);
    const int8_t *wp = w + oc * KK;
    MLB_UNROLL
    for (int t = 0; t < KK; ++t) acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(tp[t] + oc), vldrbq_gather_offset_s32(wp + t, woff)));
    mlb_requant4_s8(MODE, acc, mult + oc * QS, shift + oc * QS, QS, out + oc, out_zp, act_min, act_max);
  }
  for (; oc < OC; ++oc) {
    int32_t acc = bias[oc];
    MLB_UNROLL
    for (int t = 0; t < KK; ++t) acc += (int32_t)tp[t][oc] * (int32_t)w[oc * KK + t];
    out[oc] = mlb_requant_s8(MODE, acc, mult[oc * QS], (int)shift[oc * QS], out_zp, act_min, act_max);
  }
}
#endif /* MLB_SIMD_MVE */

#if MLB_SIMD_DSP
/* Four int8 from any address (LDR allows unaligned access on ARMv7E-M). */
MLB_INLINE int32_t mlb_ld4(const int8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Bytes 0 and 2 of v sign-extended to two int16 (SXTB16), and bytes 1 and 3 (SXTB16 ROR #8). */
MLB_INLINE int32_t mlb_sxtb16_even(int32_t v) { return (int32_t)__sxtb16(v); }
MLB_INLINE int32_t mlb_sxtb16_odd(int32_t v) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}

/* One SMLAD pair: acc + the four products of the bytes of x and w (split as above). */
#define MLB_SMLAD4(acc, xe, xo, wv) \
  ((acc) = __smlad(mlb_sxtb16_odd(wv), (xo), __smlad(mlb_sxtb16_even(wv), (xe), (acc))))

MLB_INLINE void mlb_dot_1x4(const int8_t *restrict x, const int8_t *restrict w, int K, int L, int32_t a[4]) {
  const int8_t *w0 = w, *w1 = w + K, *w2 = w + 2 * K, *w3 = w + 3 * K;
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  int j = 0;
  for (; j + 4 <= L; j += 4) {
    const int32_t xv = mlb_ld4(x + j);
    const int32_t xe = mlb_sxtb16_even(xv), xo = mlb_sxtb16_odd(xv);
    MLB_SMLAD4(a0, xe, xo, mlb_ld4(w0 + j));
    MLB_SMLAD4(a1, xe, xo, mlb_ld4(w1 + j));
    MLB_SMLAD4(a2, xe, xo, mlb_ld4(w2 + j));
    MLB_SMLAD4(a3, xe, xo, mlb_ld4(w3 + j));
  }
  for (; j < L; ++j) {
    const int32_t xv = x[j];
    a0 += xv * w0[j], a1 += xv * w1[j], a2 += xv * w2[j], a3 += xv * w3[j];
  }
  a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
}

/* Two inputs against four weight rows, as two passes over channel pairs: 2x2 blocks keep the
 * 4 accumulators, 4 split inputs and 2 split weights in the 13 usable core registers. */
MLB_INLINE void mlb_dot_2x2(const int8_t *restrict x0, const int8_t *restrict x1, const int8_t *restrict w0,
                            const int8_t *restrict w1, int L, int32_t *a, int32_t *b) {
  int32_t a0 = a[0], a1 = a[1], b0 = b[0], b1 = b[1];
  int j = 0;
  for (; j + 4 <= L; j += 4) {
    const int32_t xv = mlb_ld4(x0 + j), yv = mlb_ld4(x1 + j);
    const int32_t xe = mlb_sxtb16_even(xv), xo = mlb_sxtb16_odd(xv);
    const int32_t ye = mlb_sxtb16_even(yv), yo = mlb_sxtb16_odd(yv);
    int32_t wv = mlb_ld4(w0 + j);
    int32_t we = mlb_sxtb16_even(wv), wo = mlb_sxtb16_odd(wv);
    a0 = __smlad(wo, xo, __smlad(we, xe, a0));
    b0 = __smlad(wo, yo, __smlad(we, ye, b0));
    wv = mlb_ld4(w1 + j);
    we = mlb_sxtb16_even(wv), wo = mlb_sxtb16_odd(wv);
    a1 = __smlad(wo, xo, __smlad(we, xe, a1));
    b1 = __smlad(wo, yo, __smlad(we, ye, b1));
  }
  for (; j < L; ++j) {
    const int32_t xv = x0[j], yv = x1[j], v0 = w0[j], v1 = w1[j];
    a0 += xv * v0, b0 += yv * v0, a1 += xv * v1, b1 += yv * v1;
  }
  a[0] = a0, a[1] = a1, b[0] = b0, b[1] = b1;
}

MLB_INLINE void mlb_dot_2x4(const int8_t *restrict x0, const int8_t *restrict x1, const int8_t *restrict w, int K, int L,
                            int32_t a[8]) {
  mlb_dot_2x2(x0, x1, w, w + K, L, a, a + 4);
  mlb_dot_2x2(x0, x1, w + 2 * K, w + 3 * K, L, a + 2, a + 6);
}
#endif /* MLB_SIMD_DSP */

#endif
