/* mlbench kernel library: float32 kernels (NHWC, batch 1) following TFLite's reference kernels.
 * Plain C float arithmetic: soft-float targets (rv32imac, Cortex-M0/M3) get libgcc's float
 * routines, targets with a single-precision FPU (rv32imafc, Cortex-M4F/M7/M55 with the hard-float
 * ABI) get FPU instructions from the same source. No libm: exp is computed here so every
 * toolchain (and the host driver) links the same code. */
#ifndef MLB_FLOAT_H
#define MLB_FLOAT_H

#include <float.h>

#include "mlb_fixedpoint.h"
#include "mlb_elementwise.h"
#include "mlb_broadcast.h"
#include "mlb_pool.h"

/* e^x to ~2 ulp: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two for exactness), e^r by a
 * degree-7 Taylor polynomial (truncation < 2e-9 relative), 2^n assembled in the exponent bits. */
static inline float mlb_expf(float x) {
  if (x > 88.72283f) return FLT_MAX * 2.0f; /* +inf */
  if (x < -103.97208f) return 0.0f;
  const float n = (float)(int32_t)(x * 1.44269504f + (x >= 0.0f ? 0.5f : -0.5f));
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-06f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  int32_t e = (int32_t)n;
  /* Results below FLT_MIN: scale in two steps so the exponent field stays valid. */
  float tail = 1.0f;
  if (e < -126) {
    e += 64;
    tail = 5.42101086e-20f; /* 2^-64 */
  }
  union { uint32_t u; float f; } two_n = { .u = (uint32_t)(e + 127) << 23 };
  return p * two_n.f * tail;
}

/* TFLite's reference LOGISTIC / TANH are std::exp-based; these agree to a few ulp. */
static inline float mlb_logistic_f(float x) { return 1.0f / (1.0f + mlb_expf(-x)); }

static inline float mlb_tanh_f(float x) {
  const float ax = x < 0.0f ? -x : x;
  float t;
  if (ax < 0.0004f) t = ax; /* tanh(x) = x - x^3/3: the cubic term is below float precision */
  else if (ax > 9.0f) t = 1.0f;
  else {
    const float e = mlb_expf(-2.0f * ax);
    t = (1.0f - e) / (1.0f + e);
  }
  return x < 0.0f ? -t : t;
}

/* CONV_2D float: OHWI weights, padded taps skipped; products summed over (ky, kx, ic) then the
 * bias added, as TFLite's reference_ops::Conv. */
MLB_INLINE void mlb_conv2d_f32(const mlb_f32 *in, mlb_f32 *out, const float *restrict w, const float *restrict bias,
                               int IH, int IW, int IC, int OH, int OW, int OC, int KH, int KW, int SH, int SW,
                               int DH, int DW, int PT, int PL, float act_min, float act_max) {
  for (int oy = 0; oy < OH; ++oy) {
    for (int ox = 0; ox < OW; ++ox) {
      for (int oc = 0; oc < OC; ++oc) {
        float acc = 0.0f;
        for (int ky = 0; ky < KH; ++ky) {
          const int iy = oy * SH - PT + ky * DH;
          if (iy < 0 || iy >= IH) continue;
          for (int kx = 0; kx < KW; ++kx) {
            const int ix = ox * SW - PL + kx * DW;
            if (ix < 0 || ix >= IW) continue;
            const mlb_f32 *ip = in + (iy * IW + ix) * IC;
            const float *wp = w + ((oc * KH + ky) * KW + kx) * IC;
            for (int ic = 0; ic < IC; ++ic) acc += ip[ic] * wp[ic];
          }
        }
        *out++ = mlb_clamp_f32(acc + (bias ? bias[oc] : 0.0f), act_min, act_max);
      }
    }
  }
}

