/* Region markers of the mlif benchmark program.
 *
 * Each marker is a separate noipa function: counting tools (QEMU plugin, callgrind) find it by
 * its symbol and count instructions from one marker's entry (inclusive) to the next one's entry
 * (exclusive). On targets with their own counter (MLIF_COUNTER_INSTRET, RISC-V rdinstret) the
 * counter read is the first instruction of every marker, so the difference of two samples
 * equals the tool's count for the same region exactly. */
#ifndef MLIF_MARKERS_H
#define MLIF_MARKERS_H
#include <stdint.h>

enum mlif_marker_id {
  MLIF_TOTAL_BEGIN,
  MLIF_SETUP_BEGIN,
  MLIF_SETUP_END,
  MLIF_RUN_BEGIN,
  MLIF_RUN_END,
  MLIF_TOTAL_END,
  MLIF_NUM_MARKERS
};

/* Counter samples taken by the markers (zero without an own counter). */
extern volatile uint64_t mlif_marker_samples[MLIF_NUM_MARKERS];

void mlif_marker_total_begin(void);
void mlif_marker_setup_begin(void);
void mlif_marker_setup_end(void);
void mlif_marker_run_begin(void);
void mlif_marker_run_end(void);
void mlif_marker_total_end(void);

#endif
