// Seeded random fused UNIDIRECTIONAL_SEQUENCE_LSTM cases (fused-lstm-model.ts) in int8 (8x8->16)
// and float32, in the style of fuzz-models.ts (which names and seeds them): batch 1-3, 1-6 steps,
// 1-10 inputs, state 1-10, batch or time major, optional cell clip, cell state scale 2^-9..2^-13.
import { fusedLstmModel, type FusedLstmOptions } from './fused-lstm-model.js';
import type { GeneratedCase } from './fuzz-models-more.js';
import { float32Bytes, int8Bytes } from './model-builder.js';
import type { Rng } from './prng.js';

export const LSTM_FUZZ_OPERATORS = ['UNIDIRECTIONAL_SEQUENCE_LSTM', 'UNIDIRECTIONAL_SEQUENCE_LSTM_F32'] as const;
export type LstmFuzzOperator = (typeof LSTM_FUZZ_OPERATORS)[number];

export function isLstmFuzzOperator(op: string): op is LstmFuzzOperator {
  return (LSTM_FUZZ_OPERATORS as readonly string[]).includes(op);
}

export function lstmFuzzCase(operator: LstmFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  const int8 = operator === 'UNIDIRECTIONAL_SEQUENCE_LSTM';
  const options: FusedLstmOptions = {
    batch: rng.int(1, 3),
    steps: rng.int(1, 6),
    inputSize: rng.int(1, 10),
    hidden: rng.int(1, 10),
    timeMajor: rng.bool(0.3),
    dtype: int8 ? 'int8' : 'float32',
    cellClip: rng.bool(0.3) ? Math.fround(rng.float(0.25, 6)) : 0,
    cellScalePower: rng.int(-13, -9),
    activation: 'TANH',
    seed: rng.int(0, 1_000_000),
    inputScale: rng.logUniform(0.004, 0.05),
    inputZeroPoint: rng.int(-128, 127),
    hiddenScale: rng.logUniform(1 / 256, 1 / 64),
    hiddenZeroPoint: rng.int(-30, 30),
  };
  const n = options.batch * options.steps * options.inputSize;
  const vector = (): Uint8Array[] => [int8 ? int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-3, 3))))];
  return { model: fusedLstmModel(options), vectors: Array.from({ length: vectors }, vector), params: { ...options } };
}