/* DEPTHWISE_CONV_2D float: weights [1][KH][KW][IC*DM], output channel c*DM+m reads input c. */
MLB_INLINE void mlb_depthwise_conv2d_f32(const mlb_f32 *in, mlb_f32 *out, const float *restrict w,
                                         const float *restrict bias, int IH, int IW, int IC, int OH, int OW, int DM,
                                         int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
                                         float act_min, float act_max) {
  const int OC = IC * DM;
  for (int oy = 0; oy < OH; ++oy) {
    for (int ox = 0; ox < OW; ++ox) {
      for (int oc = 0; oc < OC; ++oc) {
        const int ic = oc / DM;
        float acc = 0.0f;
        for (int ky = 0; ky < KH; ++ky) {
          const int iy = oy * SH - PT + ky * DH;
          if (iy < 0 || iy >= IH) continue;
          for (int kx = 0; kx < KW; ++kx) {
            const int ix = ox * SW - PL + kx * DW;
            if (ix < 0 || ix >= IW) continue;
            acc += in[(iy * IW + ix) * IC + ic] * w[(ky * KW + kx) * OC + oc];
          }
        }
        *out++ = mlb_clamp_f32(acc + (bias ? bias[oc] : 0.0f), act_min, act_max);
      }
    }
  }
}

/* Pooling float: padded positions excluded from the window (and from the average's count). */
MLB_INLINE void mlb_pool_f32(const mlb_f32 *in, mlb_f32 *out, int is_max, int IH, int IW, int C, int OH, int OW,
                             int FH, int FW, int SH, int SW, int PT, int PL, float act_min, float act_max) {
  MLB_POOL_LOOPS(float, is_max ? -FLT_MAX : 0.0f, if (is_max) acc = v > acc ? v : acc; else acc += v, {
    if (!is_max) acc /= (float)count;
    out[c] = mlb_clamp_f32(acc, act_min, act_max);
  })
}

/* SOFTMAX float over the last axis: exp(beta * (x - max)) / sum. */
MLB_INLINE void mlb_softmax_f32(const mlb_f32 *in, mlb_f32 *out, int ROWS, int DEPTH, float beta) {
  for (int r = 0; r < ROWS; ++r) {
    float mx = in[0];
    for (int i = 1; i < DEPTH; ++i) mx = in[i] > mx ? in[i] : mx;
    float sum = 0.0f;
    for (int i = 0; i < DEPTH; ++i) {
      out[i] = mlb_expf((in[i] - mx) * beta);
      sum += out[i];
    }
    for (int i = 0; i < DEPTH; ++i) out[i] = out[i] / sum;
    in += DEPTH;
    out += DEPTH;
  }
}

/* Element-wise unary float operators. */
enum { MLB_UNARY_RELU, MLB_UNARY_RELU6, MLB_UNARY_RELU_N1_TO_1, MLB_UNARY_TANH, MLB_UNARY_LOGISTIC };

MLB_INLINE void mlb_unary_f32(const mlb_f32 *in, mlb_f32 *out, int N, int OP) {
  for (int i = 0; i < N; ++i) {
    const float v = in[i];
    float r;
    switch (OP) {
      case MLB_UNARY_RELU: r = v > 0.0f ? v : 0.0f; break;
      case MLB_UNARY_RELU6: r = mlb_clamp_f32(v, 0.0f, 6.0f); break;
      case MLB_UNARY_RELU_N1_TO_1: r = mlb_clamp_f32(v, -1.0f, 1.0f); break;
      case MLB_UNARY_TANH: r = mlb_tanh_f(v); break;
      default: r = mlb_logistic_f(v); break;
    }
    out[i] = r;
  }
}

/* Binary float operators with NumPy broadcasting over 4 dimensions: the generator passes the
 * output's dims and each input's element strides (0 along a broadcast dimension). */
enum { MLB_BINARY_ADD, MLB_BINARY_SUB, MLB_BINARY_MUL, MLB_BINARY_MIN, MLB_BINARY_MAX };

MLB_INLINE float mlb_binary_op_f(float a, float b, int OP) {
  switch (OP) {
    case MLB_BINARY_ADD: return a + b;
    case MLB_BINARY_SUB: return a - b;
    case MLB_BINARY_MUL: return a * b;
    case MLB_BINARY_MIN: return a < b ? a : b;
    default: return a > b ? a : b;
  }
}

MLB_INLINE void mlb_binary_f32(const mlb_f32 *a, const mlb_f32 *b, mlb_f32 *out, int OP, int D0, int D1, int D2,
                               int D3, int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3,
                               float act_min, float act_max) {
  MLB_BROADCAST4(mlb_f32, *out++ = mlb_clamp_f32(mlb_binary_op_f(x, y, OP), act_min, act_max))
}

#endif
