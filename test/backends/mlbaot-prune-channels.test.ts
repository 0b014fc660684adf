// Constant channels leave the model (prune-channels.ts): seeded chains CONV_2D 1x1 (some all-zero
// rows, ReLU) -> DEPTHWISE 3x3 SAME -> CONV_2D 1x1 (some all-zero rows) -> AVERAGE_POOL -> RESHAPE
// -> FULLY_CONNECTED, pruned as vww is; the host build must give LiteRT's outputs bit for bit.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Model } from '../../src/core/model.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { ModelBuilder, int32Bytes, int8Bytes, quant } from '../../src/frameworks/litert/model-builder.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { pruneConstantChannels } from '../../src/backends/mlbaot/prune-channels.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';

const C = 8;
const HW = 5;

/** Channels 1, 3, 4, 6 of both pointwise layers have zero weights; their biases decide what is constant. */
function chain(seed: number): { model: Model; vectors: Uint8Array[][] } {
  const rng = createRng(seed);
  const b = new ModelBuilder();
  const dead = new Set([1, 3, 4, 6]);
  const scales = (n: number): number[] => Array.from({ length: n }, () => rng.logUniform(0.004, 0.03));
  const conv1x1 = (name: string, input: number, inScale: number, cin: number, outQ: [number, number]): number => {
    const s = scales(C);
    const w = Array.from({ length: C * cin }, (_, i) => (dead.has(Math.floor(i / cin)) ? 0 : rng.int(-127, 127)));
    // Dead rows: negative biases (ReLU clamps them to zp, removable) and, in row 6, a positive one
    // (a constant above zp: kept, as its depthwise consumer pads with zp).
    const bias = Array.from({ length: C }, (_, c) => (dead.has(c) ? (c === 6 ? rng.int(2000, 9000) : -rng.int(0, 9000)) : rng.int(-4000, 4000)));
    const wt = b.tensor(`${name}_w`, [C, 1, 1, cin], 'int8', { quantization: quant(s, s.map(() => 0), 0), data: int8Bytes(w) });
    const bt = b.tensor(`${name}_b`, [C], 'int32', { quantization: quant(s.map((x) => Math.fround(inScale) * Math.fround(x)), s.map(() => 0)), data: int32Bytes(bias) });
    const out = b.tensor(name, [1, HW, HW, C], 'int8', { quantization: quant([outQ[0]], [outQ[1]]) });
    b.op('CONV_2D', 3, [input, wt, bt], [out], { kind: 'conv2d', padding: 'SAME', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, activation: 'RELU' });
    return out;
  };
  const inQ: [number, number] = [0.05, rng.int(-20, 20)];
  const input = b.tensor('input', [1, HW, HW, 4], 'int8', { quantization: quant([inQ[0]], [inQ[1]]) });
  const q1: [number, number] = [0.04, -128];
  const a = conv1x1('pw1', input, inQ[0], 4, q1);
  // Depthwise without activation and a wide output range: its constant channels land off zp and fold.
  const sd = scales(C);
  const q2: [number, number] = [0.06, rng.int(-30, 30)];
  const dw = b.tensor('dw_w', [1, 3, 3, C], 'int8', { quantization: quant(sd, sd.map(() => 0), 3), data: int8Bytes(Array.from({ length: 9 * C }, () => rng.int(-127, 127))) });
  const dwb = b.tensor('dw_b', [C], 'int32', { quantization: quant(sd.map((x) => Math.fround(q1[0]) * Math.fround(x)), sd.map(() => 0)), data: int32Bytes(Array.from({ length: C }, () => rng.int(-3000, 3000))) });
  const d = b.tensor('dw', [1, HW, HW, C], 'int8', { quantization: quant([q2[0]], [q2[1]]) });
  b.op('DEPTHWISE_CONV_2D', 3, [a, dw, dwb], [d], { kind: 'depthwise_conv2d', padding: 'SAME', strideW: 1, strideH: 1, depthMultiplier: 1, dilationW: 1, dilationH: 1, activation: 'NONE' });
  const q3: [number, number] = [0.05, -128];
  const e = conv1x1('pw2', d, q2[0], C, q3);
  const p = b.tensor('pool', [1, 1, 1, C], 'int8', { quantization: quant([q3[0]], [q3[1]]) });
  b.op('AVERAGE_POOL_2D', 2, [e], [p], { kind: 'pool2d', padding: 'VALID', strideW: HW, strideH: HW, filterWidth: HW, filterHeight: HW, activation: 'NONE' });
  const shape = b.tensor('shape', [2], 'int32', { data: int32Bytes([1, C]) });
  const r = b.tensor('flat', [1, C], 'int8', { quantization: quant([q3[0]], [q3[1]]) });
  b.op('RESHAPE', 1, [p, shape], [r], { kind: 'reshape', newShape: [1, C] });
  const fw = b.tensor('fc_w', [3, C], 'int8', { quantization: quant([0.01], [0]), data: int8Bytes(Array.from({ length: 3 * C }, () => rng.int(-127, 127))) });
  const fb = b.tensor('fc_b', [3], 'int32', { quantization: quant([Math.fround(q3[0]) * Math.fround(0.01)], [0]), data: int32Bytes([rng.int(-500, 500), rng.int(-500, 500), rng.int(-500, 500)]) });
  const out = b.tensor('output', [1, 3], 'int8', { quantization: quant([0.02], [rng.int(-10, 10)]) });
  b.op('FULLY_CONNECTED', 4, [r, fw, fb], [out], { kind: 'fully_connected', activation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false });
  const vectors = Array.from({ length: 4 }, () => [int8Bytes(Array.from({ length: HW * HW * 4 }, () => rng.int(-128, 127)))]);
  return { model: b.finish(`prune_${seed}`, [input], [out]), vectors };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 5150 + i);

