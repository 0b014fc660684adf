// A magic-wand/CIFAR-style float32 CNN from every float32 operator mlbaot had first (zoo entry).
import type { Model } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes } from './model-builder.js';
import { createRng } from './prng.js';
import type { ZooModel } from './zoo-model.js';

/** A magic-wand/CIFAR-style float32 net: conv, depthwise, pooling, element-wise, FC, softmax. */
export function floatCnn(): Model {
  const rng = createRng(7);
  const b = new ModelBuilder();
  const consts = (n: number, scale = 0.5): Uint8Array => float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-scale, scale))));
  const conv = { padding: 'SAME' as const, strideW: 1, strideH: 1, dilationW: 1, dilationH: 1 };
  const x = b.tensor('input', [1, 12, 12, 3], 'float32');
  const padded = b.tensor('padded', [1, 14, 14, 3], 'float32');
  b.op('PAD', 1, [x, b.tensor('pads', [4, 2], 'int32', { data: int32Bytes([0, 0, 1, 1, 1, 1, 0, 0]) })], [padded]);
  const c1 = b.tensor('conv1', [1, 12, 12, 8], 'float32');
  b.op('CONV_2D', 1, [padded, b.tensor('w1', [8, 3, 3, 3], 'float32', { data: consts(216) }), b.tensor('b1', [8], 'float32', { data: consts(8) })], [c1], {
    kind: 'conv2d', ...conv, padding: 'VALID', activation: 'RELU',
  });
  const d1 = b.tensor('dw1', [1, 12, 12, 8], 'float32');
  b.op('DEPTHWISE_CONV_2D', 1, [c1, b.tensor('wd', [1, 3, 3, 8], 'float32', { data: consts(72) }), b.tensor('bd', [8], 'float32', { data: consts(8) })], [d1], {
    kind: 'depthwise_conv2d', ...conv, depthMultiplier: 1, activation: 'RELU6',
  });
  const p1 = b.tensor('pool1', [1, 6, 6, 8], 'float32');
  b.op('MAX_POOL_2D', 1, [d1], [p1], { kind: 'pool2d', padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, activation: 'NONE' });
  const t1 = b.tensor('tanh', [1, 6, 6, 8], 'float32');
  b.op('TANH', 1, [p1], [t1]);
  const s1 = b.tensor('sig', [1, 6, 6, 8], 'float32');
  b.op('LOGISTIC', 1, [p1], [s1]);
  const m1 = b.tensor('mul', [1, 6, 6, 8], 'float32');
  b.op('MUL', 1, [t1, s1], [m1], { kind: 'mul', activation: 'NONE' });
  const a1 = b.tensor('add', [1, 6, 6, 8], 'float32');
  b.op('ADD', 1, [m1, b.tensor('shift', [8], 'float32', { data: consts(8) })], [a1], { kind: 'add', activation: 'NONE' });
  const cat = b.tensor('cat', [1, 6, 6, 16], 'float32');
  b.op('CONCATENATION', 1, [a1, p1], [cat], { kind: 'concatenation', axis: 3, activation: 'NONE' });
  const r1 = b.tensor('relu6', [1, 6, 6, 16], 'float32');
  b.op('RELU6', 1, [cat], [r1]);
  const g = b.tensor('avg', [1, 3, 3, 16], 'float32');
  b.op('AVERAGE_POOL_2D', 1, [r1], [g], { kind: 'pool2d', padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, activation: 'NONE' });
  const flat = b.tensor('flat', [1, 144], 'float32');
  b.op('RESHAPE', 1, [g, b.tensor('shape', [2], 'int32', { data: int32Bytes([1, 144]) })], [flat], { kind: 'reshape', newShape: [1, 144] });
  const logits = b.tensor('logits', [1, 10], 'float32');
  b.op('FULLY_CONNECTED', 1, [flat, b.tensor('wf', [10, 144], 'float32', { data: consts(1440, 0.2) }), b.tensor('bf', [10], 'float32', { data: consts(10) })], [logits], {
    kind: 'fully_connected', activation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false,
  });
  const probs = b.tensor('probs', [1, 10], 'float32');
  b.op('SOFTMAX', 1, [logits], [probs], { kind: 'softmax', beta: 1 });
  return b.finish('float_cnn', [x], [probs]);
}

export const floatCnnModel: ZooModel = {
  name: 'float_cnn',
  description: 'float32 CNN: PAD, CONV, DW, pools, TANH, LOGISTIC, MUL, ADD, CONCAT, RELU6, FC, SOFTMAX',
  build: floatCnn,
  inputs: (rng) => [float32Bytes(Array.from({ length: 12 * 12 * 3 }, () => Math.fround(rng.float(-1, 1))))],
};
