// Names and numbers from the public TFLite schema (tensorflow/lite/schema/schema.fbs).
// Slot numbers are field indices in declaration order (vtable entry = 4 + 2 * slot).
import type { Activation, DType, Padding } from '../../core/model.js';

/** BuiltinOperator enum: index = code. */
export const BUILTIN_OPERATOR_NAMES: readonly string[] = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE',
  'DEQUANTIZE', 'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION',
  'L2_POOL_2D', 'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D',
  'MUL', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR',
  'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH', 'CONCAT_EMBEDDINGS',
  'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD', 'UNIDIRECTIONAL_SEQUENCE_RNN',
  'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN', 'SUB',
  'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP',
  'TOPK_V2', 'SPLIT', 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST',
  'PRELU', 'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS', 'NEG',
  'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE',
  'SIN', 'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL',
  'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE',
  'POW', 'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK',
  'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN',
  'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD',
  'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS',
  'SPLIT_V', 'UNIQUE', 'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND',
  'COS', 'WHERE', 'RANK', 'ELU', 'REVERSE_SEQUENCE', 'MATRIX_DIAG',
  'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE',
  'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM',
  'BATCH_MATMUL', 'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE', 'BROADCAST_TO', 'RFFT2D',
  'CONV_3D', 'IMAG', 'REAL', 'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND',
  'HASHTABLE_IMPORT', 'HASHTABLE_SIZE', 'REDUCE_ALL', 'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE',
  'ASSIGN_VARIABLE', 'BROADCAST_ARGS', 'RANDOM_STANDARD_NORMAL', 'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL',
  'GELU', 'DYNAMIC_UPDATE_SLICE', 'RELU_0_TO_1', 'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM',
  'ATAN2', 'UNSORTED_SEGMENT_MIN', 'SIGN', 'BITCAST', 'BITWISE_XOR', 'RIGHT_SHIFT',
  'STABLEHLO_LOGISTIC', 'STABLEHLO_ADD', 'STABLEHLO_DIVIDE', 'STABLEHLO_MULTIPLY', 'STABLEHLO_MAXIMUM', 'STABLEHLO_RESHAPE',
  'STABLEHLO_CLAMP', 'STABLEHLO_CONCATENATE', 'STABLEHLO_BROADCAST_IN_DIM', 'STABLEHLO_CONVOLUTION', 'STABLEHLO_SLICE', 'STABLEHLO_CUSTOM_CALL',
  'STABLEHLO_REDUCE', 'STABLEHLO_ABS', 'STABLEHLO_AND', 'STABLEHLO_COSINE', 'STABLEHLO_EXPONENTIAL', 'STABLEHLO_FLOOR',
  'STABLEHLO_LOG', 'STABLEHLO_MINIMUM', 'STABLEHLO_NEGATE', 'STABLEHLO_OR', 'STABLEHLO_POWER', 'STABLEHLO_REMAINDER',
  'STABLEHLO_RSQRT', 'STABLEHLO_SELECT', 'STABLEHLO_SUBTRACT', 'STABLEHLO_TANH', 'STABLEHLO_SCATTER', 'STABLEHLO_COMPARE',
  'STABLEHLO_CONVERT', 'STABLEHLO_DYNAMIC_SLICE', 'STABLEHLO_DYNAMIC_UPDATE_SLICE', 'STABLEHLO_PAD', 'STABLEHLO_IOTA', 'STABLEHLO_DOT_GENERAL',
  'STABLEHLO_REDUCE_WINDOW', 'STABLEHLO_SORT', 'STABLEHLO_WHILE', 'STABLEHLO_GATHER', 'STABLEHLO_TRANSPOSE', 'DILATE',
  'STABLEHLO_RNG_BIT_GENERATOR', 'REDUCE_WINDOW',
];
/** The one code past the contiguous table (schema: "DO NOT USE", temporary). */
const EXTRA_OPERATOR_NAMES: Readonly<Record<number, string>> = { 225: 'TEMP_STREAMING_CONV_2D' };

export const CUSTOM_CODE = 32;
export const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

