/* MVE building blocks against their scalar references, on QEMU mps3-an547 (Cortex-M55):
 * mlb_mbqm4 (vector TFLM MultiplyByQuantizedMultiplier) vs mlb_mbqm, and mlb_requant4_s8 (vector
 * fp32 requantization, with its scalar fallback) and mlb_requant_px4_s8 (four pixels of one channel)
 * vs mlb_requant_s8, mlb_add_s8_xnn's vector steps vs XNNPACK's add arithmetic. Random values incl. exact
 * powers of two (rounding ties) and exponents outside the fast path. Exit 0 when all agree. */
#include <stdio.h>
#include "mlb_kernels.h"
static uint32_t s = 12345;
static uint32_t rnd(void) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; }
static int check_mbqm4(void) {
  long bad = 0, n = 0;
  for (int it = 0; it < 200000; ++it) {
    int32_t m = (int32_t)((rnd() >> 1) | 0x40000000u);
    if (it % 7 == 0) m = 0x40000000;
    int shift = -(int)(rnd() % 31);
    if (it % 11 == 0) shift = (int)(rnd() % 4);
    int32_t x[4];
    for (int j = 0; j < 4; ++j) {
      uint32_t r = rnd();
      int mag = r % 31;
      x[j] = (int32_t)(rnd() & ((1u << mag) - 1)) * ((r >> 8) & 1 ? -1 : 1);
      if (shift > 0) x[j] >>= shift + 1;
      if (j == 3) x[j] = -(1 << (rnd() % 28)); /* exact powers: ties after the shift */
    }
    int32_t y[4];
    vstrwq_s32(y, mlb_mbqm4(vldrwq_s32(x), m, shift));
    for (int j = 0; j < 4; ++j, ++n) if (y[j] != mlb_mbqm(x[j], m, shift)) { if (bad++ < 5) printf("x=%ld m=%ld sh=%d got %ld want %ld\n", (long)x[j], (long)m, shift, (long)y[j], (long)mlb_mbqm(x[j], m, shift)); }
  }
  printf("mbqm4 vs mbqm: %ld of %ld differ\n", bad, n);
  return bad != 0;
}
/* Both vector requantizations in MODE against the unbounded scalar fp32 emulation; counts into
 * *bad and *n and prints the first few differences with TAG. */
static void compare_requant4(int mode, const char *tag, const int32_t *acc, const int32_t *mult, const int8_t *sh, int QS,
                             int32_t zp, int32_t lo, int32_t hi, long *bad, long *n) {
  int8_t got[4];
  mlb_requant4_s8(mode, vldrwq_s32(acc), mult, sh, QS, got, zp, lo, hi);
  for (int j = 0; j < 4; ++j, ++*n) {
    int8_t want = mlb_requant_s8(MLB_REQUANT_FP32, acc[j], mult[j * QS], sh[j * QS], zp, lo, hi);
    if (want != got[j] && (*bad)++ < 5) printf("%sacc=%ld m=%ld e=%d got %d want %d\n", tag, (long)acc[j], (long)mult[j * QS], sh[j * QS], got[j], want);
  }
}
/* mlb_requant_px4_s8: four pixels of one channel (scalar m, e), stored with a pixel stride S. */
static void compare_px4(int mode, const char *tag, const int32_t *acc, int32_t m, int e, int S, int32_t zp, int32_t lo,
                        int32_t hi, long *bad, long *n) {
  int8_t got[4 * 5];
  mlb_requant_px4_s8(mode, vldrwq_s32(acc), m, e, got, vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)S), zp, lo, hi);
  for (int j = 0; j < 4; ++j, ++*n) {
    int8_t want = mlb_requant_s8(MLB_REQUANT_FP32, acc[j], m, e, zp, lo, hi);
    if (want != got[j * S] && (*bad)++ < 5) printf("%sacc=%ld m=%ld e=%d got %d want %d\n", tag, (long)acc[j], (long)m, e, got[j * S], want);
  }
}
static int check_requant4(void) {
  long bad = 0, n = 0;
  for (int it = 0; it < 200000; ++it) {
    int32_t mult[4]; int8_t sh[4]; int32_t acc[4];
    for (int j = 0; j < 4; ++j) {
      mult[j] = (int32_t)((rnd() >> 1) | 0x40000000u);
      sh[j] = (int8_t)(33 + rnd() % 20);
      if (it % 13 == 0) sh[j] = (int8_t)(20 + rnd() % 14);
      int mag = rnd() % 27;
      acc[j] = (int32_t)(rnd() & ((1u << mag) - 1)) * (rnd() & 1 ? -1 : 1);
    }
    int QS = it & 1;
    int32_t zp = (int32_t)(rnd() % 256) - 128, lo = -128, hi = 127;
    if (it % 3 == 0) lo = zp; 
    compare_requant4(MLB_REQUANT_FP32, "", acc, mult, sh, QS, zp, lo, hi, &bad, &n);
  }
  printf("requant4 vs requant_s8 (fp32): %ld of %ld differ\n", bad, n);
  return bad != 0;
}
static int check_requant_px4(void) {
  long bad = 0, n = 0;
  for (int it = 0; it < 200000; ++it) {
    int32_t acc[4];
    int32_t m = (int32_t)((rnd() >> 1) | 0x40000000u);
    if (it % 5 == 0) m = (int32_t)((rnd() >> 8) | 0x00800000u); /* 24-bit mantissas not pre-shifted */
    int e = 33 + (int)(rnd() % 20);
    if (it % 13 == 0) e = 20 + (int)(rnd() % 14);
    if (it % 17 == 0) e = 60 + (int)(rnd() % 8);
    for (int j = 0; j < 4; ++j) {
      int mag = rnd() % 27;
      acc[j] = (int32_t)(rnd() & ((1u << mag) - 1)) * (rnd() & 1 ? -1 : 1);
      if (j == 3 && it % 2) acc[j] = (rnd() & 1 ? -1 : 1) << (rnd() % 26); /* exact powers: ties */
    }
    const int S = 1 + (int)(rnd() % 5);
    int32_t zp = (int32_t)(rnd() % 256) - 128, lo = -128, hi = 127;
    if (it % 3 == 0) lo = zp;
    compare_px4(MLB_REQUANT_FP32, "", acc, m, e, S, zp, lo, hi, &bad, &n);
  }
  printf("requant_px4 vs requant_s8 (fp32): %ld of %ld differ\n", bad, n);
  return bad != 0;
}
/* The bounded mode (MLB_REQUANT_FP32B: |acc| < 2^24, 33 <= e <= 63, 0 <= m < 2^31, which the
 * generator proves per layer) of both vector requantizations against the unbounded scalar fp32
 * emulation: the vector paths keep only the near-half check there. Near-half products come from
 * exact powers of two and from accumulators built to land on a half. */
