// What mlbaot can build: every reason a model is refused, collected in one pass so the user
// sees the whole list at once.
import type { DType, Model, Operator, Tensor } from '../../core/model.js';
import { int8Interior, uint8WeightProblems } from './uint8-interior.js';
import { DETECTION_POSTPROCESS } from './detection-options.js';
import { detectionProblems } from './support-detection.js';
import { resizeProblems, transposeConvProblems } from './support-upsample.js';
import { BINARY, broadcastProblems, concatenationProblems, dataMoveProblems, int32ArithmeticProblems, padProblems } from './support-more.js';
import { TENSOR_OPERATORS, tensorOperatorProblems } from './support-tensor-ops.js';
import { SIXTEEN_BY_EIGHT_OPERATORS, sixteenByEightProblems } from './support-16x8.js';
import { INT16_OPERATORS, int16Problems } from './support-int16.js';
import { mulActivationProblems } from './support-act.js';
import { lstmProblems } from './support-lstm.js';

export const SUPPORTED_OPERATORS = [
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'FULLY_CONNECTED',
  'AVERAGE_POOL_2D',
  'MAX_POOL_2D',
  'ADD',
  'SOFTMAX',
  'RESHAPE',
  'QUANTIZE',
  'DEQUANTIZE',
  'SUB',
  'MUL',
  'MINIMUM',
  'MAXIMUM',
  'RELU',
  'RELU6',
  'RELU_N1_TO_1',
  'TANH',
  'LOGISTIC',
  'CONCATENATION',
  'PAD',
  'SQUEEZE',
  'SPLIT',
  'UNPACK',
  'GATHER',
  ...TENSOR_OPERATORS,
  'RESIZE_NEAREST_NEIGHBOR',
  'TRANSPOSE_CONV',
  'CUSTOM:TFLite_Detection_PostProcess',
  'UNIDIRECTIONAL_SEQUENCE_LSTM',
] as const;

const SUPPORTED = new Set<string>(SUPPORTED_OPERATORS);
const FUSABLE = new Set(['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1']);

/** Input/output dtypes accepted per operator, as "in->out". */
const BOTH = ['int8->int8', 'float32->float32'];
const FLOAT = ['float32->float32'];
const same = (...dtypes: string[]): string[] => dtypes.map((d) => `${d}->${d}`);
const DTYPE_COMBOS: Record<string, string[]> = {
  CONV_2D: BOTH,
  DEPTHWISE_CONV_2D: BOTH,
  FULLY_CONNECTED: BOTH,
  AVERAGE_POOL_2D: BOTH,
  MAX_POOL_2D: BOTH,
  ADD: [...BOTH, ...same('int32')],
  SOFTMAX: BOTH,
  SUB: BOTH,
  MUL: [...BOTH, ...same('int32')],
  MINIMUM: [...BOTH, ...same('int16', 'int32', 'int64')],
  MAXIMUM: [...BOTH, ...same('int16', 'int32', 'int64')],
  RELU: FLOAT,
  RELU6: FLOAT,
  RELU_N1_TO_1: FLOAT,
  TANH: BOTH,
  LOGISTIC: BOTH,
  CONCATENATION: [...BOTH, ...same('int16', 'int32', 'int64', 'bool')],
  PAD: [...BOTH, ...same('int16', 'int32')],
  QUANTIZE: ['float32->int8', 'int8->int8', 'uint8->int8', 'int8->uint8'],
  DEQUANTIZE: ['int8->float32'],
};

function isPerTensor(t: Tensor): boolean {
  return !!t.quantization && t.quantization.scale.length === 1 && t.quantization.zeroPoint.length === 1;
}

/** uint8 <-> int8 QUANTIZE runs as a byte flip: same scale, zero points 128 apart (what converters emit at uint8 edges). */
function byteFlipProblems(input: Tensor, output: Tensor, where: string): string[] {
  const [qi, qo] = [input.quantization, output.quantization];
  const sign = input.dtype === 'uint8' ? 1 : -1;
  if (qi && qo && qi.scale[0] === qo.scale[0] && qi.zeroPoint[0] - qo.zeroPoint[0] === 128 * sign) return [];
  return [`${where}: uint8 <-> int8 requantization is supported only with one scale and zero points 128 apart`];
}

