// A small text classifier in TFLite form, built with the project's writer: int32 token ids →
// GATHER (embedding table) → MEAN over the tokens → FULLY_CONNECTED → SOFTMAX, in int8 or
// float32. Tests and bench scripts use it where no public GATHER/MEAN model is at hand;
// `writeTextClassifierFolder` adds reference vectors computed by the LiteRT oracle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../../core/model.js';
import { writeTflite } from '../../frontends/tflite/writer.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Oracle } from './oracle.js';
import { createRng } from './prng.js';

export const TEXT_CLASSIFIER = { tokens: 16, vocabulary: 64, embedding: 16, classes: 4 } as const;

/** The classifier with seeded random weights; the same dtype always gives the same model. */
export function textClassifier(dtype: 'int8' | 'float32'): Model {
  const { tokens: T, vocabulary: V, embedding: D, classes: C } = TEXT_CLASSIFIER;
  const rng = createRng(dtype === 'int8' ? 12 : 13);
  const b = new ModelBuilder();
  const int8 = dtype === 'int8';
  const values = (n: number, scale: number): Uint8Array =>
    int8 ? int8Bytes(Array.from({ length: n }, () => rng.int(-127, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-scale, scale))));
  const q = (scale: number, zp = 0) => (int8 ? { quantization: quant([scale], [zp]) } : {});
  const ids = b.tensor('token_ids', [1, T], 'int32');
  const table = b.tensor('embedding_table', [V, D], dtype, { ...q(0.02), data: values(V * D, 2.5) });
  const embedded = b.tensor('embedded', [1, T, D], dtype, q(0.02));
  b.op('GATHER', 1, [table, ids], [embedded], { kind: 'gather', axis: 0, batchDims: 0 });
  const pooled = b.tensor('pooled', [1, D], dtype, q(0.012, 3));
  b.op('MEAN', int8 ? 2 : 1, [embedded, b.tensor('mean_axes', [1], 'int32', { data: int32Bytes([1]) })], [pooled], { kind: 'reducer', keepDims: false });
  const weights = b.tensor('fc_weights', [C, D], dtype, { ...q(0.01), data: values(C * D, 1) });
  const bias = int8
    ? b.tensor('fc_bias', [C], 'int32', { quantization: quant([0.012 * 0.01], [0]), data: int32Bytes(Array.from({ length: C }, () => rng.int(-2000, 2000))) })
    : b.tensor('fc_bias', [C], 'float32', { data: values(C, 0.1) });
  const logits = b.tensor('logits', [1, C], dtype, q(0.03, -5));
  b.op('FULLY_CONNECTED', int8 ? 4 : 1, [pooled, weights, bias], [logits], {
    kind: 'fully_connected', activation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false,
  });
  const probs = b.tensor('probs', [1, C], dtype, q(1 / 256, -128));
  b.op('SOFTMAX', int8 ? 2 : 1, [logits], [probs], { kind: 'softmax', beta: 1 });
  return b.finish(`text_classifier_${dtype}`, [ids], [probs], 'GATHER/MEAN text classifier built by mlbench');
}

/**
 * Writes `<dir>/<name>/<name>.tflite` with `vectors` reference vectors (input/N.bin: int32 token
 * ids; output_tflite/N.bin: the oracle's outputs) and returns the model file's path.
 */
export async function writeTextClassifierFolder(dir: string, dtype: 'int8' | 'float32', oracle: Oracle, vectors = 2): Promise<string> {
  const model = textClassifier(dtype);
  const folder = join(dir, model.name);
  mkdirSync(join(folder, 'input'), { recursive: true });
  mkdirSync(join(folder, 'output_tflite'), { recursive: true });
  const bytes = writeTflite(model);
  const file = join(folder, `${model.name}.tflite`);
  writeFileSync(file, bytes);
  const rng = createRng(21);
  for (let v = 0; v < vectors; v++) {
    const ids = int32Bytes(Array.from({ length: TEXT_CLASSIFIER.tokens }, () => rng.int(0, TEXT_CLASSIFIER.vocabulary - 1)));
    const [out] = await oracle.run(bytes, [ids]);
    writeFileSync(join(folder, 'input', `${v}.bin`), ids);
    writeFileSync(join(folder, 'output_tflite', `${v}.bin`), out);
  }
  return file;
}
