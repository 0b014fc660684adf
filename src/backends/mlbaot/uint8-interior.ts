// uint8 (asymmetric, older converter) models run on the int8 kernels: a uint8 value q with zero
// point z means the same real number as the int8 value q − 128 with zero point z − 128, and every
// kernel only ever sees q − z, so shifting is exact (clamps and zero points shift with it).
// The model keeps its uint8 inputs and outputs; a byte flip (q ^ 0x80) at each edge converts.
// Weights of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED become int8 with zero point 0 by
// storing w − z_w, which is exact when every w − z_w fits in [−128, 127] (the support check
// refuses the rest with the reason). TRANSPOSE_CONV weights likewise.
import type { Model, Operator, Tensor } from '../../core/model.js';
import { builtinOperatorCode } from '../../frontends/tflite/schema.js';

const WEIGHTED = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

/** Index of the weights input of an operator whose weights carry their own zero points. */
function weightsInput(op: Operator): number | undefined {
  if (WEIGHTED.has(op.opcode)) return op.inputs[1];
  if (op.opcode === 'TRANSPOSE_CONV') return op.inputs[1];
  return undefined;
}

/**
 * Whether some uint8 tensor is more than an edge: a model input read only by QUANTIZE to int8 or
 * a model output written by QUANTIZE from int8 (what converters emit, and what int8Interior makes).
 */
export function hasUint8Interior(model: Model): boolean {
  const edgeOp = (op: Operator): boolean =>
    op.opcode === 'QUANTIZE' && [model.tensors[op.inputs[0]].dtype, model.tensors[op.outputs[0]].dtype].sort().join() === 'int8,uint8';
  return model.tensors.some((t) => {
    if (t.dtype !== 'uint8') return false;
    const readers = model.operators.filter((op) => op.inputs.includes(t.index));
    const writers = model.operators.filter((op) => op.outputs.includes(t.index));
    const edgeIn = model.inputs.includes(t.index) && writers.length === 0 && readers.every(edgeOp);
    const edgeOut = model.outputs.includes(t.index) && writers.every(edgeOp) && readers.length === 0;
    return !edgeIn && !edgeOut;
  });
}

/** Per-channel (or per-tensor) zero point of weight element i. */
function weightZeroPoint(t: Tensor, i: number): number {
  const q = t.quantization!;
  if (q.zeroPoint.length === 1) return q.zeroPoint[0];
  const axis = q.quantizedDimension;
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return q.zeroPoint[Math.floor(i / inner) % t.shape[axis]];
}

/** The weights w − z_w as int8, or the first value that does not fit. */
export function centredWeights(t: Tensor): { data: Int8Array } | { overflow: number } {
  const raw = t.data!;
  const out = new Int8Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] - weightZeroPoint(t, i);
    if (v < -128 || v > 127) return { overflow: v };
    out[i] = v;
  }
  return { data: out };
}

/** Weight tensors of the model (indices), the ones whose uint8 data are re-centred rather than flipped. */
function weightTensors(model: Model): Set<number> {
  const out = new Set<number>();
  for (const op of model.operators) {
    const w = weightsInput(op);
    if (w !== undefined && w >= 0) out.add(w);
  }
  return out;
}

/** uint8 weights whose centred values do not fit int8: one reason each. */
export function uint8WeightProblems(model: Model): string[] {
  const problems: string[] = [];
  for (const idx of weightTensors(model)) {
    const t = model.tensors[idx];
    if (t.dtype !== 'uint8' || !t.data || !t.quantization) continue;
    const c = centredWeights(t);
    if ('overflow' in c) problems.push(`uint8 weights ${t.name}: value − zero point ${c.overflow} does not fit int8, so they cannot run on the int8 kernels exactly`);
  }
  return problems;
}

/** Operators whose output is uint8 in the model: the few whose uint8 kernel rounds differently need to know. */
export function uint8Operators(model: Model): Set<number> {
  return new Set(model.operators.filter((op) => model.tensors[op.outputs[0]]?.dtype === 'uint8').map((op) => op.index));
}

const shifted = (t: Tensor): Tensor['quantization'] =>
  t.quantization && { ...t.quantization, zeroPoint: t.quantization.zeroPoint.map((z) => z - 128) };

/**
 * The same model with an int8 interior: uint8 tensors become int8 (zero point − 128, constant
 * bytes flipped; weights centred), and each uint8 model input/output is converted by an edge
 * QUANTIZE (uint8 ↔ int8, same scale, zero points 128 apart: a byte flip). Edge operators get
 * indices after the model's own, so per-layer variants and tuning records keep their keys.
 * A model without a uint8 interior is returned as it is (so applying this twice changes nothing).
 */
export function int8Interior(model: Model): Model {
  if (!hasUint8Interior(model)) return model;
  const weights = weightTensors(model);
  const tensors: Tensor[] = model.tensors.map((t) => {
    if (t.dtype !== 'uint8') return t;
    if (weights.has(t.index) && t.data && t.quantization) {
      const c = centredWeights(t);
      if ('data' in c) return { ...t, dtype: 'int8', data: new Uint8Array(c.data.buffer), quantization: { ...t.quantization, zeroPoint: t.quantization.zeroPoint.map(() => 0) } };
      return t;
    }
    return { ...t, dtype: 'int8', quantization: shifted(t), data: t.data && t.data.map((b) => b ^ 0x80) };
  });
  const front: Operator[] = [];
  const back: Operator[] = [];
  let nextIndex = model.operators.length;
  const edgeOp = (input: number, output: number): Operator => ({ index: nextIndex++, opcode: 'QUANTIZE', builtinCode: builtinOperatorCode('QUANTIZE')!, version: 2, inputs: [input], outputs: [output], options: { kind: 'none' } });
  const rename = new Map<number, number>();
  // A uint8 model input keeps its tensor (the caller writes uint8 bytes); the interior reads a twin.
  for (const idx of model.inputs) {
    if (model.tensors[idx].dtype !== 'uint8') continue;
    const twin = tensors.length;
    tensors.push({ ...tensors[idx], index: twin, name: `${model.tensors[idx].name}/int8` });
    tensors[idx] = model.tensors[idx];
    rename.set(idx, twin);
    front.push(edgeOp(idx, twin));
  }
  const operators = model.operators.map((op) => ({ ...op, inputs: op.inputs.map((i) => rename.get(i) ?? i) }));
  for (const idx of model.outputs) {
    if (model.tensors[idx].dtype !== 'uint8') continue;
    const producerIndex = rename.get(idx) ?? idx;
    const twin = tensors.length;
    tensors.push({ ...tensors[producerIndex], index: twin, name: `${model.tensors[idx].name}/int8` });
    if (!rename.has(idx)) tensors[idx] = model.tensors[idx];
    for (const op of operators) {
      op.outputs = op.outputs.map((o) => (o === idx ? twin : o));
      op.inputs = op.inputs.map((i) => (i === idx ? twin : i));
    }
    back.push(edgeOp(twin, idx));
  }
  return { ...model, tensors, operators: [...front, ...operators, ...back] };
}
