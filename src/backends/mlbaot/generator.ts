// Turns a Model into the three generated C files: mlb_model.h (the fixed API), model.c
// (arena, one function per layer, invoke) and model_weights.c (const data in flash).
import { cCommentText } from '../../core/c-text.js';
import { modelApiHeader } from '../../core/model-api.js';
import type { TensorInfo } from '../../core/artifacts.js';
import { tensorBytes, type Model, type Tensor } from '../../core/model.js';
import { formatArrayDeclaration, formatArrayDefinition, type ConstArray } from './c-format.js';
import type { GeneratedLayer, LayerInput, RequantMode, SharedKernel } from './layer-common.js';
import { generateConv2d, generateDepthwiseConv2d, generateFullyConnected } from './layers-conv.js';
import { generateAdd, generateDequantize, generatePool, generateQuantize, generateReshape, generateSoftmax } from './layers-misc.js';
import {
  FLOAT_BINARY_OPERATORS,
  FLOAT_UNARY_OPERATORS,
  generateBinaryF32,
  generateConv2dF32,
  generatePoolF32,
  generateSoftmaxF32,
  generateUnaryF32,
} from './layers-float.js';
import { generateAddSubS8, generateAlias, generateConcatenation, generateGather, generatePad, generateSplit } from './layers-shape.js';
import { generateMinMax, integerElementwiseGenerator } from './layers-int.js';
import { generateHardSwish, generateLeakyRelu, generatePrelu, generateReluS8 } from './layers-rectifier.js';
import { generateReduce } from './layers-reduce.js';
import { generateCast, generateStridedSlice, generateTranspose } from './layers-strided.js';
import { SIXTEEN_BY_EIGHT_GENERATORS } from './layers-conv16.js';
import { INT16_GENERATORS } from './layers-int16-table.js';
import { generateActivationS8, generateMulS8 } from './layers-act.js';
import { DETECTION_POSTPROCESS } from './detection-options.js';
import { generateDetectionPostprocess } from './layers-detection.js';
import { generateAvgPoolFromUint8, generateByteFlip, generateSoftmaxFromUint8, generateResizeNearest, generateTransposeConv, isByteFlip } from './layers-upsample.js';
import { generateLstm } from './layers-lstm.js';
import { planArena } from './planner.js';
import { pruneConstantChannels } from './prune-channels.js';
import { int8Interior, uint8Operators } from './uint8-interior.js';
import { defaultVariant, type Variant } from './variants.js';

