// Seeded random single-operator models for the float32 operators and the dtype-agnostic data
// movers (CONCATENATION, PAD), in the style of fuzz-models.ts (which names and seeds them).
import type { Activation, Model, Padding } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const MORE_FUZZ_OPERATORS = [
  'CONV_2D_F32',
  'DEPTHWISE_CONV_2D_F32',
  'AVERAGE_POOL_2D_F32',
  'MAX_POOL_2D_F32',
  'SOFTMAX_F32',
  'ADD_F32',
  'SUB_F32',
  'MUL_F32',
  'MINIMUM_F32',
  'MAXIMUM_F32',
  'RESHAPE_F32',
  'RELU_F32',
  'RELU6_F32',
  'TANH_F32',
  'LOGISTIC_F32',
  'CONCATENATION_F32',
  'PAD_F32',
  'CONCATENATION',
  'PAD',
] as const;
export type MoreFuzzOperator = (typeof MORE_FUZZ_OPERATORS)[number];

export interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU6'];
const PADDINGS: readonly Padding[] = ['SAME', 'VALID'];

function outSize(inSize: number, filter: number, stride: number, dilation: number, padding: Padding): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.ceil((inSize - effective + 1) / stride);
}

const floats = (rng: Rng, n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => Math.fround(rng.float(lo, hi)));
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const floatVectors = (rng: Rng, shapes: number[][], vectors: number, lo = -2, hi = 2): Uint8Array[][] =>
  Array.from({ length: vectors }, () => shapes.map((s) => float32Bytes(floats(rng, count(s), lo, hi))));

function convF32(rng: Rng, depthwise: boolean, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const padding = rng.pick(PADDINGS);
  const [kh, kw] = [rng.int(1, 4), rng.int(1, 4)];
  const [dh, dw] = rng.bool(0.2) ? [2, 2] : [1, 1];
  const h = rng.int((kh - 1) * dh + 1, 10);
  const w = rng.int((kw - 1) * dw + 1, 10);
  const [strideH, strideW] = [rng.int(1, 2), rng.int(1, 2)];
  const cin = rng.int(1, 8);
  const multiplier = depthwise ? rng.int(1, 2) : 1;
  const cout = depthwise ? cin * multiplier : rng.int(1, 8);
  const activation = rng.pick(ACTIVATIONS);
  const [oh, ow] = [outSize(h, kh, strideH, dh, padding), outSize(w, kw, strideW, dw, padding)];
  const weightShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, cin];
  const input = b.tensor('input', [1, h, w, cin], 'float32');
  const weights = b.tensor('weights', weightShape, 'float32', { data: float32Bytes(floats(rng, count(weightShape), -1, 1)) });
  // TFLite's CONV_2D needs the bias input (it refuses an omitted one).
  const bias = b.tensor('bias', [cout], 'float32', { data: float32Bytes(floats(rng, cout, -1, 1)) });
  const output = b.tensor('output', [1, oh, ow, cout], 'float32');
  const common = { padding, strideW, strideH, dilationW: dw, dilationH: dh, activation };
  if (depthwise) b.op('DEPTHWISE_CONV_2D', 1, [input, weights, bias], [output], { kind: 'depthwise_conv2d', depthMultiplier: multiplier, ...common });
  else b.op('CONV_2D', 1, [input, weights, bias], [output], { kind: 'conv2d', ...common });
  return {
    model: b.finish(depthwise ? 'fuzz_dwconvf' : 'fuzz_convf', [input], [output]),
    vectors: floatVectors(rng, [[h, w, cin]], vectors),
    params: { h, w, cin, cout, kh, kw, dh, dw, strideH, strideW, padding, multiplier, activation },
  };
}