export function builtinOperatorName(code: number): string | undefined {
  return BUILTIN_OPERATOR_NAMES[code] ?? EXTRA_OPERATOR_NAMES[code];
}

export function builtinOperatorCode(name: string): number | undefined {
  const i = BUILTIN_OPERATOR_NAMES.indexOf(name);
  if (i >= 0) return i;
  for (const [code, n] of Object.entries(EXTRA_OPERATOR_NAMES)) if (n === name) return Number(code);
  return undefined;
}

/** TensorType enum: index = code; the names match DType in src/core/model.ts. */
export const TENSOR_TYPES: readonly DType[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64',
  'int8', 'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4',
];

export const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
export const PADDINGS: readonly Padding[] = ['SAME', 'VALID'];
export const WEIGHTS_FORMATS = ['DEFAULT', 'SHUFFLED4x16INT8'] as const;

/** BuiltinOptions union type numbers of the option tables this frontend decodes. */
export const OPTIONS_TYPE = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  AddOptions: 11,
  ReshapeOptions: 17,
  ConcatenationOptions: 10,
  MulOptions: 21,
  PadOptions: 22,
  SubOptions: 28,
  GatherOptions: 23,
  SqueezeOptions: 30,
  SplitOptions: 35,
  MaximumMinimumOptions: 39,
  UnpackOptions: 64,
  ReducerOptions: 27,
  StridedSliceOptions: 32,
  LeakyReluOptions: 75,
  TransposeConvOptions: 49,
  ResizeNearestNeighborOptions: 74,
  UnidirectionalSequenceLSTMOptions: 71,
} as const;

export const SLOT = {
  Model: { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  Buffer: { data: 0, offset: 1, size: 2 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, is_variable: 5, sparsity: 6 },
  Quantization: { min: 0, max: 1, scale: 2, zero_point: 3, details_type: 4, details: 5, quantized_dimension: 6 },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3 },
  Operator: { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4, custom_options: 5, intermediates: 8 },
  Conv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3, dilation_w_factor: 4, dilation_h_factor: 5 },
  DepthwiseConv2DOptions: {
    padding: 0, stride_w: 1, stride_h: 2, depth_multiplier: 3, fused_activation_function: 4,
    dilation_w_factor: 5, dilation_h_factor: 6,
  },
  Pool2DOptions: { padding: 0, stride_w: 1, stride_h: 2, filter_width: 3, filter_height: 4, fused_activation_function: 5 },
  FullyConnectedOptions: { fused_activation_function: 0, weights_format: 1, keep_num_dims: 2, asymmetric_quantize_inputs: 3 },
  SoftmaxOptions: { beta: 0 },
  AddOptions: { fused_activation_function: 0, pot_scale_int16: 1 },
  ReshapeOptions: { new_shape: 0 },
  ConcatenationOptions: { axis: 0, fused_activation_function: 1 },
  MulOptions: { fused_activation_function: 0 },
  SubOptions: { fused_activation_function: 0, pot_scale_int16: 1 },
  GatherOptions: { axis: 0, batch_dims: 1 },
  SqueezeOptions: { squeeze_dims: 0 },
  SplitOptions: { num_splits: 0 },
  UnpackOptions: { num: 0, axis: 1 },
  ReducerOptions: { keep_dims: 0 },
  StridedSliceOptions: { begin_mask: 0, end_mask: 1, ellipsis_mask: 2, new_axis_mask: 3, shrink_axis_mask: 4, offset: 5 },
  LeakyReluOptions: { alpha: 0 },
  TransposeConvOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3 },
  ResizeNearestNeighborOptions: { align_corners: 0, half_pixel_centers: 1 },
  UnidirectionalSequenceLSTMOptions: {
    fused_activation_function: 0, cell_clip: 1, proj_clip: 2, time_major: 3, asymmetric_quantize_inputs: 4, diagonal_recurrent_tensors: 5,
  },
} as const;

export const FILE_IDENTIFIER = 'TFL3';
export const SCHEMA_VERSION = 3;