export interface GeneratedSources {
  header: string;
  modelC: string;
  weightsC: string;
  arenaBytes: number;
  simpleLivenessPeak: number;
  layerFunctions: string[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

const GENERATORS: Record<string, (li: LayerInput) => GeneratedLayer> = {
  CONV_2D: generateConv2d,
  DEPTHWISE_CONV_2D: generateDepthwiseConv2d,
  FULLY_CONNECTED: generateFullyConnected,
  AVERAGE_POOL_2D: generatePool,
  MAX_POOL_2D: generatePool,
  ADD: generateAdd,
  SOFTMAX: generateSoftmax,
  RESHAPE: generateReshape,
  QUANTIZE: generateQuantize,
  DEQUANTIZE: generateDequantize,
  CONCATENATION: generateConcatenation,
  PAD: generatePad,
  SPLIT: generateSplit,
  UNPACK: generateSplit,
  GATHER: generateGather,
  SQUEEZE: generateAlias,
  MINIMUM: generateMinMax,
  MAXIMUM: generateMinMax,
  SUB: generateAddSubS8,
  MEAN: generateReduce,
  REDUCE_MAX: generateReduce,
  TRANSPOSE: generateTranspose,
  STRIDED_SLICE: generateStridedSlice,
  CAST: generateCast,
  RELU: generateReluS8,
  RELU6: generateReluS8,
  LEAKY_RELU: generateLeakyRelu,
  HARD_SWISH: generateHardSwish,
  PRELU: generatePrelu,
  MUL: generateMulS8,
  LOGISTIC: generateActivationS8,
  TANH: generateActivationS8,
  RESIZE_NEAREST_NEIGHBOR: generateResizeNearest,
  TRANSPOSE_CONV: generateTransposeConv,
  [DETECTION_POSTPROCESS]: generateDetectionPostprocess,
  UNIDIRECTIONAL_SEQUENCE_LSTM: generateLstm,
};

/** int8 ADD of two same-shaped activations keeps mlb_add_s8; broadcasting or constants take the general kernel. */
function isPlainAdd(model: Model, op: Model['operators'][number]): boolean {
  const [a, b, out] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  return !a.data && !b.data && tensorBytes(a) === tensorBytes(out) && tensorBytes(b) === tensorBytes(out);
}

/** Generators of layers whose output is float32, where they differ from the int8 ones. */
const FLOAT_GENERATORS: Record<string, (li: LayerInput) => GeneratedLayer> = {
  CONV_2D: generateConv2dF32,
  DEPTHWISE_CONV_2D: generateConv2dF32,
  AVERAGE_POOL_2D: generatePoolF32,
  MAX_POOL_2D: generatePoolF32,
  SOFTMAX: generateSoftmaxF32,
  ...Object.fromEntries(FLOAT_UNARY_OPERATORS.map((name) => [name, generateUnaryF32])),
  ...Object.fromEntries(FLOAT_BINARY_OPERATORS.map((name) => [name, generateBinaryF32])),
};

/** The API header, shared by every backend (src/core/model-api.ts). */
export const MODEL_HEADER = modelApiHeader('mlbaot');

export function tensorInfo(t: Tensor): TensorInfo {
  const info: TensorInfo = { name: t.name, shape: [...t.shape], dtype: t.dtype };
  if (t.quantization && t.quantization.scale.length === 1) {
    info.scale = t.quantization.scale[0];
    info.zeroPoint = t.quantization.zeroPoint[0];
  }
  return info;
}

/** Accessor functions over a table of model inputs or outputs. */
function ioTable(kind: 'input' | 'output', tensors: Tensor[], offsets: Map<number, number>): string {
  const rows = tensors.map((t) => {
    const scale = t.quantization?.scale.length === 1 ? t.quantization.scale[0] : 0;
    const zp = t.quantization?.zeroPoint.length === 1 ? t.quantization.zeroPoint[0] : 0;
    return `  {${offsets.get(t.index)}, ${tensorBytes(t)}, ${Math.fround(scale).toPrecision(9)}f, ${zp}}, /* ${cCommentText(t.name)} [${t.shape.join(',')}] ${t.dtype} */`;
  });
  const n = tensors.length;
  return `static const struct mlb_io mlb_${kind}s[${n}] = {\n${rows.join('\n')}\n};
size_t mlb_model_num_${kind}s(void) { return ${n}; }
void *mlb_model_${kind}_ptr(size_t i) { return i < ${n} ? (void *)(mlb_arena + mlb_${kind}s[i].offset) : NULL; }
size_t mlb_model_${kind}_size(size_t i) { return i < ${n} ? mlb_${kind}s[i].bytes : 0; }
float mlb_model_${kind}_scale(size_t i) { return i < ${n} ? mlb_${kind}s[i].scale : 0.0f; }
int32_t mlb_model_${kind}_zero_point(size_t i) { return i < ${n} ? mlb_${kind}s[i].zero_point : 0; }
`;
}

/**
 * The arena plan of a model built with these variants. Row-major kernels may write their output
 * over the rows of a dying input they have consumed (planner.ts overlapSlack); the channel-major
 * depthwise variant (blocked) writes whole columns early, so its input and output stay apart.
 */
export function planFor(original: Model, variants?: ReadonlyMap<number, Variant>, requantize: RequantMode = 'fp32') {
  return planPrepared(prepare(original, requantize), variants);
}

/** The model the layers are generated from: uint8 interiors as int8, constant channels gone (fp32). */
function prepare(original: Model, requantize: RequantMode): Model {
  const model = int8Interior(original);
  return requantize === 'fp32' ? pruneConstantChannels(model) : model;
}

function planPrepared(model: Model, variants?: ReadonlyMap<number, Variant>) {
  return planArena(
    model,
    (op) => op.opcode === 'CONV_2D' || op.opcode === 'ADD' || (op.opcode === 'DEPTHWISE_CONV_2D' && variants?.get(op.index) !== 'blocked'),
  );
}

/** Generates the sources; the model must have passed `unsupportedReasons` (support.ts). */
export function generateSources(
  original: Model,
  requantize: RequantMode = 'fp32',
  variants?: ReadonlyMap<number, Variant>,
  armDsp = false,
  agreedLiterals = true,
): GeneratedSources {
  const model = prepare(original, requantize);
  const fromUint8 = uint8Operators(original);
  const plan = planPrepared(model, variants);
  const generate = (agreed?: LayerInput['agreed']) => {
    const kernels = new Map<string, SharedKernel>();
    const layers = model.operators.map((op) => {
      const float = model.tensors[op.outputs[0]].dtype === 'float32';
      const broadcastAdd = !float && op.opcode === 'ADD' && !isPlainAdd(model, op);
      const int16 = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]].some((t) => t?.dtype === 'int16') && op.opcode !== 'RESHAPE';
      const special = int16 ? (SIXTEEN_BY_EIGHT_GENERATORS[op.opcode] ?? INT16_GENERATORS[op.opcode]) : float ? FLOAT_GENERATORS[op.opcode] : broadcastAdd ? generateAddSubS8 : undefined;
      const gen = integerElementwiseGenerator(model, op) ?? special ?? GENERATORS[op.opcode];
      if (!gen) throw new Error(`no generator for ${op.opcode}`);
      const li: LayerInput = { model, op, offsets: plan.offsets, requantize, kernels, agreed, variant: variants?.get(op.index) ?? defaultVariant(op), armDsp };
      if (op.opcode === 'AVERAGE_POOL_2D' && fromUint8.has(op.index)) return generateAvgPoolFromUint8(li);
      if (op.opcode === 'SOFTMAX' && fromUint8.has(op.index) && requantize === 'fp32') return generateSoftmaxFromUint8(li);
      return isByteFlip(li) ? generateByteFlip(li) : gen(li);
    });
    return { kernels, layers };
  };
  // Twice: the first pass finds the arguments every call of an instance passes alike, the second
  // makes them literals inside the instance and drops them from its calls.
  const first = generate();
  const { kernels, layers } = agreedLiterals ? generate(new Map([...first.kernels].map(([key, k]) => [key, k.seen]))) : first;
  const constants: ConstArray[] = layers.flatMap((l) => l.constants);
  const layerFunctions = layers.flatMap((l) => (l.functionName ? [l.functionName] : []));
  const inputs = model.inputs.map((i) => model.tensors[i]);
  const outputs = model.outputs.map((i) => model.tensors[i]);
  const arenaBytes = plan.arenaBytes;
  const title = `${cCommentText(model.name)}: ${model.operators.length} operators, arena ${arenaBytes} bytes, ${requantize} requantization`;