function poolF32(rng: Rng, kind: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const padding = rng.pick(PADDINGS);
  const [fh, fw] = [rng.int(1, 4), rng.int(1, 4)];
  const h = padding === 'VALID' ? rng.int(fh, 10) : rng.int(1, 10);
  const w = padding === 'VALID' ? rng.int(fw, 10) : rng.int(1, 10);
  const [strideH, strideW] = [rng.int(1, 3), rng.int(1, 3)];
  const c = rng.int(1, 8);
  const activation = rng.pick(ACTIVATIONS);
  const input = b.tensor('input', [1, h, w, c], 'float32');
  const output = b.tensor('output', [1, outSize(h, fh, strideH, 1, padding), outSize(w, fw, strideW, 1, padding), c], 'float32');
  b.op(kind, 1, [input], [output], { kind: 'pool2d', padding, strideW, strideH, filterWidth: fw, filterHeight: fh, activation });
  return { model: b.finish('fuzz_poolf', [input], [output]), vectors: floatVectors(rng, [[h, w, c]], vectors), params: { h, w, c, fh, fw, strideH, strideW, padding, activation } };
}

function softmaxF32(rng: Rng, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = [rng.int(1, 3), rng.int(2, 32)];
  const beta = rng.pick([1, 0.5, 2]);
  const input = b.tensor('input', shape, 'float32');
  const output = b.tensor('output', shape, 'float32');
  b.op('SOFTMAX', 1, [input], [output], { kind: 'softmax', beta });
  return { model: b.finish('fuzz_softmaxf', [input], [output]), vectors: floatVectors(rng, [shape], vectors, -6, 6), params: { shape, beta } };
}

/** A random shape of rank 1..4 and two shapes that broadcast to it. */
export function broadcastShapes(rng: Rng): [number[], number[], number[]] {
  const out = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
  const operand = (): number[] => {
    if (rng.bool(0.4)) return [...out];
    const rank = rng.int(0, out.length);
    return out.slice(out.length - rank).map((d) => (rng.bool(0.5) ? 1 : d));
  };
  return [out, operand(), operand()];
}

function binaryF32(rng: Rng, opcode: 'ADD' | 'SUB' | 'MUL' | 'MINIMUM' | 'MAXIMUM', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [, aShape, bShape] = broadcastShapes(rng);
  // The output keeps the broadcast shape of the two operands (a dimension may collapse to 1).
  const rank = Math.max(aShape.length, bShape.length);
  const full = Array.from({ length: rank }, (_, i) => {
    const pick = (s: number[]): number => s[s.length - rank + i] ?? 1;
    return Math.max(pick(aShape), pick(bShape));
  });
  const activation: Activation = opcode === 'MINIMUM' || opcode === 'MAXIMUM' ? 'NONE' : rng.pick(ACTIVATIONS);
  const constB = rng.bool(0.25);
  const a = b.tensor('a', aShape, 'float32');
  const c = b.tensor('b', bShape, 'float32', constB ? { data: float32Bytes(floats(rng, count(bShape), -2, 2)) } : {});
  const output = b.tensor('output', full, 'float32');
  const options = opcode === 'ADD' ? { kind: 'add' as const, activation } : opcode === 'SUB' ? { kind: 'sub' as const, activation } : opcode === 'MUL' ? { kind: 'mul' as const, activation } : { kind: 'none' as const };
  b.op(opcode, 1, [a, c], [output], options);
  const inputs = constB ? [a] : [a, c];
  return {
    model: b.finish(`fuzz_${opcode.toLowerCase()}f`, inputs, [output]),
    vectors: floatVectors(rng, constB ? [aShape] : [aShape, bShape], vectors),
    params: { aShape, bShape, full, activation, constB },
  };
}

