// Seeded random single-operator models for MEAN, REDUCE_MAX, TRANSPOSE, STRIDED_SLICE, CAST and
// the standalone activations (LEAKY_RELU, HARD_SWISH, PRELU, int8 RELU/RELU6), int8 and float32,
// in the style of fuzz-models.ts (which names and seeds them).
import type { DType, Model } from '../../core/model.js';
import { reducedShape } from '../../backends/mlbaot/layers-reduce.js';
import { sliceGeometry } from '../../backends/mlbaot/layers-strided.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const TENSOR_FUZZ_OPERATORS = [
  'MEAN',
  'MEAN_F32',
  'REDUCE_MAX',
  'REDUCE_MAX_F32',
  'TRANSPOSE',
  'TRANSPOSE_F32',
  'STRIDED_SLICE',
  'STRIDED_SLICE_F32',
  'CAST',
  'CAST_INT32',
  'CAST_F32',
  'RELU',
  'RELU6',
  'LEAKY_RELU',
  'LEAKY_RELU_F32',
  'HARD_SWISH',
  'HARD_SWISH_F32',
  'PRELU',
  'PRELU_F32',
] as const;
export type TensorFuzzOperator = (typeof TENSOR_FUZZ_OPERATORS)[number];
export const isTensorFuzzOperator = (op: string): op is TensorFuzzOperator => (TENSOR_FUZZ_OPERATORS as readonly string[]).includes(op);

interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

type Kind = 'int8' | 'float32';
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const randomShape = (rng: Rng, minRank: number, maxRank: number, maxDim = 6): number[] =>
  Array.from({ length: rng.int(minRank, maxRank) }, () => rng.int(1, maxDim));
const randomQuant = (rng: Rng) => quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]);

