// Seeded random models for the data movers in the dtypes beyond int8/float32 (int16, int32, int64,
// bool) and CAST between every pair of int8, int16, int32, uint32, float32, bool. A data-mover case
// is the int8 (or float32) case of the same generator retyped: its activations take the new dtype
// (int16 keeps the scale with zero point 0, as converters write int16), its vectors are drawn anew.
// LiteRT.js feeds and reads only int8, int16, int32, uint8 and float32 tensors, so int64, uint32 and
// bool tensors sit between CASTs from and to int32 (int64, uint32) or int8 (bool): the oracle is
// still TFLite's own kernels, CAST included.
import type { DType, Model, Tensor } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes } from './model-builder.js';
import { moreFuzzCase, type GeneratedCase } from './fuzz-models-more.js';
import { moveFuzzCase } from './fuzz-models-moves.js';
import { tensorFuzzCase } from './fuzz-models-tensor-ops.js';
import { upsampleFuzzCase } from './fuzz-models-upsample.js';
import type { Rng } from './prng.js';

export const DTYPE_MOVE_FUZZ_OPERATORS = [
  'CONCATENATION_I16',
  'CONCATENATION_I32',
  'CONCATENATION_I64',
  'CONCATENATION_BOOL',
  'SPLIT_I16',
  'SPLIT_I32',
  'UNPACK_I32',
  'PAD_I16',
  'PAD_I32',
  'TRANSPOSE_I16',
  'STRIDED_SLICE_I16',
  'STRIDED_SLICE_BOOL',
  'GATHER_I32',
  'RESIZE_NEAREST_NEIGHBOR_I16',
  'SQUEEZE_I32',
  'RESHAPE_I16',
  'CAST_FROM_I8',
  'CAST_FROM_I16',
  'CAST_FROM_I32',
  'CAST_FROM_U32',
  'CAST_FROM_FLOAT32',
  'CAST_FROM_BOOL',
] as const;
export type DtypeMoveFuzzOperator = (typeof DTYPE_MOVE_FUZZ_OPERATORS)[number];
export const isDtypeMoveFuzzOperator = (op: string): op is DtypeMoveFuzzOperator => (DTYPE_MOVE_FUZZ_OPERATORS as readonly string[]).includes(op);

/** The dtype a tensor of `dtype` crosses the LiteRT.js boundary as. */
const FEED: Partial<Record<DType, DType>> = { int64: 'int32', uint32: 'int32', bool: 'int8' };
const feedOf = (dtype: DType): DType => FEED[dtype] ?? dtype;
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function int16Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Int16Array.from(values).buffer);
}

/** Random values of a fed dtype: the whole range, with many zeros where the inner dtype is bool. */
function randomBytes(rng: Rng, feed: DType, inner: DType, n: number): Uint8Array {
  if (inner === 'bool') return int8Bytes(Array.from({ length: n }, () => (rng.bool() ? 0 : rng.int(-128, 127))));
  switch (feed) {
    case 'int8': return int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127)));
    case 'int16': return int16Bytes(Array.from({ length: n }, () => rng.int(-32768, 32767)));
    case 'int32': return int32Bytes(Array.from({ length: n }, () => (rng.bool(0.3) ? rng.int(-300, 300) : rng.int(-(2 ** 31), 2 ** 31 - 1))));
    // Floats cast to every integer type must stay in (-1, 128): outside a target's range C++'s
    // static_cast is undefined; a quarter are integers or zero, where truncation and bool matter.
    default: return float32Bytes(Array.from({ length: n }, () => (rng.bool(0.25) ? rng.int(0, 127) : Math.fround(rng.float(-0.99, 127.99)))));
  }
}

/** Constant values of the source dtype converted to `to` (GATHER's table): little-endian bytes. */
function convertConstant(t: Tensor, to: DType): Uint8Array {
  const values = t.dtype === 'float32' ? Array.from(new Float32Array(t.data!.slice().buffer)) : Array.from(new Int8Array(t.data!.slice().buffer));
  if (to === 'int16') return int16Bytes(values);
  if (to === 'int32') return int32Bytes(values);
  if (to === 'int64') return new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(Math.trunc(v)))).buffer);
  return int8Bytes(values.map((v) => (v !== 0 ? 1 : 0)));
}

/**
 * The case with every tensor of the source dtype (activations and constant tables) in `to`; inputs
 * and outputs LiteRT.js cannot carry get a CAST from or to their fed dtype. Fresh vectors.
 */