function unaryF32(rng: Rng, opcode: 'RELU' | 'RELU6' | 'TANH' | 'LOGISTIC', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
  const input = b.tensor('input', shape, 'float32');
  const output = b.tensor('output', shape, 'float32');
  b.op(opcode, 1, [input], [output]);
  const range = opcode === 'RELU' || opcode === 'RELU6' ? 9 : 12;
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}f`, [input], [output]), vectors: floatVectors(rng, [shape], vectors, -range, range), params: { shape } };
}

function reshapeF32(rng: Rng, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [h, w, c] = [rng.int(1, 8), rng.int(1, 8), rng.int(1, 8)];
  const newShape = rng.bool() ? [1, h * w * c] : [h, w * c];
  const input = b.tensor('input', [1, h, w, c], 'float32');
  const shapeTensor = b.tensor('shape', [newShape.length], 'int32', { data: int32Bytes(newShape) });
  const output = b.tensor('output', newShape, 'float32');
  b.op('RESHAPE', 1, [input, shapeTensor], [output], { kind: 'reshape', newShape });
  return { model: b.finish('fuzz_reshapef', [input], [output]), vectors: floatVectors(rng, [[h, w, c]], vectors), params: { h, w, c, newShape } };
}

function int8Vectors(rng: Rng, shapes: number[][], vectors: number): Uint8Array[][] {
  return Array.from({ length: vectors }, () => shapes.map((s) => int8Bytes(Array.from({ length: count(s) }, () => rng.int(-128, 127)))));
}

function concatenation(rng: Rng, dtype: 'float32' | 'int8', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const rank = rng.int(1, 4);
  const base = Array.from({ length: rank }, () => rng.int(1, 5));
  const axis = rng.int(0, rank - 1);
  const n = rng.int(2, 4);
  const q = dtype === 'int8' ? { quantization: quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]) } : {};
  const shapes = Array.from({ length: n }, () => base.map((d, i) => (i === axis ? rng.int(1, 4) : d)));
  const inputs = shapes.map((s, k) => b.tensor(`in${k}`, s, dtype, q));
  const outShape = base.map((d, i) => (i === axis ? shapes.reduce((a, s) => a + s[i], 0) : d));
  const output = b.tensor('output', outShape, dtype, q);
  // Half the cases name the axis from the end, as converters often do.
  const written = rng.bool() ? axis - rank : axis;
  b.op('CONCATENATION', dtype === 'int8' ? 2 : 1, inputs, [output], { kind: 'concatenation', axis: written, activation: 'NONE' });
  return {
    model: b.finish('fuzz_concat', inputs, [output]),
    vectors: dtype === 'int8' ? int8Vectors(rng, shapes, vectors) : floatVectors(rng, shapes, vectors),
    params: { dtype, shapes, axis: written },
  };
}

function pad(rng: Rng, dtype: 'float32' | 'int8', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 5));
  const pads = shape.flatMap(() => [rng.int(0, 2), rng.int(0, 2)]);
  const q = dtype === 'int8' ? { quantization: quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]) } : {};
  const input = b.tensor('input', shape, dtype, q);
  const paddings = b.tensor('paddings', [shape.length, 2], 'int32', { data: int32Bytes(pads) });
  const output = b.tensor('output', shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]), dtype, q);
  b.op('PAD', dtype === 'int8' ? 2 : 1, [input, paddings], [output]);
  return {
    model: b.finish('fuzz_pad', [input], [output]),
    vectors: dtype === 'int8' ? int8Vectors(rng, [shape], vectors) : floatVectors(rng, [shape], vectors),
    params: { dtype, shape, pads },
  };
}

export function moreFuzzCase(operator: MoreFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'CONV_2D_F32': return convF32(rng, false, vectors);
    case 'DEPTHWISE_CONV_2D_F32': return convF32(rng, true, vectors);
    case 'AVERAGE_POOL_2D_F32': return poolF32(rng, 'AVERAGE_POOL_2D', vectors);
    case 'MAX_POOL_2D_F32': return poolF32(rng, 'MAX_POOL_2D', vectors);
    case 'SOFTMAX_F32': return softmaxF32(rng, vectors);
    case 'ADD_F32': return binaryF32(rng, 'ADD', vectors);
    case 'SUB_F32': return binaryF32(rng, 'SUB', vectors);
    case 'MUL_F32': return binaryF32(rng, 'MUL', vectors);
    case 'MINIMUM_F32': return binaryF32(rng, 'MINIMUM', vectors);
    case 'MAXIMUM_F32': return binaryF32(rng, 'MAXIMUM', vectors);
    case 'RESHAPE_F32': return reshapeF32(rng, vectors);
    case 'RELU_F32': return unaryF32(rng, 'RELU', vectors);
    case 'RELU6_F32': return unaryF32(rng, 'RELU6', vectors);
    case 'TANH_F32': return unaryF32(rng, 'TANH', vectors);
    case 'LOGISTIC_F32': return unaryF32(rng, 'LOGISTIC', vectors);
    case 'CONCATENATION_F32': return concatenation(rng, 'float32', vectors);
    case 'PAD_F32': return pad(rng, 'float32', vectors);
    case 'CONCATENATION': return concatenation(rng, 'int8', vectors);
    case 'PAD': return pad(rng, 'int8', vectors);
  }
}
