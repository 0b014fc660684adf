// The C API every backend implements and the mlif program calls: `mlb_model.h`. One text, so a
// platform never has to know which backend produced the model.
import { cCommentText } from './c-text.js';

export function modelApiHeader(implementedBy: string): string {
  return `/* mlb_model.h: the model API mlif calls, implemented by mlbench's ${cCommentText(implementedBy)} backend. */
#ifndef MLB_MODEL_H
#define MLB_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int mlb_model_init(void);              /* 0 = ok */
int mlb_model_invoke(void);            /* 0 = ok */
size_t mlb_model_num_inputs(void);  size_t mlb_model_num_outputs(void);
void *mlb_model_input_ptr(size_t i); size_t mlb_model_input_size(size_t i);   /* bytes */
void *mlb_model_output_ptr(size_t i); size_t mlb_model_output_size(size_t i);
float mlb_model_input_scale(size_t i);  int32_t mlb_model_input_zero_point(size_t i);  /* scale 0: not quantized */
float mlb_model_output_scale(size_t i); int32_t mlb_model_output_zero_point(size_t i);
/* Optional (weak): bytes of its arena the runtime really used, printed as "# Arena Usage". */
size_t mlb_model_arena_used(void) __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif
`;
}
