/* mlbench kernel library: TRANSPOSE and STRIDED_SLICE as one strided copy of E-byte elements,
 * and CAST between int8, int16, int32, uint32, int64, float32 and bool (C conversions, as TFLite's static_cast). */
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
#define MLB_DT_INT16 3
#define MLB_DT_UINT32 4
#define MLB_DT_BOOL 5
#define MLB_DT_INT64 6

/* CAST as TFLite's static_cast<TO>(FROM): integers convert modulo 2^bits, floats truncate toward
 * zero (the generator's callers keep them in the target's range: outside it C and C++ leave the
 * result undefined), bool is 0/1 and a bool result is x != 0. Integer sources are widened to int64
 * first, which changes no value. FROM and TO are literals, so each call compiles to one loop.
 * Elements go through memcpy because the arena is a byte array of any alignment for the type. */
MLB_INLINE void mlb_cast(const uint8_t *in, uint8_t *out, int N, int FROM, int TO) {
  static const uint8_t bytes[7] = {1, 4, 4, 2, 4, 1, 8};
  const int is_float = FROM == MLB_DT_FLOAT32;
  for (int i = 0; i < N; ++i) {
    const uint8_t *src = in + i * bytes[FROM];
    uint8_t *dst = out + i * bytes[TO];
    int64_t v = 0;
    float f = 0.0f;
    if (FROM == MLB_DT_INT8) v = (int8_t)src[0];
    else if (FROM == MLB_DT_BOOL) v = src[0] != 0;
    else if (FROM == MLB_DT_INT16) { int16_t t; memcpy(&t, src, 2); v = t; }
    else if (FROM == MLB_DT_INT32) { int32_t t; memcpy(&t, src, 4); v = t; }
    else if (FROM == MLB_DT_UINT32) { uint32_t t; memcpy(&t, src, 4); v = t; }
    else if (FROM == MLB_DT_INT64) memcpy(&v, src, 8);
    else memcpy(&f, src, 4);
    if (TO == MLB_DT_INT8) dst[0] = (uint8_t)(is_float ? (int8_t)f : (int8_t)v);
    else if (TO == MLB_DT_BOOL) dst[0] = is_float ? f != 0.0f : v != 0;
    else if (TO == MLB_DT_INT16) { const int16_t r = is_float ? (int16_t)f : (int16_t)v; memcpy(dst, &r, 2); }
    else if (TO == MLB_DT_INT32) { const int32_t r = is_float ? (int32_t)f : (int32_t)v; memcpy(dst, &r, 4); }
    else if (TO == MLB_DT_UINT32) { const uint32_t r = is_float ? (uint32_t)f : (uint32_t)v; memcpy(dst, &r, 4); }
    else if (TO == MLB_DT_INT64) { const int64_t r = is_float ? (int64_t)f : v; memcpy(dst, &r, 8); }
    else {
      /* int32-range sources convert from int32 so soft-float targets need no 64-bit conversion. */
      const float r = is_float ? f : FROM == MLB_DT_INT64 ? (float)v : FROM == MLB_DT_UINT32 ? (float)(uint32_t)v : (float)(int32_t)v;
      memcpy(dst, &r, 4);
    }
  }
}

#endif