function operatorProblems(model: Model, op: Operator): string[] {
  const where = `operator ${op.index} (${op.opcode})`;
  const problems: string[] = [];
  const input = model.tensors[op.inputs[0]];
  const output = model.tensors[op.outputs[0]];
  if (!input || !output) return [`${where}: missing input or output tensor`];
  if (['SQUEEZE', 'SPLIT', 'UNPACK', 'GATHER'].includes(op.opcode)) return dataMoveProblems(model, op, where);
  if (INT16_OPERATORS.has(op.opcode) && (input.dtype === 'int16' || output.dtype === 'int16')) return int16Problems(model, op, where);
  const int8Relu = (op.opcode === 'RELU' || op.opcode === 'RELU6') && input.dtype === 'int8';
  if ((TENSOR_OPERATORS as readonly string[]).includes(op.opcode) || int8Relu) return tensorOperatorProblems(model, op, where);
  if (op.opcode === DETECTION_POSTPROCESS) return detectionProblems(model, op, where);
  if (op.opcode === 'RESIZE_NEAREST_NEIGHBOR') return resizeProblems(model, op, where);
  if (op.opcode === 'TRANSPOSE_CONV') return transposeConvProblems(model, op, where);
  if (op.opcode === 'UNIDIRECTIONAL_SEQUENCE_LSTM') return lstmProblems(model, op, where);
  if (op.opcode === 'RESHAPE') {
    if (input.data) problems.push(`${where}: reshaping a constant tensor is not supported`);
    return problems;
  }
  if (SIXTEEN_BY_EIGHT_OPERATORS.has(op.opcode) && (input.dtype === 'int16' || output.dtype === 'int16')) return sixteenByEightProblems(model, op, where);
  const combo = `${input.dtype}->${output.dtype}`;
  const combos = DTYPE_COMBOS[op.opcode] ?? [];
  if (!combos.includes(combo)) {
    problems.push(`${where}: unsupported dtypes ${combo} (supported: ${combos.join(', ')})`);
    return problems;
  }
  const quantized = output.dtype === 'int8';
  for (const idx of [...op.inputs.filter((i) => i >= 0 && !model.tensors[i].data), ...op.outputs]) {
    const t = model.tensors[idx];
    if ((t.dtype === 'int8' || (t.dtype === 'int16' && t.quantization)) && !isPerTensor(t)) problems.push(`${where}: tensor ${t.name} is ${t.dtype} without per-tensor quantization`);
  }
  const options = op.options;
  if ('activation' in options && !FUSABLE.has(options.activation)) {
    problems.push(`${where}: fused activation ${options.activation} is not supported`);
  }
  if (op.opcode === 'CONV_2D' || op.opcode === 'DEPTHWISE_CONV_2D' || op.opcode === 'FULLY_CONNECTED') {
    const weights = model.tensors[op.inputs[1]];
    const bias = op.inputs[2] !== undefined && op.inputs[2] >= 0 ? model.tensors[op.inputs[2]] : undefined;
    if (!weights?.data) problems.push(`${where}: weights must be constant`);
    else if (weights.dtype !== (quantized ? 'int8' : 'float32')) problems.push(`${where}: weights of dtype ${weights.dtype} are not supported`);
    else if (quantized && !weights.quantization) problems.push(`${where}: int8 weights without quantization`);
    else if (quantized && weights.quantization) {
      const q = weights.quantization;
      if (q.zeroPoint.some((z) => z !== 0)) problems.push(`${where}: weights with a non-zero zero point are not supported`);
      const axis = op.opcode === 'DEPTHWISE_CONV_2D' ? 3 : 0;
      if (q.scale.length > 1 && (q.quantizedDimension !== axis || q.scale.length !== weights.shape[axis])) {
        problems.push(`${where}: per-channel weight scales must run along dimension ${axis} (one per output channel)`);
      }
    }
    if (bias && !bias.data) problems.push(`${where}: bias must be constant`);
    else if (bias && bias.dtype !== (quantized ? 'int32' : 'float32')) problems.push(`${where}: bias of dtype ${bias.dtype} is not supported`);
    if (options.kind === 'fully_connected' && options.weightsFormat !== 'DEFAULT') {
      problems.push(`${where}: weights format ${options.weightsFormat} is not supported`);
    }
  }
  if (['CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'MAX_POOL_2D'].includes(op.opcode)) {
    if (input.shape.length !== 4 || input.shape[0] !== 1) problems.push(`${where}: only NHWC inputs with batch 1 are supported`);
  }
  // ADD/SUB/MUL broadcast in every dtype they have.
  if (BINARY.has(op.opcode)) problems.push(...broadcastProblems(model, op, where), ...int32ArithmeticProblems(model, op, where));
  if (op.opcode === 'CONCATENATION') problems.push(...concatenationProblems(model, op, where));
  if (op.opcode === 'PAD') problems.push(...padProblems(model, op, where));
  problems.push(...mulActivationProblems(model, op, where));
  if (op.opcode === 'QUANTIZE' && (input.dtype === 'uint8' || output.dtype === 'uint8')) problems.push(...byteFlipProblems(input, output, where));
  if (op.opcode === 'SOFTMAX' && output.quantization) {
    const q = output.quantization;
    if (q.zeroPoint[0] !== -128 || Math.abs(q.scale[0] - 1 / 256) > 1e-9) {
      problems.push(`${where}: int8 output must have scale 1/256 and zero point -128`);
    }
  }
  return problems;
}

/** Every reason this model cannot be built by mlbaot; empty when it can. */
export function unsupportedReasons(original: Model): string[] {
  const reasons: string[] = uint8WeightProblems(original);
  const model = int8Interior(original);
  if (model.subgraphCount !== 1) reasons.push(`models with ${model.subgraphCount} subgraphs are not supported (only 1)`);
  const unsupported = new Map<string, number>();
  for (const op of model.operators) {
    if (!SUPPORTED.has(op.opcode)) unsupported.set(op.opcode, (unsupported.get(op.opcode) ?? 0) + 1);
  }
  if (unsupported.size > 0) {
    reasons.push(`unsupported operators: ${[...unsupported].map(([name, count]) => `${name} ×${count}`).join(', ')}`);
  }
  for (const op of model.operators) if (SUPPORTED.has(op.opcode)) reasons.push(...operatorProblems(model, op));
  const ioTypes: DType[] = ['int8', 'uint8', 'float32', 'int32', 'int16'];
  for (const idx of [...model.inputs, ...model.outputs]) {
    const t = model.tensors[idx];
    if (!ioTypes.includes(t.dtype)) reasons.push(`model input/output ${t.name} has unsupported dtype ${t.dtype}`);
    if (t.data) reasons.push(`model input/output ${t.name} is a constant tensor`);
  }
  return reasons;
}
