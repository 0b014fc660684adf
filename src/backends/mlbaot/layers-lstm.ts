// C generation for the fused UNIDIRECTIONAL_SEQUENCE_LSTM (mlb_lstm.h): the layer's shapes,
// weights and TFLite Micro's fixed-point parameters (Prepare in lstm_eval_common.cc) as one
// constant struct, the kernel call with the arena's input, output, state and scratch blocks.
import type { Tensor } from '../../core/model.js';
import { floatLiteral, type ConstArray } from './c-format.js';
import { arenaPtr, float32Data, int32Data, int8Data, layerFunction, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { quantizeMultiplier } from './quant-math.js';
import { scratchKey } from './scratch.js';
import { LSTM_SLOT, powerOfTwo } from './support-lstm.js';

const GATE_NAMES = ['input', 'forget', 'cell', 'output'];
/** Gate pre-activations (Q3.12) and outputs (Q0.15), fixed in TFLite Micro's integer LSTM. */
const GATE_IN_SCALE = 2 ** -12;
const GATE_OUT_SCALE = 2 ** -15;

/** lstm_eval's Tanh: (multiplier, shift) for reference_integer_ops::Tanh on a 2^power input. */
export function lstmTanhParams(power: number): { mult: number; shift: number } {
  const shift = 15 + power - 3;
  // multiplier 0 means "3 << shift, no shift" in the reference kernel; a negative shift becomes (3, -shift).
  return shift >= 0 ? { mult: 3 << shift, shift: 0 } : { mult: 3, shift: -shift };
}

/** CreateInterGateMulParams: QuantizeMultiplier(double(a)·double(b) / double(out)). */
function mulParams(a: number, b: number, out: number): [number, number] {
  const q = quantizeMultiplier((a * b) / out);
  return [q.multiplier, q.shift];
}

export function generateLstm(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'unidirectional_sequence_lstm') throw new Error('UNIDIRECTIONAL_SEQUENCE_LSTM without its options');
  const o = op.options;
  const t = (slot: number): Tensor => model.tensors[op.inputs[slot]];
  const [input, hidden, cell] = [t(LSTM_SLOT.input), t(LSTM_SLOT.hiddenState), t(LSTM_SLOT.cellState)];
  const int8 = input.dtype === 'int8';
  const [B, T] = o.timeMajor ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  const I = input.shape[2];
  const S = hidden.shape[hidden.shape.length - 1];
  const constants: ConstArray[] = [];
  const constArray = (slot: number, what: string): string => {
    const name = `mlb_l${op.index}_in${slot}`;
    const tensor = t(slot);
    const values = int8 ? (tensor.dtype === 'int32' ? int32Data(tensor) : Array.from(int8Data(tensor))) : float32Data(tensor);
    const ctype = int8 ? (tensor.dtype === 'int32' ? 'int32_t' : 'int8_t') : 'float';
    constants.push({ name, ctype, values, what: `layer ${op.index} UNIDIRECTIONAL_SEQUENCE_LSTM ${what} [${tensor.shape.join(',')}]` });
    return name;
  };
  const gates = GATE_NAMES.map((g, k) => {
    const inW = constArray(LSTM_SLOT.inputWeights[k], `input-to-${g} weights`);
    const recW = constArray(LSTM_SLOT.recurrentWeights[k], `recurrent-to-${g} weights`);
    const bias = constArray(LSTM_SLOT.biases[k], `${g} gate bias`);
    if (!int8) return `{${inW}, ${recW}, ${bias}}`;
    const inQ = quantizeMultiplier((scaleOf(input) * scaleOf(t(LSTM_SLOT.inputWeights[k]))) / GATE_IN_SCALE);
    const recQ = quantizeMultiplier((scaleOf(hidden) * scaleOf(t(LSTM_SLOT.recurrentWeights[k]))) / GATE_IN_SCALE);
    return `{${inW}, ${recW}, ${bias}, ${inQ.multiplier}, ${inQ.shift}, ${recQ.multiplier}, ${recQ.shift}}`;
  });
  const shape = [B, T, I, S, o.timeMajor ? 1 : 0];
  const ctype = int8 ? 'int8_t' : 'float';
  const stateType = int8 ? 'int16_t' : 'float';
  const call = `mlb_lstm_${int8 ? 's8' : 'f32'}(&p, ${arenaPtr(li, op.inputs[0], ctype, true)}, ${arenaPtr(li, op.outputs[0], ctype, false)}, ${arenaPtr(li, op.inputs[LSTM_SLOT.hiddenState], ctype, false)},`;
  const pointers = `             ${arenaPtr(li, op.inputs[LSTM_SLOT.cellState], stateType, false)}, ${arenaPtr(li, scratchKey(op), stateType, false)});`;
  let params: string[];
  let summary: string;
  if (int8) {
    const sc = scaleOf(cell);
    const power = powerOfTwo(sc)!;
    const tanh = lstmTanhParams(power);
    // static_cast<int16_t> of the clamped double: truncation toward zero.
    const clip = o.cellClip > 0 ? Math.trunc(Math.min(Math.max(Math.fround(o.cellClip) / sc, -32768), 32767)) : -1;
    const fc = mulParams(GATE_OUT_SCALE, sc, sc);
    const ig = mulParams(GATE_OUT_SCALE, GATE_OUT_SCALE, sc);
    const oh = mulParams(GATE_OUT_SCALE, GATE_OUT_SCALE, scaleOf(hidden));
    params = [...shape, zeroPointOf(input), zeroPointOf(hidden), 1, ...fc, ...ig, ...oh, clip, tanh.mult, tanh.shift].map(String);
    summary = `int8 8x8->16, cell state 2^${power}`;
  } else {
    params = [...shape.map(String), '1', floatLiteral(o.cellClip)];
    summary = 'float32';
  }
  const layer = layerFunction(li, `${summary}, batch ${B}, ${T} steps, ${I} inputs, state ${S}${o.timeMajor ? ', time major' : ''}`, [
    'gates input, forget, cell, output; state zeroed each inference; scratch: 4 gate buffers in the arena',
  ], [
    `static const struct mlb_lstm_${int8 ? 's8' : 'f32'} p = {`,
    `    {${gates.join(',\n     ')}},`,
    `    ${params.join(', ')}};`,
    call,
    pointers,
  ]);
  layer.constants = constants;
  return layer;
}
