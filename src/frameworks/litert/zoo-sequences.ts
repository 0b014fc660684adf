// Zoo entries for the sequence and 16x8 test models (their builders live in lstm-model.ts,
// text-classifier.ts and models-16x8.ts): an unrolled LSTM and a GATHER/MEAN text classifier in
// int8 and float32, and a 16x8 CNN.
import { int16Bytes } from './fuzz-models-16x8.js';
import { unrolledLstmModel, type LstmOptions } from './lstm-model.js';
import { float32Bytes, int32Bytes, int8Bytes } from './model-builder.js';
import { cnn16x8 } from './models-16x8.js';
import type { Rng } from './prng.js';
import { TEXT_CLASSIFIER, textClassifier } from './text-classifier.js';
import type { ZooModel } from './zoo-model.js';

const LSTM: Omit<LstmOptions, 'dtype'> = { steps: 4, inputSize: 8, hidden: 8, classes: 4, seed: 5 };

function lstm(dtype: 'int8' | 'float32'): ZooModel {
  const n = LSTM.steps * LSTM.inputSize;
  return {
    name: `lstm_${dtype}`,
    description: `${dtype} LSTM unrolled by the converter: UNPACK, FC, ADD, SPLIT, LOGISTIC, TANH, MUL`,
    build: () => ({ ...unrolledLstmModel({ ...LSTM, dtype }), name: `lstm_${dtype}` }),
    inputs: (rng: Rng) => [
      dtype === 'int8' ? int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-2, 2)))),
    ],
  };
}

function textClassifierModel(dtype: 'int8' | 'float32'): ZooModel {
  return {
    name: `text_classifier_${dtype}`,
    description: `${dtype} text classifier: int32 token ids, GATHER, MEAN, FC, SOFTMAX`,
    build: () => textClassifier(dtype),
    inputs: (rng: Rng) => [int32Bytes(Array.from({ length: TEXT_CLASSIFIER.tokens }, () => rng.int(0, TEXT_CLASSIFIER.vocabulary - 1)))],
  };
}

export const lstmInt8 = lstm('int8');
export const lstmFloat32 = lstm('float32');
export const textClassifierInt8 = textClassifierModel('int8');
export const textClassifierFloat32 = textClassifierModel('float32');
export const cnn16x8Model: ZooModel = {
  name: 'cnn_16x8',
  description: '16x8 CNN: int16 activations, int8 weights: CONV, DW, RESHAPE, FC',
  build: () => ({ ...cnn16x8(), name: 'cnn_16x8' }),
  inputs: (rng: Rng) => [int16Bytes(Array.from({ length: 10 * 10 * 3 }, () => rng.int(-8192, 8191)))],
};
