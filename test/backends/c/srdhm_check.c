/* Checks the shortcut mlb_srdhm_pos against gemmlowp's SaturatingRoundingDoublingHighMul
 * (mlb_srdhm) for positive multipliers, including INT32_MIN/MAX and rounding ties. */
#include <stdio.h>
#include "mlb_fixedpoint.h"
static uint32_t st = 99;
static uint32_t nx(void){ st ^= st << 13; st ^= st >> 17; st ^= st << 5; return st; }
int main(void){ long bad = 0;
  for (long i = 0; i < 20000000; ++i) { int32_t a = (int32_t)nx(); if (i & 1) a >>= nx() % 31; int32_t b = (int32_t)(nx() | 0x40000000u) & 0x7fffffff; if (i % 7 == 0) b = 0x40000000 + (i % 3);
    if (i % 11 == 0) a = (i & 2) ? INT32_MIN : INT32_MAX; if (i % 13 == 0) a = -(1 << 30) + (int32_t)(i % 5) - 2;
    if (mlb_srdhm(a, b) != mlb_srdhm_pos(a, b)) { if (++bad < 5) printf("a %d b %d\n", a, b); } }
  printf("bad %ld\n", bad); return bad != 0; }
