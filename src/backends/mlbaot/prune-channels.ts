// Constant channels (fp32 mode): a CONV_2D output channel whose weights are all zero holds one
// value everywhere, requant(bias). When that value is the tensor's zero point (dead ReLUs: 804 of
// vww's 1,496 CONV_2D output channels go) it adds nothing to any consumer: a CONV_2D's
// taps on it (padded ones too) are (x - zp) * w = 0, so its weights column goes; a depthwise channel
// reading it sees acc = bias, one constant again; pools keep it at zp. Removing the channel from
// every tensor on the way changes no accumulator, so outputs stay bit-exact, and the weights of the
// channel (row in its producer, column in its consumers), its constants and its arena bytes go.
// A constant other than zp folds into the bias of a 1x1 CONV_2D or FULLY_CONNECTED consumer
// (no padding there: every pixel sees it), exactly as integers.
import { int8Bytes, int32Bytes, type Model, type Operator, type Tensor } from '../../core/model.js';
import { fp32Output } from './fp32-bound.js';
import { int32Data, int8Data, scaleOf, zeroPointOf } from './layer-common.js';
import { fp32Scale } from './layers-conv.js';
import { quantizedActivationRange } from './quant-math.js';

/** One removal: channel `channel` leaves activation `tensor`; consumers in `folds` add (v - zp) * w to their bias. */
interface Removal {
  tensors: { tensor: number; channel: number }[];
  folds: { op: number; channel: number; delta: number }[];
}

const LAST = (t: Tensor): number => t.shape[t.shape.length - 1];

class Pruner {
  private readonly users = new Map<number, Operator[]>();

  constructor(private readonly model: Model) {
    for (const op of model.operators) for (const i of op.inputs) if (i >= 0) this.users.set(i, [...(this.users.get(i) ?? []), op]);
  }

  /** Whether tensor t is a plain int8 activation this pass may reshape (per-tensor quantization, not model I/O). */
  private activation(t: number): boolean {
    const tensor = this.model.tensors[t];
    return tensor.dtype === 'int8' && !tensor.data && tensor.quantization?.scale.length === 1 &&
      !this.model.inputs.includes(t) && !this.model.outputs.includes(t) && this.model.operators.filter((o) => o.outputs.includes(t)).length === 1;
  }

  /** Constant tensors (weights, bias) read by this operator only. */
  private owned(op: Operator, ...inputs: number[]): boolean {
    return inputs.every((i) => op.inputs[i] >= 0 && this.users.get(op.inputs[i])?.length === 1);
  }

  /** The depthwise output channel c when input channel c holds zp everywhere: requant(bias[c]). */
  private depthwiseConstant(op: Operator, c: number): number | undefined {
    if (op.options.kind !== 'depthwise_conv2d' || op.options.depthMultiplier !== 1 || !this.owned(op, 1, 2)) return undefined;
    const [input, weights, output] = [op.inputs[0], op.inputs[1], op.outputs[0]].map((i) => this.model.tensors[i]);
    return channelOutput(input, weights, output, int32Data(this.model.tensors[op.inputs[2]])[c], c, op.options.activation);
  }

  /** Channel c of t holds v everywhere: can it leave t and everything derived from it? */
  dropConstant(t: number, c: number, v: number, r: Removal): boolean {
    if (!this.activation(t)) return false;
    const tensor = this.model.tensors[t];
    const zp = zeroPointOf(tensor);
    r.tensors.push({ tensor: t, channel: c });
    for (const op of this.users.get(t) ?? []) {
      if (op.inputs[0] !== t || op.inputs.lastIndexOf(t) !== 0) return false;
      const w = this.model.tensors[op.inputs[1]];
      if (op.opcode === 'CONV_2D' || (op.opcode === 'FULLY_CONNECTED' && w?.shape.length === 2 && w.shape[1] === LAST(tensor))) {
        if (!this.owned(op, 1)) return false;
        if (v === zp) continue;
        const pointwise = op.opcode === 'FULLY_CONNECTED' || (w.shape[1] === 1 && w.shape[2] === 1);
        if (!pointwise || !this.owned(op, 2)) return false;
        r.folds.push({ op: op.index, channel: c, delta: v - zp });
        continue;
      }
      if (v !== zp) return false;
      if (op.opcode === 'DEPTHWISE_CONV_2D') {
        const d = this.depthwiseConstant(op, c);
        if (d === undefined || !this.dropConstant(op.outputs[0], c, d, r)) return false;
        continue;
      }
      const out = this.model.tensors[op.outputs[0]];
      const samePool = (op.opcode === 'AVERAGE_POOL_2D' || op.opcode === 'MAX_POOL_2D') && scaleOf(out) === scaleOf(tensor) && zeroPointOf(out) === zp;
      const keepsChannels = op.opcode === 'RESHAPE' && LAST(out) === LAST(tensor);
      if (!(samePool || keepsChannels) || !this.dropConstant(op.outputs[0], c, zp, r)) return false;
    }
    return true;
  }

  /** Removals for the all-zero output channels of every CONV_2D, in multiples of four per layer (the 4-channel kernel paths stay). */
  removals(): Removal[] {
    const out: Removal[] = [];
    for (const op of this.model.operators) {
      if (op.opcode !== 'CONV_2D' || op.options.kind !== 'conv2d' || !this.owned(op, 1, 2)) continue;
      const [input, weights, output] = [op.inputs[0], op.inputs[1], op.outputs[0]].map((i) => this.model.tensors[i]);
      if (output.dtype !== 'int8' || weights.dtype !== 'int8') continue;
      const w = int8Data(weights);
      const bias = int32Data(this.model.tensors[op.inputs[2]]);
      const oc = weights.shape[0];
      const k = w.length / oc;
      const found: Removal[] = [];
      for (let c = 0; c < oc; ++c) {
        if (w.subarray(c * k, (c + 1) * k).some((x) => x !== 0)) continue;
        const r: Removal = { tensors: [], folds: [] };
        const v = channelOutput(input, weights, output, bias[c], c, op.options.activation);
        if (this.dropConstant(op.outputs[0], c, v, r)) found.push(r);
      }
      out.push(...found.slice(0, found.length - (found.length % 4)));
    }
    return out;
  }
}

