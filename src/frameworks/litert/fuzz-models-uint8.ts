// Seeded random uint8 (asymmetric, older converter) single-operator models: an int8 case of
// fuzz-models.ts re-expressed in uint8 the way old converters wrote it. Activations: q + 128 with
// zero point + 128 (the same real values); weights per tensor with a random zero point z_w and
// values clamped so that w − z_w stays within int8 (what mlbaot runs exactly; see
// src/backends/mlbaot/uint8-interior.ts); biases keep their int32 values at scale in × w.
import type { Model, Operator, Quantization, Tensor } from '../../core/model.js';
import type { Rng } from './prng.js';

export const UINT8_FUZZ_OPERATORS = [
  'CONV_2D_U8',
  'DEPTHWISE_CONV_2D_U8',
  'FULLY_CONNECTED_U8',
  'ADD_U8',
  'AVERAGE_POOL_2D_U8',
  'MAX_POOL_2D_U8',
  'SOFTMAX_U8',
  'CONCATENATION_U8',
  'RESIZE_NEAREST_NEIGHBOR_U8',
] as const;
export type Uint8FuzzOperator = (typeof UINT8_FUZZ_OPERATORS)[number];
export const isUint8FuzzOperator = (op: string): op is Uint8FuzzOperator => (UINT8_FUZZ_OPERATORS as readonly string[]).includes(op);

interface GeneratedCase {
  model: Model;
  vectors: Uint8Array[][];
  params: Record<string, unknown>;
}

/** The int8 operator a uint8 case is derived from. */
export const int8Source = (op: Uint8FuzzOperator): string => op.replace(/_U8$/, '');

const WEIGHTED = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

function weightIndices(model: Model): Set<number> {
  return new Set(model.operators.filter((op: Operator) => WEIGHTED.has(op.opcode)).map((op) => op.inputs[1]));
}

/** An int8 model and its vectors in uint8: activations shifted by 128, weights per tensor with zero point z_w. */
export function toUint8(source: GeneratedCase, rng: Rng): GeneratedCase {
  const weights = weightIndices(source.model);
  const weightZp = new Map<number, number>();
  const tensors = source.model.tensors.map((t): Tensor => {
    if (t.dtype !== 'int8' || !t.quantization) return t;
    if (weights.has(t.index)) {
      // Per-tensor scale (uint8 kernels have no per-channel form); values re-centred on z_w.
      const zw = rng.int(40, 215);
      weightZp.set(t.index, zw);
      const lo = Math.max(-128, -zw);
      const hi = Math.min(127, 255 - zw);
      const data = t.data ? Uint8Array.from(new Int8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), (v) => Math.min(hi, Math.max(lo, v)) + zw) : undefined;
      const quantization: Quantization = { scale: [t.quantization.scale[0]], zeroPoint: [zw], quantizedDimension: 0 };
      return { ...t, dtype: 'uint8', data, quantization };
    }
    const quantization: Quantization = { ...t.quantization, zeroPoint: t.quantization.zeroPoint.map((z) => z + 128) };
    return { ...t, dtype: 'uint8', quantization, data: t.data?.map((b) => b ^ 0x80) };
  });
  // Biases of weighted operators follow the weights to one scale.
  for (const op of source.model.operators) {
    if (!WEIGHTED.has(op.opcode) || op.inputs[2] === undefined || op.inputs[2] < 0) continue;
    const [input, w, bias] = [tensors[op.inputs[0]], tensors[op.inputs[1]], tensors[op.inputs[2]]];
    const s = Math.fround(input.quantization!.scale[0] * w.quantization!.scale[0]);
    tensors[bias.index] = { ...bias, quantization: { scale: [s], zeroPoint: [0], quantizedDimension: 0 } };
  }
  const int8Inputs = new Set(source.model.inputs.filter((i) => source.model.tensors[i].dtype === 'int8'));
  const vectors = source.vectors.map((v) => v.map((bytes, k) => (int8Inputs.has(source.model.inputs[k]) ? bytes.map((b) => b ^ 0x80) : bytes)));
  return {
    model: { ...source.model, name: `${source.model.name}_u8`, tensors },
    vectors,
    params: { ...source.params, weightZeroPoints: [...weightZp.values()] },
  };
}
