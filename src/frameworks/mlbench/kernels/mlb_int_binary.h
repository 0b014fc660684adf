/* mlbench kernel library: element-wise integer kernels with 4-D broadcasting (MLB_BROADCAST4):
 * MINIMUM / MAXIMUM of int8, int16, int32, int64 (quantized operands share one quantization, so
 * the stored values compare like the real ones) and unquantized int32 ADD / MUL, as TFLite's
 * reference kernels: plain integer arithmetic, then the fused activation's clamp. */
#ifndef MLB_INT_BINARY_H
#define MLB_INT_BINARY_H

#include <stdint.h>

#include "mlb_fixedpoint.h"
#include "mlb_broadcast.h"

#define MLB_MINMAX_KERNEL(NAME, T)                                                                         \
  MLB_INLINE void NAME(const T *a, const T *b, T *out, int IS_MAX, int D0, int D1, int D2, int D3, int A0, \
                       int A1, int A2, int A3, int B0, int B1, int B2, int B3) {                           \
    MLB_BROADCAST4(T, *out++ = IS_MAX ? (x > y ? x : y) : (x < y ? x : y))                                 \
  }

MLB_MINMAX_KERNEL(mlb_minmax_s8, int8_t)
MLB_MINMAX_KERNEL(mlb_minmax_s16, int16_t)
MLB_MINMAX_KERNEL(mlb_minmax_s32, int32_t)
MLB_MINMAX_KERNEL(mlb_minmax_s64, int64_t)

/* int32 ADD (MUL = 0) or MUL (MUL = 1). The sum or product wraps modulo 2^32 (unsigned arithmetic,
 * defined in C) where TFLite's int32 arithmetic would overflow. */
MLB_INLINE void mlb_addmul_s32(const int32_t *a, const int32_t *b, int32_t *out, int MUL, int D0, int D1, int D2,
                               int D3, int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3,
                               int32_t act_min, int32_t act_max) {
  MLB_BROADCAST4(int32_t, {
    const uint32_t r = MUL ? (uint32_t)x * (uint32_t)y : (uint32_t)x + (uint32_t)y;
    *out++ = mlb_clamp_i32((int32_t)r, act_min, act_max);
  })
}

#endif
