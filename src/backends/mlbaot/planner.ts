// Static activation memory plan: one arena, tensors placed greedily by size over their live
// intervals (like TFLM's GreedyMemoryPlanner), RESHAPE outputs aliased to their inputs.
import { tensorBytes, type Model } from '../../core/model.js';

/** Offsets are kept 4-byte aligned so float32/int32 tensors can live in the arena. */
const ALIGNMENT = 4;

export interface ArenaPlan {
  /** Bytes of the arena (end of the highest placed buffer). */
  arenaBytes: number;
  /** Arena offset of every activation tensor (model inputs, outputs and intermediates). */
  offsets: Map<number, number>;
  /** Peak of the sum of live tensor sizes, each tensor separate (no reuse in place): a lower bound reference. */
  simpleLivenessPeak: number;
}

interface Buffer {
  tensors: number[];
  bytes: number;
  first: number;
  last: number;
  offset: number;
}

/** Live interval of each activation tensor in operator steps: model inputs from -1, outputs until the end. */
function liveIntervals(model: Model): Map<number, [number, number]> {
  const intervals = new Map<number, [number, number]>();
  const touch = (t: number, step: number): void => {
    if (t < 0 || model.tensors[t].data) return;
    const iv = intervals.get(t);
    if (!iv) intervals.set(t, [step, step]);
    else {
      iv[0] = Math.min(iv[0], step);
      iv[1] = Math.max(iv[1], step);
    }
  };
  for (const t of model.inputs) touch(t, -1);
  model.operators.forEach((op, step) => {
    for (const t of op.inputs) touch(t, step);
    for (const t of op.outputs) touch(t, step);
  });
  for (const t of model.outputs) touch(t, model.operators.length);
  return intervals;
}

export function simpleLivenessPeak(model: Model): number {
  const intervals = liveIntervals(model);
  let peak = 0;
  for (let step = -1; step <= model.operators.length; ++step) {
    let live = 0;
    for (const [t, [a, b]] of intervals) if (a <= step && step <= b) live += tensorBytes(model.tensors[t]);
    peak = Math.max(peak, live);
  }
  return peak;
}

export function planArena(model: Model): ArenaPlan {
  const intervals = liveIntervals(model);
  // RESHAPE output shares its input's bytes: merge them into one buffer.
  const groupOf = new Map<number, number>();
  const root = (t: number): number => {
    let r = t;
    while (groupOf.has(r) && groupOf.get(r) !== r) r = groupOf.get(r)!;
    return r;
  };
  for (const op of model.operators) {
    if (op.opcode === 'RESHAPE' && !model.tensors[op.inputs[0]].data) groupOf.set(op.outputs[0], root(op.inputs[0]));
  }
  const buffers = new Map<number, Buffer>();
  for (const [t, [first, last]] of intervals) {
    const r = root(t);
    const b = buffers.get(r);
    const bytes = tensorBytes(model.tensors[t]);
    if (!b) buffers.set(r, { tensors: [t], bytes, first, last, offset: -1 });
    else {
      b.tensors.push(t);
      b.bytes = Math.max(b.bytes, bytes);
      b.first = Math.min(b.first, first);
      b.last = Math.max(b.last, last);
    }
  }

  // No single placement order is best for every graph: try a few cheap ones and keep the
  // smallest arena (the graphs are small, so this costs microseconds).
  const all = [...buffers.values()];
  const orders: Buffer[][] = [
    [...all].sort((a, b) => b.bytes - a.bytes || a.first - b.first),
    [...all].sort((a, b) => a.first - b.first || b.bytes - a.bytes),
    [...all].sort((a, b) => b.bytes * (b.last - b.first + 1) - a.bytes * (a.last - a.first + 1) || a.first - b.first),
  ];
  let best: { arenaBytes: number; offsets: number[] } | undefined;
  for (const order of orders) {
    for (const bestFit of [false, true]) {
      const r = place(order, bestFit);
      if (!best || r < best.arenaBytes) best = { arenaBytes: r, offsets: all.map((b) => b.offset) };
    }
  }
  all.forEach((b, i) => (b.offset = best!.offsets[i]));
  const arenaBytes = best!.arenaBytes;

  const offsets = new Map<number, number>();
  for (const b of all) for (const t of b.tensors) offsets.set(t, b.offset);
  return { arenaBytes, offsets, simpleLivenessPeak: simpleLivenessPeak(model) };
}

/** Places buffers in the given order at the lowest (first fit) or tightest (best fit) free gap; returns the arena size. */
function place(order: Buffer[], bestFit: boolean): number {
  const placed: Buffer[] = [];
  let arenaBytes = 0;
  for (const buf of order) {
    const conflicts = placed.filter((p) => p.first <= buf.last && buf.first <= p.last).sort((a, b) => a.offset - b.offset);
    let offset = 0;
    let chosen = -1;
    let chosenGap = Number.POSITIVE_INFINITY;
    for (const c of conflicts) {
      const gap = c.offset - offset;
      if (gap >= buf.bytes && (!bestFit || gap < chosenGap)) {
        chosen = offset;
        chosenGap = gap;
        if (!bestFit) break;
      }
      offset = Math.max(offset, Math.ceil((c.offset + c.bytes) / ALIGNMENT) * ALIGNMENT);
    }
    buf.offset = chosen >= 0 ? chosen : offset;
    placed.push(buf);
    arenaBytes = Math.max(arenaBytes, buf.offset + buf.bytes);
  }
  return arenaBytes;
}
