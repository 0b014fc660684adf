// A fused UNIDIRECTIONAL_SEQUENCE_LSTM as the TFLite converter writes it for a Keras LSTM layer:
// 24 inputs (input, 4 input weights, 4 recurrent weights, no peepholes, 4 gate biases, no
// projection, hidden and cell state as variable tensors, no layer norm), one output [B, T, S] (or
// [T, B, S] when time major). int8 is TFLite's 8x8->16 scheme: int8 input/hidden/weights, int32
// biases, int16 cell state on a power-of-two scale, and five intermediates (gate pre-activations
// on 2^-12, the hidden state's scale) that desktop TFLite reads and TFLite Micro ignores.
import type { Activation, DType, Model } from '../../core/model.js';
import { ModelBuilder, float32Bytes, int32Bytes, int8Bytes, quant } from './model-builder.js';
import { createRng } from './prng.js';

export interface FusedLstmOptions {
  batch: number;
  steps: number;
  inputSize: number;
  /** Hidden (and cell) state size. */
  hidden: number;
  timeMajor: boolean;
  dtype: 'int8' | 'float32';
  /** Cell clip in real terms (0 = none). */
  cellClip: number;
  /** log2 of the int16 cell state's scale (int8 only), e.g. -11 for ±16. */
  cellScalePower: number;
  /** Cell gate activation: TANH for Keras (and all TFLite Micro takes); others test the refusal. */
  activation: Activation;
  seed: number;
  /** Input scale and zero point (int8). */
  inputScale?: number;
  inputZeroPoint?: number;
  /** Hidden state / output scale and zero point (int8). */
  hiddenScale?: number;
  hiddenZeroPoint?: number;
  /** Write the five int8 intermediates (default true). TFLite Micro @19aaea85 fails AllocateTensors
   * on the operator when they are present (not root-caused), so models meant for it leave them out. */
  intermediates?: boolean;
}

const GATES = ['input', 'forget', 'cell', 'output'] as const;

/** The model: input [B, T, I] (or [T, B, I]), output [B, T, S] (or [T, B, S]). */
export function fusedLstmModel(o: FusedLstmOptions): Model {
  const rng = createRng(o.seed);
  const b = new ModelBuilder();
  const int8 = o.dtype === 'int8';
  const dt: DType = o.dtype;
  const S = o.hidden;
  const sx = o.inputScale ?? 2 / 128;
  const zx = o.inputZeroPoint ?? 0;
  const sh = o.hiddenScale ?? 1 / 128;
  const zh = o.hiddenZeroPoint ?? 0;
  const seqShape = (n: number): number[] => (o.timeMajor ? [o.steps, o.batch, n] : [o.batch, o.steps, n]);
  const input = b.tensor('input', seqShape(o.inputSize), dt, int8 ? { quantization: quant([sx], [zx]) } : {});

  /** Weights [S, k]: int8 with a per-tensor scale sized so a gate's sum spans a few units. */
  const weights = (name: string, k: number): [number, number] => {
    const raw = Array.from({ length: S * k }, () => rng.int(-127, 127));
    const ws = rng.logUniform(0.3, 2) / (127 * Math.sqrt(k));
    if (!int8) return [b.tensor(`${name}_weights`, [S, k], 'float32', { data: float32Bytes(raw.map((v) => Math.fround(v * ws))) }), ws];
    return [b.tensor(`${name}_weights`, [S, k], 'int8', { quantization: quant([ws], [0]), data: int8Bytes(raw) }), ws];
  };
  const inputWeights = GATES.map((g) => weights(`input_to_${g}`, o.inputSize));
  const recurrentWeights = GATES.map((g) => weights(`recurrent_to_${g}`, S));
  const biases = GATES.map((g, k) => {
    // Forget bias around +1 as Keras initialises it (unit_forget_bias), the others around 0.
    const real = Array.from({ length: S }, () => rng.float(-0.5, 0.5) + (g === 'forget' ? 1 : 0));
    if (!int8) return b.tensor(`${g}_gate_bias`, [S], 'float32', { data: float32Bytes(real.map(Math.fround)) });
    const bs = Math.fround(sx) * Math.fround(inputWeights[k][1]);
    return b.tensor(`${g}_gate_bias`, [S], 'int32', { quantization: quant([bs], [0]), data: int32Bytes(real.map((r) => Math.round(r / bs))) });
  });
  const hiddenState = b.tensor('output_state', [o.batch, S], dt, { variable: true, ...(int8 ? { quantization: quant([sh], [zh]) } : {}) });
  const cellState = int8
    ? b.tensor('cell_state', [o.batch, S], 'int16', { variable: true, quantization: quant([2 ** o.cellScalePower], [0]) })
    : b.tensor('cell_state', [o.batch, S], 'float32', { variable: true });
  const output = b.tensor('output', seqShape(S), dt, int8 ? { quantization: quant([sh], [zh]) } : {});
  const none = -1;
  const inputs = [
    input, ...inputWeights.map((w) => w[0]), ...recurrentWeights.map((w) => w[0]),
    none, none, none, ...biases, none, none, hiddenState, cellState, none, none, none, none,
  ];
  // Desktop TFLite's 8x8->16 kernel reads its gate scales from these (2^-12 without layer norm)
  // and the hidden state's quantization from the fifth; TFLite Micro hard-codes the same values.
  const intermediates = int8 && (o.intermediates ?? true)
    ? [
        ...GATES.map((g) => b.tensor(`${g}_gate_intermediate`, [], 'int16', { quantization: quant([2 ** -12], [0]) })),
        b.tensor('hidden_intermediate', [], 'int8', { quantization: quant([sh], [zh]) }),
      ]
    : undefined;
  b.op('UNIDIRECTIONAL_SEQUENCE_LSTM', int8 ? 3 : 1, inputs, [output], {
    kind: 'unidirectional_sequence_lstm', activation: o.activation, cellClip: o.cellClip, projClip: 0,
    timeMajor: o.timeMajor, asymmetricQuantizeInputs: false, diagonalRecurrentTensors: false,
  }, intermediates);
  const tag = `${o.dtype}_b${o.batch}_t${o.steps}_i${o.inputSize}_s${S}`;
  return b.finish(`fused_lstm_${tag}`, [input], [output], 'fused UNIDIRECTIONAL_SEQUENCE_LSTM (mlbench test model)');
}
