/* mlbench kernel library: everything generated layer code includes. Header-only so each
 * layer's call with literal shapes is specialised and unrolled by the compiler. */
#ifndef MLB_KERNELS_H
#define MLB_KERNELS_H

#include "mlb_fixedpoint.h"
#include "mlb_conv.h"
#include "mlb_depthwise.h"
#include "mlb_fully_connected.h"
#include "mlb_fully_connected_dsp.h"
#include "mlb_conv_dsp.h"
#include "mlb_depthwise_dsp.h"
#include "mlb_pool.h"
#include "mlb_elementwise.h"
#include "mlb_softmax.h"
#include "mlb_float.h"
#include "mlb_shape.h"
#include "mlb_int_binary.h"
#include "mlb_reduce.h"
#include "mlb_strided.h"
#include "mlb_rectifier.h"
#include "mlb_conv16.h"
#include "mlb_activation.h"
#include "mlb_upsample.h"
#include "mlb_detection.h"
#include "mlb_lstm.h"
#include "mlb_int16.h"

#endif
