// Reference data detection per shared model, and the helpers that turn it into tensor bytes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { findReference, quantize, readFloat32File } from '../../src/frontends/tflite/reference.js';
import { summarize } from '../../src/frontends/tflite/summary.js';
import { HAVE_MODELS, modelBytes, modelDir, warnIfMissing } from './shared-models.js';

warnIfMissing('frontends/reference');

function referenceOf(rel: string) {
  const bytes = modelBytes(rel);
  return findReference(modelDir(rel), summarize(readTflite(bytes, rel), bytes));
}

describe('quantize', () => {
  test('rounds half away from zero and clamps to the dtype', () => {
    expect(quantize(0.5, 1, 0, 'int8')).toBe(1);
    expect(quantize(-0.5, 1, 0, 'int8')).toBe(-1);
    expect(quantize(1.5, 1, 0, 'int8')).toBe(2);
    expect(quantize(2.5, 1, 0, 'int8')).toBe(3);
    expect(quantize(-2.5, 1, 0, 'int8')).toBe(-3);
    expect(quantize(0.49, 1, 0, 'int8')).toBe(0);
    expect(quantize(1000, 1, 0, 'int8')).toBe(127);
    expect(quantize(-1000, 1, 0, 'int8')).toBe(-128);
    expect(quantize(3, 0.5, -128, 'int8')).toBe(-122);
    expect(quantize(300, 1, 0, 'uint8')).toBe(255);
    expect(quantize(-5, 0.25, 10, 'int16')).toBe(-10);
    // resnet: scale 1, zero point -128 maps pixel p to p - 128
    expect(quantize(255, 1, -128, 'int8')).toBe(127);
    expect(quantize(0, 1, -128, 'int8')).toBe(-128);
  });
  test('refuses what it cannot quantize to', () => {
    expect(() => quantize(1, 1, 0, 'float32')).toThrow(MlbenchError);
    expect(() => quantize(1, 0, 0, 'int8')).toThrow(/scale 0/);
  });
});

describe('readFloat32File', () => {
  test('reads little-endian floats and respects the Buffer offset of small pooled reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-ref-'));
    const values = [1.5, -2.25, 3.0e-8, 1024];
    const buf = Buffer.alloc(16);
    values.forEach((v, i) => buf.writeFloatLE(v, 4 * i));
    writeFileSync(join(dir, 'a.bin'), buf);
    expect([...readFloat32File(join(dir, 'a.bin'))]).toEqual([1.5, -2.25, Math.fround(3.0e-8), 1024]);
    writeFileSync(join(dir, 'odd.bin'), Buffer.alloc(6));
    expect(() => readFloat32File(join(dir, 'odd.bin'))).toThrow(/6 bytes is not a whole number of float32 values/);
  });
});

describe.skipIf(!HAVE_MODELS)('reference data of the shared models', () => {
  const cases: [string, 'float32' | 'uint8-offset' | 'raw', 'float32' | 'raw', number, string, string][] = [
    ['aww', 'float32', 'float32', 10, 'input/0.bin', 'output_tflite/0.bin'],
    ['vww', 'float32', 'float32', 10, 'input/0.bin', 'output_tflite/0.bin'],
    ['resnet', 'uint8-offset', 'float32', 10, 'input/0.bin', 'output_tflite/0.bin'],
    ['toycar', 'float32', 'float32', 10, 'input/0.bin', 'output_tflite/0.bin'],
    ['sine_model', 'float32', 'float32', 4, 'input/0.bin', 'output/0.bin'],
  ];
  for (const [rel, inFmt, outFmt, count, firstIn, firstOut] of cases) {
    test(rel, () => {
      const r = referenceOf(rel);
      expect(r.inputFormat).toBe(inFmt);
      expect(r.outputFormat).toBe(outFmt);
      expect(r.vectors.map((v) => v.index)).toEqual([...Array(count).keys()]);
      expect(r.vectors[0]).toEqual({ index: 0, inputs: [join(modelDir(rel), firstIn)], outputs: [join(modelDir(rel), firstOut)] });
    });
  }

  test('resnet inputs are unsigned pixels, vww inputs float32 in [0, 1]', () => {
    const resnet = readFileSync(join(modelDir('resnet'), 'input/0.bin'));
    expect(Math.max(...resnet)).toBeGreaterThan(127); // raw int8 would read these as negatives
    const vww = readFloat32File(join(modelDir('vww'), 'input/0.bin'));
    expect(vww.length).toBe(96 * 96 * 3);
    expect(Math.min(...vww)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...vww)).toBeLessThanOrEqual(1);
  });

  test('multi-input and multi-output test models use N_K.bin', () => {
    const add = referenceOf('tests/model_with_add');
    const dir = modelDir('tests/model_with_add');
    expect(add.inputFormat).toBe('float32');
    expect(add.vectors).toEqual([
      { index: 0, inputs: [join(dir, 'input/0_0.bin'), join(dir, 'input/0_1.bin')], outputs: [join(dir, 'output/0.bin')] },
      { index: 1, inputs: [join(dir, 'input/1_0.bin'), join(dir, 'input/1_1.bin')], outputs: [join(dir, 'output/1.bin')] },
    ]);
    const multi = referenceOf('tests/model_with_multiple_outputs');
    const mdir = modelDir('tests/model_with_multiple_outputs');
    expect(multi.vectors.length).toBe(2);
    // The data folder holds a fourth input file per vector for this three-input model: ignored.
    expect(multi.vectors[1]).toEqual({
      index: 1,
      inputs: [0, 1, 2].map((k) => join(mdir, `input/1_${k}.bin`)),
      outputs: [0, 1, 2].map((k) => join(mdir, `output/1_${k}.bin`)),
    });
  });

  test('a model folder without data has no vectors; a file of the wrong size is an error', () => {
    const bytes = modelBytes('aww');
    const summary = summarize(readTflite(bytes, 'aww.tflite'), bytes);
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-ref-'));
    expect(findReference(dir, summary)).toEqual({ inputFormat: 'raw', outputFormat: 'raw', vectors: [] });
    mkdirSync(join(dir, 'input'));
    writeFileSync(join(dir, 'input', '0.bin'), Buffer.alloc(490)); // int8 bytes: raw
    writeFileSync(join(dir, 'input', '1.bin'), Buffer.alloc(490 * 4)); // float32: disagrees
    expect(() => findReference(dir, summary)).toThrow(/1\.bin: 1960 bytes does not fit input input_1 \[1x49x10x1\] int8 as raw/);
    writeFileSync(join(dir, 'input', '1.bin'), Buffer.alloc(491));
    expect(() => findReference(dir, summary)).toThrow(/491 bytes does not fit input/);
  });
});
