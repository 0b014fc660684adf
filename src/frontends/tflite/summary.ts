// What a model demands, read from its structure: operator counts, per-layer shapes and MACs,
// constant bytes, inputs and outputs. The figures match docs/ANCHORS.md (kB there = 1024 bytes).
import { createHash } from 'node:crypto';
import type { ModelSummary, TensorInfo } from '../../core/artifacts.js';
import type { Model, Operator, Tensor } from '../../core/model.js';

export function tensorInfo(t: Tensor): TensorInfo {
  const info: TensorInfo = { name: t.name, shape: [...t.shape], dtype: t.dtype };
  if (t.quantization && t.quantization.scale.length > 0) {
    info.scale = t.quantization.scale[0];
    info.zeroPoint = t.quantization.zeroPoint[0] ?? 0;
  }
  return info;
}

function product(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Multiply-accumulates of one operator; 0 for operators without a weight product. */
export function operatorMacs(model: Model, op: Operator): number {
  const shape = (k: number, list: number[]): number[] | undefined => {
    const ix = list[k];
    return ix === undefined || ix < 0 ? undefined : model.tensors[ix].shape;
  };
  const out = shape(0, op.outputs);
  const filter = shape(1, op.inputs);
  if (!out || !filter) return 0;
  switch (op.opcode) {
    case 'CONV_2D': {
      // filter [outC, kH, kW, inC/groups]; output [N, H, W, outC]
      const [, kH, kW, inC] = filter;
      return product(out) * kH * kW * inC;
    }
    case 'DEPTHWISE_CONV_2D': {
      // filter [1, kH, kW, outC]: one input channel per output channel
      const [, kH, kW] = filter;
      return product(out) * kH * kW;
    }
    case 'FULLY_CONNECTED': {
      // weights [out, in]; every output element is one dot product of length `in`
      const inner = filter[filter.length - 1];
      return product(out) * inner;
    }
    default:
      return 0;
  }
}

/** Bytes of constant data (weights, biases, shape vectors) that operators read, each tensor once. */
export function constantBytes(model: Model): number {
  const seen = new Set<number>();
  let total = 0;
  for (const op of model.operators) {
    for (const ix of op.inputs) {
      const data = ix >= 0 ? model.tensors[ix].data : undefined;
      if (data && !seen.has(ix)) {
        seen.add(ix);
        total += data.length;
      }
    }
  }
  return total;
}

export function summarize(model: Model, fileBytes: Uint8Array): ModelSummary {
  const counts = new Map<string, number>();
  const shapes = (list: number[]): number[][] => list.map((ix) => (ix < 0 ? [] : [...model.tensors[ix].shape]));
  const layers = model.operators.map((op) => {
    counts.set(op.opcode, (counts.get(op.opcode) ?? 0) + 1);
    return {
      index: op.index,
      opcode: op.opcode,
      inputShapes: shapes(op.inputs),
      outputShapes: shapes(op.outputs),
      macs: operatorMacs(model, op),
    };
  });
  return {
    name: model.name,
    sha256: createHash('sha256').update(fileBytes).digest('hex'),
    bytes: fileBytes.length,
    ops: [...counts].map(([opcode, count]) => ({ opcode, count })),
    layers,
    inputs: model.inputs.map((ix) => tensorInfo(model.tensors[ix])),
    outputs: model.outputs.map((ix) => tensorInfo(model.tensors[ix])),
    macs: layers.reduce((a, l) => a + l.macs, 0),
    constantBytes: constantBytes(model),
    tensorCount: model.tensors.length,
  };
}

/** A readable table of the layers, for summary.txt. */
export function formatSummary(s: ModelSummary): string {
  const fmtShapes = (xs: number[][]): string => xs.map((x) => `[${x.join('x')}]`).join(' ');
  const fmtInfo = (t: TensorInfo): string =>
    `${t.name} [${t.shape.join('x')}] ${t.dtype}` +
    (t.scale !== undefined ? ` scale=${t.scale} zero_point=${t.zeroPoint}` : '');
  const rows = s.layers.map((l) => [String(l.index), l.opcode, fmtShapes(l.inputShapes), fmtShapes(l.outputShapes), String(l.macs)]);
  const header = ['#', 'operator', 'inputs', 'outputs', 'MACs'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((x, c) => (c === 4 ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join('  ').trimEnd();
  return [
    `model: ${s.name}`,
    `file: ${s.bytes} bytes, sha256 ${s.sha256}`,
    `operators: ${s.layers.length} (${s.ops.map((o) => `${o.opcode} x${o.count}`).join(', ')})`,
    `MACs: ${s.macs}`,
    `constant data: ${s.constantBytes} bytes (${(s.constantBytes / 1024).toFixed(1)} kB)`,
    `tensors: ${s.tensorCount}`,
    ...s.inputs.map((t, i) => `input ${i}: ${fmtInfo(t)}`),
    ...s.outputs.map((t, i) => `output ${i}: ${fmtInfo(t)}`),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n');
}
