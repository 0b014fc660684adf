// An LSTM as the TFLite converter unrolls it (no fused UNIDIRECTIONAL_SEQUENCE_LSTM): the sequence
// is UNPACKed into time steps, and each step is FULLY_CONNECTED gates, SPLIT into input/forget/
// cell/output gates, LOGISTIC/TANH, and MUL/ADD for the cell and hidden state; a FULLY_CONNECTED
// head reads the last hidden state. Built with ModelBuilder in int8 (the converter's usual
// quantization: gates to 1/256 or 1/128, cell state on a fixed scale) or float32, from a seed.
import type { DType, Model } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import { createRng } from './prng.js';

export interface LstmOptions {
  /** Time steps unrolled. */
  steps: number;
  /** Features per time step. */
  inputSize: number;
  /** Hidden (and cell) state size. */
  hidden: number;
  /** Outputs of the FULLY_CONNECTED head on the last hidden state. */
  classes: number;
  dtype: 'int8' | 'float32';
  seed: number;
}

/** Scales of the int8 model: input in ±2, gate pre-activations in ±8, cell state in ±4, hidden state in ±1. */
const X_SCALE = 2 / 128;
const GATE_SCALE = 8 / 128;
const CELL_SCALE = 4 / 128;
const H_SCALE = 1 / 128;
const W_SCALE = 0.5 / 127;
const HEAD_SCALE = 4 / 128;

/** The unrolled LSTM: input [1, steps, inputSize], output [1, classes]. */
export function unrolledLstmModel(o: LstmOptions): Model {
  const rng = createRng(o.seed);
  const b = new ModelBuilder();
  const int8 = o.dtype === 'int8';
  const dt: DType = o.dtype;
  const q = (scale: number, zp = 0) => (int8 ? { quantization: quant([scale], [zp]) } : {});
  const act = (name: string, shape: number[], scale: number, zp = 0): number => b.tensor(name, shape, dt, q(scale, zp));
  const fcOptions = { kind: 'fully_connected' as const, activation: 'NONE' as const, weightsFormat: 'DEFAULT' as const, keepNumDims: false, asymmetricQuantizeInputs: false };
  const fcVersion = int8 ? 4 : 1;
  const v2 = int8 ? 2 : 1;

  /** Weights [n, k] as int8 steps of W_SCALE (the float model uses the same values dequantized). */
  const fcWeights = (name: string, n: number, k: number, inScale: number): [number, number] => {
    const raw = Array.from({ length: n * k }, () => rng.int(-127, 127));
    const rawBias = Array.from({ length: n }, () => rng.int(-64, 64));
    const biasScale = Math.fround(inScale) * Math.fround(W_SCALE);
    const w = int8
      ? b.tensor(`${name}_weights`, [n, k], 'int8', { quantization: quant([W_SCALE], [0]), data: int8Bytes(raw) })
      : b.tensor(`${name}_weights`, [n, k], 'float32', { data: float32Bytes(raw.map((v) => Math.fround(v * W_SCALE))) });
    // Biases of about ±0.25 in real terms, whatever the input scale.
    const biasSteps = rawBias.map((v) => Math.round((v / 256) / biasScale));
    const bias = int8
      ? b.tensor(`${name}_bias`, [n], 'int32', { quantization: quant([biasScale], [0]), data: int32Bytes(biasSteps) })
      : b.tensor(`${name}_bias`, [n], 'float32', { data: float32Bytes(rawBias.map((v) => Math.fround(v / 256))) });
    return [w, bias];
  };

  const H = o.hidden;
  const input = act('input', [1, o.steps, o.inputSize], X_SCALE);
  const xs = Array.from({ length: o.steps }, (_, t) => act(`x${t}`, [1, o.inputSize], X_SCALE));
  b.op('UNPACK', v2, [input], xs, { kind: 'unpack', num: o.steps, axis: 1 });
  const [wx, bx] = fcWeights('input_gates', 4 * H, o.inputSize, X_SCALE);
  const [wh, bh] = fcWeights('recurrent_gates', 4 * H, H, H_SCALE);
  const axis = b.tensor('split_axis', [], 'int32', { data: int32Bytes([1]) });
  let h = -1;
  let c = -1;
  for (let t = 0; t < o.steps; t++) {
    const fromX = act(`t${t}_gates_x`, [1, 4 * H], GATE_SCALE);
    b.op('FULLY_CONNECTED', fcVersion, [xs[t], wx, bx], [fromX], fcOptions);
    let gates = fromX;
    if (h >= 0) {
      // h0 = 0, so the first step has no recurrent term (the converter folds it away).
      const fromH = act(`t${t}_gates_h`, [1, 4 * H], GATE_SCALE);
      b.op('FULLY_CONNECTED', fcVersion, [h, wh, bh], [fromH], fcOptions);
      gates = act(`t${t}_gates`, [1, 4 * H], GATE_SCALE);
      b.op('ADD', v2, [fromX, fromH], [gates], { kind: 'add', activation: 'NONE' });
    }
    const parts = ['i', 'f', 'g', 'o'].map((g) => act(`t${t}_${g}_pre`, [1, H], GATE_SCALE));
    b.op('SPLIT', v2, [axis, gates], parts, { kind: 'split', numSplits: 4 });
    const [i, f, g, og] = parts.map((p, k) => {
      const tanh = k === 2;
      const out = tanh ? act(`t${t}_gate${k}`, [1, H], 1 / 128, 0) : act(`t${t}_gate${k}`, [1, H], 1 / 256, -128);
      b.op(tanh ? 'TANH' : 'LOGISTIC', v2, [p], [out]);
      return out;
    });
    const ig = act(`t${t}_i_times_g`, [1, H], CELL_SCALE);
    b.op('MUL', v2, [i, g], [ig], { kind: 'mul', activation: 'NONE' });
    let cNext = ig;
    if (c >= 0) {
      const fc = act(`t${t}_f_times_c`, [1, H], CELL_SCALE);
      b.op('MUL', v2, [f, c], [fc], { kind: 'mul', activation: 'NONE' });
      cNext = act(`t${t}_c`, [1, H], CELL_SCALE);
      b.op('ADD', v2, [fc, ig], [cNext], { kind: 'add', activation: 'NONE' });
    }
    const tc = act(`t${t}_tanh_c`, [1, H], 1 / 128, 0);
    b.op('TANH', v2, [cNext], [tc]);
    const hNext = act(`t${t}_h`, [1, H], H_SCALE);
    b.op('MUL', v2, [og, tc], [hNext], { kind: 'mul', activation: 'NONE' });
    [h, c] = [hNext, cNext];
  }
  const [wo, bo] = fcWeights('head', o.classes, H, H_SCALE);
  const output = act('output', [1, o.classes], HEAD_SCALE);
  b.op('FULLY_CONNECTED', fcVersion, [h, wo, bo], [output], fcOptions);
  return b.finish(`lstm_${o.dtype}_${o.steps}x${o.inputSize}_h${H}`, [input], [output], 'LSTM unrolled into UNPACK/FULLY_CONNECTED/SPLIT/LOGISTIC/TANH/MUL/ADD (mlbench test model)');
}
