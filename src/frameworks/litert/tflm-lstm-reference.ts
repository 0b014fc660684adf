// TFLite Micro's UNIDIRECTIONAL_SEQUENCE_LSTM, written independently of mlbaot from
// unidirectional_sequence_lstm.cc, lstm_eval.h/.cc and lstm_eval_common.cc (Prepare), with
// reference_integer_ops FullyConnected/MulElementwise/Logistic(int16)/Tanh(int16) and
// reference_ops for float32. LiteRT.js cannot load models with variable tensors ("Variable tensors
// not yet supported"), so this is the oracle of the fused LSTM (fuzzing, zoo, target tests): int8
// bit-exact, float32 with JavaScript's exp/tanh rounded to float32 after every operation as the C++
// reference does. Checked against TFLite Micro itself in test/backends/mlbaot-fused-lstm-targets.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model, Tensor } from '../../core/model.js';
import { multiplyByQuantizedMultiplier as mbqm, tflmQuantizeMultiplier as qm } from './tflm-fixed-point.js';

const f = Math.fround;
const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** TFLite's sigmoid_table_uint16, read from the TFLM tree (MLBENCH_TFLM_DIR) rather than copied. */
function sigmoidTable(): number[] {
  const dir = process.env.MLBENCH_TFLM_DIR;
  if (!dir) throw new Error('the fused-LSTM oracle reads sigmoid_table_uint16 from TFLite Micro: set MLBENCH_TFLM_DIR');
  const src = readFileSync(join(dir, 'tensorflow/lite/kernels/internal/common.h'), 'utf8');
  const m = /sigmoid_table_uint16\[256\] = \{([^}]*)\}/.exec(src);
  const values = m ? m[1].split(',').map((v) => v.trim()).filter((v) => v !== '').map(Number) : [];
  if (values.length !== 256) throw new Error(`sigmoid_table_uint16 not found in ${dir}`);
  return values;
}
let table: number[] | undefined;
const SIGMOID = (): number[] => (table ??= sigmoidTable());

/** reference_integer_ops::Logistic(int16); multiplier 0 stands for 3 << leftShift (lstm_eval's Q3.12 input: 3, no shift). */
export function logisticS16(x: number, multiplier = 0, leftShift = 0): number {
  let [m, s] = [multiplier, leftShift];
  if (m === 0) [m, s] = [3 * 2 ** s, 0];
  const input = Math.floor((x * m + (s > 0 ? 2 ** (s - 1) : 0)) / 2 ** s);
  const abs = Math.abs(input);
  const uh = abs >>> 9;
  let r: number;
  if (uh >= 255) r = 0x7fff * 2 ** 10;
  else {
    const [ua, ub] = [SIGMOID()[uh], SIGMOID()[uh + 1]];
    r = ua * 512 + (abs & 0x1ff) * (ub - ua);
  }
  r = input >= 0 ? r + 512 : 2 ** 25 - r + 512 - 1;
  return Math.floor(r / 1024);
}

/** reference_integer_ops::Tanh(int16), multiplier 0 as in logisticS16. */
export function tanhS16(x: number, multiplier: number, leftShift: number): number {
  let [m, s] = [multiplier, leftShift];
  if (m === 0) [m, s] = [3 * 2 ** s, 0];
  const round = s > 0 ? 2 ** (s - 1) : 0;
  const input = Math.floor((x * m + round) / 2 ** s);
  const abs = Math.abs(input);
  const uh = Math.floor(abs / 256);
  let r: number;
  if (uh >= 255) r = 0xffff * 256;
  else {
    const [ua, ub] = [SIGMOID()[uh], SIGMOID()[uh + 1]];
    r = ua * 256 + (abs & 0xff) * (ub - ua);
  }
  r = input >= 0 ? r - 2 ** 23 + 2 ** 7 : -r + 2 ** 23 + 2 ** 7 - 1;
  return Math.floor(r / 256);
}

/** lstm_eval.cc's Tanh: the input scale is 2^power. */
function cellTanhParams(power: number): [number, number] {
  const shift = 15 + power - 3;
  return shift < 0 ? [3, -shift] : [0, shift];
}

const numbers = (t: Tensor): number[] => {
  const d = t.data!;
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  if (t.dtype === 'int8') return Array.from({ length: d.byteLength }, (_, i) => v.getInt8(i));
  if (t.dtype === 'int32') return Array.from({ length: d.byteLength / 4 }, (_, i) => v.getInt32(4 * i, true));
  return Array.from({ length: d.byteLength / 4 }, (_, i) => v.getFloat32(4 * i, true));
};

