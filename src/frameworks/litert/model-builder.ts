// Assembles a single-subgraph Model (src/core/model.ts) tensor by tensor, for generated test models.
import type { DType, Model, Operator, OperatorOptions, Quantization, Tensor } from '../../core/model.js';
import { builtinOperatorCode } from '../../frontends/tflite/schema.js';

export { int8Bytes, int32Bytes } from '../../core/model.js';

export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}

/** Quantization as the file stores it: scales are float32, so round them here once. */
export function quant(scale: number[], zeroPoint: number[], quantizedDimension = 0): Quantization {
  return { scale: scale.map(Math.fround), zeroPoint, quantizedDimension };
}

export class ModelBuilder {
  private readonly tensors: Tensor[] = [];
  private readonly operators: Operator[] = [];

  tensor(name: string, shape: number[], dtype: DType, opts: { quantization?: Quantization; data?: Uint8Array; variable?: boolean } = {}): number {
    const index = this.tensors.length;
    this.tensors.push({ index, name, shape, dtype, quantization: opts.quantization, data: opts.data, isVariable: opts.variable ?? false });
    return index;
  }

  op(opcode: string, version: number, inputs: number[], outputs: number[], options: OperatorOptions = { kind: 'none' }, intermediates?: number[]): void {
    const builtinCode = builtinOperatorCode(opcode);
    if (builtinCode === undefined) throw new Error(`unknown builtin operator ${opcode}`);
    this.operators.push({ index: this.operators.length, opcode, builtinCode, version, inputs, outputs, options, ...(intermediates ? { intermediates } : {}) });
  }

  /** A custom operator (builtin code 32) with its custom_options bytes. */
  customOp(name: string, version: number, inputs: number[], outputs: number[], customOptions: Uint8Array): void {
    this.operators.push({ index: this.operators.length, opcode: `CUSTOM:${name}`, builtinCode: 32, version, inputs, outputs, options: { kind: 'none' }, customOptions });
  }

  finish(name: string, inputs: number[], outputs: number[], description = ''): Model {
    return { name, version: 3, description, tensors: this.tensors, operators: this.operators, inputs, outputs, subgraphCount: 1 };
  }
}
