// MEAN, REDUCE_MAX, TRANSPOSE, STRIDED_SLICE, CAST and the standalone activations without a
// compiler: options survive the writer and reader, unsupported forms are refused with reasons,
// the generated C names its constants, and int32 token-id reference files are read as int32.
// (Numerics: test/fuzz/operators.test.ts; end to end: mlbaot-text-classifier.test.ts.)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Model } from '../../src/core/model.js';
import { generateSources } from '../../src/backends/mlbaot/generator.js';
import { meanMultiplier } from '../../src/backends/mlbaot/layers-reduce.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { ModelBuilder, float32Bytes, int32Bytes, quant } from '../../src/frameworks/litert/model-builder.js';
import { textClassifier } from '../../src/frameworks/litert/text-classifier.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { findReference } from '../../src/frontends/tflite/reference.js';
import { summarize } from '../../src/frontends/tflite/summary.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { validationData } from '../../src/platforms/mlif/reference-data.js';

const q = quant([0.05], [3]);
const roundTrip = (m: Model): Model => readTflite(writeTflite(m), m.name);

function sliceModel(mask: Partial<Record<'beginMask' | 'endMask' | 'ellipsisMask' | 'shrinkAxisMask', number>> = {}): Model {
  const b = new ModelBuilder();
  const x = b.tensor('x', [4, 6], 'int8', { quantization: q });
  const y = b.tensor('y', [2, 5], 'int8', { quantization: q });
  const c = (name: string, v: number[]): number => b.tensor(name, [2], 'int32', { data: int32Bytes(v) });
  b.op('STRIDED_SLICE', 1, [x, c('begin', [0, 1]), c('end', [4, 6]), c('strides', [2, 1])], [y], {
    kind: 'strided_slice', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false, ...mask,
  });
  return b.finish('slice', [x], [y]);
}