/** The fp32 path's output for accumulator acc in channel c of a conv-like layer. */
function channelOutput(input: Tensor, weights: Tensor, output: Tensor, acc: number, c: number, act: Parameters<typeof quantizedActivationRange>[0]): number {
  const ws = weights.quantization!.scale;
  const q = fp32Scale(scaleOf(input), ws.length === 1 ? ws[0] : ws[c], scaleOf(output));
  const [lo, hi] = quantizedActivationRange(act, scaleOf(output), zeroPointOf(output), 'int8');
  return fp32Output(acc, q.multiplier * 2 ** -q.shift, zeroPointOf(output), lo, hi);
}

/** Keeps the indices along `axis` of a row-major array of `shape` for which keep(i) holds. */
function keepAlong<T>(values: ArrayLike<T>, shape: number[], axis: number, keep: (i: number) => boolean): T[] {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out: T[] = [];
  for (let i = 0; i < values.length; ++i) if (keep(Math.floor(i / inner) % shape[axis])) out.push(values[i]);
  return out;
}

/** A weights or bias tensor with channels removed along `axis` (per-channel quantization follows). */
function sliced(t: Tensor, values: ArrayLike<number>, axis: number, drop: Set<number>): Tensor {
  const keep = (i: number): boolean => !drop.has(i);
  const kept = keepAlong(values, t.shape, axis, keep);
  const shape = t.shape.map((d, i) => (i === axis ? d - drop.size : d));
  const q = t.quantization;
  const quantization =
    q && q.scale.length > 1 && q.quantizedDimension === axis
      ? { ...q, scale: q.scale.filter((_, i) => keep(i)), zeroPoint: q.zeroPoint.filter((_, i) => keep(i)) }
      : q;
  const data = t.dtype === 'int32' ? int32Bytes(kept) : int8Bytes(kept);
  return { ...t, shape, quantization, data };
}

/** The model with its removable constant channels gone (fp32 mode only: the constants are the fp32 path's). */
export function pruneConstantChannels(model: Model): Model {
  const removals = new Pruner(model).removals();
  if (removals.length === 0) return model;
  const drop = new Map<number, Set<number>>();
  const folds = new Map<number, Map<number, number>>();
  for (const r of removals) {
    for (const { tensor, channel } of r.tensors) drop.set(tensor, (drop.get(tensor) ?? new Set()).add(channel));
    for (const { op, channel, delta } of r.folds) folds.set(op, (folds.get(op) ?? new Map()).set(channel, delta));
  }
  const none = new Set<number>();
  const tensors = model.tensors.map((t) => {
    const d = drop.get(t.index);
    return d ? { ...t, shape: [...t.shape.slice(0, -1), LAST(t) - d.size] } : t;
  });
  const operators = model.operators.map((op) => {
    const dIn = drop.get(op.inputs[0]) ?? none;
    const dOut = drop.get(op.outputs[0]) ?? none;
    if (op.opcode === 'RESHAPE' && op.inputs[1] >= 0 && model.tensors[op.inputs[1]].data && dOut.size > 0) {
      const shapeTensor = model.tensors[op.inputs[1]];
      const dims = int32Data(shapeTensor);
      dims[dims.length - 1] -= dOut.size;
      tensors[shapeTensor.index] = { ...shapeTensor, data: int32Bytes(dims) };
    }
    if (op.opcode === 'RESHAPE' && op.options.kind === 'reshape' && op.options.newShape && dOut.size > 0) {
      const newShape = [...op.options.newShape];
      newShape[newShape.length - 1] -= dOut.size;
      return { ...op, options: { ...op.options, newShape } };
    }
    if (!['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(op.opcode) || (dIn.size === 0 && dOut.size === 0)) return op;
    const weights = model.tensors[op.inputs[1]];
    const w = int8Data(weights);
    const bias = op.inputs[2] >= 0 ? model.tensors[op.inputs[2]] : undefined;
    let b = bias ? int32Data(bias) : [];
    const fold = folds.get(op.index);
    if (fold && bias) {
      // Constant input channels: bias[n] += (v - zp) * sum over taps of w[n][..][c].
      const inner = LAST(weights);
      b = b.map((x, n) => {
        const k = w.length / b.length;
        let sum = x;
        for (let i = 0; i < k; ++i) sum += (fold.get(i % inner) ?? 0) * w[n * k + i];
        if (sum < -(2 ** 31) || sum >= 2 ** 31) throw new Error(`layer ${op.index}: folded bias ${sum} overflows int32`);
        return sum;
      });
    }
    if (op.opcode === 'DEPTHWISE_CONV_2D') {
      tensors[weights.index] = sliced(weights, w, 3, dOut);
      if (bias) tensors[bias.index] = sliced(bias, b, 0, dOut);
      return op;
    }
    const rows = sliced(weights, w, 0, dOut);
    tensors[weights.index] = sliced(rows, Int8Array.from(rows.data!), weights.shape.length - 1, dIn);
    if (bias) tensors[bias.index] = sliced(bias, b, 0, dOut);
    return op;
  });
  return { ...model, tensors, operators };
}
