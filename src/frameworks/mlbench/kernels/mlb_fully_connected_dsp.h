/* mlbench kernel library: int8 FULLY_CONNECTED on weights interleaved for the Arm DSP path.
 * The generator emits this layout only for targets whose ISA has the DSP extension (ARMv7E-M:
 * Cortex-M4/M7), when K and N are multiples of 4: for each group of four outputs n..n+3 and
 * each run of four inputs k..k+3, the four rows' bytes follow each other,
 *   w[((n/4) * (K/4) + k/4) * 16 + r * 4 + j] = W[n + r][k + j],
 * so one pointer walks the weights in order and each step's 16 bytes load as two LDRDs (the
 * array is 4-byte aligned), instead of four row pointers with four loads and their offsets.
 * The portable loop reads the same layout (any target compiles it; only the DSP one is fast). */
#ifndef MLB_FULLY_CONNECTED_DSP_H
#define MLB_FULLY_CONNECTED_DSP_H

#include "mlb_conv_core.h"

#if MLB_SIMD_DSP
/* One step of four inputs x four rows, as assembler text: x += 4, w += 16,
 * a<r> += sum_j x[j] * w[4r + j]. SXTB16 gives bytes 0 and 2 as two int16, SXTB16 ROR #8
 * bytes 1 and 3, for the input and each weight word alike, so SMLAD pairs them up. x may be
 * unaligned (LDR allows it); w is 4-byte aligned (LDRD needs it; the generator aligns the
 * weight arrays). 20 instructions for 16 MACs. */
#define MLB_FC_DSP_STEP_ASM                \
  "ldr %[xo], [%[x]], #4\n\t"             \
  "sxtb16 %[xe], %[xo]\n\t"               \
  "sxtb16 %[xo], %[xo], ror #8\n\t"       \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "sxtb16 %[t], %[v0], ror #8\n\t"        \
  "sxtb16 %[v0], %[v0]\n\t"               \
  "smlad %[a0], %[v0], %[xe], %[a0]\n\t"  \
  "smlad %[a0], %[t], %[xo], %[a0]\n\t"   \
  "sxtb16 %[t], %[v1], ror #8\n\t"        \
  "sxtb16 %[v1], %[v1]\n\t"               \
  "smlad %[a1], %[v1], %[xe], %[a1]\n\t"  \
  "smlad %[a1], %[t], %[xo], %[a1]\n\t"   \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "sxtb16 %[t], %[v0], ror #8\n\t"        \
  "sxtb16 %[v0], %[v0]\n\t"               \
  "smlad %[a2], %[v0], %[xe], %[a2]\n\t"  \
  "smlad %[a2], %[t], %[xo], %[a2]\n\t"   \
  "sxtb16 %[t], %[v1], ror #8\n\t"        \
  "sxtb16 %[v1], %[v1]\n\t"               \
  "smlad %[a3], %[v1], %[xe], %[a3]\n\t"  \
  "smlad %[a3], %[t], %[xo], %[a3]\n\t"

/* The K loop of four rows (K a multiple of 4): in assembler as a whole, two steps per
 * iteration, because GCC 12 around an unrolled C loop of steps adds register moves or hoists
 * the loads and spills the accumulators. Returns the advanced weight pointer. */
MLB_INLINE const int8_t *mlb_fc_dsp_rows4(const int8_t *x, const int8_t *w, int K, int32_t *a0, int32_t *a1, int32_t *a2,
                                          int32_t *a3) {
  int32_t xe, xo, v0, v1, t, b0 = *a0, b1 = *a1, b2 = *a2, b3 = *a3;
  if (K >= 8) {
    const int8_t *const xend = x + (K & ~7);
    __asm__ volatile("1:\n\t" MLB_FC_DSP_STEP_ASM MLB_FC_DSP_STEP_ASM "cmp %[x], %[xend]\n\tbne 1b"
                     : [xe] "=&r"(xe), [xo] "=&r"(xo), [v0] "=&r"(v0), [v1] "=&r"(v1), [t] "=&r"(t), [x] "+r"(x), [w] "+r"(w),
                       [a0] "+r"(b0), [a1] "+r"(b1), [a2] "+r"(b2), [a3] "+r"(b3)
                     : [xend] "r"(xend), "m"(*(const int8_t(*)[K & ~7])x), "m"(*(const int8_t(*)[4 * (K & ~7)])w)
                     : "cc");
  }
  if (K & 4) {
    __asm__ volatile(MLB_FC_DSP_STEP_ASM
                     : [xe] "=&r"(xe), [xo] "=&r"(xo), [v0] "=&r"(v0), [v1] "=&r"(v1), [t] "=&r"(t), [x] "+r"(x), [w] "+r"(w),
                       [a0] "+r"(b0), [a1] "+r"(b1), [a2] "+r"(b2), [a3] "+r"(b3)
                     : "m"(*(const int8_t(*)[4])x), "m"(*(const int8_t(*)[16])w));
  }
  *a0 = b0, *a1 = b1, *a2 = b2, *a3 = b3;
  return w;
}
#endif

MLB_INLINE void mlb_fully_connected_il4_s8(int MODE, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                           const int32_t *restrict bias, const int32_t *restrict mult,
                                           const int8_t *restrict shift, int QS, int ROWS, int K, int N, int32_t out_zp,
                                           int32_t act_min, int32_t act_max) {
  /* One multiplier for all channels (QS = 0) is read once: the int8 stores to out could alias
   * shift as far as GCC knows, so it would reload both per output. */
  const int32_t m0 = mult[0];
  const int e0 = shift[0];
  for (int r = 0; r < ROWS; ++r, in += K, out += N) {
    const int8_t *wp = (const int8_t *)__builtin_assume_aligned(w, 4);
    for (int n = 0; n < N; n += 4) {
      int32_t a0 = bias[n], a1 = bias[n + 1], a2 = bias[n + 2], a3 = bias[n + 3];
#if MLB_SIMD_DSP
      wp = mlb_fc_dsp_rows4(in, wp, K, &a0, &a1, &a2, &a3);
#else
      for (int k = 0; k < K; k += 4, wp += 16) {
        for (int j = 0; j < 4; ++j) {
          const int32_t x = in[k + j];
          a0 += x * wp[j], a1 += x * wp[4 + j], a2 += x * wp[8 + j], a3 += x * wp[12 + j];
        }
      }
#endif
      const int32_t acc[4] = {a0, a1, a2, a3};
      for (int j = 0; j < 4; ++j)
        out[n + j] = mlb_requant_s8(MODE, acc[j], QS ? mult[n + j] : m0, QS ? (int)shift[n + j] : e0, out_zp, act_min, act_max);
    }
  }
}

#endif