describe('tensor operators: options, support, generated code', () => {
  test('MEAN keep_dims, STRIDED_SLICE masks and LEAKY_RELU alpha survive the writer and reader', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [1, 3, 3, 2], 'float32');
    const m = b.tensor('m', [1, 1, 1, 2], 'float32');
    const l = b.tensor('l', [1, 1, 1, 2], 'float32');
    b.op('MEAN', 1, [x, b.tensor('axes', [2], 'int32', { data: int32Bytes([1, 2]) })], [m], { kind: 'reducer', keepDims: true });
    b.op('LEAKY_RELU', 1, [m], [l], { kind: 'leaky_relu', alpha: Math.fround(0.2) });
    const read = roundTrip(b.finish('opts', [x], [l]));
    expect(read.operators.map((o) => o.options)).toEqual([{ kind: 'reducer', keepDims: true }, { kind: 'leaky_relu', alpha: Math.fround(0.2) }]);
    expect(roundTrip(sliceModel({ beginMask: 1, endMask: 2 })).operators[0].options).toMatchObject({ kind: 'strided_slice', beginMask: 1, endMask: 2, shrinkAxisMask: 0 });
    expect(unsupportedReasons(read)).toEqual([]);
  });

  test('unsupported forms are refused with their reasons', () => {
    expect(unsupportedReasons(sliceModel())).toEqual([]);
    expect(unsupportedReasons(sliceModel({ ellipsisMask: 1 }))).toEqual(['operator 0 (STRIDED_SLICE): ellipsis_mask, new_axis_mask and offset are not supported']);
    const b = new ModelBuilder();
    const x = b.tensor('x', [2, 3], 'int8', { quantization: q });
    const y = b.tensor('y', [2, 3], 'int8', { quantization: quant([0.1], [3]) });
    const z = b.tensor('z', [2, 3], 'float16');
    b.op('RELU6', 1, [x], [y]);
    b.op('CAST', 1, [y], [z]);
    expect(unsupportedReasons(b.finish('bad', [x], [z]))).toEqual([
      'operator 0 (RELU6): int8 RELU6 must keep the input\'s scale and zero point (TFLite Micro only clamps)',
      'operator 1 (CAST): unsupported cast int8->float16 (between int8, int32, float32, int16, uint32, bool, int64)',
      'model input/output z has unsupported dtype float16',
    ]);
  });

  test("MEAN's multiplier folds in 1/count as TFLM's QuantizedMeanOrSum does", () => {
    // 0.5 = 2^30 · 2^(0-31); count 16: shift 4 → (2^30 << 4) / 16 = 2^30 at shift -4.
    expect(meanMultiplier(0.5, 1, 16)).toEqual({ multiplier: 2 ** 30, shift: -4 });
    // count 3: floor(log2 3) = 1 → (2^30 << 1) / 3, truncated.
    expect(meanMultiplier(0.5, 1, 3)).toEqual({ multiplier: Math.floor(2 ** 31 / 3), shift: -1 });
  });

  test('the text classifier generates one readable function per layer with an int32 input', () => {
    const src = generateSources(textClassifier('int8'));
    expect(src.layerFunctions).toEqual(['mlb_layer_0_gather', 'mlb_layer_1_mean', 'mlb_layer_2_fully_connected', 'mlb_layer_3_softmax']);
    expect(src.inputs).toEqual([{ name: 'token_ids', shape: [1, 16], dtype: 'int32' }]);
    expect(src.modelC).toMatch(/mlb_gather_bytes\(\(const uint8_t \*\)mlb_l0_params, arena \+ \d+, \(const int32_t \*\)\(arena \+ \d+\), 16, 1, 64, 16\);/);
    // fp32 mode (the default): TensorFlow Lite's float rescaling; tflm mode: TFLM's multiplier.
    expect(src.modelC).toMatch(/mlb_mean_fp32_s8\(\(const int8_t \*\)\(arena \+ \d+\), \(int8_t \*\)\(arena \+ \d+\), 1, 1, 16, 16, 0, 0, 1, 0, 16, [-+\d.e]+f, [-+\d.e]+f, 3\);/);
    expect(generateSources(textClassifier('int8'), 'tflm').modelC).toMatch(/mlb_mean_s8\(\(const int8_t \*\)\(arena \+ \d+\), \(int8_t \*\)\(arena \+ \d+\), 1, 1, 16, 16, 0, 0, 1, 0, 16, 0, -?\d+, -?\d+, 3\);/);
  });

  test('int32 token-id reference files are read as int32, float32 files of integers too', () => {
    const model = textClassifier('float32');
    const bytes = writeTflite(model);
    const dir = mkdtempSync(join(tmpdir(), 'mlb-int32ref-'));
    mkdirSync(join(dir, 'input'));
    mkdirSync(join(dir, 'output'));
    const ids = Array.from({ length: 16 }, (_, i) => 3 * i);
    writeFileSync(join(dir, 'input', '0.bin'), int32Bytes(ids));
    writeFileSync(join(dir, 'output', '0.bin'), new Uint8Array(16));
    const summary = summarize(readTflite(bytes, 'm'), bytes);
    const ref = findReference(dir, summary);
    expect(ref.inputFormat).toBe('raw');
    const data = validationData(ref, summary.inputs, summary.outputs);
    expect(Array.from(new Int32Array(data.inputs[0][0].slice().buffer))).toEqual(ids);
    // Beside a quantized input's float32 files, token ids come as float32 values too.
    writeFileSync(join(dir, 'ids.f32'), float32Bytes(ids));
    const vectors = [{ ...ref.vectors[0], inputs: [join(dir, 'ids.f32')] }];
    const asFloats = validationData({ ...ref, inputFormat: 'float32', vectors }, summary.inputs, summary.outputs);
    expect(Array.from(new Int32Array(asFloats.inputs[0][0].slice().buffer))).toEqual(ids);
  });
});
