/* mlbench kernel library: the Arm DSP (SMLAD/SXTB16) dot product of one input run against four
 * weight rows interleaved by four (the layout the generator emits for DSP targets: for each
 * group of four output channels and each run of four inputs, the four rows' four bytes in a
 * row), shared by mlb_fully_connected_dsp.h and mlb_conv_dsp.h. Also the requantization of the
 * four accumulators. */
#ifndef MLB_DSP_ROWS4_H
#define MLB_DSP_ROWS4_H

#include "mlb_fixedpoint.h"
#include "mlb_simd.h"

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

/* The step on weights widened to int16 at generation time (mlb_fc_dsp_rows4_h): per row two
 * words, bytes 0 and 2 then bytes 1 and 3 of the row's four as int16 pairs, which SMLAD pairs with
 * the input's SXTB16 halves directly. 15 instructions for 16 MACs. */
#define MLB_FC_DSP_STEP16_ASM              \
  "ldr %[xo], [%[x]], #4\n\t"             \
  "sxtb16 %[xe], %[xo]\n\t"               \
  "sxtb16 %[xo], %[xo], ror #8\n\t"       \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "smlad %[a0], %[v0], %[xe], %[a0]\n\t"  \
  "smlad %[a0], %[v1], %[xo], %[a0]\n\t"  \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "smlad %[a1], %[v0], %[xe], %[a1]\n\t"  \
  "smlad %[a1], %[v1], %[xo], %[a1]\n\t"  \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "smlad %[a2], %[v0], %[xe], %[a2]\n\t"  \
  "smlad %[a2], %[v1], %[xo], %[a2]\n\t"  \
  "ldrd %[v0], %[v1], [%[w]], #8\n\t"     \
  "smlad %[a3], %[v0], %[xe], %[a3]\n\t"  \
  "smlad %[a3], %[v1], %[xo], %[a3]\n\t"

/* mlb_fc_dsp_rows4 on int16 weight pairs (32 bytes per step of four inputs). */
MLB_INLINE const int8_t *mlb_fc_dsp_rows4_h(const int8_t *x, const int8_t *w, int K, int32_t *a0, int32_t *a1,
                                            int32_t *a2, int32_t *a3) {
  int32_t xe, xo, v0, v1, b0 = *a0, b1 = *a1, b2 = *a2, b3 = *a3;
  if (K >= 8) {
    const int8_t *const xend = x + (K & ~7);
    __asm__ volatile("1:\n\t" MLB_FC_DSP_STEP16_ASM MLB_FC_DSP_STEP16_ASM "cmp %[x], %[xend]\n\tbne 1b"
                     : [xe] "=&r"(xe), [xo] "=&r"(xo), [v0] "=&r"(v0), [v1] "=&r"(v1), [x] "+r"(x), [w] "+r"(w), [a0] "+r"(b0),
                       [a1] "+r"(b1), [a2] "+r"(b2), [a3] "+r"(b3)
                     : [xend] "r"(xend), "m"(*(const int8_t(*)[K & ~7])x), "m"(*(const int8_t(*)[8 * (K & ~7)])w)
                     : "cc");
  }
  if (K & 4) {
    __asm__ volatile(MLB_FC_DSP_STEP16_ASM
                     : [xe] "=&r"(xe), [xo] "=&r"(xo), [v0] "=&r"(v0), [v1] "=&r"(v1), [x] "+r"(x), [w] "+r"(w), [a0] "+r"(b0),
                       [a1] "+r"(b1), [a2] "+r"(b2), [a3] "+r"(b3)
                     : "m"(*(const int8_t(*)[4])x), "m"(*(const int8_t(*)[32])w));
  }
  *a0 = b0, *a1 = b1, *a2 = b2, *a3 = b3;
  return w;
}
#else
/* The same sums on any target (K a multiple of 4). */
MLB_INLINE const int8_t *mlb_fc_dsp_rows4(const int8_t *x, const int8_t *w, int K, int32_t *a0, int32_t *a1, int32_t *a2,
                                          int32_t *a3) {
  int32_t b0 = *a0, b1 = *a1, b2 = *a2, b3 = *a3;
  for (int k = 0; k < K; k += 4, w += 16) {
    for (int j = 0; j < 4; ++j) {
      const int32_t v = x[k + j];
      b0 += v * w[j], b1 += v * w[4 + j], b2 += v * w[8 + j], b3 += v * w[12 + j];
    }
  }
  *a0 = b0, *a1 = b1, *a2 = b2, *a3 = b3;
  return w;
}
/* The same sums on int16 weight pairs (mlb_fc_dsp_rows4_h's layout; w 4-byte aligned). */
MLB_INLINE const int8_t *mlb_fc_dsp_rows4_h(const int8_t *x, const int8_t *w, int K, int32_t *a0, int32_t *a1,
                                            int32_t *a2, int32_t *a3) {
  int32_t *const a[4] = {a0, a1, a2, a3};
  const int32_t *v = (const int32_t *)__builtin_assume_aligned(w, 4);
  for (int k = 0; k < K; k += 4, v += 8) {
    for (int r = 0; r < 4; ++r) {
      const int32_t e = v[2 * r], o = v[2 * r + 1];
      *a[r] += x[k] * (int16_t)e + x[k + 2] * (e >> 16) + x[k + 1] * (int16_t)o + x[k + 3] * (o >> 16);
    }
  }
  return (const int8_t *)v;
}
#endif

/* Requantizes a0..a3 (channels c..c+3) into o[0..3]; m0, e0: the one multiplier and shift when
 * QS = 0 (read once by the caller: GCC cannot tell that the int8 stores do not change them). */
#define MLB_DSP_REQUANT4(MODE, a0, a1, a2, a3, c, o)                                                                     \
  do {                                                                                                                   \
    const int32_t acc_[4] = {a0, a1, a2, a3};                                                                            \
    for (int j_ = 0; j_ < 4; ++j_)                                                                                       \
      (o)[j_] = mlb_requant_s8(MODE, acc_[j_], QS ? mult[(c) + j_] : m0, QS ? (int)shift[(c) + j_] : e0, out_zp, act_min, \
                               act_max);                                                                                 \
  } while (0)

#endif
