/* mlbench kernel library: RISC-V's 4 pixels x 4 output channels register blocking (MLB_BLOCK4),
 * used by the convolution kernels of mlb_conv.h. */
#ifndef MLB_CONV_BLOCK4_H
#define MLB_CONV_BLOCK4_H

#include "mlb_conv_core.h"

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

#endif
