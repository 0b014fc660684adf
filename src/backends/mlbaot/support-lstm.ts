// Support check of the fused UNIDIRECTIONAL_SEQUENCE_LSTM (support.ts asks): what TFLite Micro's
// kernel (unidirectional_sequence_lstm.cc, lstm_eval_common.cc) accepts, in float32 and int8
// 8x8->16 — no peepholes, projection, layer norm or CIFG, per-tensor weights, a power-of-two int16
// cell state — and what mlbaot adds: constant weights and biases, no recurrent biases.
import type { Model, Operator, Tensor } from '../../core/model.js';

/** Input slots of the operator (TFLite's lstm_shared.h). */
export const LSTM_SLOT = {
  input: 0, inputWeights: [1, 2, 3, 4], recurrentWeights: [5, 6, 7, 8], peepholes: [9, 10, 11],
  biases: [12, 13, 14, 15], projection: [16, 17], hiddenState: 18, cellState: 19, layerNorm: [20, 21, 22, 23],
} as const;

const present = (op: Operator, slot: number): boolean => (op.inputs[slot] ?? -1) >= 0;

/** log2 of a power-of-two scale (TFLite's CheckedLog2 tolerance), or undefined. */
export function powerOfTwo(scale: number): number | undefined {
  const l = Math.log2(scale);
  return Number.isFinite(l) && Math.abs(l - Math.round(l)) < 1e-3 ? Math.round(l) : undefined;
}

function tensorProblems(t: Tensor | undefined, role: string, dtype: string, where: string): string[] {
  if (!t) return [`${where}: ${role} is missing`];
  if (t.dtype !== dtype) return [`${where}: ${role} must be ${dtype}, found ${t.dtype}`];
  if (!t.data) return [`${where}: ${role} must be constant`];
  const q = t.quantization;
  if (dtype === 'int8' && (!q || q.scale.length !== 1)) return [`${where}: ${role} must be quantized per tensor (TFLite Micro refuses per-channel LSTM weights)`];
  if (dtype === 'int8' && q!.zeroPoint[0] !== 0) return [`${where}: ${role} must have zero point 0`];
  return [];
}

export function lstmProblems(model: Model, op: Operator, where: string): string[] {
  const o = op.options;
  if (o.kind !== 'unidirectional_sequence_lstm') return [`${where}: options are not UnidirectionalSequenceLSTMOptions`];
  if (op.inputs.length !== 24 || op.outputs.length !== 1) return [`${where}: needs 24 inputs and 1 output as TFLite Micro, found ${op.inputs.length} and ${op.outputs.length}`];
  if (LSTM_SLOT.peepholes.some((s) => present(op, s))) return [`${where}: peephole connections are not supported (TFLite Micro refuses them)`];
  if (LSTM_SLOT.projection.some((s) => present(op, s))) return [`${where}: a projection layer is not supported (TFLite Micro refuses it)`];
  if (LSTM_SLOT.layerNorm.some((s) => present(op, s))) return [`${where}: layer normalization is not supported (TFLite Micro refuses it)`];
  if (!present(op, 1) || !present(op, 5) || !present(op, 12)) return [`${where}: CIFG (no input gate) is not supported (TFLite Micro needs all four gates)`];
  if (o.diagonalRecurrentTensors) return [`${where}: diagonal recurrent weights are not supported`];
  // lstm_eval's CalculateLstmGate knows sigmoid and tanh only, and the schema's enum has no sigmoid.
  if (o.activation !== 'TANH') return [`${where}: cell activation ${o.activation} is not supported (TFLite Micro takes only TANH)`];
  const t = (slot: number): Tensor | undefined => model.tensors[op.inputs[slot]];
  const [input, output, hidden, cell] = [t(LSTM_SLOT.input), model.tensors[op.outputs[0]], t(LSTM_SLOT.hiddenState), t(LSTM_SLOT.cellState)];
  if (!input || !output || !hidden || !cell) return [`${where}: input, output or state tensor missing`];
  const dtype = input.dtype;
  if (dtype !== 'int8' && dtype !== 'float32') return [`${where}: ${dtype} activations are not supported (int8 8x8->16 and float32 only)`];
  if (output.dtype !== dtype || hidden.dtype !== dtype) return [`${where}: output and hidden state must be ${dtype} like the input`];
  const cellType = dtype === 'int8' ? 'int16' : 'float32';
  if (cell.dtype !== cellType) return [`${where}: the cell state must be ${cellType} with ${dtype} activations`];
  if (!hidden.isVariable || !cell.isVariable) return [`${where}: hidden and cell state must be variable tensors`];
  if (hidden.data || cell.data) return [`${where}: initial state values are not supported (the state starts at zero)`];
  if (input.shape.length !== 3 || output.shape.length !== 3) return [`${where}: input and output must be 3-D sequences`];
  const [B, T] = o.timeMajor ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  const [I, S] = [input.shape[2], hidden.shape[hidden.shape.length - 1]];
  const problems: string[] = [];
  if (output.shape[0] !== input.shape[0] || output.shape[1] !== input.shape[1] || output.shape[2] !== S) problems.push(`${where}: output shape [${output.shape.join(',')}] does not match the input and state`);
  const count = (x: Tensor): number => x.shape.reduce((a, b) => a * b, 1);
  if (count(hidden) !== B * S || count(cell) !== B * S) problems.push(`${where}: state tensors must hold batch x state = ${B * S} values`);
  const weightType = dtype;
  const biasType = dtype === 'int8' ? 'int32' : 'float32';
  LSTM_SLOT.inputWeights.forEach((s) => {
    problems.push(...tensorProblems(t(s), `input weights (input ${s})`, weightType, where));
    if (t(s) && (t(s)!.shape.join() !== `${S},${I}`)) problems.push(`${where}: input weights (input ${s}) must be [${S},${I}]`);
  });
  LSTM_SLOT.recurrentWeights.forEach((s) => {
    problems.push(...tensorProblems(t(s), `recurrent weights (input ${s})`, weightType, where));
    if (t(s) && (t(s)!.shape.join() !== `${S},${S}`)) problems.push(`${where}: recurrent weights (input ${s}) must be [${S},${S}]`);
  });
  LSTM_SLOT.biases.forEach((s) => {
    const b = t(s);
    if (!b) problems.push(`${where}: gate bias (input ${s}) is missing`);
    else if (b.dtype !== biasType || !b.data) problems.push(`${where}: gate bias (input ${s}) must be a constant ${biasType}`);
    else if (count(b) !== S) problems.push(`${where}: gate bias (input ${s}) must have ${S} values`);
  });
  if (dtype === 'int8') {
    for (const [x, role] of [[input, 'input'], [hidden, 'hidden state'], [output, 'output']] as const) {
      if (!x.quantization || x.quantization.scale.length !== 1) problems.push(`${where}: ${role} must be quantized per tensor`);
    }
    const [qh, qo] = [hidden.quantization, output.quantization];
    if (qh && qo && (qh.scale[0] !== qo.scale[0] || qh.zeroPoint[0] !== qo.zeroPoint[0])) {
      problems.push(`${where}: output and hidden state must share scale and zero point (TFLite Micro copies the hidden state)`);
    }
    const qc = cell.quantization;
    if (!qc || qc.scale.length !== 1 || qc.zeroPoint[0] !== 0 || powerOfTwo(qc.scale[0]) === undefined) {
      problems.push(`${where}: the int16 cell state needs a power-of-two scale and zero point 0 (TFLite Micro's integer tanh)`);
    }
  }
  return problems;
}
