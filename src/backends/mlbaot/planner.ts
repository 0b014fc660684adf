// Static activation memory plan: one arena, tensors placed greedily by size over their live
// intervals (like TFLM's GreedyMemoryPlanner), RESHAPE/SQUEEZE outputs aliased to their inputs.
import { tensorBytes, tensorElements, type Model, type Operator } from '../../core/model.js';
import { leadingPadding } from './quant-math.js';
import { scratchBytes, scratchKey } from './scratch.js';

/** Offsets are kept 4-byte aligned so float32/int32 tensors can live in the arena. */
const ALIGNMENT = 4;

/** Operators that change only the shape: their output shares the input's bytes. */
const ALIASING = new Set(['RESHAPE', 'SQUEEZE']);

export interface ArenaPlan {
  /** Bytes of the arena (end of the highest placed buffer). */
  arenaBytes: number;
  /** Arena offset of every activation tensor (model inputs, outputs and intermediates). */
  offsets: Map<number, number>;
  /** Peak of the sum of live tensor sizes, each tensor separate (no reuse in place): a lower bound reference. */
  simpleLivenessPeak: number;
}

interface Buffer {
  id: number;
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

/**
 * How far (bytes, may be negative) an operator's output may start above its input's start and
 * still overlap it: the kernels listed here go through output pixels in row-major order and
 * write pixel p (and at most p+1) only after reading its whole window, so an output byte may
 * overwrite input rows no later pixel reads. For output row oy the input still needed starts at
 * row max(0, oy*SH - PT); everything written up to then ends at pixel (oy+1)*OW + 1 (pointwise
 * convolutions: pixel p+3 while pixel p is read).
 * Undefined: no overlap allowed.
 */
export function overlapSlack(model: Model, op: Operator): number | undefined {
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  if (!input || !output || input.dtype !== 'int8' || output.dtype !== 'int8') return undefined;
  if (op.opcode === 'ADD') {
    const other = model.tensors[op.inputs[1]];
    return other && tensorElements(input) === tensorElements(output) && tensorElements(other) === tensorElements(output) ? 0 : undefined;
  }
  const o = op.options;
  if ((op.opcode !== 'CONV_2D' || o.kind !== 'conv2d') && (op.opcode !== 'DEPTHWISE_CONV_2D' || o.kind !== 'depthwise_conv2d')) return undefined;
  if (input.shape.length !== 4 || output.shape.length !== 4 || input.shape[0] !== 1) return undefined;
  const [, IH, IW, IC] = input.shape;
  const [, OH, OW, OC] = output.shape;
  // Weights are [OC][KH][KW][IC] (conv) or [1][KH][KW][OC] (depthwise): KH is dimension 1 in both.
  const KH = model.tensors[op.inputs[1]].shape[1];
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  let slack = Number.POSITIVE_INFINITY;
  for (let oy = 0; oy < OH; ++oy) slack = Math.min(slack, Math.max(0, oy * o.strideH - PT) * IW * IC - ((oy + 1) * OW + 1) * OC);
  // Pointwise CONV_2D runs as a matrix product over the flattened pixels (mlb_pointwise_s8):
  // blocks of up to 4 pixels, across row ends, written while their inputs are still read.
  const pointwise = op.opcode === 'CONV_2D' && KH === 1 && model.tensors[op.inputs[1]].shape[2] === 1 && o.strideH === 1 && o.strideW === 1 && OH === IH && OW === IW;
  if (pointwise) for (let p = 0; p < OH * OW; ++p) slack = Math.min(slack, p * IC - Math.min(p + 4, OH * OW) * OC);
  return slack;
}

export function planArena(model: Model, mayOverlap: (op: Operator) => boolean = () => false): ArenaPlan {
  const intervals = liveIntervals(model);
  // RESHAPE output shares its input's bytes: merge them into one buffer.
  const groupOf = new Map<number, number>();
  const root = (t: number): number => {
    let r = t;
    while (groupOf.has(r) && groupOf.get(r) !== r) r = groupOf.get(r)!;
    return r;
  };
  for (const op of model.operators) {
    if (ALIASING.has(op.opcode) && !model.tensors[op.inputs[0]].data) groupOf.set(op.outputs[0], root(op.inputs[0]));
  }
  const buffers = new Map<number, Buffer>();
  for (const [t, [first, last]] of intervals) {
    const r = root(t);
    const b = buffers.get(r);
    const bytes = tensorBytes(model.tensors[t]);
    if (!b) buffers.set(r, { id: buffers.size, tensors: [t], bytes, first, last, offset: -1 });
    else {
      b.tensors.push(t);
      b.bytes = Math.max(b.bytes, bytes);
      b.first = Math.min(b.first, first);
      b.last = Math.max(b.last, last);
    }
  }

  // Kernel scratch blocks: live during their operator only.
  model.operators.forEach((op, step) => {
    const bytes = scratchBytes(model, op);
    if (bytes > 0) buffers.set(scratchKey(op), { id: buffers.size, tensors: [scratchKey(op)], bytes, first: step, last: step, offset: -1 });
  });

  // In-place overlap of an operator's output with its input when the input dies there.
  const bufferOf = (t: number): Buffer | undefined => buffers.get(root(t));
  const slack: Slack = new Map();
  model.operators.forEach((op, step) => {
    if (!mayOverlap(op)) return;
    const inputs = op.opcode === 'ADD' ? op.inputs.slice(0, 2) : op.inputs.slice(0, 1);
    const out = bufferOf(op.outputs[0]);
    if (!out || out.first !== step || out.tensors.some((t) => model.inputs.includes(t))) return;
    const d = overlapSlack(model, op);
    if (d === undefined) return;
    for (const t of inputs) {
      const inb = bufferOf(t);
      if (!inb || inb === out || inb.last !== step || inb.tensors.some((x) => model.inputs.includes(x) || model.outputs.includes(x))) continue;
      slack.set(`${out.id}:${inb.id}`, d);
      break; // one input per operator (the kernels write over one stream)
    }
  });

  // Overlapping pairs become one unit: the output placed at min(slack, 0) from its input (the
  // output starts that far below the input, or at the same offset), chained where the output of
  // one pair is the input of the next. A merge that would make two other members collide is skipped.
  const all = [...buffers.values()];
  const plain = all.map((b) => [{ buf: b, rel: 0 }]);
  const merged = mergeOverlaps(all, slack);
  let best: { arenaBytes: number; offsets: number[] } | undefined;
  for (const units of slack.size > 0 ? [plain, merged] : [plain]) {
    const unitBufs: Buffer[] = units.map((members, id) => ({
      id,
      tensors: [],
      bytes: Math.max(...members.map((m) => m.rel + m.buf.bytes)),
      first: Math.min(...members.map((m) => m.buf.first)),
      last: Math.max(...members.map((m) => m.buf.last)),
      offset: -1,
    }));
    // No single placement order is best for every graph: try a few cheap ones and keep the
    // smallest arena (the graphs are small, so this costs microseconds).
    const orders: Buffer[][] = [
      [...unitBufs].sort((a, b) => b.bytes - a.bytes || a.first - b.first),
      [...unitBufs].sort((a, b) => a.first - b.first || b.bytes - a.bytes),
      [...unitBufs].sort((a, b) => b.bytes * (b.last - b.first + 1) - a.bytes * (a.last - a.first + 1) || a.first - b.first),
    ];
    for (const order of orders) {
      for (const bestFit of [false, true]) {
        // Plain units (ids = buffer ids) may still overlap pairwise within the slack.
        const r = place(order, bestFit, units === plain ? slack : new Map());
        if (!best || r < best.arenaBytes) {
          units.forEach((members, i) => members.forEach((m) => (m.buf.offset = unitBufs[i].offset + m.rel)));
          best = { arenaBytes: r, offsets: all.map((b) => b.offset) };
        }
      }
    }
  }
  all.forEach((b, i) => (b.offset = best!.offsets[i]));
  const arenaBytes = best!.arenaBytes;

  const offsets = new Map<number, number>();
  for (const b of all) for (const t of b.tensors) offsets.set(t, b.offset);
  return { arenaBytes, offsets, simpleLivenessPeak: simpleLivenessPeak(model) };
}

/** Groups buffers that may overlap (slack pairs) into units with relative offsets >= 0. */
function mergeOverlaps(all: Buffer[], slack: Slack): { buf: Buffer; rel: number }[][] {
  const unitOf = new Map<Buffer, { buf: Buffer; rel: number }[]>(all.map((b) => [b, [{ buf: b, rel: 0 }]]));
  const byId = new Map(all.map((b) => [b.id, b]));
  const timeOverlap = (a: Buffer, b: Buffer): boolean => a.first <= b.last && b.first <= a.last;
  for (const [key, d] of slack) {
    const [xo, yi] = key.split(':').map(Number);
    const [x, y] = [byId.get(xo)!, byId.get(yi)!];
    const ux = unitOf.get(x)!;
    const uy = unitOf.get(y)!;
    if (ux === uy) continue;
    // Shift ux so that x sits at y.rel + min(d, 0) (4-byte aligned down).
    const relX = ux.find((m) => m.buf === x)!.rel;
    const relY = uy.find((m) => m.buf === y)!.rel;
    const want = relY + Math.floor(Math.min(d, 0) / ALIGNMENT) * ALIGNMENT;
    const shift = want - relX;
    const combined = [...uy.map((m) => ({ ...m })), ...ux.map((m) => ({ buf: m.buf, rel: m.rel + shift }))];
    const ok = combined.every((a, i) =>
      combined.every((b, j) => {
        if (j <= i || !timeOverlap(a.buf, b.buf)) return true;
        if (a.rel + a.buf.bytes <= b.rel || b.rel + b.buf.bytes <= a.rel) return true;
        const pair = (p: typeof a, q: typeof a): boolean => {
          const s = slack.get(`${p.buf.id}:${q.buf.id}`);
          return s !== undefined && p.rel - q.rel <= s;
        };
        return pair(a, b) || pair(b, a);
      }),
    );
    if (!ok) continue;
    const low = Math.min(...combined.map((m) => m.rel));
    const unit = combined.map((m) => ({ buf: m.buf, rel: m.rel - low }));
    for (const m of unit) unitOf.set(m.buf, unit);
  }
  return [...new Set(unitOf.values())];
}

/** Output buffer id : input buffer id -> how far above the input's start the output may start while overlapping it. */
type Slack = Map<string, number>;

/** Whether buf at offset o may sit beside (or, within the slack, over) the placed buffer c. */
function fits(buf: Buffer, o: number, c: Buffer, slack: Slack): boolean {
  if (o + buf.bytes <= c.offset || o >= c.offset + c.bytes) return true;
  const asOutput = slack.get(`${buf.id}:${c.id}`);
  if (asOutput !== undefined && o - c.offset <= asOutput) return true;
  const asInput = slack.get(`${c.id}:${buf.id}`);
  return asInput !== undefined && c.offset - o <= asInput;
}

/** Places buffers in the given order at the lowest (first fit) or tightest (best fit) free place; returns the arena size. */
function place(order: Buffer[], bestFit: boolean, slack: Slack): number {
  const placed: Buffer[] = [];
  let arenaBytes = 0;
  const align = (x: number): number => Math.ceil(x / ALIGNMENT) * ALIGNMENT;
  for (const buf of order) {
    const conflicts = placed.filter((p) => p.first <= buf.last && buf.first <= p.last);
    const candidates = new Set<number>([0]);
    for (const c of conflicts) {
      candidates.add(align(c.offset + c.bytes));
      const asOutput = slack.get(`${buf.id}:${c.id}`);
      if (asOutput !== undefined) candidates.add(Math.floor((c.offset + asOutput) / ALIGNMENT) * ALIGNMENT);
      const asInput = slack.get(`${c.id}:${buf.id}`);
      if (asInput !== undefined) candidates.add(align(c.offset - asInput));
      candidates.add(Math.floor((c.offset - buf.bytes) / ALIGNMENT) * ALIGNMENT);
    }
    const valid = [...candidates].filter((o) => o >= 0 && conflicts.every((c) => fits(buf, o, c, slack))).sort((a, b) => a - b);
    let chosen = valid[0];
    if (bestFit) {
      // Tightest: the candidate leaving the least room to the next placed buffer above it.
      let bestGap = Number.POSITIVE_INFINITY;
      for (const o of valid) {
        const above = conflicts.filter((c) => c.offset >= o + buf.bytes).map((c) => c.offset - (o + buf.bytes));
        const gap = above.length ? Math.min(...above) : Number.POSITIVE_INFINITY;
        if (gap < bestGap) {
          bestGap = gap;
          chosen = o;
        }
      }
    }
    buf.offset = chosen;
    placed.push(buf);
    arenaBytes = Math.max(arenaBytes, buf.offset + buf.bytes);
  }
  return arenaBytes;
}
