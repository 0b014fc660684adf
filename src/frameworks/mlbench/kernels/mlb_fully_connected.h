/* mlbench kernel library: FULLY_CONNECTED int8 kernels. */
#ifndef MLB_FULLY_CONNECTED_H
#define MLB_FULLY_CONNECTED_H

#include "mlb_conv_core.h"

/* Largest ROWS*N*K that takes RISC-V's rolled small-layer path (toycar's 1024-MAC layers do not). */
#define MLB_FC_SMALL_MACS 800

/* Weights w[n][k]; ROWS input rows of K values each. Four outputs at a time share input loads.
 * mlb_fully_connected_s8 / mlb_fully_connected_u4_s8 (K loop unrolled by 4). */
#define mlb_fully_connected_s8(MODE, ...) mlb_fully_connected_impl_s8(MODE, 0, __VA_ARGS__)
#define mlb_fully_connected_u4_s8(MODE, ...) mlb_fully_connected_impl_s8(MODE, 1, __VA_ARGS__)
MLB_INLINE void mlb_fully_connected_impl_s8(int MODE, int U4, const int8_t *restrict in, int8_t *restrict out, const int8_t *restrict w,
                                       const int32_t *restrict bias, const int32_t *restrict mult,
                                       const int8_t *restrict shift, int QS, int ROWS, int K, int N, int32_t out_zp,
                                       int32_t act_min, int32_t act_max) {
#if MLB_BLOCK4
  /* RISC-V: a small layer with literal shapes (classifier heads: resnet's 64x10, aww's 64x12) runs
   * one output at a time in rolled loops: one inlined requantization instead of five and no
   * unrolled K loop, ~0.6 kB less code for ~3 more instructions per MAC (a few thousand). */
  if (__builtin_constant_p(ROWS * N * K) && ROWS * N * K <= MLB_FC_SMALL_MACS) {
    for (int r = 0; r < ROWS; ++r, in += K, out += N) {
      const int8_t *wp = w;
      MLB_ROLL for (int n = 0; n < N; ++n, wp += K) {
        int32_t acc = bias[n];
        MLB_ROLL for (int k = 0; k < K; ++k) acc += (int32_t)in[k] * (int32_t)wp[k];
        out[n] = mlb_requant_s8(MODE, acc, mult[n * QS], (int)shift[n * QS], out_zp, act_min, act_max);
      }
    }
    return;
  }
#endif
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
