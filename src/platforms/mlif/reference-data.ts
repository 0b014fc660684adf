// Turns a model's reference vectors into the generated mlif_data.c the benchmark program checks
// against: inputs in the model input's own representation (quantized as TFLite does), expected
// outputs quantized with the output's scale/zero point, or float32 compared with a tolerance.
import { readFileSync } from 'node:fs';
import type { LoadArtifact, TensorInfo } from '../../core/artifacts.js';
import { MlbenchError } from '../../core/errors.js';
import { DTYPE_BYTES, type DType } from '../../core/model.js';
import { quantize, readFloat32File } from '../../frontends/tflite/reference.js';

/** enum mlif_output_kind in c/mlif_data.h */
export const OUTPUT_KIND = { bytes: 0, int8: 1, uint8: 2, float32: 3 } as const;

export interface ValidationData {
  vectors: number;
  inputs: Uint8Array[][];
  expected: Uint8Array[][];
  outputKinds: number[];
}

function elementCount(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

function encode(values: ArrayLike<number>, dtype: DType): Uint8Array {
  const n = values.length;
  switch (dtype) {
    case 'int8':
      return new Uint8Array(Int8Array.from(values).buffer);
    case 'uint8':
      return Uint8Array.from(values);
    case 'int16':
      return new Uint8Array(Int16Array.from(values).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(values).buffer);
    case 'float32':
      return new Uint8Array(Float32Array.from(values).buffer);
    default:
      throw new MlbenchError('unsupported', `reference data for ${dtype} tensors is not supported (${n} values)`);
  }
}

/** Real values → the tensor's stored representation. */
function toTensor(real: ArrayLike<number>, t: TensorInfo, what: string): Uint8Array {
  if (t.dtype === 'float32') return encode(real, 'float32');
  // Unquantized integers (int32 token ids) given as float32 values: the values themselves.
  if (t.dtype === 'int32' && t.scale === undefined) return encode(Array.from(real, Math.round), 'int32');
  if (t.scale === undefined || t.zeroPoint === undefined) {
    throw new MlbenchError('model', `${what} (${t.name}) is ${t.dtype} without quantization parameters`);
  }
  const q = Array.from(real, (v) => quantize(v, t.scale!, t.zeroPoint!, t.dtype));
  return encode(q, t.dtype);
}

function checkSize(bytes: Uint8Array, t: TensorInfo, file: string): Uint8Array {
  const want = elementCount(t) * (DTYPE_BYTES[t.dtype] ?? 1);
  if (bytes.length !== want) {
    throw new MlbenchError('model', `reference file ${file} gives ${bytes.length} bytes, ${t.name} needs ${want}`, {
      hint: 'the reference data does not belong to this model',
    });
  }
  return bytes;
}

function inputBytes(file: string, format: LoadArtifact['reference']['inputFormat'], t: TensorInfo): Uint8Array {
  if (format === 'raw') return checkSize(new Uint8Array(readFileSync(file)), t, file);
  const real = format === 'float32' ? readFloat32File(file) : new Uint8Array(readFileSync(file));
  return checkSize(toTensor(real, t, 'input'), t, file);
}

function outputBytes(file: string, format: LoadArtifact['reference']['outputFormat'], t: TensorInfo): Uint8Array {
  if (format === 'raw') return checkSize(new Uint8Array(readFileSync(file)), t, file);
  return checkSize(toTensor(readFloat32File(file), t, 'output'), t, file);
}

function kindOf(t: TensorInfo): number {
  if (t.dtype === 'int8') return OUTPUT_KIND.int8;
  if (t.dtype === 'uint8') return OUTPUT_KIND.uint8;
  if (t.dtype === 'float32') return OUTPUT_KIND.float32;
  return OUTPUT_KIND.bytes;
}

export function validationData(
  reference: LoadArtifact['reference'],
  inputs: TensorInfo[],
  outputs: TensorInfo[],
): ValidationData {
  const data: ValidationData = { vectors: 0, inputs: [], expected: [], outputKinds: outputs.map(kindOf) };
  for (const v of reference.vectors) {
    if (v.inputs.length !== inputs.length || v.outputs.length !== outputs.length) {
      throw new MlbenchError(
        'model',
        `reference vector ${v.index} has ${v.inputs.length} inputs / ${v.outputs.length} outputs, the model ${inputs.length} / ${outputs.length}`,
      );
    }
    data.inputs.push(v.inputs.map((f, i) => inputBytes(f, reference.inputFormat, inputs[i])));
    data.expected.push(v.outputs.map((f, i) => outputBytes(f, reference.outputFormat, outputs[i])));
    data.vectors++;
  }
  return data;
}

function byteArray(name: string, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) {
    lines.push(`  ${Array.from(bytes.subarray(i, i + 24), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')},`);
  }
  // A zero-length array is not valid C; keep one byte, the size table says 0.
  if (bytes.length === 0) lines.push('  0x00,');
  return `static const unsigned char ${name}[] __attribute__((aligned(8))) = {\n${lines.join('\n')}\n};\n`;
}

export interface DataSourceOptions {
  numInputs: number;
  numOutputs: number;
  toleranceLsb: number;
  floatTolerance: number;
  /**
   * The outputs are class scores (the model ends in SOFTMAX): a vector passes only when the
   * reference's top-1 class is also the output's. Meaningless for other outputs (an
   * autoencoder's reconstruction), so not checked there. Default false.
   */
  checkTop1?: boolean;
}

/** The C source of mlif_data.c (see c/mlif_data.h). `data` undefined: no validation. */
export function dataSource(data: ValidationData | undefined, o: DataSourceOptions): string {
  const parts: string[] = ['/* Generated by mlbench (src/platforms/mlif/reference-data.ts). */', '#include "mlif_data.h"', ''];
  const inNames: string[] = [];
  const inSizes: number[] = [];
  const outNames: string[] = [];
  const outSizes: number[] = [];
  for (let v = 0; v < (data?.vectors ?? 0); v++) {
    data!.inputs[v].forEach((b, i) => {
      const n = `mlif_in_${v}_${i}`;
      parts.push(byteArray(n, b));
      inNames.push(n);
      inSizes.push(b.length);
    });
    data!.expected[v].forEach((b, o2) => {
      const n = `mlif_out_${v}_${o2}`;
      parts.push(byteArray(n, b));
      outNames.push(n);
      outSizes.push(b.length);
    });
  }
  const list = (xs: (string | number)[], empty: string): string => (xs.length ? xs.join(', ') : empty);
  const kinds = data?.outputKinds ?? [];
  parts.push(
    `const int mlif_num_vectors = ${data?.vectors ?? 0};`,
    `const int mlif_num_inputs = ${o.numInputs};`,
    `const int mlif_num_outputs = ${o.numOutputs};`,
    `const unsigned char *const mlif_input_data[] = {${list(inNames, '0')}};`,
    `const size_t mlif_input_bytes[] = {${list(inSizes, '0')}};`,
    `const unsigned char *const mlif_expected_data[] = {${list(outNames, '0')}};`,
    `const size_t mlif_expected_bytes[] = {${list(outSizes, '0')}};`,
    `const unsigned char mlif_output_kinds[] = {${list(kinds, '0')}};`,
    `const int mlif_tolerance_lsb = ${Math.trunc(o.toleranceLsb)};`,
    `const int mlif_check_top1 = ${o.checkTop1 ? 1 : 0};`,
    // %.9g round-trips a float32 exactly.
    `const float mlif_float_tolerance = (float)(${Number(o.floatTolerance.toPrecision(9))});`,
    '',
  );
  return parts.join('\n');
}
