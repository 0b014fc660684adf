// Seeded random int8 models for MUL (broadcasting, a constant operand), LOGISTIC, TANH and an
// unrolled LSTM (one to three steps of FULLY_CONNECTED/SPLIT/LOGISTIC/TANH/MUL/ADD), in the style
// of fuzz-models.ts (which names and seeds them).
import type { Activation } from '../../core/model.js';
import { broadcastShapes, type GeneratedCase } from './fuzz-models-more.js';
import { unrolledLstmModel } from './lstm-model.js';
import { ModelBuilder, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const ACT_FUZZ_OPERATORS = ['MUL', 'LOGISTIC', 'TANH', 'LSTM_UNROLLED'] as const;
export type ActFuzzOperator = (typeof ACT_FUZZ_OPERATORS)[number];

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const int8Vectors = (rng: Rng, shapes: number[][], vectors: number): Uint8Array[][] =>
  Array.from({ length: vectors }, () => shapes.map((s) => int8Bytes(Array.from({ length: count(s) }, () => rng.int(-128, 127)))));

function mul(rng: Rng, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [, aShape, bShape] = broadcastShapes(rng);
  const rank = Math.max(aShape.length, bShape.length);
  const full = Array.from({ length: rank }, (_, i) => Math.max(aShape[aShape.length - rank + i] ?? 1, bShape[bShape.length - rank + i] ?? 1));
  const activation: Activation = rng.pick(['NONE', 'NONE', 'RELU', 'RELU6'] as const);
  const [sa, sb] = [rng.logUniform(0.005, 0.2), rng.logUniform(0.005, 0.2)];
  const [za, zb] = [rng.int(-128, 127), rng.int(-128, 127)];
  // The product of two int8 spreads (~74 each) lands in ±(15..90) output steps, as a converter's calibration would put it.
  const so = (sa * sb * 74 * 74) / rng.logUniform(15, 90);
  const zo = activation === 'NONE' ? rng.int(-100, 100) : rng.int(-128, -60);
  const constB = rng.bool(0.25);
  const a = b.tensor('a', aShape, 'int8', { quantization: quant([sa], [za]) });
  const c = b.tensor('b', bShape, 'int8', {
    quantization: quant([sb], [zb]),
    ...(constB ? { data: int8Bytes(Array.from({ length: count(bShape) }, () => rng.int(-128, 127))) } : {}),
  });
  const output = b.tensor('output', full, 'int8', { quantization: quant([so], [zo]) });
  b.op('MUL', 2, [a, c], [output], { kind: 'mul', activation });
  return {
    model: b.finish('fuzz_mul', constB ? [a] : [a, c], [output]),
    vectors: int8Vectors(rng, constB ? [aShape] : [aShape, bShape], vectors),
    params: { aShape, bShape, full, activation, sa, za, sb, zb, so, zo, constB },
  };
}

function activationCase(rng: Rng, opcode: 'LOGISTIC' | 'TANH', vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
  // Input steps from fine (the function's whole range in a few steps) to coarse (saturated at once).
  const si = rng.logUniform(0.002, 0.5);
  const zi = rng.int(-128, 127);
  const input = b.tensor('input', shape, 'int8', { quantization: quant([si], [zi]) });
  const output = b.tensor('output', shape, 'int8', { quantization: opcode === 'LOGISTIC' ? quant([1 / 256], [-128]) : quant([1 / 128], [0]) });
  b.op(opcode, 2, [input], [output]);
  return { model: b.finish(`fuzz_${opcode.toLowerCase()}`, [input], [output]), vectors: int8Vectors(rng, [shape], vectors), params: { shape, si, zi } };
}

function lstm(rng: Rng, vectors: number): GeneratedCase {
  const options = { steps: rng.int(1, 3), inputSize: rng.int(1, 8), hidden: rng.int(1, 6), classes: rng.int(1, 4), dtype: 'int8' as const, seed: rng.int(0, 1_000_000) };
  return { model: unrolledLstmModel(options), vectors: int8Vectors(rng, [[options.steps, options.inputSize]], vectors), params: options };
}

export function actFuzzCase(operator: ActFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'MUL': return mul(rng, vectors);
    case 'LOGISTIC': return activationCase(rng, 'LOGISTIC', vectors);
    case 'TANH': return activationCase(rng, 'TANH', vectors);
    case 'LSTM_UNROLLED': return lstm(rng, vectors);
  }
}