  const modelC = `/* Generated by mlbench (backend mlbaot) from model ${title}.
 * Activations live in one statically planned arena; weights are in model_weights.c. */
#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "mlb_kernels.h"
#include "mlb_model.h"

${constants.map(formatArrayDeclaration).join('\n')}

static uint8_t mlb_arena[${Math.max(arenaBytes, 1)}] __attribute__((aligned(16)));

struct mlb_io {
  uint32_t offset;
  uint32_t bytes;
  float scale;
  int32_t zero_point;
};

${ioTable('input', inputs, plan.offsets)}
${ioTable('output', outputs, plan.offsets)}
${[...kernels.values()].map((k) => k.code).join('\n')}
${layers.map((l) => l.code).join('\n')}
int mlb_model_init(void) { return 0; }

int mlb_model_invoke(void) {
${layers.map((l, i) => (l.functionName ? `  ${l.functionName}();` : `  /* layer ${model.operators[i].index} ${cCommentText(model.operators[i].opcode)}: no code (aliased) */`)).join('\n')}
  return 0;
}
`;
  const weightsC = `/* Generated by mlbench (backend mlbaot): constant data of model ${cCommentText(model.name)}. */
#include <stdint.h>

${constants.map(formatArrayDefinition).join('\n')}`;
  return {
    header: MODEL_HEADER,
    modelC,
    weightsC,
    arenaBytes,
    simpleLivenessPeak: plan.simpleLivenessPeak,
    layerFunctions,
    inputs: inputs.map(tensorInfo),
    outputs: outputs.map(tensorInfo),
  };
}
