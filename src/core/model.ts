// The typed model every frontend produces and every backend consumes.
// Kept free of any file-format detail so a second frontend (ONNX, ...) can fill it too.

export type DType =
  | 'float32'
  | 'float16'
  | 'int32'
  | 'uint8'
  | 'int64'
  | 'string'
  | 'bool'
  | 'int16'
  | 'complex64'
  | 'int8'
  | 'float64'
  | 'complex128'
  | 'uint64'
  | 'resource'
  | 'variant'
  | 'uint32'
  | 'uint16'
  | 'int4';

export const DTYPE_BYTES: Partial<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  int32: 4,
  uint8: 1,
  int64: 8,
  bool: 1,
  int16: 2,
  int8: 1,
  float64: 8,
  uint64: 8,
  uint32: 4,
  uint16: 2,
};

export interface Quantization {
  /** One scale per tensor, or one per channel along `quantizedDimension`. */
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface Tensor {
  index: number;
  name: string;
  shape: number[];
  dtype: DType;
  quantization?: Quantization;
  /** Constant data (weights, biases, shape vectors), little-endian bytes as stored in the file. */
  data?: Uint8Array;
  isVariable: boolean;
}

export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
export type Padding = 'SAME' | 'VALID';

export type OperatorOptions =
  | { kind: 'none' }
  | {
      kind: 'conv2d';
      padding: Padding;
      strideW: number;
      strideH: number;
      dilationW: number;
      dilationH: number;
      activation: Activation;
    }
  | {
      kind: 'depthwise_conv2d';
      padding: Padding;
      strideW: number;
      strideH: number;
      depthMultiplier: number;
      dilationW: number;
      dilationH: number;
      activation: Activation;
    }
  | {
      kind: 'fully_connected';
      activation: Activation;
      weightsFormat: 'DEFAULT' | 'SHUFFLED4x16INT8';
      keepNumDims: boolean;
      asymmetricQuantizeInputs: boolean;
    }
  | {
      kind: 'pool2d';
      padding: Padding;
      strideW: number;
      strideH: number;
      filterWidth: number;
      filterHeight: number;
      activation: Activation;
    }
  // potScaleInt16: the schema's pot_scale_int16 (default true), present only when false.
  | { kind: 'add'; activation: Activation; potScaleInt16?: false }
  | { kind: 'sub'; activation: Activation; potScaleInt16?: false }
  | { kind: 'mul'; activation: Activation }
  | { kind: 'concatenation'; axis: number; activation: Activation }
  | { kind: 'squeeze'; squeezeDims: number[] }
  | { kind: 'split'; numSplits: number }
  | { kind: 'unpack'; num: number; axis: number }
  | { kind: 'gather'; axis: number; batchDims: number }
  | { kind: 'softmax'; beta: number }
  | { kind: 'reshape'; newShape?: number[] }
  | { kind: 'reducer'; keepDims: boolean }
  | { kind: 'strided_slice'; beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number; offset: boolean }
  | { kind: 'leaky_relu'; alpha: number }
  | { kind: 'resize_nearest_neighbor'; alignCorners: boolean; halfPixelCenters: boolean }
  | { kind: 'transpose_conv'; padding: Padding; strideW: number; strideH: number; activation: Activation }
  | {
      kind: 'unidirectional_sequence_lstm';
      /** Activation of the cell gate and of the cell state on its way to the hidden state. */
      activation: Activation;
      /** 0 = no clipping. */
      cellClip: number;
      projClip: number;
      timeMajor: boolean;
      asymmetricQuantizeInputs: boolean;
      diagonalRecurrentTensors: boolean;
    }
  /** Options of an operator this reader does not decode; kept so errors can name it. */
  | { kind: 'other'; optionsType: number };

export interface Operator {
  index: number;
  /** Builtin operator name as in the TFLite schema, e.g. CONV_2D; CUSTOM:<code> for custom ops. */
  opcode: string;
  builtinCode: number;
  version: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  options: OperatorOptions;
  /** Tensors only quantization is read from (the 8x8->16 LSTM's gate scales); -1 = none. */
  intermediates?: number[];
  /** Custom operators: their custom_options bytes as stored (a flexbuffer, for the ones TFLite ships). */
  customOptions?: Uint8Array;
}

export interface Model {
  name: string;
  /** Schema version stored in the file. */
  version: number;
  description: string;
  tensors: Tensor[];
  operators: Operator[];
  inputs: number[];
  outputs: number[];
  subgraphCount: number;
  /** What the frontend read leniently (converter quirks TFLite tolerates), for the load log. */
  warnings?: string[];
}

export function tensorElements(t: Pick<Tensor, 'shape'>): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

export function tensorBytes(t: Pick<Tensor, 'shape' | 'dtype'>): number {
  const b = DTYPE_BYTES[t.dtype];
  if (b === undefined) throw new Error(`tensor dtype ${t.dtype} has no fixed byte size`);
  return tensorElements(t) * b;
}

/** Tensor data (little-endian, as TFLite buffers) of int8 values. */
export function int8Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Int8Array.from(values).buffer);
}

/** Tensor data (little-endian, as TFLite buffers) of int32 values. */
export function int32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(4 * i, values[i], true);
  return out;
}
