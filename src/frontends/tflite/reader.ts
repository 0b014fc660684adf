// Reads a .tflite flatbuffer into the format-free Model. Every offset is checked (see
// checked-buffer.ts) and the result is checked for consistency, so a corrupt file gives an
// MlbenchError('model') naming the file and the problem instead of a crash or a wrong model.
import { MlbenchError } from '../../core/errors.js';
import { DTYPE_BYTES, type DType, type Model, type Operator, type Quantization, type Tensor } from '../../core/model.js';
import { CheckedBuffer, type TableRef } from './checked-buffer.js';
import { decodeOptions } from './read-options.js';
import { shapeProblems } from './shape-checks.js';
import {
  CUSTOM_CODE,
  FILE_IDENTIFIER,
  PLACEHOLDER_FOR_GREATER_OP_CODES,
  SCHEMA_VERSION,
  SLOT,
  TENSOR_TYPES,
  builtinOperatorName,
} from './schema.js';

/** Largest element count we accept for one tensor; far beyond any microcontroller model. */
const MAX_TENSOR_ELEMENTS = 2 ** 31;

interface OperatorCodeInfo {
  opcode: string;
  builtinCode: number;
  version: number;
}

export function readTflite(bytes: Uint8Array, name: string): Model {
  try {
    return readChecked(new CheckedBuffer(bytes, name));
  } catch (e) {
    if (e instanceof MlbenchError) throw e;
    // Safety net: every access is meant to be checked, so reaching this is a reader bug; the user
    // still gets a model error rather than a stack trace.
    throw new MlbenchError('model', `${name}: unreadable model (reader error: ${(e as Error).message})`, { cause: e });
  }
}

function readChecked(cb: CheckedBuffer): Model {
  if (cb.size < 8) cb.fail(`file is too short to be a TFLite model (${cb.size} bytes)`);
  const ident = String.fromCharCode(...cb.bytes.subarray(4, 8));
  if (ident !== FILE_IDENTIFIER) {
    cb.fail(`not a TFLite model (file identifier ${JSON.stringify(ident)}, expected "${FILE_IDENTIFIER}")`);
  }
  const root = cb.table(cb.indirect(0, 'root table offset'), 'model');
  const version = cb.fieldU32(root, SLOT.Model.version, 0);
  if (version !== SCHEMA_VERSION) cb.fail(`unsupported TFLite schema version ${version} (expected ${SCHEMA_VERSION})`);
  const description = cb.fieldString(root, SLOT.Model.description, 'model description') ?? '';

  const codes = (cb.fieldTables(root, SLOT.Model.operator_codes, 'operator code') ?? []).map((t, i) =>
    readOperatorCode(cb, t, i),
  );
  const bufferTables = cb.fieldTables(root, SLOT.Model.buffers, 'buffer') ?? [];
  const subgraphs = cb.fieldTables(root, SLOT.Model.subgraphs, 'subgraph');
  if (!subgraphs || subgraphs.length === 0) cb.fail('model has no subgraph');
  const sg = subgraphs[0];

  const tensorTables = cb.fieldTables(sg, SLOT.SubGraph.tensors, 'tensor') ?? [];
  const buffers = new Map<number, Uint8Array>();
  const bufferData = (index: number, what: string): Uint8Array => {
    if (index >= bufferTables.length) cb.fail(`${what} refers to buffer ${index}, but the model has ${bufferTables.length}`);
    let data = buffers.get(index);
    if (!data) {
      data = readBuffer(cb, bufferTables[index], `buffer ${index}`);
      buffers.set(index, data);
    }
    return data;
  };
  const warnings: string[] = [];
  const deferred = new Map<number, string>();
  const tensors = tensorTables.map((t, i) => readTensor(cb, t, i, bufferData, warnings, deferred));

  const checkIndices = (list: number[] | undefined, what: string, allowOmitted: boolean): number[] => {
    const out = list ?? [];
    for (const ix of out) {
      if (allowOmitted && ix === -1) continue;
      if (ix < 0 || ix >= tensors.length) cb.fail(`${what} refers to tensor ${ix}, but the subgraph has ${tensors.length}`);
    }
    return out;
  };
  const inputs = checkIndices(cb.fieldI32Array(sg, SLOT.SubGraph.inputs, 'subgraph inputs'), 'subgraph input', false);
  const outputs = checkIndices(cb.fieldI32Array(sg, SLOT.SubGraph.outputs, 'subgraph outputs'), 'subgraph output', false);

  const operators = (cb.fieldTables(sg, SLOT.SubGraph.operators, 'operator') ?? []).map((t, i) => {
    const what = `operator ${i}`;
    const codeIndex = cb.fieldU32(t, SLOT.Operator.opcode_index, 0);
    const code = codes[codeIndex];
    if (!code) cb.fail(`${what} uses operator code ${codeIndex}, but the model has ${codes.length}`);
    const op: Operator = {
      index: i,
      opcode: code.opcode,
      builtinCode: code.builtinCode,
      version: code.version,
      inputs: checkIndices(cb.fieldI32Array(t, SLOT.Operator.inputs, `${what} inputs`), `${what} input`, true),
      outputs: checkIndices(cb.fieldI32Array(t, SLOT.Operator.outputs, `${what} outputs`), `${what} output`, false),
      options: decodeOptions(cb, t, code.opcode, what),
    };
    const intermediates = cb.fieldI32Array(t, SLOT.Operator.intermediates, `${what} intermediates`);
    if (intermediates && intermediates.length > 0) op.intermediates = checkIndices(intermediates, `${what} intermediate`, true);
    const custom = cb.fieldVector(t, SLOT.Operator.custom_options, 1, `${what} custom_options`);
    if (custom && custom.length > 0) op.customOptions = cb.bytes.subarray(custom.start, custom.start + custom.length);
    return op;
  });

  const model: Model = {
    name: cb.fileName,
    version,
    description,
    tensors,
    operators,
    inputs,
    outputs,
    subgraphCount: subgraphs.length,
  };
  checkGraph(cb, model);
  settleDeferredQuantization(cb, model, deferred, warnings);
  if (warnings.length > 0) model.warnings = warnings;
  return model;
}

