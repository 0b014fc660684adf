/* Checks mlbaot's `tflm`-mode int8 LOGISTIC, TANH and MUL against TensorFlow Lite Micro's own
 * reference kernels, compiled from the TFLM tree. Reads one case per stdin line, with the
 * parameters mlbaot's generator computed:
 *   A <LOGISTIC|TANH> <input scale> <multiplier> <shift> <radius>
 *   M <scale a> <scale b> <scale out> <multiplier> <shift>
 * For each, recomputes TFLM's Prepare parameters from the scales (they must be equal) and runs
 * both kernels on every input byte and input zero point (activations), or on every pair of
 * input bytes for a few zero points (MUL). Prints "cases N mismatches M". */
#include <cmath>
#include <cstdio>
#include <cstring>

#include "tensorflow/lite/kernels/internal/quantization_util.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/logistic.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/mul.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/tanh.h"

extern "C" {
#include "mlb_activation.h"
}

static long mismatches = 0;

static void report(const char *what, double scale, int zp, int q, int want, int got) {
  if (++mismatches <= 5) std::printf("%s scale %.9g zp %d input %d: TFLM %d, mlbaot %d\n", what, scale, zp, q, want, got);
}

static void check_activation(const char *op, float scale, int32_t mult, int shift, int32_t radius) {
  /* TFLM's CalculateArithmeticOpData (tanh.cc) / CalculateArithmeticOpDataLogistic. */
  int tflm_shift;
  const double q = std::frexp(static_cast<double>(scale) * static_cast<double>(1 << 27), &tflm_shift);
  const int32_t tflm_mult = static_cast<int32_t>(tflite::TfLiteRound(q * (1ll << 31)));
  const int32_t tflm_radius = tflite::CalculateInputRadius(4, tflm_shift, 31);
  if (tflm_mult != mult || tflm_shift != shift || tflm_radius != radius) {
    report("params", scale, 0, 0, 0, 1);
    return;
  }
  int8_t in[256], want[256], got[256];
  for (int k = 0; k < 256; ++k) in[k] = static_cast<int8_t>(k - 128);
  const bool logistic = std::strcmp(op, "LOGISTIC") == 0;
  for (int zp = -128; zp <= 127; ++zp) {
    if (logistic) {
      tflite::reference_integer_ops::Logistic(zp, radius, mult, shift, 256, in, want);
      mlb_logistic_s8(in, got, 256, zp, radius, mult, shift);
    } else {
      const tflite::RuntimeShape shape(1, 256); /* one dimension of 256 */
      tflite::reference_integer_ops::Tanh(zp, radius, mult, shift, shape, in, shape, want);
      mlb_tanh_s8(in, got, 256, zp, radius, mult, shift);
    }
    for (int k = 0; k < 256; ++k)
      if (want[k] != got[k]) report(op, scale, zp, k - 128, want[k], got[k]);
  }
}

static void check_mul(float sa, float sb, float so, int32_t mult, int shift) {
  int32_t tflm_mult;
  int tflm_shift;
  tflite::QuantizeMultiplier(static_cast<double>(sa) * static_cast<double>(sb) / static_cast<double>(so), &tflm_mult, &tflm_shift);
  if (tflm_mult != mult || tflm_shift != shift) {
    report("MUL params", sa, 0, 0, tflm_mult, mult);
    return;
  }
  static int8_t a[65536], b[65536], want[65536], got[65536];
  for (int k = 0; k < 65536; ++k) {
    a[k] = static_cast<int8_t>((k >> 8) - 128);
    b[k] = static_cast<int8_t>((k & 255) - 128);
  }
  const int zps[4][3] = {{0, 0, 0}, {-128, 17, -5}, {127, -128, 100}, {-3, 90, -128}};
  for (const auto &z : zps) {
    tflite::ArithmeticParams p;
    p.input1_offset = -z[0];
    p.input2_offset = -z[1];
    p.output_offset = z[2];
    p.output_multiplier = mult;
    p.output_shift = shift;
    p.quantized_activation_min = -128;
    p.quantized_activation_max = 127;
    tflite::reference_integer_ops::MulElementwise(65536, p, a, b, want);
    mlb_mul_bcast_s8(MLB_REQUANT_TFLM, a, b, got, 1, 1, 1, 65536, 0, 0, 0, 1, 0, 0, 0, 1, -z[0], -z[1], mult, shift, z[2], -128, 127);
    for (int k = 0; k < 65536; ++k)
      if (want[k] != got[k]) report("MUL", sa, z[0], k, want[k], got[k]);
  }
}

int main() {
  char line[256];
  long cases = 0;
  while (std::fgets(line, sizeof line, stdin)) {
    char op[16];
    float s1, s2, s3;
    int m, sh, r;
    if (std::sscanf(line, "A %15s %g %d %d %d", op, &s1, &m, &sh, &r) == 5) check_activation(op, s1, m, sh, r);
    else if (std::sscanf(line, "M %g %g %g %d %d", &s1, &s2, &s3, &m, &sh) == 5) check_mul(s1, s2, s3, m, sh);
    else continue;
    ++cases;
  }
  std::printf("cases %ld mismatches %ld\n", cases, mismatches);
  return mismatches != 0;
}