function retyped(c: GeneratedCase, to: DType, rng: Rng, vectors: number): GeneratedCase {
  const from = c.model.tensors[c.model.inputs[0]].dtype;
  const b = new ModelBuilder();
  const map = c.model.tensors.map((t) => {
    if (t.dtype !== from) return b.tensor(t.name, t.shape, t.dtype, { quantization: t.quantization, data: t.data });
    const quantization = to === 'int16' && t.quantization ? { ...t.quantization, zeroPoint: t.quantization.zeroPoint.map(() => 0) } : undefined;
    return b.tensor(t.name, t.shape, to, { quantization, data: t.data ? convertConstant(t, to) : undefined });
  });
  const feed = feedOf(to);
  const inputs = c.model.inputs.map((i) => {
    if (feed === to) return map[i];
    const t = c.model.tensors[i];
    const fed = b.tensor(`${t.name}_fed`, t.shape, feed);
    b.op('CAST', 1, [fed], [map[i]]);
    return fed;
  });
  for (const op of c.model.operators) b.op(op.opcode, op.version, op.inputs.map((i) => (i < 0 ? i : map[i])), op.outputs.map((i) => map[i]), op.options);
  const outputs = c.model.outputs.map((i) => {
    if (feed === to) return map[i];
    const t = c.model.tensors[i];
    const read = b.tensor(`${t.name}_read`, t.shape, feed);
    b.op('CAST', 1, [map[i]], [read]);
    return read;
  });
  const model = b.finish(`${c.model.name}_${to}`, inputs, outputs);
  const shapes = c.model.inputs.map((i) => count(c.model.tensors[i].shape));
  return { model, vectors: Array.from({ length: vectors }, () => shapes.map((n) => randomBytes(rng, feed, to, n))), params: { ...c.params, dtype: to } };
}

const CAST_DTYPES: readonly DType[] = ['int8', 'int16', 'int32', 'uint32', 'float32', 'bool'];

/** One input of dtype `from` cast to each of the five other dtypes (one output each). */
function castFrom(rng: Rng, from: DType, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 8));
  const feed = feedOf(from);
  const fed = b.tensor('input', shape, feed);
  let source = fed;
  if (feed !== from) {
    source = b.tensor('source', shape, from);
    b.op('CAST', 1, [fed], [source]);
  }
  const outputs = CAST_DTYPES.filter((d) => d !== from).map((to) => {
    const cast = b.tensor(`to_${to}`, shape, to);
    b.op('CAST', 1, [source], [cast]);
    if (feedOf(to) === to) return cast;
    const read = b.tensor(`to_${to}_read`, shape, feedOf(to));
    b.op('CAST', 1, [cast], [read]);
    return read;
  });
  const n = count(shape);
  return { model: b.finish(`fuzz_cast_${from}`, [fed], outputs), vectors: Array.from({ length: vectors }, () => [randomBytes(rng, feed, from, n)]), params: { shape, from } };
}

export function dtypeMoveFuzzCase(operator: DtypeMoveFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'CONCATENATION_I16': return retyped(moreFuzzCase('CONCATENATION', rng, vectors), 'int16', rng, vectors);
    case 'CONCATENATION_I32': return retyped(moreFuzzCase('CONCATENATION', rng, vectors), 'int32', rng, vectors);
    case 'CONCATENATION_I64': return retyped(moreFuzzCase('CONCATENATION', rng, vectors), 'int64', rng, vectors);
    case 'CONCATENATION_BOOL': return retyped(moreFuzzCase('CONCATENATION', rng, vectors), 'bool', rng, vectors);
    case 'SPLIT_I16': return retyped(moveFuzzCase('SPLIT', rng, vectors), 'int16', rng, vectors);
    case 'SPLIT_I32': return retyped(moveFuzzCase('SPLIT', rng, vectors), 'int32', rng, vectors);
    case 'UNPACK_I32': return retyped(moveFuzzCase('UNPACK', rng, vectors), 'int32', rng, vectors);
    case 'PAD_I16': return retyped(moreFuzzCase('PAD', rng, vectors), 'int16', rng, vectors);
    case 'PAD_I32': return retyped(moreFuzzCase('PAD', rng, vectors), 'int32', rng, vectors);
    case 'TRANSPOSE_I16': return retyped(tensorFuzzCase('TRANSPOSE', rng, vectors), 'int16', rng, vectors);
    case 'STRIDED_SLICE_I16': return retyped(tensorFuzzCase('STRIDED_SLICE', rng, vectors), 'int16', rng, vectors);
    case 'STRIDED_SLICE_BOOL': return retyped(tensorFuzzCase('STRIDED_SLICE', rng, vectors), 'bool', rng, vectors);
    case 'GATHER_I32': return retyped(moveFuzzCase('GATHER', rng, vectors), 'int32', rng, vectors);
    case 'RESIZE_NEAREST_NEIGHBOR_I16': return retyped(upsampleFuzzCase('RESIZE_NEAREST_NEIGHBOR', rng, vectors), 'int16', rng, vectors);
    case 'SQUEEZE_I32': return retyped(moveFuzzCase('SQUEEZE', rng, vectors), 'int32', rng, vectors);
    case 'RESHAPE_I16': return retyped(moreFuzzCase('RESHAPE_F32', rng, vectors), 'int16', rng, vectors);
    case 'CAST_FROM_I8': return castFrom(rng, 'int8', vectors);
    case 'CAST_FROM_I16': return castFrom(rng, 'int16', vectors);
    case 'CAST_FROM_I32': return castFrom(rng, 'int32', vectors);
    case 'CAST_FROM_U32': return castFrom(rng, 'uint32', vectors);
    case 'CAST_FROM_FLOAT32': return castFrom(rng, 'float32', vectors);
    case 'CAST_FROM_BOOL': return castFrom(rng, 'bool', vectors);
  }
}