function readOperatorCode(cb: CheckedBuffer, t: TableRef, index: number): OperatorCodeInfo {
  const what = `operator code ${index}`;
  const deprecated = cb.fieldI8(t, SLOT.OperatorCode.deprecated_builtin_code, 0);
  const builtin = cb.fieldI32(t, SLOT.OperatorCode.builtin_code, 0);
  // Older converters fill only the deprecated int8 field; newer ones write 127 there for codes
  // above it. The larger of the two is the real code either way.
  const builtinCode = Math.max(deprecated, builtin);
  const version = cb.fieldI32(t, SLOT.OperatorCode.version, 1);
  // When both fields are written they must agree (the deprecated one saturates at 127).
  const consistent = builtin === 0 || deprecated === Math.min(builtin, PLACEHOLDER_FOR_GREATER_OP_CODES);
  if (deprecated < 0 || builtin < 0 || !consistent || builtinCode === PLACEHOLDER_FOR_GREATER_OP_CODES) {
    cb.fail(`${what} has an invalid builtin code (deprecated_builtin_code ${deprecated}, builtin_code ${builtin})`);
  }
  if (builtinCode === CUSTOM_CODE) {
    const custom = cb.fieldString(t, SLOT.OperatorCode.custom_code, `${what} custom code`) ?? '';
    return { opcode: `CUSTOM:${custom}`, builtinCode, version };
  }
  const opcode = builtinOperatorName(builtinCode);
  if (!opcode) cb.fail(`${what} has unknown builtin code ${builtinCode}`);
  return { opcode, builtinCode, version };
}

function readBuffer(cb: CheckedBuffer, t: TableRef, what: string): Uint8Array {
  const data = cb.fieldVector(t, SLOT.Buffer.data, 1, `${what} data`);
  if (data && data.length > 0) return cb.bytes.subarray(data.start, data.start + data.length);
  // Models over 2 GB keep constants after the flatbuffer; offset 1 marks "none" (schema 3c).
  const offset = cb.fieldU64(t, SLOT.Buffer.offset, 0n);
  const size = cb.fieldU64(t, SLOT.Buffer.size, 0n);
  if (offset > 1n) {
    if (offset + size > BigInt(cb.size)) cb.fail(`${what} points to bytes ${offset}..${offset + size} beyond the end of the file`);
    return cb.bytes.subarray(Number(offset), Number(offset + size));
  }
  return new Uint8Array(0);
}

