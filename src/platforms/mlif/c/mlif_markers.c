#include "mlif_markers.h"

volatile uint64_t mlif_marker_samples[MLIF_NUM_MARKERS];

/* noipa: never inlined, cloned or merged by identical-code folding, so every marker keeps its
 * own address in the symbol table. clang has no noipa (and under -flto would inline the
 * markers away): noinline is its equivalent here, as it folds no identical functions unasked. */
#if defined(__clang__)
#define MLIF_MARKER __attribute__((noinline, used))
#else
#define MLIF_MARKER __attribute__((noipa, used))
#endif

#if defined(MLIF_COUNTER_INSTRET)
/* The read is the function's first instructions and identical in every marker (only the store
 * differs), so sample differences equal marker-entry-to-marker-entry counts. The pseudo-ops
 * need no zicsr in -march (GCC 12 rejects csrr without it). */
#define MLIF_SAMPLE(id)                                                              \
  do {                                                                               \
    uint32_t hi, lo, hi2;                                                            \
    __asm__ volatile("1: rdinstreth %0\n\trdinstret %1\n\trdinstreth %2\n\tbne %0, %2, 1b" \
                     : "=&r"(hi), "=&r"(lo), "=&r"(hi2));                            \
    mlif_marker_samples[id] = ((uint64_t)hi << 32) | lo;                             \
  } while (0)
#else
#define MLIF_SAMPLE(id)                      \
  do {                                       \
    __asm__ volatile("" ::: "memory");       \
    mlif_marker_samples[id] = (uint64_t)(id) + 1; \
  } while (0)
#endif

MLIF_MARKER void mlif_marker_total_begin(void) { MLIF_SAMPLE(MLIF_TOTAL_BEGIN); }
MLIF_MARKER void mlif_marker_setup_begin(void) { MLIF_SAMPLE(MLIF_SETUP_BEGIN); }
MLIF_MARKER void mlif_marker_setup_end(void) { MLIF_SAMPLE(MLIF_SETUP_END); }
MLIF_MARKER void mlif_marker_run_begin(void) { MLIF_SAMPLE(MLIF_RUN_BEGIN); }
MLIF_MARKER void mlif_marker_run_end(void) { MLIF_SAMPLE(MLIF_RUN_END); }
MLIF_MARKER void mlif_marker_total_end(void) { MLIF_SAMPLE(MLIF_TOTAL_END); }
