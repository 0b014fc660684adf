// Every shared model parses into exactly the structure and figures read from the files
// (MACs and constant bytes match docs/ANCHORS.md, where kB = 1024 bytes).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { summarize } from '../../src/frontends/tflite/summary.js';
import { HAVE_MODELS, MODELS_DIR, modelBytes, warnIfMissing } from './shared-models.js';

warnIfMissing('frontends/models');

interface Expected {
  ops: [string, number][];
  macs: number;
  constantBytes: number;
  tensors: number;
  bytes: number;
  sha256: string;
  layerMacs: number[];
  input: { name: string; shape: number[]; dtype: string; scale?: number; zeroPoint?: number };
  output: { name: string; shape: number[]; dtype: string; scale?: number; zeroPoint?: number };
  description: string;
}

const EXPECTED: Record<string, Expected> = {
  aww: {
    ops: [['CONV_2D', 5], ['DEPTHWISE_CONV_2D', 4], ['AVERAGE_POOL_2D', 1], ['RESHAPE', 1], ['FULLY_CONNECTED', 1], ['SOFTMAX', 1]],
    macs: 2_656_768,
    constantBytes: 24_376,
    tensors: 35,
    bytes: 59_648,
    sha256: 'd408165ef64b8f05f1b7e92102e89064d849bd70ba5ac82e78429ba7ef761f02',
    layerMacs: [320000, 72000, 512000, 72000, 512000, 72000, 512000, 72000, 512000, 0, 0, 768, 0],
    input: { name: 'input_1', shape: [1, 49, 10, 1], dtype: 'int8', scale: 0.5748363733291626, zeroPoint: 87 },
    output: { name: 'Identity', shape: [1, 12], dtype: 'int8', scale: 0.00390625, zeroPoint: -128 },
    description: 'MLIR Converted.',
  },
  vww: {
    ops: [['CONV_2D', 14], ['DEPTHWISE_CONV_2D', 13], ['AVERAGE_POOL_2D', 1], ['RESHAPE', 1], ['FULLY_CONNECTED', 1], ['SOFTMAX', 1]],
    macs: 7_489_664,
    constantBytes: 219_072,
    tensors: 89,
    bytes: 333_288,
    sha256: '597a384c8c2c8a1276f04702f25013b7838f2f814f1ca7c174d295b73e3d6b7b',
    layerMacs: [
      497664, 165888, 294912, 82944, 294912, 165888, 589824, 41472, 294912, 82944, 589824, 20736, 294912, 41472, 589824,
      41472, 589824, 41472, 589824, 41472, 589824, 41472, 589824, 10368, 294912, 20736, 589824, 0, 0, 512, 0,
    ],
    input: { name: 'input_1_int8', shape: [1, 96, 96, 3], dtype: 'int8', scale: 0.003921568859368563, zeroPoint: -128 },
    output: { name: 'Identity_int8', shape: [1, 2], dtype: 'int8', scale: 0.00390625, zeroPoint: -128 },
    description: 'MLIR Converted.',
  },
  resnet: {
    ops: [['CONV_2D', 9], ['ADD', 3], ['AVERAGE_POOL_2D', 1], ['RESHAPE', 1], ['FULLY_CONNECTED', 1], ['SOFTMAX', 1]],
    macs: 12_501_632,
    constantBytes: 78_752,
    tensors: 38,
    bytes: 98_496,
    sha256: '3c002613d1b2475eb51dd78dfb85a546c8ae658dee71cf6ade43b022fe205415',
    layerMacs: [442368, 2359296, 2359296, 0, 1179648, 2359296, 131072, 0, 1179648, 2359296, 131072, 0, 0, 0, 640, 0],
    input: { name: 'input_1_int8', shape: [1, 32, 32, 3], dtype: 'int8', scale: 1, zeroPoint: -128 },
    output: { name: 'Identity_int8', shape: [1, 10], dtype: 'int8', scale: 0.00390625, zeroPoint: -128 },
    description: 'MLIR Converted.',
  },
  toycar: {
    ops: [['FULLY_CONNECTED', 10]],
    macs: 264_192,
    constantBytes: 270_880,
    tensors: 31,
    bytes: 276_976,
    sha256: '87cf24194ef93d1d9b11a591d805526b98008e351655d29883c825c9c106ba24',
    layerMacs: [81920, 16384, 16384, 16384, 1024, 1024, 16384, 16384, 16384, 81920],
    input: { name: 'input_1', shape: [1, 640], dtype: 'int8', scale: 0.3910152316093445, zeroPoint: 89 },
    output: { name: 'Identity', shape: [1, 640], dtype: 'int8', scale: 0.36449846625328064, zeroPoint: 96 },
    description: 'MLIR Converted.',
  },
  sine_model: {
    ops: [['FULLY_CONNECTED', 3]],
    macs: 288,
    constantBytes: 1_284,
    tensors: 10,
    bytes: 3_120,
    sha256: '74b1afd0b7fa5704502a9167da9cb12591def74acd1006f596bfcac67f63d4c4',
    layerMacs: [16, 256, 16],
    input: { name: 'dense_2_input', shape: [1, 1], dtype: 'float32' },
    output: { name: 'Identity', shape: [1, 1], dtype: 'float32' },
    description: 'TOCO Converted.',
  },
};