function readTensor(
  cb: CheckedBuffer,
  t: TableRef,
  index: number,
  bufferData: (index: number, what: string) => Uint8Array,
  warnings: string[],
  deferred: Map<number, string>,
): Tensor {
  const what = `tensor ${index}`;
  const shape = cb.fieldI32Array(t, SLOT.Tensor.shape, `${what} shape`) ?? [];
  let elements = 1;
  for (const d of shape) {
    if (d < 0) cb.fail(`${what} has a negative dimension in shape [${shape.join(', ')}]`);
    elements *= d;
  }
  if (elements > MAX_TENSOR_ELEMENTS) cb.fail(`${what} shape [${shape.join(', ')}] is implausibly large`);
  const typeCode = cb.fieldI8(t, SLOT.Tensor.type, 0);
  const dtype = TENSOR_TYPES[typeCode];
  if (dtype === undefined) cb.fail(`${what} has unknown tensor type ${typeCode}`);
  const name = cb.fieldString(t, SLOT.Tensor.name, `${what} name`) ?? '';
  const isVariable = cb.fieldBool(t, SLOT.Tensor.is_variable, false);
  if (cb.field(t, SLOT.Tensor.sparsity, 4)) cb.fail(`${what} (${name}) is sparse; sparse tensors are not supported`);

  const tensor: Tensor = { index, name, shape, dtype, isVariable };
  const q = cb.fieldTable(t, SLOT.Tensor.quantization, `${what} quantization`);
  if (q) {
    const read = readQuantization(cb, q, shape, `${what} (${name})`);
    if (read?.warning) warnings.push(read.warning);
    if (read?.invalid) deferred.set(index, read.invalid);
    if (read) tensor.quantization = read.quantization;
  }
  const bufferIndex = cb.fieldU32(t, SLOT.Tensor.buffer, 0);
  const data = bufferData(bufferIndex, what);
  if (data.length > 0) {
    const expected = constantBytes(dtype, elements);
    if (expected !== undefined && expected !== data.length) {
      cb.fail(`${what} (${name}): constant data has ${data.length} bytes, but shape [${shape.join(', ')}] of ${dtype} needs ${expected}`);
    }
    cb.spend(data.length);
    // A copy, so the model does not pin the whole file and stays valid if the caller reuses it.
    // (Uint8Array's slice: on a Node Buffer, .slice() would be a view of the whole file.)
    tensor.data = Uint8Array.prototype.slice.call(data);
  }
  return tensor;
}

function constantBytes(dtype: DType, elements: number): number | undefined {
  if (dtype === 'int4') return Math.ceil(elements / 2);
  const b = DTYPE_BYTES[dtype];
  return b === undefined ? undefined : b * elements;
}

interface ReadQuantization {
  quantization: Quantization;
  /** A parameter TFLite would only reject if an operator read it: checked once the graph is known. */
  invalid?: string;
  /** A converter quirk read leniently, for the load log. */
  warning?: string;
}

function readQuantization(cb: CheckedBuffer, q: TableRef, shape: number[], what: string): ReadQuantization | undefined {
  const S = SLOT.Quantization;
  const scale = cb.fieldF32Array(q, S.scale, `${what} quantization scale`) ?? [];
  const zp = cb.fieldI64Array(q, S.zero_point, `${what} quantization zero point`) ?? [];
  let quantizedDimension = cb.fieldI32(q, S.quantized_dimension, 0);
  if (cb.fieldU8(q, S.details_type, 0) !== 0) cb.fail(`${what} uses custom quantization, which is not supported`);
  if (scale.length === 0 && zp.length === 0) return undefined;
  if (scale.length !== zp.length) {
    cb.fail(`${what} has ${scale.length} quantization scales but ${zp.length} zero points`);
  }
  const bad = scale.find((s) => !Number.isFinite(s) || s < 0);
  const invalid = bad === undefined ? undefined : `${what} has an invalid quantization scale ${bad}`;
  const zeroPoint = zp.map((z) => {
    if (z < -(2n ** 31n) || z >= 2n ** 31n) cb.fail(`${what} has an out-of-range zero point ${z}`);
    return Number(z);
  });
  let warning: string | undefined;
  if (scale.length > 1) {
    // Older converters wrote the weights' axis (3 for depthwise) into 1-D per-channel biases;
    // TFLite Micro reads such a tensor along its only axis.
    if (shape.length === 1 && quantizedDimension !== 0 && shape[0] === scale.length) {
      warning = `${what}: quantized_dimension ${quantizedDimension} on a 1-D tensor of ${scale.length} per-channel scales, read as 0`;
      quantizedDimension = 0;
    }
    if (quantizedDimension < 0 || quantizedDimension >= shape.length) {
      cb.fail(`${what}: quantized_dimension ${quantizedDimension} is outside its shape [${shape.join(', ')}]`);
    }
    if (shape[quantizedDimension] !== scale.length) {
      cb.fail(`${what} has ${scale.length} per-channel scales, but dimension ${quantizedDimension} has size ${shape[quantizedDimension]}`);
    }
  }
  return { quantization: { scale, zeroPoint, quantizedDimension }, invalid, warning };
}

