/* mlbench kernel library: the fused UNIDIRECTIONAL_SEQUENCE_LSTM, as TFLite Micro's lstm_eval
 * computes it (standard Keras LSTM: no peepholes, projection or layer norm; gate order input,
 * forget, cell, output). float32, and int8 8x8->16: int8 input/hidden state/weights, int32 gate
 * biases on the input side only, int16 gates on 2^-12 before and 2^-15 after the nonlinearity,
 * int16 cell state on a power-of-two scale. Each step: four gates (two fully connected products,
 * added with int16 saturation, then sigmoid or the cell activation), c = f*c + i*g (clipped),
 * h = o * tanh(c), h copied to the output. Scratch (five state-sized buffers) comes from the
 * arena; the state tensors are zeroed at the start of each inference. */
#ifndef MLB_LSTM_H
#define MLB_LSTM_H

#include <stdint.h>
#include <string.h>

#include "mlb_fixedpoint.h"
#include "mlb_float.h"

/* TFLite's sigmoid_table_uint16 (kernels/internal/common.h): 65536 * sigmoid(k / 24), k = 0..255,
 * which TFLM's int16 LOGISTIC and TANH interpolate. */
static const uint16_t mlb_sigmoid_table_u16[256] = {
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

/* reference_integer_ops::Logistic(int16) after the input's rescaling to 1/12288 per step (in),
 * Q0.15 out. */
static inline int16_t mlb_sigmoid_rescaled_s16(int32_t in) {
  const uint32_t a = (uint32_t)(in < 0 ? -in : in);
  const uint32_t uh = a >> 9;
  uint32_t r;
  if (uh >= 255) r = 0x7FFFu << 10;
  else {
    const uint32_t ua = mlb_sigmoid_table_u16[uh], ub = mlb_sigmoid_table_u16[uh + 1];
    r = (ua << 9) + (a & 0x1ff) * (ub - ua);
  }
  r = in >= 0 ? r + (1u << 9) : (1u << (16 + 9)) - r + (1u << 9) - 1;
  return (int16_t)(r >> 10);
}

/* Logistic with input_multiplier 0 and left shift 0 (Q3.12 in), as lstm_eval's Sigmoid calls it. */
static inline int16_t mlb_lstm_sigmoid_s16(int16_t x) { return mlb_sigmoid_rescaled_s16((int32_t)x * 3); }

/* reference_integer_ops::Tanh(int16) after lstm_eval's Tanh picked (multiplier, left shift) from
 * the input's power-of-two scale: mult = 0 means 3 << shift with no shift (mlb_lstm_tanh_params). */
static inline int16_t mlb_lstm_tanh_s16(int16_t x, int32_t mult, int32_t shift) {
  const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  const int32_t in = ((int32_t)x * mult + round) >> shift;
  const uint32_t a = (uint32_t)(in < 0 ? -in : in);
  const uint32_t uh = a >> 8;
  int32_t r;
  if (uh >= 255) r = 0xFFFF << 8;
  else {
    const uint32_t ua = mlb_sigmoid_table_u16[uh], ub = mlb_sigmoid_table_u16[uh + 1];
    r = (int32_t)((ua << 8) + (a & 0xFF) * (ub - ua));
  }
  r = in >= 0 ? r - (1 << (14 + 9)) + (1 << (9 - 2)) : -r + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
  return (int16_t)(r >> (9 - 1));
}

struct mlb_lstm_gate_s8 {
  const int8_t *in_w;  /* [S, I] */
  const int8_t *rec_w; /* [S, S] */
  const int32_t *bias; /* [S], input side; NULL if absent */
  int32_t in_mult, in_shift, rec_mult, rec_shift; /* s_x*s_w / 2^-12, s_h*s_w / 2^-12 */
};

struct mlb_lstm_s8 {
  struct mlb_lstm_gate_s8 gate[4]; /* input, forget, cell, output */
  int32_t batch, steps, in_dim, state, time_major;
  int32_t in_zp, hid_zp;
  int32_t cell_tanh; /* cell gate activation: 1 tanh, 0 sigmoid */
  int32_t fc_mult, fc_shift; /* forget (2^-15) x cell (s_c) -> s_c */
  int32_t ig_mult, ig_shift; /* input (2^-15) x cell gate (2^-15) -> s_c */
  int32_t oh_mult, oh_shift; /* output (2^-15) x tanh(c) (2^-15) -> s_h */
  int32_t cell_clip;         /* quantized; -1: no clipping (cell_clip option 0) */
  int32_t tanh_mult, tanh_shift; /* tanh of the cell state (its scale 2^p) */
};

/* One int8 fully connected product to int16 (reference_integer_ops::FullyConnected), over `rows`
 * batch rows; added to out with int16 saturation when acc_into is set (lstm_eval's AddElementWise). */
static void __attribute__((noinline, unused)) mlb_lstm_fc_s8(const int8_t *x, int32_t x_off, const int8_t *w, const int32_t *bias,
                                                      int32_t mult, int32_t shift, int16_t *out, int rows, int n, int k,
                                                      int acc_into) {
  for (int r = 0; r < rows; ++r) {
    for (int o = 0; o < n; ++o) {
      int32_t acc = 0;
      const int8_t *wr = w + o * k;
      const int8_t *xr = x + r * k;
      for (int d = 0; d < k; ++d) acc += (int32_t)wr[d] * ((int32_t)xr[d] + x_off);
      if (bias) acc += bias[o];
      int32_t v = mlb_mbqm(acc, mult, shift);
      v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
      if (acc_into) {
        v += out[r * n + o];
        v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
      }
      out[r * n + o] = (int16_t)v;
    }
  }
}

static inline int32_t mlb_lstm_mul_s16(int32_t a, int32_t b, int32_t mult, int32_t shift, int32_t zp, int32_t lo, int32_t hi) {
  const int32_t v = zp + mlb_mbqm(a * b, mult, shift);
  return v < lo ? lo : v > hi ? hi : v;
}

/* One gate for `rows` rows: input product, recurrent product, sum, nonlinearity (TANH/SIGMOID on
 * Q3.12, as CalculateLstmGate). */
static void __attribute__((unused)) mlb_lstm_gate_s8(const struct mlb_lstm_s8 *p, const struct mlb_lstm_gate_s8 *g, const int8_t *x, const int8_t *h,
                             int16_t *out, int rows, int tanh_act) {
  mlb_lstm_fc_s8(x, -p->in_zp, g->in_w, g->bias, g->in_mult, g->in_shift, out, rows, p->state, p->in_dim, 0);
  mlb_lstm_fc_s8(h, -p->hid_zp, g->rec_w, 0, g->rec_mult, g->rec_shift, out, rows, p->state, p->state, 1);
  for (int i = 0; i < rows * p->state; ++i) out[i] = tanh_act ? mlb_lstm_tanh_s16(out[i], 3, 0) : mlb_lstm_sigmoid_s16(out[i]);
}

/* scratch: 4 x batch*state int16 (forget, input, cell, output gates). hidden [B, S] int8, cell [B, S] int16 (zeroed here). */
static void __attribute__((noinline, unused)) mlb_lstm_s8(const struct mlb_lstm_s8 *p, const int8_t *in, int8_t *out, int8_t *hidden,
                                                   int16_t *cell, int16_t *scratch) {
  const int S = p->state;
  const int rows = p->time_major ? p->batch : 1;
  int16_t *f = scratch, *ig = scratch + p->batch * S, *g = ig + p->batch * S, *o = g + p->batch * S;
  for (int i = 0; i < p->batch * S; ++i) {
    hidden[i] = (int8_t)p->hid_zp;
    cell[i] = 0;
  }
  for (int b = 0; b < (p->time_major ? 1 : p->batch); ++b) {
    int8_t *h = hidden + b * S;
    int16_t *c = cell + b * S;
    for (int t = 0; t < p->steps; ++t) {
      const int64_t step = p->time_major ? (int64_t)t * p->batch : (int64_t)b * p->steps + t;
      const int8_t *x = in + step * p->in_dim;
      const int n = rows * S;
      mlb_lstm_gate_s8(p, &p->gate[1], x, h, f, rows, 0);
      mlb_lstm_gate_s8(p, &p->gate[0], x, h, ig, rows, 0);
      mlb_lstm_gate_s8(p, &p->gate[2], x, h, g, rows, p->cell_tanh);
      for (int i = 0; i < n; ++i) {
        const int32_t fc = mlb_lstm_mul_s16(f[i], c[i], p->fc_mult, p->fc_shift, 0, -32768, 32767);
        const int32_t in_g = mlb_lstm_mul_s16(ig[i], g[i], p->ig_mult, p->ig_shift, 0, -32768, 32767);
        int32_t v = fc + in_g;
        v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
        if (p->cell_clip >= 0) v = v > p->cell_clip ? p->cell_clip : v < -p->cell_clip ? -p->cell_clip : v;
        c[i] = (int16_t)v;
      }
      mlb_lstm_gate_s8(p, &p->gate[3], x, h, o, rows, 0);
      for (int i = 0; i < n; ++i) {
        const int32_t tc = mlb_lstm_tanh_s16(c[i], p->tanh_mult, p->tanh_shift);
        h[i] = (int8_t)mlb_lstm_mul_s16(tc, o[i], p->oh_mult, p->oh_shift, p->hid_zp, -128, 127);
      }
      memcpy(out + step * S, h, (size_t)n);
    }
  }
}

/* ---- float32 ---- */

struct mlb_lstm_gate_f32 {
  const float *in_w, *rec_w, *bias;
};

struct mlb_lstm_f32 {
  struct mlb_lstm_gate_f32 gate[4];
  int32_t batch, steps, in_dim, state, time_major, cell_tanh;
  float cell_clip; /* 0: no clipping */
};

/* reference_ops::Logistic: exp-based with its two cut-offs. */
static inline float mlb_lstm_sigmoid_f(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return mlb_expf(x);
  return 1.0f / (1.0f + mlb_expf(-x));
}

static void __attribute__((noinline, unused)) mlb_lstm_fc_f32(const float *x, const float *w, const float *bias, float *out, int rows,
                                                       int n, int k, int acc_into) {
  for (int r = 0; r < rows; ++r) {
    for (int o = 0; o < n; ++o) {
      float acc = 0.0f;
      for (int d = 0; d < k; ++d) acc += x[r * k + d] * w[o * k + d];
      const float v = acc + (bias ? bias[o] : 0.0f);
      out[r * n + o] = acc_into ? out[r * n + o] + v : v;
    }
  }
}

static void __attribute__((unused)) mlb_lstm_gate_f32(const struct mlb_lstm_f32 *p, const struct mlb_lstm_gate_f32 *g, const float *x, const float *h,
                              float *out, int rows, int tanh_act) {
  mlb_lstm_fc_f32(x, g->in_w, g->bias, out, rows, p->state, p->in_dim, 0);
  mlb_lstm_fc_f32(h, g->rec_w, 0, out, rows, p->state, p->state, 1);
  for (int i = 0; i < rows * p->state; ++i) out[i] = tanh_act ? mlb_tanh_f(out[i]) : mlb_lstm_sigmoid_f(out[i]);
}

static void __attribute__((noinline, unused)) mlb_lstm_f32(const struct mlb_lstm_f32 *p, const float *in, float *out, float *hidden,
                                                    float *cell, float *scratch) {
  const int S = p->state;
  const int rows = p->time_major ? p->batch : 1;
  float *f = scratch, *ig = scratch + p->batch * S, *g = ig + p->batch * S, *o = g + p->batch * S;
  for (int i = 0; i < p->batch * S; ++i) hidden[i] = cell[i] = 0.0f;
  for (int b = 0; b < (p->time_major ? 1 : p->batch); ++b) {
    float *h = hidden + b * S;
    float *c = cell + b * S;
    for (int t = 0; t < p->steps; ++t) {
      const int64_t step = p->time_major ? (int64_t)t * p->batch : (int64_t)b * p->steps + t;
      const float *x = in + step * p->in_dim;
      const int n = rows * S;
      mlb_lstm_gate_f32(p, &p->gate[1], x, h, f, rows, 0);
      mlb_lstm_gate_f32(p, &p->gate[0], x, h, ig, rows, 0);
      mlb_lstm_gate_f32(p, &p->gate[2], x, h, g, rows, p->cell_tanh);
      for (int i = 0; i < n; ++i) {
        float v = f[i] * c[i] + ig[i] * g[i];
        if (p->cell_clip > 0.0f) v = v > p->cell_clip ? p->cell_clip : v < -p->cell_clip ? -p->cell_clip : v;
        c[i] = v;
      }
      mlb_lstm_gate_f32(p, &p->gate[3], x, h, o, rows, 0);
      for (int i = 0; i < n; ++i) h[i] = mlb_tanh_f(c[i]) * o[i];
      memcpy(out + step * S, h, (size_t)n * sizeof(float));
    }
  }
}

#endif /* MLB_LSTM_H */