describe.skipIf(!HAVE_MODELS)('shared models parse with exact facts', () => {
  for (const [name, e] of Object.entries(EXPECTED)) {
    test(name, () => {
      const bytes = modelBytes(name);
      const model = readTflite(bytes, `${name}.tflite`);
      const s = summarize(model, bytes);
      expect(model.version).toBe(3);
      expect(model.subgraphCount).toBe(1);
      expect(model.description).toBe(e.description);
      expect(s.name).toBe(`${name}.tflite`);
      expect(s.ops.map((o) => [o.opcode, o.count])).toEqual(e.ops);
      expect(s.macs).toBe(e.macs);
      expect(s.layers.map((l) => l.macs)).toEqual(e.layerMacs);
      expect(s.constantBytes).toBe(e.constantBytes);
      expect(s.tensorCount).toBe(e.tensors);
      expect(s.bytes).toBe(e.bytes);
      expect(s.sha256).toBe(e.sha256);
      expect(s.inputs).toEqual([e.input]);
      expect(s.outputs).toEqual([e.output]);
    });
  }

  test('anchor figures: MACs in millions and constant data in kB (1024 bytes)', () => {
    const figures = Object.fromEntries(
      ['aww', 'vww', 'resnet', 'toycar'].map((name) => {
        const bytes = modelBytes(name);
        const s = summarize(readTflite(bytes, name), bytes);
        return [name, [(s.macs / 1e6).toFixed(2), (s.constantBytes / 1024).toFixed(1)]];
      }),
    );
    expect(figures).toEqual({
      aww: ['2.66', '23.8'],
      vww: ['7.49', '213.9'],
      resnet: ['12.50', '76.9'],
      toycar: ['0.26', '264.5'],
    });
  });

  test('aww first layer: shapes, options, per-channel quantization, data', () => {
    const model = readTflite(modelBytes('aww'), 'aww.tflite');
    const s = summarize(model, modelBytes('aww'));
    expect(s.layers[0]).toEqual({
      index: 0,
      opcode: 'CONV_2D',
      inputShapes: [[1, 49, 10, 1], [64, 10, 4, 1], [64]],
      outputShapes: [[1, 25, 5, 64]],
      macs: 320000,
    });
    const op = model.operators[0];
    expect(op.options).toEqual({
      kind: 'conv2d', padding: 'SAME', strideW: 2, strideH: 2, dilationW: 1, dilationH: 1, activation: 'RELU',
    });
    expect(op.builtinCode).toBe(3);
    expect(op.version).toBe(3);
    const filter = model.tensors[op.inputs[1]];
    expect(filter.dtype).toBe('int8');
    expect(filter.data?.length).toBe(64 * 10 * 4);
    expect(filter.quantization?.scale.length).toBe(64);
    expect(filter.quantization?.zeroPoint).toEqual(new Array(64).fill(0));
    expect(filter.quantization?.quantizedDimension).toBe(0);
    const bias = model.tensors[op.inputs[2]];
    expect(bias.dtype).toBe('int32');
    expect(bias.data?.length).toBe(64 * 4);
    // Activations carry no data; the graph input is not constant.
    expect(model.tensors[op.outputs[0]].data).toBeUndefined();
    expect(model.tensors[model.inputs[0]].data).toBeUndefined();
    expect(model.operators.map((o) => o.options.kind)).toEqual([
      'conv2d', 'depthwise_conv2d', 'conv2d', 'depthwise_conv2d', 'conv2d', 'depthwise_conv2d', 'conv2d',
      'depthwise_conv2d', 'conv2d', 'pool2d', 'reshape', 'fully_connected', 'softmax',
    ]);
    expect(model.operators[12].options).toEqual({ kind: 'softmax', beta: 1 });
  });

  test('test models: two inputs, three outputs, ADD options', () => {
    const add = readTflite(modelBytes('tests/model_with_add'), 'model_with_add.tflite');
    expect(add.inputs.map((i) => add.tensors[i].name)).toEqual(['x', 'y']);
    expect(add.operators).toEqual([
      { index: 0, opcode: 'ADD', builtinCode: 0, version: 1, inputs: add.inputs, outputs: add.outputs, options: { kind: 'add', activation: 'NONE' } },
    ]);
    const multi = readTflite(modelBytes('tests/model_with_multiple_outputs'), 'model_with_multiple_outputs.tflite');
    expect(multi.inputs.map((i) => multi.tensors[i].name)).toEqual(['x', 'y', 'z']);
    expect(multi.outputs.map((i) => multi.tensors[i].name)).toEqual(['Identity', 'Identity_1', 'Identity_2']);
    expect(multi.operators.map((o) => o.opcode)).toEqual(['ADD', 'ADD', 'ADD']);
  });

  test('layer slices: each parses, and its MACs equal the same layer in the full model', () => {
    const dir = join(MODELS_DIR!, 'layers');
    const full = new Map<string, number[]>();
    let checked = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.tflite'))) {
      const m = /^(\w+?)_layer(\d+)\.tflite$/.exec(f);
      if (!m) continue;
      const [, model, layer] = m;
      if (!full.has(model)) {
        const b = modelBytes(model);
        full.set(model, summarize(readTflite(b, model), b).layers.map((l) => l.macs));
      }
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      const s = summarize(readTflite(bytes, f), bytes);
      expect(s.layers.length, f).toBe(1);
      expect(s.macs, f).toBe(full.get(model)![Number(layer)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