static int check_bounded(void) {
  long bad = 0, n = 0;
  for (int it = 0; it < 200000; ++it) {
    int32_t mult[4], acc[4]; int8_t sh[4];
    for (int j = 0; j < 4; ++j) {
      mult[j] = (int32_t)((rnd() >> 1) | 0x40000000u);
      if (it % 5 == 0) mult[j] = (int32_t)((rnd() >> 8) | 0x00800000u);
      if (it % 97 == 0) mult[j] = 0;
      sh[j] = (int8_t)(33 + rnd() % 31);
      int mag = rnd() % 25;
      acc[j] = (int32_t)(rnd() & ((1u << mag) - 1)) * (rnd() & 1 ? -1 : 1);
      if (acc[j] >= (1 << 24) || acc[j] <= -(1 << 24)) acc[j] /= 2;
      if (j == 3 && it % 2) acc[j] = (rnd() & 1 ? -1 : 1) << (rnd() % 24); /* exact powers: ties */
    }
    if (it % 4 == 1 && mult[0] > 0) {
      /* acc[0] * m close to (k + 1/2) * 2^e: the near-half window. */
      const int e = sh[0];
      const int64_t half = (int64_t)1 << (e - 1);
      const int64_t k = (int64_t)(rnd() % 64);
      int64_t a = ((2 * k + 1) * half) / mult[0];
      if (a < (1 << 24)) acc[0] = (int32_t)a * (rnd() & 1 ? -1 : 1);
    }
    int QS = it & 1;
    int32_t zp = (int32_t)(rnd() % 256) - 128, lo = -128, hi = 127;
    if (it % 3 == 0) lo = zp;
    compare_requant4(MLB_REQUANT_FP32B, "b4 ", acc, mult, sh, QS, zp, lo, hi, &bad, &n);
    const int S = 1 + (int)(rnd() % 5);
    compare_px4(MLB_REQUANT_FP32B, "bpx4 ", acc, mult[0], sh[0], S, zp, lo, hi, &bad, &n);
  }
  printf("requant4/requant_px4 (fp32b) vs requant_s8 (fp32): %ld of %ld differ\n", bad, n);
  return bad != 0;
}
/* mlb_add_s8_xnn's vector steps (8 elements per call: two vector steps, no scalar tail) against
 * XNNPACK's add arithmetic in 64 bits: multipliers below 2^21 (the larger one at least 2^20),
 * shifts 12-30 as the generator allows, any zero points and activation range. */
static int check_add_xnn(void) {
  long bad = 0, n = 0;
  for (int it = 0; it < 100000; ++it) {
    const int shift = 12 + (int)(rnd() % 19);
    int32_t am = (int32_t)((1u << 20) + (rnd() & 0xFFFFFu)), bm = (int32_t)(rnd() % (uint32_t)(am + 1));
    if (it & 1) { const int32_t t = am; am = bm; bm = t; }
    const int32_t azp = (int8_t)rnd(), bzp = (int8_t)rnd(), ozp = (int8_t)rnd();
    int32_t lo = (int8_t)rnd(), hi = (int8_t)rnd();
    if (lo > hi) { const int32_t t = lo; lo = hi; hi = t; }
    if (it % 3 == 0) lo = -128, hi = 127;
    int8_t a[8], b[8], out[8];
    for (int j = 0; j < 8; ++j) a[j] = (int8_t)rnd(), b[j] = (int8_t)rnd();
    if (it % 5 == 0) a[0] = -128, b[0] = -128, a[1] = 127, b[1] = 127;
    mlb_add_s8_xnn(a, b, out, 8, azp, am, bzp, bm, shift, ozp, lo, hi);
    for (int j = 0; j < 8; ++j, ++n) {
      const int64_t acc = ((int64_t)1 << (shift - 1)) + (int64_t)(a[j] - azp) * am + (int64_t)(b[j] - bzp) * bm;
      int64_t v = (acc >> shift) + ozp;
      v = v < lo ? lo : (v > hi ? hi : v);
      if (out[j] != v && bad++ < 5) printf("a=%d b=%d am=%ld bm=%ld sh=%d got %d want %ld\n", a[j], b[j], (long)am, (long)bm, shift, out[j], (long)v);
    }
  }
  printf("add_s8_xnn (vector) vs 64-bit reference: %ld of %ld differ\n", bad, n);
  return bad != 0;
}

int main(void) { return check_mbqm4() | check_requant4() | check_requant_px4() | check_bounded() | check_add_xnn(); }
