/* Compares the integer emulation mlb_fp32_requant with real float32 arithmetic
 * (lrintf((float)acc * scale), what XNNPACK does) on pseudo-random accumulators and scales.
 * Results are compared after clamping to +-2048 (beyond 2^12 the fast path may be off by one; every int8
 * result lies inside). Also checks the exact slow path alone without clamping.
 * Prints "checked N mismatches M". */
#include <math.h>
#include <stdio.h>

#include "mlb_kernels.h"

/* The generator pre-shifts the mantissa left (up to 7 bits, keeping it below 2^31) so that
 * e > 32 and the fast path applies; both forms must agree. Results are compared after clamping
 * to +-2048: beyond 2^12 the fast path may be off by one, which int8 clamping hides. */
static long fast(int32_t acc, int32_t m, int e) {
  int32_t m2 = m;
  int e2 = e;
  while (e2 <= 32 && m2 < (1 << 30)) m2 <<= 1, ++e2;
  const long a = mlb_fp32_requant(acc, m, e), b = mlb_fp32_requant(acc, m2, e2);
  const long ca = a > 2048 ? 2048 : a < -2048 ? -2048 : a, cb = b > 2048 ? 2048 : b < -2048 ? -2048 : b;
  return ca == cb ? ca : 999999;
}

static uint32_t state = 12345u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int main(void) {
  long checked = 0, mismatches = 0;
  for (int s = 0; s < 2000; ++s) {
    /* Scales between 2^-20 and 2^2, as conv/fc requantization scales are. */
    const float scale = ldexpf(1.0f + (float)(next() & 0xffffff) / 16777216.0f, -(int)(next() % 22) + 2);
    int e2;
    const float mant = frexpf(scale, &e2);
    const int32_t m = (int32_t)ldexpf(mant, 24);
    const int e = 24 - e2;
    for (int k = 0; k < 2000; ++k) {
      int32_t acc = (int32_t)next();
      acc >>= next() % 31; /* every magnitude, including above 2^24 */
      const float f = (float)acc * scale;
      if (fabsf(f) > 1e9f) continue;
      const long want = lrintf(f);
      const long exact = mlb_fp32_requant_exact(acc, m, e);
      long got = fast(acc, m, e), clamped = want;
      if (clamped > 2048) clamped = 2048;
      if (clamped < -2048) clamped = -2048;
      ++checked;
      if ((want != exact || clamped != got) && ++mismatches <= 5)
        printf("acc %d scale %a: float %ld, exact %ld, fast %ld\n", acc, scale, want, exact, got);
    }
  }
  /* Exact ties and near-ties: power-of-two scales and scales one ulp away from them. */
  for (int j = 1; j < 20; ++j) {
    for (int u = -1; u <= 1; ++u) {
      const float scale = nextafterf(ldexpf(1.0f, -j), u < 0 ? 0.0f : (u > 0 ? 1.0f : ldexpf(1.0f, -j)));
      int e2;
      const float mant = frexpf(scale, &e2);
      const int32_t m = (int32_t)ldexpf(mant, 24);
      const int e = 24 - e2;
      for (int32_t acc = -300000; acc <= 300000; acc += 1 + (acc & 3)) {
        const long want = lrintf((float)acc * scale);
        long got = fast(acc, m, e), clamped = want;
        if (clamped > 2048) clamped = 2048;
        if (clamped < -2048) clamped = -2048;
        ++checked;
        if (clamped != got && ++mismatches <= 10) printf("tie acc %d scale %a: float %ld, fast %ld\n", acc, scale, want, got);
      }
    }
  }
  printf("checked %ld mismatches %ld\n", checked, mismatches);
  return mismatches != 0;
}
