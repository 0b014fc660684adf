// TFLite builtin operator names → the MicroMutableOpResolver method that registers their
// kernel at TFLM 19aaea85. Registering exactly the model's ops keeps unused kernels out of ROM.

/** Builtins whose method name is not the plain CamelCase of the builtin name. */
const SPECIAL: Record<string, string> = {
  PADV2: 'PadV2',
  BATCH_MATMUL: 'BatchMatMul',
  CUMSUM: 'CumSum',
  UNIDIRECTIONAL_SEQUENCE_LSTM: 'UnidirectionalSequenceLSTM',
  'CUSTOM:TFLite_Detection_PostProcess': 'DetectionPostprocess',
  'CUSTOM:ETHOSU': 'EthosU',
};

/** Every registration method MicroMutableOpResolver has for a builtin at this TFLM commit. */
export const TFLM_RESOLVER_METHODS = new Set([
  'Abs', 'Add', 'AddN', 'ArgMax', 'ArgMin', 'AssignVariable', 'AveragePool2D', 'BatchMatMul', 'BatchToSpaceNd',
  'BroadcastArgs', 'BroadcastTo', 'CallOnce', 'Cast', 'Ceil', 'CircularBuffer', 'Concatenation', 'Conv2D', 'Cos',
  'CumSum', 'DepthToSpace', 'DepthwiseConv2D', 'Dequantize', 'DetectionPostprocess', 'Div', 'Elu', 'EmbeddingLookup',
  'Equal', 'EthosU', 'Exp', 'ExpandDims', 'Fill', 'Floor', 'FloorDiv', 'FloorMod', 'FullyConnected', 'Gather',
  'GatherNd', 'Greater', 'GreaterEqual', 'HardSwish', 'If', 'L2Normalization', 'L2Pool2D', 'LeakyRelu', 'Less',
  'LessEqual', 'Log', 'LogicalAnd', 'LogicalNot', 'LogicalOr', 'Logistic', 'LogSoftmax', 'Maximum', 'MaxPool2D',
  'MirrorPad', 'Mean', 'Minimum', 'Mul', 'Neg', 'NotEqual', 'Pack', 'Pad', 'PadV2', 'Prelu', 'Quantize',
  'ReadVariable', 'ReduceMax', 'Relu', 'Relu6', 'Reshape', 'ResizeBilinear', 'ResizeNearestNeighbor', 'Round',
  'Rsqrt', 'SelectV2', 'Shape', 'Sin', 'Slice', 'Softmax', 'SpaceToBatchNd', 'SpaceToDepth', 'Split', 'SplitV',
  'Squeeze', 'Sqrt', 'Square', 'SquaredDifference', 'StridedSlice', 'Sub', 'Sum', 'Svdf', 'Tanh', 'Transpose',
  'TransposeConv', 'Unpack', 'UnidirectionalSequenceLSTM', 'VarHandle', 'While', 'ZerosLike',
]);

/** CamelCase of a builtin name (`DEPTHWISE_CONV_2D` → `DepthwiseConv2D`). */
export function resolverMethodName(opcode: string): string {
  const special = SPECIAL[opcode];
  if (special) return special;
  return opcode
    .split('_')
    .map((part) => (/^\d+D$/.test(part) ? part : part.charAt(0) + part.slice(1).toLowerCase()))
    .join('');
}

/** The `Add<Op>` methods for these ops, in first-seen order, or the ops TFLM cannot register. */
export function resolverMethods(opcodes: string[]): { methods: string[]; unsupported: string[] } {
  const methods: string[] = [];
  const unsupported: string[] = [];
  for (const op of opcodes) {
    const m = resolverMethodName(op);
    if (!TFLM_RESOLVER_METHODS.has(m)) {
      if (!unsupported.includes(op)) unsupported.push(op);
    } else if (!methods.includes(m)) methods.push(m);
  }
  return { methods, unsupported };
}
