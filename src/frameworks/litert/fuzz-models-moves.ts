// Seeded random single-operator models for the int8 data movers and comparisons: SQUEEZE,
// SPLIT, UNPACK, GATHER, MINIMUM, MAXIMUM (outputs keep the input's quantization, so exact),
// and int8 ADD with broadcasting or a constant operand, int8 SUB (TFLite's rescaling).
import type { Model } from '../../core/model.js';
import { ModelBuilder, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const MOVE_FUZZ_OPERATORS = ['SQUEEZE', 'SPLIT', 'UNPACK', 'GATHER', 'MINIMUM', 'MAXIMUM', 'ADD_BROADCAST', 'SUB'] as const;
export type MoveFuzzOperator = (typeof MOVE_FUZZ_OPERATORS)[number];

interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const randomShape = (rng: Rng, minRank: number, maxRank: number, maxDim = 5): number[] =>
  Array.from({ length: rng.int(minRank, maxRank) }, () => rng.int(1, maxDim));
const int8Vectors = (rng: Rng, shapes: number[][], vectors: number): Uint8Array[][] =>
  Array.from({ length: vectors }, () => shapes.map((s) => int8Bytes(Array.from({ length: count(s) }, () => rng.int(-128, 127)))));
const randomQuant = (rng: Rng) => ({ quantization: quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]) });

function squeeze(rng: Rng, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 1, 4).map((d) => (rng.bool(0.4) ? 1 : d));
  const ones = shape.flatMap((d, i) => (d === 1 ? [i] : []));
  // Name some of the 1-sized dimensions, or none (squeeze all of them).
  const dims = ones.filter(() => rng.bool(0.6));
  const gone = new Set(dims.length > 0 ? dims : ones);
  const q = randomQuant(rng);
  const input = b.tensor('input', shape, 'int8', q);
  const output = b.tensor('output', shape.filter((_, i) => !gone.has(i)), 'int8', q);
  b.op('SQUEEZE', 1, [input], [output], { kind: 'squeeze', squeezeDims: dims });
  return { model: b.finish('fuzz_squeeze', [input], [output]), vectors: int8Vectors(rng, [shape], vectors), params: { shape, dims } };
}

function split(rng: Rng, unpack: boolean, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 1, 4);
  const axis = rng.int(0, shape.length - 1);
  const parts = unpack ? shape[axis] : rng.int(1, 3);
  if (!unpack) shape[axis] *= parts;
  const written = rng.bool() ? axis - shape.length : axis;
  const q = randomQuant(rng);
  const input = b.tensor('input', shape, 'int8', q);
  const outShape = unpack ? shape.filter((_, i) => i !== axis) : shape.map((d, i) => (i === axis ? d / parts : d));
  const outputs = Array.from({ length: parts }, (_, k) => b.tensor(`out${k}`, outShape, 'int8', q));
  if (unpack) b.op('UNPACK', 2, [input], outputs, { kind: 'unpack', num: parts, axis: written });
  else b.op('SPLIT', 2, [b.tensor('axis', [], 'int32', { data: int32Bytes([written]) }), input], outputs, { kind: 'split', numSplits: parts });
  return { model: b.finish(unpack ? 'fuzz_unpack' : 'fuzz_split', [input], outputs), vectors: int8Vectors(rng, [shape], vectors), params: { shape, axis: written, parts } };
}

