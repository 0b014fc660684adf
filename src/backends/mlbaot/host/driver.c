/* mlbench host driver for mlbaot models: reads vectors from stdin until EOF (each vector is
 * every input's raw bytes, in input order), invokes the model once per vector and writes every
 * output's raw bytes to stdout. One process serves many vectors so fuzzing stays cheap. */
#include <stdio.h>

#include "mlb_model.h"

int main(void) {
  if (mlb_model_init() != 0) {
    fprintf(stderr, "mlb_model_init failed\n");
    return 2;
  }
  const size_t num_inputs = mlb_model_num_inputs();
  const size_t num_outputs = mlb_model_num_outputs();
  for (;;) {
    for (size_t i = 0; i < num_inputs; ++i) {
      const size_t want = mlb_model_input_size(i);
      const size_t got = fread(mlb_model_input_ptr(i), 1, want, stdin);
      if (got == 0 && i == 0 && feof(stdin)) return fflush(stdout) == 0 ? 0 : 5;
      if (got != want) {
        fprintf(stderr, "input %zu: expected %zu bytes, got %zu\n", i, want, got);
        return 3;
      }
    }
    if (mlb_model_invoke() != 0) {
      fprintf(stderr, "mlb_model_invoke failed\n");
      return 4;
    }
    for (size_t o = 0; o < num_outputs; ++o) {
      fwrite(mlb_model_output_ptr(o), 1, mlb_model_output_size(o), stdout);
    }
  }
}
