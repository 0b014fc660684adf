// TFLM's int8 arithmetic for MEAN, LEAKY_RELU, HARD_SWISH, PRELU and RELU, written independently
// of mlbaot from reduce.h / leaky_relu_common.cc / hard_swish.h / prelu_common.cc /
// activations_common.cc, so the fuzzer holds mlbaot to TFLM bit-exactly where LiteRT.js (XNNPACK)
// rounds differently.
import type { Model } from '../../src/core/model.js';
import { multiplyByQuantizedMultiplier as mbqm, tflmQuantizeMultiplier as qm } from './tflm-reference.js';

const f = Math.fround;
const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
const clampInt8 = (v: number): number => clamp(v, -128, 127);
const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

function int32s(bytes: Uint8Array): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => v.getInt32(4 * i, true));
}

/** QuantizedMeanOrSum: sums per output, less count·zp, times the multiplier with 1/count folded in. */
function mean(model: Model, x: Int8Array): number[] {
  const op = model.operators[0];
  const [input, axesT, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const rank = input.shape.length;
  const axes = new Set(int32s(axesT.data!).map((a) => (a + rank) % rank));
  const keptDims = input.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const sums = new Array<number>(keptDims.reduce((a, b) => a * b, 1)).fill(0);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < x.length; i++) {
    let o = 0;
    for (let d = 0; d < rank; d++) o = o * keptDims[d] + (axes.has(d) ? 0 : idx[d]);
    sums[o] += x[i];
    for (let d = rank - 1; d >= 0 && ++idx[d] === input.shape[d]; d--) idx[d] = 0;
  }
  const n = [...axes].reduce((a, d) => a * input.shape[d], 1);
  const base = qm(input.quantization!.scale[0] / output.quantization!.scale[0]);
  let shift = n.toString(2).length - 1; // 63 - CountLeadingZeros(n)
  shift = Math.min(shift, 32, 31 + base.shift);
  const multiplier = (base.multiplier << BigInt(shift)) / BigInt(n);
  const [zin, zout] = [input.quantization!.zeroPoint[0], output.quantization!.zeroPoint[0]];
  return sums.map((s) => clampInt8(mbqm(s - zin * n, multiplier, base.shift - shift) + zout));
}

function leakyRelu(model: Model, x: Int8Array): number[] {
  const op = model.operators[0];
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const alpha = op.options.kind === 'leaky_relu' ? op.options.alpha : 0;
  const [si, so] = [input.quantization!.scale[0], output.quantization!.scale[0]];
  const a = qm(f(f(si * alpha) / so));
  const id = qm(f(si / so));
  const [zin, zout] = [input.quantization!.zeroPoint[0], output.quantization!.zeroPoint[0]];
  return Array.from(x, (q) => {
    const v = q - zin;
    return clampInt8(zout + (v >= 0 ? mbqm(v, id.multiplier, id.shift) : mbqm(v, a.multiplier, a.shift)));
  });
}

function relu(model: Model, x: Int8Array): number[] {
  const op = model.operators[0];
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const [si, zin] = [input.quantization!.scale[0], input.quantization!.zeroPoint[0]];
  if (op.opcode === 'RELU6') {
    const six = clampInt8(roundHalfAway(f(6 / si)) + zin);
    return Array.from(x, (q) => clamp(q, zin, six));
  }
  const [so, zout] = [output.quantization!.scale[0], output.quantization!.zeroPoint[0]];
  const m = qm(f(si / so));
  return Array.from(x, (q) => clamp(zout + mbqm(q - zin, m.multiplier, m.shift), Math.max(-128, zout), 127));
}

// 16-bit fixed point of reference_ops::HardSwish (int16 wrap-around emulated with `s16`).
const s16 = (v: number): number => ((v + 32768) & 0xffff) - 32768;
const srdhm16 = (a: number, b: number): number => {
  if (a === b && a === -32768) return 32767;
  const ab = a * b;
  return s16(Math.trunc((ab + (ab >= 0 ? 1 << 14 : 1 - (1 << 14))) / (1 << 15)));
};
const rdbpot16 = (x: number, e: number): number => {
  const mask = (1 << e) - 1;
  return s16((x >> e) + ((x & mask) > (mask >> 1) + (x < 0 ? 1 : 0) ? 1 : 0));
};
const satShl16 = (x: number, k: number): number => clamp(x * 2 ** k, -32768, 32767);
const to16 = (m: bigint): number => (m >= 2n ** 31n - 1n - 2n ** 15n ? 32767 : Number((m + 2n ** 15n) >> 16n));

function hardSwish(model: Model, x: Int8Array): number[] {
  const op = model.operators[0];
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const hires = f(f(1 / 128) * input.quantization!.scale[0]);
  const o = qm(f(hires / output.quantization!.scale[0]));
  const r = qm(f(hires / f(3 / 32768)));
  const [om, rm] = [to16(o.multiplier), to16(r.multiplier)];
  const [zin, zout] = [input.quantization!.zeroPoint[0], output.quantization!.zeroPoint[0]];
  return Array.from(x, (q) => {
    const hi = s16((q - zin) * 128);
    const pre = srdhm16(hi, om);
    let rv = hi;
    if (r.shift > 0) rv = satShl16(rv, r.shift - 1);
    rv = srdhm16(rv, rm);
    if (r.shift > 0) rv = satShl16(rv, 1);
    if (r.shift < 0) rv = rdbpot16(rv, -r.shift);
    rv = s16((rv + (1 << 15)) >> 1);
    const out = rv === pre && rv === -32768 ? 32767 : s16(Math.trunc((rv * pre) / (1 << 15)));
    return clampInt8(s16(rdbpot16(out, -o.shift) + zout));
  });
}

function prelu(model: Model, x: Int8Array): number[] {
  const op = model.operators[0];
  const [input, alphaT, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const [si, sa, so] = [input.quantization!.scale[0], alphaT.quantization!.scale[0], output.quantization!.scale[0]];
  const m1 = qm(si / so);
  const m2 = qm((si * sa) / so);
  const alpha = new Int8Array(alphaT.data!.slice().buffer);
  const shape = output.shape;
  const aShape = [...new Array<number>(shape.length - alphaT.shape.length).fill(1), ...alphaT.shape];
  const idx = new Array<number>(shape.length).fill(0);
  return Array.from(x, (q) => {
    let ai = 0;
    for (let d = 0; d < shape.length; d++) ai = ai * aShape[d] + (aShape[d] === 1 ? 0 : idx[d]);
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
    const v = q - input.quantization!.zeroPoint[0];
    const a = alpha[ai] - alphaT.quantization!.zeroPoint[0];
    return clampInt8(output.quantization!.zeroPoint[0] + (v >= 0 ? mbqm(v, m1.multiplier, m1.shift) : mbqm(v * a, m2.multiplier, m2.shift)));
  });
}

const REFERENCES: Record<string, (model: Model, x: Int8Array) => number[]> = {
  MEAN: mean,
  LEAKY_RELU: leakyRelu,
  HARD_SWISH: hardSwish,
  PRELU: prelu,
  RELU: relu,
  RELU6: relu,
};

/** TFLM's int8 output for a single-operator case of one of the operators above, else undefined. */
export function tflmTensorOpOutput(model: Model, input: Uint8Array): Int8Array | undefined {
  const op = model.operators[0];
  const ref = REFERENCES[op.opcode];
  if (!ref || model.operators.length !== 1 || model.tensors[op.outputs[0]].dtype !== 'int8') return undefined;
  return Int8Array.from(ref(model, new Int8Array(input.slice().buffer)));
}