function gather(rng: Rng, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = randomShape(rng, 1, 3, 8);
  const axis = rng.int(0, shape.length - 1);
  const indexShape = randomShape(rng, 1, 2, 4);
  const indices = Array.from({ length: count(indexShape) }, () => rng.int(0, shape[axis] - 1));
  const q = randomQuant(rng);
  // An embedding table (constant) or an activation.
  const constTable = rng.bool(0.3);
  const table = constTable ? int8Bytes(Array.from({ length: count(shape) }, () => rng.int(-128, 127))) : undefined;
  const params = b.tensor('params', shape, 'int8', { ...q, ...(table ? { data: table } : {}) });
  const idx = b.tensor('indices', indexShape, 'int32', { data: int32Bytes(indices) });
  const outShape = [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
  // The model needs a live input: with a constant table, add an activation through MAXIMUM.
  const output = b.tensor('output', outShape, 'int8', q);
  b.op('GATHER', 1, [params, idx], [output], { kind: 'gather', axis, batchDims: 0 });
  if (!constTable) return { model: b.finish('fuzz_gather', [params], [output]), vectors: int8Vectors(rng, [shape], vectors), params: { shape, axis, indexShape, indices } };
  const x = b.tensor('x', outShape, 'int8', q);
  const y = b.tensor('y', outShape, 'int8', q);
  b.op('MAXIMUM', 2, [output, x], [y]);
  return { model: b.finish('fuzz_gather', [x], [y]), vectors: int8Vectors(rng, [outShape], vectors), params: { shape, axis, indexShape, indices, constTable } };
}

/** Two operand shapes (some dimensions 1, some left out) and the shape they broadcast to. */
function broadcastPair(rng: Rng): [number[], number[], number[]] {
  const out = randomShape(rng, 1, 4, 6);
  const operand = (): number[] => (rng.bool(0.4) ? [...out] : out.slice(out.length - rng.int(0, out.length)).map((d) => (rng.bool() ? 1 : d)));
  const [sa, sb] = [operand(), operand()];
  const rank = Math.max(sa.length, sb.length);
  const full = Array.from({ length: rank }, (_, i) => Math.max(sa[sa.length - rank + i] ?? 1, sb[sb.length - rank + i] ?? 1));
  return [sa, sb, full];
}

function minMax(rng: Rng, opcode: 'MINIMUM' | 'MAXIMUM', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [sa, sb, full] = broadcastPair(rng);
  const q = randomQuant(rng);
  const a = b.tensor('a', sa, 'int8', q);
  const c = b.tensor('b', sb, 'int8', q);
  const output = b.tensor('output', full, 'int8', q);
  b.op(opcode, 2, [a, c], [output]);
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}`, [a, c], [output]), vectors: int8Vectors(rng, [sa, sb], vectors), params: { sa, sb, full } };
}

function addSub(rng: Rng, opcode: 'ADD' | 'SUB', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [sa, sb, full] = broadcastPair(rng);
  const activation = rng.pick(['NONE', 'RELU', 'RELU6'] as const);
  const s1 = rng.logUniform(0.005, 0.2);
  const s2 = s1 * rng.logUniform(0.25, 4);
  const so = Math.max(s1, s2) * rng.logUniform(1, 2.5);
  const constB = rng.bool(0.25);
  const a = b.tensor('a', sa, 'int8', { quantization: quant([s1], [rng.int(-128, 127)]) });
  const bq = quant([s2], [rng.int(-128, 127)]);
  const c = b.tensor('b', sb, 'int8', constB ? { quantization: bq, data: int8Bytes(Array.from({ length: count(sb) }, () => rng.int(-128, 127))) } : { quantization: bq });
  const output = b.tensor('output', full, 'int8', { quantization: quant([so], [activation === 'NONE' ? rng.int(-100, 100) : rng.int(-128, -60)]) });
  b.op(opcode, 2, [a, c], [output], opcode === 'ADD' ? { kind: 'add', activation } : { kind: 'sub', activation });
  const inputs = constB ? [a] : [a, c];
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}`, inputs, [output]), vectors: int8Vectors(rng, constB ? [sa] : [sa, sb], vectors), params: { sa, sb, full, activation, s1, s2, so, constB } };
}

export function moveFuzzCase(operator: MoveFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'SQUEEZE': return squeeze(rng, vectors);
    case 'SPLIT': return split(rng, false, vectors);
    case 'UNPACK': return split(rng, true, vectors);
    case 'GATHER': return gather(rng, vectors);
    case 'MINIMUM':
    case 'MAXIMUM': return minMax(rng, operator, vectors);
    case 'ADD_BROADCAST': return addSub(rng, 'ADD', vectors);
    case 'SUB': return addSub(rng, 'SUB', vectors);
  }
}
