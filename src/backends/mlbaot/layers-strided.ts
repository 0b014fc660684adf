// C generation for TRANSPOSE and STRIDED_SLICE (one strided byte copy, mlb_strided.h, any
// dtype) and CAST between int8, int16, int32, uint32, int64, float32 and bool.
import { DTYPE_BYTES, type Model, type Operator } from '../../core/model.js';
import { elements, int32Data, layerFunction, sharedKernelCall, type GeneratedLayer, type LayerInput } from './layer-common.js';

const at = (li: LayerInput, index: number): string => `arena + ${li.offsets.get(index)}`;

/** Row-major element strides of a shape. */
function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; --d) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/** Output dims and input strides left-padded to rank 4 (size 1, stride 0). */
function toRank4(dims: number[], strides: number[]): [number[], number[]] {
  const pad = 4 - dims.length;
  return [[...new Array<number>(pad).fill(1), ...dims], [...new Array<number>(pad).fill(0), ...strides]];
}

/** TRANSPOSE's permutation, resolved (negative entries count from the end). */
export function transposePermutation(model: Model, op: Operator): number[] {
  const rank = model.tensors[op.inputs[0]].shape.length;
  return int32Data(model.tensors[op.inputs[1]]).map((p) => (p < 0 ? p + rank : p));
}

export function generateTranspose(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const input = model.tensors[op.inputs[0]];
  const perm = transposePermutation(model, op);
  const inStrides = stridesOf(input.shape);
  const [dims, strides] = toRank4(perm.map((p) => input.shape[p]), perm.map((p) => inStrides[p]));
  const args = [DTYPE_BYTES[input.dtype] ?? 1, ...dims, 0, ...strides];
  return layerFunction(li, `${input.dtype} perm [${perm.join(',')}]`, [], [`mlb_strided_copy_bytes(${at(li, input.index)}, ${at(li, op.outputs[0])}, ${args.join(', ')});`]);
}

export interface SliceGeometry {
  start: number[];
  step: number[];
  /** Elements taken per input dimension (shrunk dimensions take 1). */
  counts: number[];
  /** The output shape: counts without the shrunk dimensions. */
  shape: number[];
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** TFLite's strided_slice_logic.h StartForAxis/StopForAxis (no ellipsis, no new axes, offset false). */
export function sliceGeometry(shape: number[], begin: number[], end: number[], strides: number[], beginMask: number, endMask: number, shrinkMask: number): SliceGeometry {
  const start: number[] = [];
  const counts: number[] = [];
  shape.forEach((size, axis) => {
    const stride = strides[axis];
    let s = beginMask & (1 << axis) ? (stride > 0 ? INT_MIN : INT_MAX) : begin[axis];
    if (s < 0) s += size;
    s = stride > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
    let e: number;
    if (shrinkMask & (1 << axis)) e = s + 1;
    else {
      e = endMask & (1 << axis) ? (stride > 0 ? INT_MAX : INT_MIN) : end[axis];
      if (e < 0) e += size;
      e = stride > 0 ? clamp(e, 0, size) : clamp(e, -1, size - 1);
    }
    start.push(s);
    counts.push(Math.max(0, stride > 0 ? Math.ceil((e - s) / stride) : Math.ceil((s - e) / -stride)));
  });
  return { start, step: [...strides], counts, shape: counts.filter((_, d) => !(shrinkMask & (1 << d))) };
}

/** The slice of a STRIDED_SLICE operator whose begin/end/strides are constants. */
export function sliceOf(model: Model, op: Operator): SliceGeometry {
  const o = op.options;
  if (o.kind !== 'strided_slice') throw new Error('STRIDED_SLICE without options');
  const [input, begin, end, strides] = op.inputs.map((i) => model.tensors[i]);
  return sliceGeometry(input.shape, int32Data(begin), int32Data(end), int32Data(strides), o.beginMask, o.endMask, o.shrinkAxisMask);
}

export function generateStridedSlice(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const input = model.tensors[op.inputs[0]];
  const g = sliceOf(model, op);
  const inStrides = stridesOf(input.shape);
  const base = g.start.reduce((sum, s, d) => sum + s * inStrides[d], 0);
  const [dims, strides] = toRank4(g.counts, g.step.map((s, d) => s * inStrides[d]));
  const args = [DTYPE_BYTES[input.dtype] ?? 1, ...dims, base, ...strides];
  const summary = `${input.dtype} start [${g.start.join(',')}] step [${g.step.join(',')}] take [${g.counts.join(',')}]`;
  return layerFunction(li, summary, [], [`mlb_strided_copy_bytes(${at(li, input.index)}, ${at(li, op.outputs[0])}, ${args.join(', ')});`]);
}

/** CAST's dtypes in the order of mlb_strided.h's MLB_DT_* codes. */
export const CAST_DTYPES = ['int8', 'int32', 'float32', 'int16', 'uint32', 'bool', 'int64'];

/** CAST through one out-of-line instance per dtype pair (FROM and TO literal, N at run time): a model's casts share it. */
export function generateCast(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const code = (dtype: string): number => CAST_DTYPES.indexOf(dtype);
  return layerFunction(li, `${input.dtype} -> ${output.dtype}`, [], sharedKernelCall(
    li,
    'mlb_cast',
    undefined,
    [['const uint8_t *in', at(li, input.index)], ['uint8_t *out', at(li, output.index)]],
    [['N', elements(input)], ['FROM', code(input.dtype)], ['TO', code(output.dtype)]],
    new Set(['FROM', 'TO']),
  ));
}
