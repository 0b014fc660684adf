// Small 16x8 test models (int16 activations, int8 per-channel weights, int64 bias) built with the
// TFLite writer, for end-to-end runs and model-zoo bench scripts: `cnn16x8()` returns the Model,
// `cnn16x8Files()` the .tflite bytes plus reference vectors computed by the LiteRT oracle.
import type { Model } from '../../core/model.js';
import { writeTflite } from '../../frontends/tflite/writer.js';
import { int16Bytes, int64Bytes } from './fuzz-models-16x8.js';
import { ModelBuilder, int32Bytes, int8Bytes, quant } from './model-builder.js';
import { loadOracle } from './oracle.js';
import { createRng } from './prng.js';

const IN_SHAPE = [1, 10, 10, 3];

/**
 * CONV_2D 3x3 (8 channels, RELU) → DEPTHWISE_CONV_2D 3x3 stride 2 (RELU6) → RESHAPE → FULLY_CONNECTED
 * to 10 int16 outputs. Scales are picked like a 16x8 converter would (outputs span thousands of LSB).
 */
export function cnn16x8(): Model {
  const rng = createRng(1608);
  const b = new ModelBuilder();
  const weights = (n: number): Uint8Array => int8Bytes(Array.from({ length: n }, () => rng.int(-127, 127)));
  const channelScales = (n: number, base: number): number[] => Array.from({ length: n }, () => base * rng.logUniform(0.5, 2));
  const biases = (n: number, range: number): Uint8Array => int64Bytes(Array.from({ length: n }, () => rng.int(-range, range)));
  const act = (name: string, shape: number[], scale: number): number => b.tensor(name, shape, 'int16', { quantization: quant([scale], [0]) });
  const conv = { padding: 'SAME' as const, strideW: 1, strideH: 1, dilationW: 1, dilationH: 1 };

  const sIn = 1 / 8192;
  const x = act('input', IN_SHAPE, sIn);
  const w1s = channelScales(8, 0.01);
  const c1 = act('conv1', [1, 10, 10, 8], 2 / 8192);
  b.op('CONV_2D', 4, [
    x,
    b.tensor('w1', [8, 3, 3, 3], 'int8', { quantization: quant(w1s, w1s.map(() => 0), 0), data: weights(216) }),
    b.tensor('b1', [8], 'int64', { quantization: quant(w1s.map((s) => sIn * s), w1s.map(() => 0)), data: biases(8, 1 << 20) }),
  ], [c1], { kind: 'conv2d', ...conv, activation: 'RELU' });

  const wds = channelScales(8, 0.01);
  const d1 = act('dw1', [1, 5, 5, 8], 1 / 4096);
  b.op('DEPTHWISE_CONV_2D', 5, [
    c1,
    b.tensor('wd', [1, 3, 3, 8], 'int8', { quantization: quant(wds, wds.map(() => 0), 3), data: weights(72) }),
    b.tensor('bd', [8], 'int64', { quantization: quant(wds.map((s) => (2 / 8192) * s), wds.map(() => 0)), data: biases(8, 1 << 18) }),
  ], [d1], { kind: 'depthwise_conv2d', ...conv, strideW: 2, strideH: 2, depthMultiplier: 1, activation: 'RELU6' });

  const flat = act('flat', [1, 200], 1 / 4096);
  b.op('RESHAPE', 1, [d1, b.tensor('shape', [2], 'int32', { data: int32Bytes([1, 200]) })], [flat], { kind: 'reshape', newShape: [1, 200] });
  const wf = 0.004;
  const logits = act('logits', [1, 10], 1 / 1024);
  b.op('FULLY_CONNECTED', 7, [
    flat,
    b.tensor('wf', [10, 200], 'int8', { quantization: quant([wf], [0]), data: weights(2000) }),
    b.tensor('bf', [10], 'int64', { quantization: quant([wf / 4096], [0]), data: biases(10, 1 << 20) }),
  ], [logits], { kind: 'fully_connected', activation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false });
  return b.finish('cnn_16x8', [x], [logits], '16x8 test CNN built by mlbench (models-16x8.ts)');
}

export interface ModelFiles {
  tflite: Uint8Array;
  /** Raw int16 input and output bytes per vector (outputs from the LiteRT oracle). */
  vectors: { input: Uint8Array; output: Uint8Array }[];
}

/** The model's .tflite bytes and `count` seeded reference vectors, laid out like a model-zoo folder's input/ and output_tflite/. */
export async function cnn16x8Files(count = 2): Promise<ModelFiles> {
  const tflite = writeTflite(cnn16x8());
  const rng = createRng(1609);
  const oracle = await loadOracle();
  try {
    const vectors: ModelFiles['vectors'] = [];
    for (let v = 0; v < count; v++) {
      const input = int16Bytes(Array.from({ length: IN_SHAPE.reduce((a, c) => a * c, 1) }, () => rng.int(-8192, 8191)));
      const [output] = await oracle.run(tflite, [input]);
      vectors.push({ input, output });
    }
    return { tflite, vectors };
  } finally {
    oracle.dispose();
  }
}