describe('pruneConstantChannels', () => {
  test('channels at zp leave every tensor and weight on the way; the one above zp stays', () => {
    // Row 6 above zp (its depthwise consumer pads with zp) leaves three removable rows per layer:
    // fewer than four, so nothing goes.
    const { model } = chain(SEEDS[0]);
    expect(pruneConstantChannels(model)).toBe(model);
    const m2 = chain(SEEDS[0]).model;
    // With row 6's bias negative too, four channels of each layer go.
    for (const name of ['pw1_b', 'pw2_b']) {
      const t = m2.tensors.find((x) => x.name === name)!;
      const v = new DataView(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength);
      v.setInt32(6 * 4, -5, true);
    }
    const p2 = pruneConstantChannels(m2);
    const s2 = (name: string): number[] => p2.tensors.find((t) => t.name === name)!.shape;
    expect([s2('pw1'), s2('dw'), s2('pw2'), s2('pool'), s2('flat')]).toEqual([[1, HW, HW, 4], [1, HW, HW, 4], [1, HW, HW, 4], [1, 1, 1, 4], [1, 4]]);
    expect([s2('pw1_w'), s2('dw_w'), s2('pw2_w'), s2('fc_w')]).toEqual([[4, 1, 1, 4], [1, 3, 3, 4], [4, 1, 1, 4], [3, 4]]);
    expect(p2.tensors.find((t) => t.name === 'pw1_w')!.quantization!.scale).toHaveLength(4);
  });
});

describe('pruned chains against LiteRT (fp32 mode, bit-exact)', () => {
  let oracle: Oracle;
  beforeAll(async () => { oracle = await loadOracle(); });
  test.each(SEEDS)('seed %i', async (seed) => {
    const { model, vectors } = chain(seed);
    // Half the seeds make every dead row removable (four per layer), half keep row 6 above zp.
    if (seed % 2 === 0) {
      for (const name of ['pw1_b', 'pw2_b']) {
        const t = model.tensors.find((x) => x.name === name)!;
        new DataView(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength).setInt32(6 * 4, -seed, true);
      }
      expect(pruneConstantChannels(model).tensors.find((t) => t.name === 'pw2')!.shape[3]).toBe(4);
    }
    const bytes = writeTflite(model);
    const expected = await oracleOutputs(oracle, bytes, vectors);
    const actual = await runMlbaotOnHost(bytes, vectors, { config: { 'mlbaot.requantize': 'fp32' } });
    expect(actual.map((v) => Array.from(v[0]))).toEqual(expected.map((v) => Array.from(v[0])));
  }, 120_000);
});
