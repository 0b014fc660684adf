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
#include "mlb_dsp_rows4.h"

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
      wp = mlb_fc_dsp_rows4(in, wp, K, &a0, &a1, &a2, &a3);
      MLB_DSP_REQUANT4(MODE, a0, a1, a2, a3, n, out + n);
    }
  }
}

#endif
