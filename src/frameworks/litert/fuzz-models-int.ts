// Seeded random models for the integer element-wise operators beyond int8 (MINIMUM and MAXIMUM of
// int16, int32, int64; unquantized int32 ADD and MUL with a fused activation) and TRANSPOSE_CONV
// with a fused activation (int8, float32). int64 tensors sit between CASTs from and to int32,
// which LiteRT.js can feed and read.
import type { Activation, DType } from '../../core/model.js';
import { ModelBuilder, int32Bytes, quant } from './model-builder.js';
import { broadcastShapes, type GeneratedCase } from './fuzz-models-more.js';
import { transposeConv } from './fuzz-models-upsample.js';
import { int16Bytes } from './fuzz-models-dtypes.js';
import type { Rng } from './prng.js';

export const INT_FUZZ_OPERATORS = ['MINMAX_I16', 'MINMAX_I32', 'MINMAX_I64', 'ADD_I32', 'MUL_I32', 'TRANSPOSE_CONV_ACT', 'TRANSPOSE_CONV_ACT_F32'] as const;
export type IntFuzzOperator = (typeof INT_FUZZ_OPERATORS)[number];
export const isIntFuzzOperator = (op: string): op is IntFuzzOperator => (INT_FUZZ_OPERATORS as readonly string[]).includes(op);

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'];

/** The shape two operands broadcast to. */
function broadcastOf(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const at = (s: number[], i: number): number => s[s.length - rank + i] ?? 1;
  return Array.from({ length: rank }, (_, i) => Math.max(at(a, i), at(b, i)));
}

/** `n` values of `dtype` (int64: in int32's range, fed as int32) within ±`span`, a third of them small. */
function values(rng: Rng, dtype: DType, n: number, span: number): Uint8Array {
  const v = Array.from({ length: n }, () => (rng.bool(0.33) ? rng.int(-8, 8) : rng.int(-span, span)));
  return dtype === 'int16' ? int16Bytes(v) : int32Bytes(v);
}

/**
 * `opcodes` applied to two broadcasting operands of `dtype` (b constant in a quarter of the cases),
 * one output each. int16 operands share one quantization (zero point 0), as MINIMUM/MAXIMUM need.
 */
function binary(rng: Rng, dtype: 'int16' | 'int32' | 'int64', opcodes: ('MINIMUM' | 'MAXIMUM' | 'ADD' | 'MUL')[], vectors: number): GeneratedCase {
  const b = new ModelBuilder();
  const [, sa, sb] = broadcastShapes(rng);
  const full = broadcastOf(sa, sb);
  const arithmetic = opcodes[0] === 'ADD' || opcodes[0] === 'MUL';
  const activation = arithmetic ? rng.pick(ACTIVATIONS) : 'NONE';
  // Products stay inside int32 (overflow is undefined in TFLite's C++); sums use the whole range.
  const span = opcodes[0] === 'MUL' ? 46340 : dtype === 'int16' ? 32767 : 2 ** 30;
  const feed: DType = dtype === 'int64' ? 'int32' : dtype;
  const quantization = dtype === 'int16' ? quant([rng.logUniform(1e-4, 1e-2)], [0]) : undefined;
  const constB = rng.bool(0.25);
  const inputs: number[] = [];
  const operand = (name: string, shape: number[], constant: boolean): number => {
    if (constant) {
      const v = values(rng, feed, count(shape), span);
      const data = dtype === 'int64' ? new Uint8Array(BigInt64Array.from(Array.from(new Int32Array(v.buffer), BigInt)).buffer) : v;
      return b.tensor(name, shape, dtype, { quantization, data });
    }
    const fed = b.tensor(`${name}_fed`, shape, feed, { quantization });
    inputs.push(fed);
    if (feed === dtype) return fed;
    const t = b.tensor(name, shape, dtype);
    b.op('CAST', 1, [fed], [t]);
    return t;
  };
  const a = operand('a', sa, false);
  const c = operand('b', sb, constB);
  const outputs = opcodes.map((opcode) => {
    const out = b.tensor(opcode.toLowerCase(), full, dtype, { quantization });
    const options = opcode === 'ADD' ? { kind: 'add' as const, activation } : opcode === 'MUL' ? { kind: 'mul' as const, activation } : { kind: 'none' as const };
    b.op(opcode, 1, [a, c], [out], options);
    if (feed === dtype) return out;
    const read = b.tensor(`${opcode.toLowerCase()}_read`, full, feed);
    b.op('CAST', 1, [out], [read]);
    return read;
  });
  const shapes = constB ? [sa] : [sa, sb];
  return {
    model: b.finish(`fuzz_${opcodes.join('_').toLowerCase()}_${dtype}`, inputs, outputs),
    vectors: Array.from({ length: vectors }, () => shapes.map((s) => values(rng, feed, count(s), span))),
    params: { dtype, sa, sb, full, activation, constB, scale: quantization?.scale[0] },
  };
}

export function intFuzzCase(operator: IntFuzzOperator, rng: Rng, vectors: number): GeneratedCase {
  switch (operator) {
    case 'MINMAX_I16': return binary(rng, 'int16', ['MINIMUM', 'MAXIMUM'], vectors);
    case 'MINMAX_I32': return binary(rng, 'int32', ['MINIMUM', 'MAXIMUM'], vectors);
    case 'MINMAX_I64': return binary(rng, 'int64', ['MINIMUM', 'MAXIMUM'], vectors);
    case 'ADD_I32': return binary(rng, 'int32', ['ADD'], vectors);
    case 'MUL_I32': return binary(rng, 'int32', ['MUL'], vectors);
    case 'TRANSPOSE_CONV_ACT': return transposeConv(rng, false, vectors, rng.pick(ACTIVATIONS.slice(1)));
    case 'TRANSPOSE_CONV_ACT_F32': return transposeConv(rng, true, vectors, rng.pick(ACTIVATIONS.slice(1)));
  }
}