/** The operator's output for one input vector (raw bytes), as TFLM computes it from zero state. */
export function tflmLstm(model: Model, opIndex: number, inputBytes: Uint8Array): Int8Array | Float32Array {
  const op = model.operators[opIndex];
  if (op.options.kind !== 'unidirectional_sequence_lstm') throw new Error('not an LSTM');
  const o = op.options;
  const t = (i: number): Tensor => model.tensors[op.inputs[i]];
  const input = t(0);
  const int8 = input.dtype === 'int8';
  const [B, T] = o.timeMajor ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  const I = input.shape[2];
  const S = t(18).shape[t(18).shape.length - 1];
  const x = int8 ? Array.from(new Int8Array(inputBytes.slice().buffer)) : Array.from(new Float32Array(inputBytes.slice().buffer));
  const wIn = [1, 2, 3, 4].map((i) => numbers(t(i)));
  const wRec = [5, 6, 7, 8].map((i) => numbers(t(i)));
  const bias = [12, 13, 14, 15].map((i) => numbers(t(i)));
  const out: number[] = new Array(B * T * S).fill(0);
  const rows = o.timeMajor ? B : 1;
  const q = (tensor: Tensor): [number, number] => [tensor.quantization?.scale[0] ?? 0, tensor.quantization?.zeroPoint[0] ?? 0];
  const [sx, zx] = q(input);
  const [sh, zh] = q(t(18));
  const sc = t(19).quantization?.scale[0] ?? 0;
  const power = Math.round(Math.log2(sc));
  const gateQ = (k: number) => ({ input: qm((sx * t(1 + k).quantization!.scale[0]) / 2 ** -12), rec: qm((sh * t(5 + k).quantization!.scale[0]) / 2 ** -12) });
  const mulQ = (a: number, b: number, c: number) => qm((a * b) / c);
  const h: number[] = new Array(B * S).fill(int8 ? zh : 0);
  const c: number[] = new Array(B * S).fill(0);

  /** One gate for `rows` rows starting at hidden row hb and input offset xo. */
  const gate = (k: number, xo: number, hb: number, act: 'sigmoid' | 'tanh'): number[] => {
    const g: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let n = 0; n < S; n++) {
        if (int8) {
          const gq = gateQ(k);
          let a = 0;
          for (let d = 0; d < I; d++) a += wIn[k][n * I + d] * (x[xo + r * I + d] - zx);
          a += bias[k][n];
          const fromX = clamp(mbqm(a, gq.input.multiplier, gq.input.shift), -32768, 32767);
          let b = 0;
          for (let d = 0; d < S; d++) b += wRec[k][n * S + d] * (h[(hb + r) * S + d] - zh);
          const fromH = clamp(mbqm(b, gq.rec.multiplier, gq.rec.shift), -32768, 32767);
          const sum = clamp(fromX + fromH, -32768, 32767);
          g.push(act === 'sigmoid' ? logisticS16(sum) : tanhS16(sum, 0, 0));
        } else {
          let a = 0;
          for (let d = 0; d < I; d++) a = f(a + f(x[xo + r * I + d] * wIn[k][n * I + d]));
          let b = 0;
          for (let d = 0; d < S; d++) b = f(b + f(h[(hb + r) * S + d] * wRec[k][n * S + d]));
          const sum = f(f(a + bias[k][n]) + f(b + 0));
          const sig = sum > 16.619047164916992 ? 1 : sum < -9 ? f(Math.exp(sum)) : f(1 / f(1 + f(Math.exp(-sum))));
          g.push(act === 'sigmoid' ? sig : f(Math.tanh(sum)));
        }
      }
    }
    return g;
  };

  const step = (xo: number, oo: number, hb: number): void => {
    const fg = gate(1, xo, hb, 'sigmoid');
    const ig = gate(0, xo, hb, 'sigmoid');
    const cg = gate(2, xo, hb, 'tanh');
    const n = rows * S;
    for (let i = 0; i < n; i++) {
      const ci = hb * S + i;
      if (int8) {
        const fq = mulQ(2 ** -15, sc, sc);
        const iq = mulQ(2 ** -15, 2 ** -15, sc);
        const fc = clamp(mbqm(fg[i] * c[ci], fq.multiplier, fq.shift), -32768, 32767);
        const icg = clamp(mbqm(ig[i] * cg[i], iq.multiplier, iq.shift), -32768, 32767);
        let v = clamp(fc + icg, -32768, 32767);
        if (o.cellClip > 0) {
          const qc = Math.trunc(clamp(f(o.cellClip) / sc, -32768, 32767));
          v = Math.max(Math.min(qc, v), -qc);
        }
        c[ci] = v;
      } else {
        let v = f(f(fg[i] * c[ci]) + f(ig[i] * cg[i]));
        if (o.cellClip > 0) v = Math.max(Math.min(f(o.cellClip), v), -f(o.cellClip));
        c[ci] = v;
      }
    }
    const og = gate(3, xo, hb, 'sigmoid');
    for (let i = 0; i < n; i++) {
      const ci = hb * S + i;
      if (int8) {
        const [m, s] = cellTanhParams(power);
        const oq = mulQ(2 ** -15, 2 ** -15, sh);
        h[ci] = clamp(zh + mbqm(tanhS16(c[ci], m, s) * og[i], oq.multiplier, oq.shift), -128, 127);
      } else {
        h[ci] = f(f(Math.tanh(c[ci])) * og[i]);
      }
      out[oo + i] = h[ci];
    }
  };
  if (o.timeMajor) for (let tt = 0; tt < T; tt++) step(tt * B * I, tt * B * S, 0);
  else for (let b = 0; b < B; b++) for (let tt = 0; tt < T; tt++) step((b * T + tt) * I, (b * T + tt) * S, b);
  return int8 ? Int8Array.from(out) : Float32Array.from(out);
}