/** Random vectors for the given input shapes and dtypes: int8 over the full range, floats in [lo, hi]. */
function vectorsFor(rng: Rng, inputs: [number[], DType][], n: number, lo = -4, hi = 4): Uint8Array[][] {
  return Array.from({ length: n }, () =>
    inputs.map(([shape, dtype]) => {
      const k = count(shape);
      if (dtype === 'int8') return int8Bytes(Array.from({ length: k }, () => rng.int(-128, 127)));
      if (dtype === 'int32') return int32Bytes(Array.from({ length: k }, () => rng.int(-300, 300)));
      return float32Bytes(Array.from({ length: k }, () => Math.fround(rng.float(lo, hi))));
    }),
  );
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function reduce(rng: Rng, opcode: 'MEAN' | 'REDUCE_MAX', kind: Kind, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  // The common cases first: global pooling of NHWC ([1,2]) and a token axis of [1,T,D].
  const style = rng.int(0, 2);
  const shape = style === 0 ? [1, rng.int(1, 8), rng.int(1, 8), rng.int(1, 8)] : style === 1 ? [1, rng.int(1, 12), rng.int(1, 8)] : randomShape(rng, 1, 4);
  const rank = shape.length;
  let axes = style === 0 ? [1, 2] : style === 1 ? [1] : shuffle(rng, [...shape.keys()]).slice(0, rng.int(1, Math.min(3, rank)));
  axes = axes.map((a) => (rng.bool(0.3) ? a - rank : a));
  let keepDims = rng.bool();
  const resolved = axes.map((a) => (a < 0 ? a + rank : a));
  if (!keepDims && resolved.length === rank) keepDims = true;
  const outShape = reducedShape(shape, resolved, keepDims);
  const qIn = kind === 'int8' ? randomQuant(rng) : undefined;
  const qOut = kind === 'int8' ? (opcode === 'REDUCE_MAX' ? qIn : quant([qIn!.scale[0] * rng.logUniform(0.4, 2.5)], [rng.int(-128, 127)])) : undefined;
  const input = b.tensor('input', shape, kind, { quantization: qIn });
  const output = b.tensor('output', outShape, kind, { quantization: qOut });
  b.op(opcode, 1, [input, b.tensor('axes', [axes.length], 'int32', { data: int32Bytes(axes) })], [output], { kind: 'reducer', keepDims });
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}`, [input], [output]), vectors: vectorsFor(rng, [[shape, kind]], vectors), params: { shape, axes, keepDims, qIn, qOut } };
}

function transpose(rng: Rng, kind: Kind, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 2, 4);
  const perm = shuffle(rng, [...shape.keys()]);
  const q = kind === 'int8' ? randomQuant(rng) : undefined;
  const input = b.tensor('input', shape, kind, { quantization: q });
  const output = b.tensor('output', perm.map((p) => shape[p]), kind, { quantization: q });
  b.op('TRANSPOSE', 1, [input, b.tensor('perm', [perm.length], 'int32', { data: int32Bytes(perm) })], [output]);
  return { model: b.finish('fuzz_transpose', [input], [output]), vectors: vectorsFor(rng, [[shape, kind]], vectors), params: { shape, perm } };
}

function stridedSlice(rng: Rng, kind: Kind, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  for (;;) {
    const shape = randomShape(rng, 1, 4, 8);
    const rank = shape.length;
    const strides = shape.map(() => rng.pick([1, 1, 2, 3, -1, -2]));
    const begin = shape.map((d) => rng.int(-d, d - 1));
    const end = shape.map((d) => rng.int(-d - 1, d + 1));
    const mask = (p: number): number => shape.reduce((m, _, i) => m | (rng.bool(p) ? 1 << i : 0), 0);
    const [beginMask, endMask] = [mask(0.3), mask(0.3)];
    // Shrink only where the stride is positive and begin is an index (as converters write it).
    const shrinkAxisMask = rank > 1 ? shape.reduce((m, _, i) => m | (strides[i] > 0 && !(beginMask & (1 << i)) && rng.bool(0.2) ? 1 << i : 0), 0) : 0;
    const g = sliceGeometry(shape, begin, end, strides, beginMask, endMask, shrinkAxisMask);
    if (g.counts.some((c) => c === 0) || g.shape.length === 0) continue;
    const q = kind === 'int8' ? randomQuant(rng) : undefined;
    const input = b.tensor('input', shape, kind, { quantization: q });
    const output = b.tensor('output', g.shape, kind, { quantization: q });
    const c = (name: string, values: number[]): number => b.tensor(name, [rank], 'int32', { data: int32Bytes(values) });
    b.op('STRIDED_SLICE', 1, [input, c('begin', begin), c('end', end), c('strides', strides)], [output], {
      kind: 'strided_slice', beginMask, endMask, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask, offset: false,
    });
    return { model: b.finish('fuzz_strided_slice', [input], [output]), vectors: vectorsFor(rng, [[shape, kind]], vectors), params: { shape, begin, end, strides, beginMask, endMask, shrinkAxisMask } };
  }
}

/** CAST to `to` from one of the two other dtypes. */
function cast(rng: Rng, to: 'int8' | 'int32' | 'float32', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const from = rng.pick((['int8', 'int32', 'float32'] as const).filter((d) => d !== to));
  const shape = randomShape(rng, 1, 3, 8);
  const input = b.tensor('input', shape, from);
  const output = b.tensor('output', shape, to);
  b.op('CAST', 1, [input], [output]);
  // Float inputs stay inside int8's range: the conversion of larger values is undefined in C++.
  return { model: b.finish('fuzz_cast', [input], [output]), vectors: vectorsFor(rng, [[shape, from]], vectors, -127.9, 127.9), params: { shape, from, to } };
}

function unary(rng: Rng, opcode: 'RELU' | 'RELU6' | 'LEAKY_RELU' | 'HARD_SWISH', kind: Kind, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 1, 4);
  const qIn = kind === 'int8' ? randomQuant(rng) : undefined;
  // HARD_SWISH's output spans [-3/8, max]: TFLM needs out scale >= in scale / 128, which holds here.
  const qOut = kind === 'int8' ? (opcode === 'RELU6' ? qIn : quant([qIn!.scale[0] * rng.logUniform(0.3, 3)], [rng.int(-128, 127)])) : undefined;
  const input = b.tensor('input', shape, kind, { quantization: qIn });
  const output = b.tensor('output', shape, kind, { quantization: qOut });
  const alpha = Math.fround(rng.pick([0.01, 0.1, 0.2, 0.3, 0.5, rng.float(0, 1)]));
  b.op(opcode, 1, [input], [output], opcode === 'LEAKY_RELU' ? { kind: 'leaky_relu', alpha } : { kind: 'none' });
  const span = opcode === 'HARD_SWISH' ? 6 : 8;
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}`, [input], [output]), vectors: vectorsFor(rng, [[shape, kind]], vectors, -span, span), params: { shape, qIn, qOut, ...(opcode === 'LEAKY_RELU' ? { alpha } : {}) } };
}

