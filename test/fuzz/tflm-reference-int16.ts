// TFLite Micro's int16 element-wise arithmetic, hand-written from add_common.cc / sub_common.cc /
// mul_common.cc and reference_ops::AddElementwise / SubElementwise, reference_integer_ops::
// MulElementwise (left shift 15, double-rounding MultiplyByQuantizedMultiplier; SUB's multipliers
// divided in float32), and the table-interpolated LOGISTIC/TANH: the oracle of mlbaot's `tflm` mode for int16 operators.
import type { Model, Tensor } from '../../src/core/model.js';
import { quantizedActivationRange } from '../../src/backends/mlbaot/quant-math.js';
import { multiplyByQuantizedMultiplier as mbqm, roundHalfAway, tflmQuantizeMultiplier } from '../../src/frameworks/litert/tflm-fixed-point.js';
import { logisticS16, tanhS16 } from '../../src/frameworks/litert/tflm-lstm-reference.js';

const scale = (t: Tensor): number => t.quantization!.scale[0];

/** Index of output element `i` in an operand broadcast to `out` (shapes aligned at the right). */
function broadcastIndex(i: number, out: number[], shape: number[]): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  for (let d = out.length - 1; d >= 0; d--) {
    const coord = rest % out[d];
    rest = Math.floor(rest / out[d]);
    const k = d - (out.length - shape.length);
    if (k >= 0) {
      if (shape[k] !== 1) index += coord * stride;
      stride *= shape[k];
    }
  }
  return index;
}

/** The model's single int16 operator for one vector of input bytes, as TFLM computes it. */
export function tflmInt16(model: Model, vector: Uint8Array[]): Int16Array {
  const op = model.operators[0];
  if (op.opcode === 'MAX_POOL_2D' || op.opcode === 'AVERAGE_POOL_2D') return pool(model, vector);
  if (op.opcode === 'LEAKY_RELU' && op.options.kind === 'leaky_relu') {
    // leaky_relu_common.cc: both multipliers from float32 products and quotients.
    const f = Math.fround;
    const [si, so, alpha] = [scale(model.tensors[op.inputs[0]]), scale(model.tensors[op.outputs[0]]), op.options.alpha];
    const [id, al] = [tflmQuantizeMultiplier(f(si / so)), tflmQuantizeMultiplier(f(f(si * alpha) / so))];
    const m = (x: number): number => (x >= 0 ? mbqm(x, id.multiplier, id.shift) : mbqm(x, al.multiplier, al.shift));
    return Int16Array.from(new Int16Array(vector[0].slice().buffer), (x) => Math.min(32767, Math.max(-32768, m(x))));
  }
  if (op.opcode === 'QUANTIZE') {
    // reference_ops::AffineQuantize: TfLiteRound(val / static_cast<float>(scale)) + zero point.
    const s = Math.fround(scale(model.tensors[op.outputs[0]]));
    return Int16Array.from(new Float32Array(vector[0].slice().buffer), (x) => Math.min(32767, Math.max(-32768, roundHalfAway(Math.fround(x / s)))));
  }
  if (op.opcode !== 'LOGISTIC' && op.opcode !== 'TANH') return binary(model, vector);
  const input = model.tensors[op.inputs[0]];
  const x = new Int16Array(vector[0].slice().buffer);
  const p = activationParams(op.opcode, scale(input));
  return Int16Array.from(x, (v) => (op.opcode === 'TANH' ? tanhS16(v, p.mult, p.shift) : logisticS16(v, p.mult, p.shift)));
}

/** logistic_common.cc / tanh.cc Prepare for int16 input. */
function activationParams(opcode: string, s: number): { mult: number; shift: number } {
  const log2 = Math.log(s) / Math.log(2);
  const rounded = Math.round(log2);
  const leftShift = 12 + rounded;
  if (Math.abs(log2 - rounded) < 1e-3 && (leftShift === 0 || (opcode === 'TANH' && leftShift === 1))) return { mult: 0, shift: leftShift };
  let m = s * 4096 * 3;
  let shift = 0;
  for (; m <= 32767 / 2 && shift <= 30; shift++) m *= 2;
  return { mult: Math.trunc(m), shift };
}

