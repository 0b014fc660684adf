// Support checks of the element-wise, broadcasting and data-moving operators (support.ts asks).
import type { DType, Model, Operator, Tensor } from '../../core/model.js';

export const BINARY = new Set(['ADD', 'SUB', 'MUL', 'MINIMUM', 'MAXIMUM']);

/** Element-wise binary operators broadcast NumPy-style over at most 4 dimensions. */
export function broadcastProblems(model: Model, op: Operator, where: string): string[] {
  const [a, b, out] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  if (!a || !b) return [`${where}: needs two inputs`];
  if (a.dtype !== b.dtype) return [`${where}: inputs of different dtypes`];
  if (out.shape.length > 4) return [`${where}: broadcasting over more than 4 dimensions is not supported`];
  const comparison = op.opcode === 'MINIMUM' || op.opcode === 'MAXIMUM';
  if (comparison && (!sameQuantization(a, out) || !sameQuantization(b, out))) return [`${where}: ${out.dtype} inputs and output must share scale and zero point`];
  const fits = (t: Tensor): boolean =>
    t.shape.length <= out.shape.length && t.shape.every((d, i) => d === 1 || d === out.shape[out.shape.length - t.shape.length + i]);
  return fits(a) && fits(b) ? [] : [`${where}: input shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast to [${out.shape.join(',')}]`];
}

/** CONCATENATION copies bytes: inputs must be activations sharing the output's dtype and quantization. */
export function concatenationProblems(model: Model, op: Operator, where: string): string[] {
  const out = model.tensors[op.outputs[0]];
  const o = op.options;
  if (o.kind !== 'concatenation') return [`${where}: missing options`];
  const problems: string[] = [];
  if (o.activation !== 'NONE') problems.push(`${where}: fused activation ${o.activation} is not supported`);
  const axis = o.axis < 0 ? o.axis + out.shape.length : o.axis;
  if (axis < 0 || axis >= out.shape.length) problems.push(`${where}: axis ${o.axis} is outside the output's rank ${out.shape.length}`);
  for (const ix of op.inputs) {
    const t = model.tensors[ix];
    if (!t || t.data) problems.push(`${where}: constant inputs are not supported`);
    else if (t.dtype !== out.dtype) problems.push(`${where}: input ${t.name} is ${t.dtype}, output ${out.dtype}`);
    else if (!sameQuantization(t, out)) problems.push(`${where}: ${t.dtype} inputs must share the output's scale and zero point`);
  }
  return problems;
}

export function padProblems(model: Model, op: Operator, where: string): string[] {
  const [input, pads] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]]];
  if (!pads?.data || pads.dtype !== 'int32') return [`${where}: paddings must be a constant int32 tensor`];
  if (input.shape.length > 4) return [`${where}: padding more than 4 dimensions is not supported`];
  if (isQuantizedDtype(input.dtype) && input.quantization?.zeroPoint[0] !== model.tensors[op.outputs[0]].quantization?.zeroPoint[0]) {
    return [`${where}: ${input.dtype} input and output must share the zero point`];
  }
  return [];
}

/** int32 ADD and MUL are TFLite's plain integer arithmetic: unquantized operands only (TFLite Micro checks it too). */
export function int32ArithmeticProblems(model: Model, op: Operator, where: string): string[] {
  const out = model.tensors[op.outputs[0]];
  if (out.dtype !== 'int32' || (op.opcode !== 'ADD' && op.opcode !== 'MUL')) return [];
  const quantized = [...op.inputs, ...op.outputs].map((i) => model.tensors[i]).filter((t) => t?.quantization && t.quantization.scale.length > 0);
  return quantized.length > 0 ? [`${where}: quantized int32 operands are not supported (only plain int32 arithmetic)`] : [];
}

/** The dtypes whose values carry a scale and zero point that byte copies must keep. */
const isQuantizedDtype = (d: DType): boolean => d === 'int8' || d === 'int16';

const sameQuantization = (a: Tensor, b: Tensor): boolean =>
  !isQuantizedDtype(a.dtype) || (a.quantization?.scale[0] === b.quantization?.scale[0] && a.quantization?.zeroPoint[0] === b.quantization?.zeroPoint[0]);

/** Element types the byte-moving operators copy: every fixed-size type a model's activations use. */
export const MOVABLE_DTYPES: readonly DType[] = ['int8', 'int16', 'int32', 'int64', 'uint32', 'float32', 'bool'];

/** SQUEEZE, SPLIT, UNPACK, GATHER copy bytes: outputs keep the data input's dtype and quantization. */
export function dataMoveProblems(model: Model, op: Operator, where: string): string[] {
  const dataIndex = op.opcode === 'SPLIT' ? 1 : 0;
  const data = model.tensors[op.inputs[dataIndex]];
  if (!data) return [`${where}: missing input`];
  const problems: string[] = [];
  if (!MOVABLE_DTYPES.includes(data.dtype)) problems.push(`${where}: unsupported dtype ${data.dtype} (supported: ${MOVABLE_DTYPES.join(', ')})`);
  if (data.data && op.opcode !== 'GATHER') problems.push(`${where}: constant input is not supported`);
  for (const ix of op.outputs) {
    const out = model.tensors[ix];
    if (out.dtype !== data.dtype || !sameQuantization(data, out)) problems.push(`${where}: output ${out.name} must keep the input's dtype and quantization`);
  }
  const rank = data.shape.length;
  const inRank = (axis: number): boolean => axis >= -rank && axis < rank;
  const o = op.options;
  if (op.opcode === 'SPLIT') {
    const axisTensor = model.tensors[op.inputs[0]];
    const axis = axisTensor?.data && axisTensor.dtype === 'int32' && axisTensor.data.length === 4 ? new DataView(axisTensor.data.buffer, axisTensor.data.byteOffset, 4).getInt32(0, true) : undefined;
    if (axis === undefined || !inRank(axis)) problems.push(`${where}: the axis must be a constant int32 scalar within the input's rank`);
    else if (data.shape[(axis + rank) % rank] % op.outputs.length !== 0) problems.push(`${where}: dimension ${axis} does not split into ${op.outputs.length} equal parts`);
  }
  if (o.kind === 'unpack' && (!inRank(o.axis) || data.shape[(o.axis + rank) % rank] !== op.outputs.length)) {
    problems.push(`${where}: axis ${o.axis} must have one entry per output`);
  }
  if (o.kind === 'gather') {
    const indices = model.tensors[op.inputs[1]];
    if (o.batchDims !== 0) problems.push(`${where}: batch_dims ${o.batchDims} is not supported (only 0)`);
    if (!inRank(o.axis)) problems.push(`${where}: axis ${o.axis} is outside the input's rank`);
    if (!indices || indices.dtype !== 'int32') problems.push(`${where}: indices must be int32`);
    else if (indices.data && inRank(o.axis)) {
      const dim = data.shape[(o.axis + rank) % rank];
      const view = new DataView(indices.data.buffer, indices.data.byteOffset, indices.data.byteLength);
      for (let i = 0; i < indices.data.byteLength / 4; i++) {
        const k = view.getInt32(4 * i, true);
        if (k < 0 || k >= dim) {
          problems.push(`${where}: index ${k} is outside [0, ${dim})`);
          break;
        }
      }
    }
  }
  return problems;
}
