/* mlbench kernel library: FULLY_CONNECTED int8 kernels. */
#ifndef MLB_FULLY_CONNECTED_H
#define MLB_FULLY_CONNECTED_H

#include "mlb_conv_core.h"

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
