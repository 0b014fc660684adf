/* mlbench kernel library: the loop nest of every two-input element-wise kernel with 4-D
 * broadcasting (ADD/SUB/MUL/MINIMUM/MAXIMUM, int8 and float32). */
#ifndef MLB_BROADCAST_H
#define MLB_BROADCAST_H

/* Visits D0..D3 in row-major order (the order of out[]); a and b (elements of type T) are read
 * through the strides A0..A3 and B0..B3 (0 along a dimension that input broadcasts). STORE writes
 * one output (`*out++ = ...`) from x (a's element) and y (b's element). The names are the
 * kernel's own parameters. */
#define MLB_BROADCAST4(T, STORE)                                                                          \
  for (int i0 = 0; i0 < D0; ++i0)                                                                        \
    for (int i1 = 0; i1 < D1; ++i1)                                                                      \
      for (int i2 = 0; i2 < D2; ++i2) {                                                                  \
        const T *ap = a + i0 * A0 + i1 * A1 + i2 * A2;                                                   \
        const T *bp = b + i0 * B0 + i1 * B1 + i2 * B2;                                                   \
        for (int i3 = 0; i3 < D3; ++i3) {                                                                \
          const T x = ap[i3 * A3], y = bp[i3 * B3];                                                      \
          STORE;                                                                                         \
        }                                                                                                \
      }

#endif
