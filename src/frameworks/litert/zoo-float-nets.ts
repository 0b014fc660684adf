// Two float32 nets shaped like the ones MLonMCU users bring (zoo entries): a CIFAR-10 CNN
// (32x32x3 image, three conv/pool stages, a classifier) and a magic-wand gesture net (128
// accelerometer samples x 3 axes, TFLite Micro's magic_wand example layout).
import type { Model } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes } from './model-builder.js';
import { createRng, type Rng } from './prng.js';
import type { ZooModel } from './zoo-model.js';

type Padding = 'SAME' | 'VALID';

/** A float32 graph under construction: `x` is the latest tensor and `shape` its NHWC shape. */
class FloatNet {
  readonly b = new ModelBuilder();
  private n = 0;
  constructor(private readonly rng: Rng) {}

  private consts(count: number, fanIn: number): Uint8Array {
    // He-style scale keeps activations in a sane range through several layers.
    const s = Math.sqrt(2 / fanIn);
    return float32Bytes(Array.from({ length: count }, () => Math.fround(this.rng.float(-s, s))));
  }

  private out(shape: number[]): number {
    return this.b.tensor(`t${++this.n}`, shape, 'float32');
  }

  conv(x: number, shape: number[], kh: number, kw: number, cout: number, padding: Padding): { x: number; shape: number[] } {
    const [, h, w, cin] = shape;
    const oh = padding === 'SAME' ? h : h - kh + 1;
    const ow = padding === 'SAME' ? w : w - kw + 1;
    const oshape = [1, oh, ow, cout];
    const y = this.out(oshape);
    const fan = kh * kw * cin;
    this.b.op('CONV_2D', 1, [
      x,
      this.b.tensor(`w${this.n}`, [cout, kh, kw, cin], 'float32', { data: this.consts(cout * fan, fan) }),
      this.b.tensor(`b${this.n}`, [cout], 'float32', { data: this.consts(cout, fan) }),
    ], [y], { kind: 'conv2d', padding, strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, activation: 'RELU' });
    return { x: y, shape: oshape };
  }

  maxPool(x: number, shape: number[], fh: number, fw: number, padding: Padding): { x: number; shape: number[] } {
    const [, h, w, c] = shape;
    const oshape = padding === 'SAME' ? [1, Math.ceil(h / fh), Math.ceil(w / fw), c] : [1, Math.floor((h - fh) / fh) + 1, Math.floor((w - fw) / fw) + 1, c];
    const y = this.out(oshape);
    this.b.op('MAX_POOL_2D', 1, [x], [y], { kind: 'pool2d', padding, strideW: fw, strideH: fh, filterWidth: fw, filterHeight: fh, activation: 'NONE' });
    return { x: y, shape: oshape };
  }

  flatten(x: number, shape: number[]): number {
    const size = shape.reduce((a, v) => a * v, 1);
    const y = this.out([1, size]);
    this.b.op('RESHAPE', 1, [x, this.b.tensor(`shape${this.n}`, [2], 'int32', { data: int32Bytes([1, size]) })], [y], { kind: 'reshape', newShape: [1, size] });
    return y;
  }

  dense(x: number, fanIn: number, units: number, activation: 'RELU' | 'NONE'): number {
    const y = this.out([1, units]);
    this.b.op('FULLY_CONNECTED', 1, [
      x,
      this.b.tensor(`w${this.n}`, [units, fanIn], 'float32', { data: this.consts(units * fanIn, fanIn) }),
      this.b.tensor(`b${this.n}`, [units], 'float32', { data: this.consts(units, fanIn) }),
    ], [y], { kind: 'fully_connected', activation, weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false });
    return y;
  }

  softmax(x: number, units: number): number {
    const y = this.out([1, units]);
    this.b.op('SOFTMAX', 1, [x], [y], { kind: 'softmax', beta: 1 });
    return y;
  }
}

/** CIFAR-10: 3x3 convs of 16, 32, 32 filters (SAME, RELU), each followed by a 2x2 max pool. */
export function cifar10Float(): Model {
  const net = new FloatNet(createRng(21));
  const input = net.b.tensor('image', [1, 32, 32, 3], 'float32');
  let t = { x: input, shape: [1, 32, 32, 3] };
  for (const filters of [16, 32, 32]) {
    t = net.conv(t.x, t.shape, 3, 3, filters, 'SAME');
    t = net.maxPool(t.x, t.shape, 2, 2, 'VALID');
  }
  const flat = net.flatten(t.x, t.shape);
  const hidden = net.dense(flat, 4 * 4 * 32, 64, 'RELU');
  return net.b.finish('cifar10_float32', [input], [net.softmax(net.dense(hidden, 64, 10, 'NONE'), 10)]);
}

/** Magic wand: conv 4x3 (8) SAME, max pool 3x3, conv 4x1 (16) SAME, max pool 3x1, FC 16, FC 4, softmax. */
export function magicWandFloat(): Model {
  const net = new FloatNet(createRng(22));
  const input = net.b.tensor('accel', [1, 128, 3, 1], 'float32');
  let t = net.conv(input, [1, 128, 3, 1], 4, 3, 8, 'SAME');
  t = net.maxPool(t.x, t.shape, 3, 3, 'SAME');
  t = net.conv(t.x, t.shape, 4, 1, 16, 'SAME');
  t = net.maxPool(t.x, t.shape, 3, 1, 'SAME');
  const size = t.shape.reduce((a, v) => a * v, 1);
  const hidden = net.dense(net.flatten(t.x, t.shape), size, 16, 'RELU');
  return net.b.finish('magic_wand_float32', [input], [net.softmax(net.dense(hidden, 16, 4, 'NONE'), 4)]);
}

const floats = (rng: Rng, n: number, lo: number, hi: number): Uint8Array => float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(lo, hi))));

export const cifar10FloatModel: ZooModel = {
  name: 'cifar10_float32',
  description: 'float32 CIFAR-10 CNN: 3x (CONV 3x3 + MAX_POOL 2x2), FC 64, FC 10, SOFTMAX',
  build: cifar10Float,
  inputs: (rng) => [floats(rng, 32 * 32 * 3, 0, 1)],
};

export const magicWandFloatModel: ZooModel = {
  name: 'magic_wand_float32',
  description: 'float32 magic-wand gesture net: CONV 4x3, MAX_POOL, CONV 4x1, MAX_POOL, FC 16, FC 4, SOFTMAX',
  build: magicWandFloat,
  inputs: (rng) => [floats(rng, 128 * 3, -2, 2)],
};
