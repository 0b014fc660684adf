// Reference vectors → the bytes compiled into mlif_data.c.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadArtifact, TensorInfo } from '../../src/core/artifacts.js';
import { MlbenchError } from '../../src/core/errors.js';
import { dataSource, OUTPUT_KIND, validationData } from '../../src/platforms/mlif/reference-data.js';

const dir = mkdtempSync(join(tmpdir(), 'mlbench-refdata-'));
function file(name: string, data: Uint8Array | Float32Array): string {
  const p = join(dir, name);
  writeFileSync(p, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return p;
}

const int8In: TensorInfo = { name: 'in', shape: [4], dtype: 'int8', scale: 0.5, zeroPoint: -3 };
const int8Out: TensorInfo = { name: 'out', shape: [2], dtype: 'int8', scale: 0.25, zeroPoint: 10 };

function reference(inputFormat: LoadArtifact['reference']['inputFormat'], inputs: string[], outputs: string[]) {
  return { inputFormat, outputFormat: 'float32' as const, vectors: [{ index: 0, inputs, outputs }] };
}

describe('validation data', () => {
  it('quantizes float32 inputs and expected outputs with TFLite rounding (half away from zero)', () => {
    const inp = file('f.bin', new Float32Array([0, 0.25, -0.25, 100]));
    const out = file('o.bin', new Float32Array([0.125, -0.375]));
    const d = validationData(reference('float32', [inp], [out]), [int8In], [int8Out]);
    // 0/0.5-3=-3; 0.5 rounds to 1 → -2; -0.5 → -1 → -4; 200-3 clamps to 127.
    expect(Array.from(new Int8Array(d.inputs[0][0].buffer))).toEqual([-3, -2, -4, 127]);
    // 0.5 → 1 + 10 = 11; -1.5 → -2 + 10 = 8
    expect(Array.from(new Int8Array(d.expected[0][0].buffer))).toEqual([11, 8]);
    expect(d.outputKinds).toEqual([OUTPUT_KIND.int8]);
  });

  it('treats uint8-offset inputs as real values (resnet: scale 1, zero point -128)', () => {
    const resnetIn: TensorInfo = { name: 'in', shape: [3], dtype: 'int8', scale: 1, zeroPoint: -128 };
    const inp = file('u.bin', new Uint8Array([0, 128, 255]));
    const out = file('o2.bin', new Float32Array([0.25, 0]));
    const d = validationData(reference('uint8-offset', [inp], [out]), [resnetIn], [int8Out]);
    expect(Array.from(new Int8Array(d.inputs[0][0].buffer))).toEqual([-128, 0, 127]);
  });

  it('keeps raw inputs and float32 outputs as they are', () => {
    const floatOut: TensorInfo = { name: 'y', shape: [1], dtype: 'float32' };
    const inp = file('r.bin', new Uint8Array([1, 2, 3, 4]));
    const out = file('y.bin', new Float32Array([0.75]));
    const d = validationData(reference('raw', [inp], [out]), [int8In], [floatOut]);
    expect(Array.from(d.inputs[0][0])).toEqual([1, 2, 3, 4]);
    expect(Array.from(new Float32Array(d.expected[0][0].buffer))).toEqual([0.75]);
    expect(d.outputKinds).toEqual([OUTPUT_KIND.float32]);
  });

  it('refuses reference data of the wrong size', () => {
    const inp = file('short.bin', new Float32Array([1, 2]));
    const out = file('o3.bin', new Float32Array([0, 0]));
    expect(() => validationData(reference('float32', [inp], [out]), [int8In], [int8Out])).toThrow(MlbenchError);
  });

  it('writes a C source with the tables the harness reads', () => {
    const src = dataSource(undefined, { numInputs: 1, numOutputs: 2, toleranceLsb: 1, floatTolerance: 0 });
    expect(src).toContain('const int mlif_num_vectors = 0;');
    expect(src).toContain('const int mlif_num_outputs = 2;');
    expect(src).toContain('const int mlif_tolerance_lsb = 1;');
    expect(src).toContain('const float mlif_float_tolerance = (float)(0);');
  });
});