function prelu(rng: Rng, kind: Kind, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 1, 4);
  // Alpha per channel (the converter's usual [1,1,C] / [C]), or per element, or a scalar-like [1].
  const style = rng.int(0, 2);
  const alphaShape = style === 0 ? [shape[shape.length - 1]] : style === 1 ? shape.slice(1 - Math.min(shape.length, 3)).map((d, i, a) => (i === a.length - 1 ? d : 1)) : [...shape];
  const n = count(alphaShape);
  const qIn = kind === 'int8' ? randomQuant(rng) : undefined;
  const qAlpha = kind === 'int8' ? quant([rng.logUniform(0.001, 0.01)], [rng.int(-20, 20)]) : undefined;
  const qOut = kind === 'int8' ? quant([qIn!.scale[0] * rng.logUniform(0.5, 2)], [rng.int(-100, 100)]) : undefined;
  const alphaData = kind === 'int8' ? int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-0.5, 1))));
  const input = b.tensor('input', shape, kind, { quantization: qIn });
  const alpha = b.tensor('alpha', alphaShape, kind, { quantization: qAlpha, data: alphaData });
  const output = b.tensor('output', shape, kind, { quantization: qOut });
  b.op('PRELU', 1, [input, alpha], [output]);
  return { model: b.finish('fuzz_prelu', [input], [output]), vectors: vectorsFor(rng, [[shape, kind]], vectors), params: { shape, alphaShape, qIn, qAlpha, qOut } };
}

export function tensorFuzzCase(operator: TensorFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  const kind: Kind = operator.endsWith('_F32') ? 'float32' : 'int8';
  switch (operator) {
    case 'MEAN':
    case 'MEAN_F32': return reduce(rng, 'MEAN', kind, vectors);
    case 'REDUCE_MAX':
    case 'REDUCE_MAX_F32': return reduce(rng, 'REDUCE_MAX', kind, vectors);
    case 'TRANSPOSE':
    case 'TRANSPOSE_F32': return transpose(rng, kind, vectors);
    case 'STRIDED_SLICE':
    case 'STRIDED_SLICE_F32': return stridedSlice(rng, kind, vectors);
    case 'CAST': return cast(rng, 'int8', vectors);
    case 'CAST_INT32': return cast(rng, 'int32', vectors);
    case 'CAST_F32': return cast(rng, 'float32', vectors);
    case 'RELU':
    case 'RELU6': return unary(rng, operator, kind, vectors);
    case 'LEAKY_RELU':
    case 'LEAKY_RELU_F32': return unary(rng, 'LEAKY_RELU', kind, vectors);
    case 'HARD_SWISH':
    case 'HARD_SWISH_F32': return unary(rng, 'HARD_SWISH', kind, vectors);
    case 'PRELU':
    case 'PRELU_F32': return prelu(rng, kind, vectors);
  }
}
