/* Reference vectors compiled into the program (generated mlif_data.c). Buffers are
 * vector-major: entry [v * num_inputs + i] is input i of vector v. */
#ifndef MLIF_DATA_H
#define MLIF_DATA_H
#include <stddef.h>
#include <stdint.h>

/* How an output is compared. */
enum mlif_output_kind { MLIF_OUT_BYTES = 0, MLIF_OUT_INT8 = 1, MLIF_OUT_UINT8 = 2, MLIF_OUT_FLOAT32 = 3, MLIF_OUT_INT16 = 4 };

extern const int mlif_num_vectors;
extern const int mlif_num_inputs;
extern const int mlif_num_outputs;
extern const unsigned char *const mlif_input_data[];
extern const size_t mlif_input_bytes[];
extern const unsigned char *const mlif_expected_data[];
extern const size_t mlif_expected_bytes[];
extern const unsigned char mlif_output_kinds[];
/* int8/uint8: allowed |got - expected| in LSB. */
extern const int mlif_tolerance_lsb;
/* Nonzero when outputs are class scores: the reference's top-1 must stay the output's top-1. */
extern const int mlif_check_top1;
/* float32: allowed |got - expected|. */
extern const float mlif_float_tolerance;

#endif
