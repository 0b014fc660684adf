// Shared pieces of per-operator C generation: the generated layer's shape, tensor access
// helpers and the layer header comment.
import { cCommentText, cIdentifier } from '../../core/c-text.js';
import { tensorElements, type Model, type Operator, type OperatorOptions, type Tensor } from '../../core/model.js';
import type { ConstArray } from './c-format.js';
import { leadingPadding } from './quant-math.js';
import type { Variant } from './variants.js';

export interface GeneratedLayer {
  /** C function name, or undefined for operators that generate no code (RESHAPE aliases). */
  functionName?: string;
  /** Full C text of the layer (comment + function), or a comment only. */
  code: string;
  constants: ConstArray[];
}

/** How convolution-like layers requantize: TFLM's fixed-point multiplier or XNNPACK's fp32 scale (emulated in integers). */
export type RequantMode = 'tflm' | 'fp32';

export interface LayerInput {
  model: Model;
  requantize: RequantMode;
  op: Operator;
  /** Arena offset of each activation tensor. */
  offsets: Map<number, number>;
  /** Kernel instances shared by layers (key: kernel + compile-time constants), emitted once. */
  kernels?: Map<string, SharedKernel>;
  /** Per kernel instance (key), the values its run-time arguments took over every call (generator's first pass). */
  agreed?: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<number>>>;
  /** Code variant of this layer (variants.ts); default 'shared'. */
  variant?: Variant;
  /** The target has the Arm DSP extension (arm-dsp.ts): FULLY_CONNECTED weights interleaved for SMLAD. */
  armDsp?: boolean;
}

export interface SharedKernel {
  name: string;
  code: string;
  /** Values each run-time argument in AGREEABLE took over the calls so far. */
  seen: Map<string, Set<number>>;
}

/** Run-time arguments that become literals inside an instance when all its calls agree (no new instance, ever). */
const AGREEABLE = new Set(['IH', 'IW', 'IC', 'OH', 'OW', 'OC', 'PT', 'PL', 'in_zp', 'out_zp', 'act_min', 'act_max']);

/**
 * A call of `kernel` through a shared, out-of-line instance: the arguments in `constant` are
 * literals inside the instance (GCC unrolls and specialises on them), the rest are passed at run
 * time. Layers with the same kernel and constants share one instance, which keeps code size
 * proportional to the number of distinct kernel shapes instead of the number of layers.
 * `pointers` are the leading pointer parameters (C declaration, call expression).
 */
export function sharedKernelCall(
  li: LayerInput,
  kernel: string,
  mode: string | undefined,
  pointers: [decl: string, expr: string][],
  args: [name: string, value: number][],
  constant: ReadonlySet<string>,
  /** A macro of the kernel library placed among the instance's attributes (it decides per target). */
  attribute?: string,
): string[] {
  const key = `${kernel}(${mode ?? ''};${args.filter(([n]) => constant.has(n)).map(([n, v]) => `${n}=${v}`).join(',')})`;
  const agreed = li.agreed?.get(key);
  const literal = (n: string): boolean => constant.has(n) || agreed?.get(n)?.size === 1;
  const runtime = args.filter(([n]) => !literal(n));
  const kernels = li.kernels ?? (li.kernels = new Map());
  let k = kernels.get(key);
  if (!k) {
    const name = `mlb_kernel_${kernels.size}`;
    const params = [...pointers.map(([decl]) => decl), ...runtime.map(([n]) => `int32_t ${n}`)];
    const callArgs = [...(mode ? [mode] : []), ...pointers.map(([decl]) => decl.slice(decl.search(/\w+$/))), ...args.map(([n, v]) => (literal(n) ? String(v) : n))];
    const shared = args.filter(([n]) => !constant.has(n) && literal(n)).map(([n]) => n);
    const note = shared.length > 0 ? `; ${shared.join(', ')} alike in every call` : '';
    const code = `/* ${cCommentText(key + note)} */\nstatic void __attribute__((noinline, noclone)) ${attribute ? `${attribute} ` : ''}${name}(${params.join(', ')}) {\n  ${kernel}(${callArgs.join(', ')});\n}\n`;
    k = { name, code, seen: new Map(runtime.filter(([n]) => AGREEABLE.has(n)).map(([n]) => [n, new Set<number>()])) };
    kernels.set(key, k);
  }
  for (const [n, v] of runtime) k.seen.get(n)?.add(v);
  const callArgs = [...pointers.map(([, expr]) => expr), ...runtime.map(([, v]) => String(v))];
  return [`${k.name}(${callArgs.join(', ')});`];
}