/** Operators whose input 2 is an int32 bias: its scale is implied by input and weights, never read. */
const BIAS_INPUT_OPERATORS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/**
 * Invalid quantization parameters are an error only on tensors some operator reads as quantized.
 * A constant int32 tensor that only serves as a bias (or nothing reads) keeps TFLite's behaviour:
 * the parameters are ignored, so they are dropped here with a warning.
 */
function settleDeferredQuantization(cb: CheckedBuffer, model: Model, deferred: Map<number, string>, warnings: string[]): void {
  for (const [index, problem] of deferred) {
    const t = model.tensors[index];
    const unused =
      t.data !== undefined &&
      t.dtype === 'int32' &&
      !model.inputs.includes(index) &&
      !model.outputs.includes(index) &&
      model.operators.every((op) => op.inputs.every((ix, k) => ix !== index || (k === 2 && BIAS_INPUT_OPERATORS.has(op.opcode))));
    if (!unused) cb.fail(problem);
    delete t.quantization;
    warnings.push(`${problem}; ignored, as no operator reads it as quantized`);
  }
}

/**
 * Ranks of the inputs and first output of the operators whose shapes we compute with;
 * null accepts any rank (a FULLY_CONNECTED input is flattened to rows of the weights' depth).
 */
const RANKS: Readonly<Record<string, { inputs: (number | null)[]; output: number | null }>> = {
  CONV_2D: { inputs: [4, 4], output: 4 },
  DEPTHWISE_CONV_2D: { inputs: [4, 4], output: 4 },
  FULLY_CONNECTED: { inputs: [null, 2], output: null },
  AVERAGE_POOL_2D: { inputs: [4], output: 4 },
  MAX_POOL_2D: { inputs: [4], output: 4 },
  L2_POOL_2D: { inputs: [4], output: 4 },
};

/**
 * Consistency a flipped index could break while staying in range: operators run in order, so
 * every activation they read must be a model input, a constant, a variable or an earlier output.
 */
function checkGraph(cb: CheckedBuffer, model: Model): void {
  const available = new Set<number>(model.inputs);
  model.tensors.forEach((t) => {
    if (t.data || t.isVariable) available.add(t.index);
  });
  for (const op of model.operators) {
    const what = `operator ${op.index} (${op.opcode})`;
    for (const ix of op.inputs) {
      if (ix !== -1 && !available.has(ix)) cb.fail(`${what} reads tensor ${ix}, which nothing before it produces`);
    }
    if (op.outputs.length === 0) cb.fail(`${what} has no outputs`);
    for (const ix of op.outputs) {
      if (model.tensors[ix].data) cb.fail(`${what} writes into constant tensor ${ix}`);
      available.add(ix);
    }
    const ranks = RANKS[op.opcode];
    if (ranks) {
      const shapeText = (ix: number): string => `[${model.tensors[ix].shape.join(', ')}]`;
      ranks.inputs.forEach((rank, k) => {
        const ix = op.inputs[k];
        if (ix === undefined || ix === -1) cb.fail(`${what} lacks input ${k}`);
        if (rank !== null && model.tensors[ix].shape.length !== rank) {
          cb.fail(`${what}: input ${k} has shape ${shapeText(ix)}, expected rank ${rank}`);
        }
      });
      const out = op.outputs[0];
      if (ranks.output !== null && model.tensors[out].shape.length !== ranks.output) {
        cb.fail(`${what}: output has shape ${shapeText(out)}, expected rank ${ranks.output}`);
      }
      const problems = shapeProblems(model, op);
      if (problems.length > 0) cb.fail(`${what}: ${problems[0]}`);
    }
  }
  for (const ix of model.outputs) {
    if (!available.has(ix)) cb.fail(`model output tensor ${ix} is never produced`);
  }
}
