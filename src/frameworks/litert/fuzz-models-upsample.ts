// Seeded random single-operator models for RESIZE_NEAREST_NEIGHBOR and TRANSPOSE_CONV in int8
// and float32 (the dtypes TFLite Micro runs them in), in the style of fuzz-models.ts.
import type { Activation, Model, Padding } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import type { Rng } from './prng.js';

export const UPSAMPLE_FUZZ_OPERATORS = ['RESIZE_NEAREST_NEIGHBOR', 'RESIZE_NEAREST_NEIGHBOR_F32', 'TRANSPOSE_CONV', 'TRANSPOSE_CONV_F32'] as const;
export type UpsampleFuzzOperator = (typeof UPSAMPLE_FUZZ_OPERATORS)[number];
export const isUpsampleFuzzOperator = (op: string): op is UpsampleFuzzOperator => (UPSAMPLE_FUZZ_OPERATORS as readonly string[]).includes(op);

interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const int8Vector = (rng: Rng, n: number): Uint8Array => int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127)));
const floatVector = (rng: Rng, n: number): Uint8Array => float32Bytes(Array.from({ length: n }, () => rng.float(-4, 4)));

function resize(rng: Rng, float: boolean, vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [ih, iw, c] = [rng.int(1, 6), rng.int(1, 6), rng.int(1, 4)];
  // Up- and downsampling, integer and fractional factors.
  const [oh, ow] = [rng.int(1, 13), rng.int(1, 13)];
  const alignCorners = rng.bool(0.3);
  const halfPixelCenters = !alignCorners && rng.bool(0.5);
  const q = float ? {} : { quantization: quant([rng.logUniform(0.005, 0.2)], [rng.int(-128, 127)]) };
  const dtype = float ? 'float32' : 'int8';
  const input = b.tensor('input', [1, ih, iw, c], dtype, q);
  const size = b.tensor('size', [2], 'int32', { data: int32Bytes([oh, ow]) });
  const output = b.tensor('output', [1, oh, ow, c], dtype, q);
  b.op('RESIZE_NEAREST_NEIGHBOR', 3, [input, size], [output], { kind: 'resize_nearest_neighbor', alignCorners, halfPixelCenters });
  const n = ih * iw * c;
  return {
    model: b.finish('fuzz_resize_nearest', [input], [output]),
    vectors: Array.from({ length: vectors }, () => [float ? floatVector(rng, n) : int8Vector(rng, n)]),
    params: { ih, iw, c, oh, ow, alignCorners, halfPixelCenters },
  };
}

/** TRANSPOSE_CONV; `activation` fuses one (the default cases draw none, so their seeds stay as they were). */
export function transposeConv(rng: Rng, float: boolean, vectors: number, activation: Activation = 'NONE'): GeneratedCase {
  const b = new ModelBuilder();
  const padding: Padding = rng.pick(['SAME', 'VALID'] as const);
  const [kh, kw] = [rng.int(1, 4), rng.int(1, 4)];
  const [sh, sw] = [rng.int(1, 3), rng.int(1, 3)];
  const [ih, iw, ic, oc] = [rng.int(1, 6), rng.int(1, 6), rng.int(1, 6), rng.int(1, 6)];
  // The output size whose forward convolution gives the input size (TFLite's converter's choice).
  const out = (i: number, k: number, s: number): number => (padding === 'SAME' ? i * s : (i - 1) * s + k);
  const [oh, ow] = [out(ih, kh, sh), out(iw, kw, sw)];
  const withBias = rng.bool(0.8);
  const wShape = [oc, kh, kw, ic];
  const terms = Math.ceil(kh / sh) * Math.ceil(kw / sw) * ic;
  const shape = b.tensor('output_shape', [4], 'int32', { data: int32Bytes([1, oh, ow, oc]) });
  let params: Record<string, unknown> = { ih, iw, ic, oc, kh, kw, sh, sw, padding, withBias, activation };
  let input: number, weights: number, bias = -1, output: number;
  if (float) {
    input = b.tensor('input', [1, ih, iw, ic], 'float32');
    weights = b.tensor('weights', wShape, 'float32', { data: float32Bytes(Array.from({ length: count(wShape) }, () => rng.float(-1, 1))) });
    if (withBias) bias = b.tensor('bias', [oc], 'float32', { data: float32Bytes(Array.from({ length: oc }, () => rng.float(-1, 1))) });
    output = b.tensor('output', [1, oh, ow, oc], 'float32');
  } else {
    // Per channel, as converters write int8 TRANSPOSE_CONV: LiteRT.js returns garbage for some
    // per-tensor int8 cases (e.g. 5x2x1 input, 4x4 kernel, stride 2x1, VALID), so they are not an oracle.
    const perChannel = true;
    const inScale = rng.logUniform(0.005, 0.2);
    const base = rng.logUniform(0.002, 0.05);
    const ws = perChannel ? Array.from({ length: oc }, () => base * rng.logUniform(0.3, 3)) : [base];
    const outScale = (Math.sqrt(terms) * 74 * 74 * inScale * base) / rng.logUniform(15, 90);
    const outZp = rng.int(-100, 100);
    input = b.tensor('input', [1, ih, iw, ic], 'int8', { quantization: quant([inScale], [rng.int(-128, 127)]) });
    weights = b.tensor('weights', wShape, 'int8', {
      quantization: quant(ws, ws.map(() => 0), 0),
      data: int8Bytes(Array.from({ length: count(wShape) }, () => rng.int(-127, 127))),
    });
    const biasRange = Math.round(Math.sqrt(terms) * 74 * 74);
    if (withBias) {
      bias = b.tensor('bias', [oc], 'int32', {
        quantization: quant(Array.from({ length: oc }, (_, i) => Math.fround(inScale) * Math.fround(ws[ws.length === 1 ? 0 : i])), Array<number>(oc).fill(0)),
        data: int32Bytes(Array.from({ length: oc }, () => rng.int(-biasRange, biasRange))),
      });
    }
    output = b.tensor('output', [1, oh, ow, oc], 'int8', { quantization: quant([outScale], [outZp]) });
    params = { ...params, perChannel, inScale, outScale, outZp };
  }
  const inputs = withBias ? [shape, weights, input, bias] : [shape, weights, input];
  b.op('TRANSPOSE_CONV', withBias ? 4 : 3, inputs, [output], { kind: 'transpose_conv', padding, strideW: sw, strideH: sh, activation });
  const n = ih * iw * ic;
  return {
    model: b.finish('fuzz_transpose_conv', [input], [output]),
    vectors: Array.from({ length: vectors }, () => [float ? floatVector(rng, n) : int8Vector(rng, n)]),
    params,
  };
}

export function upsampleFuzzCase(operator: UpsampleFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'RESIZE_NEAREST_NEIGHBOR': return resize(rng, false, vectors);
    case 'RESIZE_NEAREST_NEIGHBOR_F32': return resize(rng, true, vectors);
    case 'TRANSPOSE_CONV': return transposeConv(rng, false, vectors);
    case 'TRANSPOSE_CONV_F32': return transposeConv(rng, true, vectors);
  }
}