export function tensorAt(model: Model, index: number): Tensor | undefined {
  return index >= 0 ? model.tensors[index] : undefined;
}

export function scaleOf(t: Tensor): number {
  return t.quantization?.scale[0] ?? 0;
}

export function zeroPointOf(t: Tensor): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

export function int8Data(t: Tensor): Int8Array {
  const d = t.data!;
  return new Int8Array(d.buffer, d.byteOffset, d.byteLength);
}

export function int32Data(t: Tensor): number[] {
  const d = t.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return Array.from({ length: d.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true));
}

export function float32Data(t: Tensor): number[] {
  const d = t.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return Array.from({ length: d.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** C expression for a tensor's place in the arena, cast to the kernel's pointer type. */
export function arenaPtr(input: LayerInput, tensorIndex: number, ctype: string, isConst: boolean): string {
  const offset = input.offsets.get(tensorIndex);
  if (offset === undefined) throw new Error(`tensor ${tensorIndex} has no arena offset`);
  return `(${isConst ? 'const ' : ''}${ctype} *)(arena + ${offset})`;
}

/** Converter names can be hundreds of characters long; the tail is the distinctive part. */
function shortName(name: string): string {
  const chars = Array.from(name);
  return cCommentText(chars.length <= 60 ? name : `...${chars.slice(-57).join('')}`);
}

export function describeTensor(role: string, t: Tensor): string {
  const q = t.quantization;
  let quant = '';
  if (q && q.scale.length === 1) quant = ` scale=${q.scale[0].toPrecision(6)} zp=${q.zeroPoint[0]}`;
  else if (q && q.scale.length > 1) quant = ` per-channel (${q.scale.length} scales, axis ${q.quantizedDimension})`;
  return ` *   ${role.padEnd(8)} t${t.index} "${shortName(t.name)}" [${t.shape.join(',')}] ${t.dtype}${quant}`;
}

export function functionName(op: Operator): string {
  return cIdentifier(`mlb_layer_${op.index}_${op.opcode.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 32)}`);
}

/** Operators whose constant inputs are weights and bias; others' are parameters (axes, shapes, tables). */
const WEIGHTED = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/** Header comment + noinline function around a kernel call. */
export function layerFunction(input: LayerInput, summary: string, extraLines: string[], body: string[]): GeneratedLayer & { functionName: string } {
  const { model, op } = input;
  const name = functionName(op);
  const lines = [`/* ${cCommentText(model.name)} layer ${op.index}: ${cCommentText(op.opcode)}${summary ? ` (${cCommentText(summary)})` : ''}`];
  op.inputs.forEach((t, i) => {
    const tensor = tensorAt(model, t);
    const role = !tensor?.data ? `input${i}` : WEIGHTED.has(op.opcode) ? (i === 1 ? 'weights' : 'bias') : 'const';
    if (tensor) lines.push(describeTensor(i === 0 ? 'input' : role, tensor));
  });
  for (const t of op.outputs) lines.push(describeTensor('output', model.tensors[t]));
  for (const l of extraLines) lines.push(` *   ${cCommentText(l)}`);
  lines.push(' */');
  const code = `${lines.join('\n')}\nstatic void __attribute__((noinline)) ${name}(void) {\n  uint8_t *const arena = mlb_launder(mlb_arena);\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`;
  return { functionName: name, code, constants: [] };
}

export function elements(t: Tensor): number {
  return tensorElements(t);
}

/** Shapes and leading paddings of a pooling layer (NHWC, batch 1), for every dtype. */
export function poolGeometry(li: LayerInput): { o: Extract<OperatorOptions, { kind: 'pool2d' }>; output: Tensor; dims: number[] } {
  const { model, op } = li;
  if (op.options.kind !== 'pool2d') throw new Error(`${op.opcode} without pool options`);
  const o = op.options;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const [, IH, IW, C] = input.shape;
  const [, OH, OW] = output.shape;
  const PT = leadingPadding(o.padding, IH, OH, o.filterHeight, o.strideH, 1);
  const PL = leadingPadding(o.padding, IW, OW, o.filterWidth, o.strideW, 1);
  return { o, output, dims: [IH, IW, C, OH, OW, o.filterHeight, o.filterWidth, o.strideH, o.strideW, PT, PL] };
}
