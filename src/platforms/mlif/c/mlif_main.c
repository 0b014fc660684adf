/* mlbench's benchmark program: init once (setup region), invoke NUM_RUNS times (run region),
 * then check every compiled-in reference vector. Prints MLonMCU's output block and exits with
 * its status codes. Integer printing only: a float printf would cost ROM on small targets. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mlb_model.h"
#include "mlif_data.h"
#include "mlif_markers.h"

#ifndef MLIF_NUM_RUNS
#define MLIF_NUM_RUNS 1
#endif
/* Mismatch lines printed per output, so a wrong model does not flood the log. */
#ifndef MLIF_MAX_DIAGNOSTICS
#define MLIF_MAX_DIAGNOSTICS 8
#endif

#define MLIF_EXIT_OK 0
#define MLIF_EXIT_ERROR 0x10
#define MLIF_EXIT_INVALID_SIZE 0x11
#define MLIF_EXIT_MISMATCH 0x12

static void print_u64(const char *label, uint64_t v) {
  char buf[21];
  int i = 20;
  buf[i] = '\0';
  do {
    buf[--i] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0u);
  printf("# %s: %s\n", label, &buf[i]);
}

/* A float as a signed decimal with six fractional digits, without float printf. */
static void format_float(char *out, float f) {
  const char *sign = "";
  if (f != f) {
    strcpy(out, "nan");
    return;
  }
  if (f < 0) {
    sign = "-";
    f = -f;
  }
  if (f > 2e9f) {
    sprintf(out, "%sbig", sign);
    return;
  }
  uint32_t whole = (uint32_t)f;
  uint32_t micro = (uint32_t)((f - (float)whole) * 1e6f + 0.5f);
  if (micro >= 1000000u) {
    whole += 1u;
    micro -= 1000000u;
  }
  sprintf(out, "%s%lu.%06lu", sign, (unsigned long)whole, (unsigned long)micro);
}

static int finish(int status) {
  printf("Program finish.\n");
  printf("MLONMCU EXIT: %d\n", status);
  return status;
}

/* Returns the number of mismatching elements of one output. */
static size_t compare_output(int vector, int output, const unsigned char *got, const unsigned char *expected,
                             size_t bytes) {
  size_t mismatches = 0;
  int kind = mlif_output_kinds[output];
  if (kind == MLIF_OUT_FLOAT32) {
    for (size_t k = 0; k + 4 <= bytes; k += 4) {
      float g, e;
      memcpy(&g, got + k, 4);
      memcpy(&e, expected + k, 4);
      float d = g > e ? g - e : e - g;
      if (!(d <= mlif_float_tolerance)) {
        if (mismatches++ < MLIF_MAX_DIAGNOSTICS) {
          char gs[24], es[24];
          format_float(gs, g);
          format_float(es, e);
          printf("MLIF MISMATCH vector=%d output=%d index=%lu got=%s expected=%s\n", vector, output,
                 (unsigned long)(k / 4), gs, es);
        }
      }
    }
    return mismatches;
  }
  for (size_t k = 0; k < bytes; k++) {
    int g = kind == MLIF_OUT_INT8 ? (int)(int8_t)got[k] : (int)got[k];
    int e = kind == MLIF_OUT_INT8 ? (int)(int8_t)expected[k] : (int)expected[k];
    int tol = kind == MLIF_OUT_BYTES ? 0 : mlif_tolerance_lsb;
    int d = g > e ? g - e : e - g;
    if (d > tol) {
      if (mismatches++ < MLIF_MAX_DIAGNOSTICS) {
        printf("MLIF MISMATCH vector=%d output=%d index=%lu got=%d expected=%d\n", vector, output,
               (unsigned long)k, g, e);
      }
    }
  }
  return mismatches;
}

/* Runs every reference vector; returns an exit status. */
static int validate(int *passed) {
  *passed = 0;
  if ((int)mlb_model_num_inputs() != mlif_num_inputs || (int)mlb_model_num_outputs() != mlif_num_outputs) {
    printf("MLIF ERROR model has %lu inputs / %lu outputs, reference data %d / %d\n",
           (unsigned long)mlb_model_num_inputs(), (unsigned long)mlb_model_num_outputs(), mlif_num_inputs,
           mlif_num_outputs);
    return MLIF_EXIT_INVALID_SIZE;
  }
  for (int v = 0; v < mlif_num_vectors; v++) {
    for (int i = 0; i < mlif_num_inputs; i++) {
      size_t want = mlb_model_input_size((size_t)i);
      size_t have = mlif_input_bytes[v * mlif_num_inputs + i];
      if (want != have) {
        printf("MLIF ERROR vector=%d input=%d size %lu, model expects %lu\n", v, i, (unsigned long)have,
               (unsigned long)want);
        return MLIF_EXIT_INVALID_SIZE;
      }
      memcpy(mlb_model_input_ptr((size_t)i), mlif_input_data[v * mlif_num_inputs + i], have);
    }
    if (mlb_model_invoke() != 0) {
      printf("MLIF ERROR vector=%d invoke failed\n", v);
      return MLIF_EXIT_ERROR;
    }
    size_t bad = 0;
    for (int o = 0; o < mlif_num_outputs; o++) {
      size_t want = mlif_expected_bytes[v * mlif_num_outputs + o];
      size_t have = mlb_model_output_size((size_t)o);
      if (want != have) {
        printf("MLIF ERROR vector=%d output=%d size %lu, reference has %lu\n", v, o, (unsigned long)have,
               (unsigned long)want);
        return MLIF_EXIT_INVALID_SIZE;
      }
      bad += compare_output(v, o, (const unsigned char *)mlb_model_output_ptr((size_t)o),
                            mlif_expected_data[v * mlif_num_outputs + o], want);
    }
    if (bad == 0) (*passed)++;
  }
  return *passed == mlif_num_vectors ? MLIF_EXIT_OK : MLIF_EXIT_MISMATCH;
}

int main(void) {
  printf("Program start.\n");
  mlif_marker_total_begin();

  mlif_marker_setup_begin();
  int init_status = mlb_model_init();
  mlif_marker_setup_end();
  if (init_status != 0) {
    printf("MLIF ERROR mlb_model_init returned %d\n", init_status);
    return finish(MLIF_EXIT_ERROR);
  }

  int run_status = 0;
  mlif_marker_run_begin();
  for (int r = 0; r < MLIF_NUM_RUNS; r++) run_status |= mlb_model_invoke();
  mlif_marker_run_end();
  if (run_status != 0) {
    printf("MLIF ERROR mlb_model_invoke failed\n");
    return finish(MLIF_EXIT_ERROR);
  }

  int passed = 0;
  int status = mlif_num_vectors > 0 ? validate(&passed) : MLIF_EXIT_OK;
  mlif_marker_total_end();

#if defined(MLIF_COUNTER_INSTRET)
  print_u64("Setup Instructions", mlif_marker_samples[MLIF_SETUP_END] - mlif_marker_samples[MLIF_SETUP_BEGIN]);
  print_u64("Run Instructions", mlif_marker_samples[MLIF_RUN_END] - mlif_marker_samples[MLIF_RUN_BEGIN]);
  print_u64("Total Instructions", mlif_marker_samples[MLIF_TOTAL_END] - mlif_marker_samples[MLIF_TOTAL_BEGIN]);
#endif
  if (mlif_num_vectors > 0) {
    printf("# Validation Vectors: %d\n", mlif_num_vectors);
    printf("# Validation Passed: %d\n", passed);
  }
  return finish(status);
}
