// Zoo entries for the fused UNIDIRECTIONAL_SEQUENCE_LSTM (fused-lstm-model.ts) in int8 (8x8->16) and
// float32: batch 1, 8 steps x 8 inputs, state 16. LiteRT.js cannot load its variable state tensors,
// so the reference outputs are TFLite Micro's arithmetic (tflm-lstm-reference.ts), which
// test/backends/mlbaot-fused-lstm-targets.test.ts also checks against TFLite Micro itself.
import type { Model } from '../../core/model.js';
import { fusedLstmModel, type FusedLstmOptions } from './fused-lstm-model.js';
import { float32Bytes, int8Bytes } from './model-builder.js';
import type { Rng } from './prng.js';
import { tflmLstm } from './tflm-lstm-reference.js';
import type { ZooModel } from './zoo-model.js';

export const FUSED_LSTM: Omit<FusedLstmOptions, 'dtype'> = {
  batch: 1, steps: 8, inputSize: 8, hidden: 16, timeMajor: false, cellClip: 0, cellScalePower: -11, activation: 'TANH', seed: 7,
  inputScale: 3 / 128, inputZeroPoint: 0, hiddenScale: 1 / 128, hiddenZeroPoint: 0,
  // Without the intermediates (mlbaot reads past them either way), so TFLite Micro can run it too.
  intermediates: false,
};

function fusedLstm(dtype: 'int8' | 'float32'): ZooModel {
  const n = FUSED_LSTM.batch * FUSED_LSTM.steps * FUSED_LSTM.inputSize;
  return {
    name: `fused_lstm_${dtype}`,
    description: `${dtype} fused UNIDIRECTIONAL_SEQUENCE_LSTM, ${FUSED_LSTM.steps} steps x ${FUSED_LSTM.inputSize} -> state ${FUSED_LSTM.hidden}`,
    build: () => ({ ...fusedLstmModel({ ...FUSED_LSTM, dtype }), name: `fused_lstm_${dtype}` }),
    inputs: (rng: Rng) => [
      dtype === 'int8' ? int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-3, 3)))),
    ],
    expected: (model: Model, inputs: Uint8Array[]) => [new Uint8Array(tflmLstm(model, 0, inputs[0]).buffer)],
  };
}

export const fusedLstmInt8 = fusedLstm('int8');
export const fusedLstmFloat32 = fusedLstm('float32');