/** Output of the model's single ADD/SUB/MUL (int16) for one vector of input bytes, as TFLM computes it. */
function binary(model: Model, vector: Uint8Array[]): Int16Array {
  const op = model.operators[0];
  const [ta, tb, to] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const values = (t: Tensor): Int16Array => {
    const bytes = t.data ?? vector[model.inputs.indexOf(t.index)];
    return new Int16Array(bytes.slice().buffer);
  };
  const [a, b] = [values(ta), values(tb)];
  const act = 'activation' in op.options ? op.options.activation : 'NONE';
  const [lo, hi] = quantizedActivationRange(act, scale(to), 0, 'int16');
  const n = to.shape.reduce((x, y) => x * y, 1);
  let f: (x: number, y: number) => number;
  if (op.opcode === 'MUL') {
    const m = tflmQuantizeMultiplier((scale(ta) * scale(tb)) / scale(to));
    f = (x, y) => mbqm(x * y, m.multiplier, m.shift);
  } else {
    const sub = op.opcode === 'SUB';
    const r = sub ? Math.fround : (x: number): number => x;
    const twiceMax = r(2 * Math.max(scale(ta), scale(tb)));
    const [ma, mb, mo] = [r(scale(ta) / twiceMax), r(scale(tb) / twiceMax), r(twiceMax / r(32768 * scale(to)))].map(tflmQuantizeMultiplier);
    f = (x, y) => {
      const sa = mbqm(x * 32768, ma.multiplier, ma.shift);
      const sb = mbqm(y * 32768, mb.multiplier, mb.shift);
      return mbqm(sub ? sa - sb : sa + sb, mo.multiplier, mo.shift);
    };
  }
  return Int16Array.from({ length: n }, (_, i) => Math.min(hi, Math.max(lo, f(a[broadcastIndex(i, to.shape, ta.shape)], b[broadcastIndex(i, to.shape, tb.shape)]))));
}

/** reference_integer_ops::MaxPool / AveragePool (int16): padding left out, mean rounded half away from zero. */
function pool(model: Model, vector: Uint8Array[]): Int16Array {
  const op = model.operators[0];
  const o = op.options;
  if (o.kind !== 'pool2d') throw new Error('pool without options');
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const x = new Int16Array(vector[0].slice().buffer);
  const [, IH, IW, C] = input.shape;
  const [, OH, OW] = output.shape;
  const lead = (n: number, out: number, f: number, s: number): number => (o.padding === 'VALID' ? 0 : Math.max(0, Math.floor(((out - 1) * s + f - n) / 2)));
  const [PT, PL] = [lead(IH, OH, o.filterHeight, o.strideH), lead(IW, OW, o.filterWidth, o.strideW)];
  const [lo, hi] = quantizedActivationRange(o.activation, scale(output), 0, 'int16');
  const out = new Int16Array(OH * OW * C);
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let c = 0; c < C; c++) {
        const taps: number[] = [];
        for (let fy = 0; fy < o.filterHeight; fy++) {
          for (let fx = 0; fx < o.filterWidth; fx++) {
            const [y, xx] = [oy * o.strideH - PT + fy, ox * o.strideW - PL + fx];
            if (y >= 0 && y < IH && xx >= 0 && xx < IW) taps.push(x[(y * IW + xx) * C + c]);
          }
        }
        const sum = taps.reduce((a, b) => a + b, 0);
        const n = taps.length;
        const v = op.opcode === 'MAX_POOL_2D' ? Math.max(...taps) : Math.trunc((sum > 0 ? sum + Math.trunc(n / 2) : sum - Math.trunc(n / 2)) / n);
        out[(oy * OW + ox) * C + c] = Math.min(hi, Math.max(lo, v));
      }
    }
  }
  return out;
}
