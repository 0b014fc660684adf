/* mlbench kernel library: TRANSPOSE and STRIDED_SLICE as one strided copy of E-byte elements,
 * and CAST between int8, int32 and float32 (C conversions, as TFLite Micro's static_cast). */
#ifndef MLB_STRIDED_H
#define MLB_STRIDED_H

#include <stdint.h>
#include <string.h>

#include "mlb_fixedpoint.h"

/* Output dims O0..O3 in row-major order; output element (i0,i1,i2,i3) is input element
 * BASE + i0*S0 + i1*S1 + i2*S2 + i3*S3 (element strides, negative for reversed slices). */
MLB_INLINE void mlb_strided_copy_bytes(const uint8_t *in, uint8_t *out, int E, int O0, int O1, int O2, int O3,
                                       int BASE, int S0, int S1, int S2, int S3) {
  for (int i0 = 0; i0 < O0; ++i0)
    for (int i1 = 0; i1 < O1; ++i1)
      for (int i2 = 0; i2 < O2; ++i2)
        for (int i3 = 0; i3 < O3; ++i3) {
          const uint8_t *src = in + (BASE + i0 * S0 + i1 * S1 + i2 * S2 + i3 * S3) * E;
          for (int e = 0; e < E; ++e) *out++ = src[e];
        }
}

#define MLB_DT_INT8 0
#define MLB_DT_INT32 1
#define MLB_DT_FLOAT32 2

/* Elements go through memcpy because the arena is a byte array of any alignment for the type. */
MLB_INLINE void mlb_cast(const uint8_t *in, uint8_t *out, int N, int FROM, int TO) {
  for (int i = 0; i < N; ++i) {
    int8_t s8 = 0;
    int32_t s32 = 0;
    float f32 = 0.0f;
    if (FROM == MLB_DT_INT8) s8 = (int8_t)in[i];
    else if (FROM == MLB_DT_INT32) memcpy(&s32, in + 4 * i, 4);
    else memcpy(&f32, in + 4 * i, 4);
    if (TO == MLB_DT_INT8) {
      const int8_t v = FROM == MLB_DT_INT8 ? s8 : FROM == MLB_DT_INT32 ? (int8_t)s32 : (int8_t)(int32_t)f32;
      out[i] = (uint8_t)v;
    } else if (TO == MLB_DT_INT32) {
      const int32_t v = FROM == MLB_DT_INT8 ? (int32_t)s8 : FROM == MLB_DT_INT32 ? s32 : (int32_t)f32;
      memcpy(out + 4 * i, &v, 4);
    } else {
      const float v = FROM == MLB_DT_INT8 ? (float)s8 : FROM == MLB_DT_INT32 ? (float)s32 : f32;
      memcpy(out + 4 * i, &v, 4);
    }
  }
}

#endif
