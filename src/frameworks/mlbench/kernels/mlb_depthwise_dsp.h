/* mlbench kernel library: int8 DEPTHWISE_CONV_2D (multiplier 1, channels a multiple of 4) on
 * weights the generator prepares as int16 pairs for the Arm DSP extension (Cortex-M4/M7):
 * for channel group g (channels 4g..4g+3) and tap t (ky * KW + kx),
 *   w[(g * KH * KW + t) * 2]     = W[4g][t]     | W[4g + 2][t] << 16
 *   w[(g * KH * KW + t) * 2 + 1] = W[4g + 1][t] | W[4g + 3][t] << 16
 * so one LDR of four input channels, SXTB16 and SXTB16 ROR #8 (channels 0,2 and 1,3 as int16
 * halves) and SMLABB/SMLATT against the pair words give four MACs in 8 instructions with the
 * weights loaded by one LDRD (the scalar loop: two LDRSB and one SMLABB per MAC). Padded taps of
 * border pixels read `zb` (IC bytes of in_zp, which the folded bias expects), so every pixel takes
 * the same loop over tap pointers. Pixels in row-major order, each written after its receptive
 * field is read (the arena plan's in-place condition). Portable on other targets (the same sums in
 * C); the generator emits it only for DSP targets. */
#ifndef MLB_DEPTHWISE_DSP_H
#define MLB_DEPTHWISE_DSP_H

#include "mlb_depthwise_core.h"
#include "mlb_dsp_rows4.h"

/* One tap of four channels: a0..a3 += x[c..c+3] * the pair words at w (w += 8). In assembler
 * because GCC 12 hoists the unrolled taps' loads and spills the accumulators (in C: 20 stack
 * accesses per group of four channels of aww). x may be unaligned (LDR allows it), w is 4-byte
 * aligned (LDRD needs it; the generator aligns the weight arrays). 8 instructions for 4 MACs. */
#if MLB_SIMD_DSP
#define MLB_DW_DSP_TAP(X, C, W, A0, A1, A2, A3)                                                                \
  do {                                                                                                    \
    int32_t xe_, xo_, w02_, w13_;                                                                         \
    __asm__ volatile("ldr %[xo], [%[xp], %[c]]\n\t"                                                           \
                     "ldrd %[w02], %[w13], [%[w]], #8\n\t"                                                 \
                     "sxtb16 %[xe], %[xo]\n\t"                                                             \
                     "sxtb16 %[xo], %[xo], ror #8\n\t"                                                     \
                     "smlabb %[a0], %[xe], %[w02], %[a0]\n\t"                                              \
                     "smlatt %[a2], %[xe], %[w02], %[a2]\n\t"                                              \
                     "smlabb %[a1], %[xo], %[w13], %[a1]\n\t"                                              \
                     "smlatt %[a3], %[xo], %[w13], %[a3]"                                                   \
                     : [xe] "=&r"(xe_), [xo] "=&r"(xo_), [w02] "=&r"(w02_), [w13] "=&r"(w13_), [w] "+r"(W),  \
                       [a0] "+r"(A0), [a1] "+r"(A1), [a2] "+r"(A2), [a3] "+r"(A3)                            \
                     : [xp] "r"(X), [c] "r"(C), "m"(*(const int8_t(*)[4])((X) + (C))), "m"(*(const int32_t(*)[2])(W)));            \
  } while (0)
#else
#define MLB_DW_DSP_TAP(X, C, W, A0, A1, A2, A3)                                                                \
  do {                                                                                                    \
    const int8_t *x_ = (X) + (C);                                                                               \
    A0 += (int32_t)x_[0] * (int16_t)(W)[0], A2 += (int32_t)x_[2] * ((W)[0] >> 16);                        \
    A1 += (int32_t)x_[1] * (int16_t)(W)[1], A3 += (int32_t)x_[3] * ((W)[1] >> 16);                        \
    (W) += 2;                                                                                             \
  } while (0)
#endif

MLB_INLINE void mlb_depthwise_conv2d_dsp_s8(int MODE, const int8_t *restrict in, int8_t *restrict out,
                                            const int32_t *restrict w, const int32_t *restrict bias,
                                            const int32_t *restrict mult, const int8_t *restrict shift, int QS, int IH,
                                            int IW, int IC, int OH, int OW, int DM, int KH, int KW, int SH, int SW, int DH,
                                            int DW, int PT, int PL, int32_t in_zp, int32_t out_zp, int32_t act_min,
                                            int32_t act_max) {
  (void)DM; /* 1: the generator's condition */
  const int32_t m0 = mult[0];
  const int e0 = shift[0];
  int8_t zb[IC];
  for (int ic = 0; ic < IC; ++ic) zb[ic] = (int8_t)in_zp;
  const int8_t *tp[KH * KW];
  for (int oy = 0; oy < OH; ++oy) {
    const int iy0 = oy * SH - PT;
    for (int ox = 0; ox < OW; ++ox, out += IC) {
      const int ix0 = ox * SW - PL;
      MLB_UNROLL
      for (int ky = 0; ky < KH; ++ky) {
        const int iy = iy0 + ky * DH;
        MLB_UNROLL
        for (int kx = 0; kx < KW; ++kx) {
          const int ix = ix0 + kx * DW;
          tp[ky * KW + kx] = (iy >= 0 && iy < IH && ix >= 0 && ix < IW) ? in + (iy * IW + ix) * IC : zb;
        }
      }
      const int32_t *wp = (const int32_t *)__builtin_assume_aligned(w, 4);
      for (int c = 0; c < IC; c += 4) {
        int32_t a0 = bias[c], a1 = bias[c + 1], a2 = bias[c + 2], a3 = bias[c + 3];
        MLB_UNROLL
        for (int t = 0; t < KH * KW; ++t) MLB_DW_DSP_TAP(tp[t], c, wp, a0, a1, a2, a3);
        MLB_DSP_REQUANT4(MODE, a0, a1, a2, a3, c, out + c);
      }
    }
  }
}

#endif
