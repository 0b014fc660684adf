// The writer: read → write → read gives the same Model for every shared model, and
// single-operator and all-tensors-exposed rewrites are valid models.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import type { Model } from '../../src/core/model.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { summarize } from '../../src/frontends/tflite/summary.js';
import { exposeAllTensors, writeTflite } from '../../src/frontends/tflite/writer.js';
import { layoutOf } from './flatbuffer-layout.js';
import { ALL_MODELS, HAVE_MODELS, modelBytes, warnIfMissing } from './shared-models.js';

warnIfMissing('frontends/writer');

/** Deep equality; node's check compares typed arrays in bulk, vitest's diff only runs on failure. */
function expectSameModel(actual: Model, expected: Model): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
}

describe.skipIf(!HAVE_MODELS)('writer', () => {
  for (const rel of ALL_MODELS) {
    test(`round trip: ${rel}`, () => {
      const model = readTflite(modelBytes(rel), rel);
      const written = writeTflite(model);
      expect(String.fromCharCode(...written.subarray(4, 8))).toBe('TFL3');
      const again = readTflite(written, rel);
      expectSameModel(again, model);
      // Writing is deterministic: the same model gives the same bytes.
      expect(Buffer.compare(writeTflite(again), written)).toBe(0);
    });
  }

  test('constant buffers are 16-byte aligned, one per constant tensor', () => {
    const model = readTflite(modelBytes('aww'), 'aww');
    const ranges = layoutOf(writeTflite(model)).dataRanges;
    expect(ranges.length).toBe(model.tensors.filter((t) => t.data).length);
    expect(ranges.filter(([start]) => start % 16 !== 0)).toEqual([]);
  });

  test('exposeAllTensors: every operator output becomes a model output, in order', () => {
    const model = readTflite(modelBytes('aww'), 'aww');
    const exposed = exposeAllTensors(model);
    expect(exposed.outputs).toEqual(model.operators.map((o) => o.outputs[0]));
    expect(exposed.outputs.at(-1)).toBe(model.outputs[0]);
    expect(model.outputs.length).toBe(1); // the original is untouched
    const again = readTflite(writeTflite(exposed), 'aww');
    expect(summarize(again, writeTflite(exposed)).outputs.map((o) => o.shape)).toEqual([
      [1, 25, 5, 64], [1, 25, 5, 64], [1, 25, 5, 64], [1, 25, 5, 64], [1, 25, 5, 64], [1, 25, 5, 64], [1, 25, 5, 64],
      [1, 25, 5, 64], [1, 25, 5, 64], [1, 1, 1, 64], [1, 64], [1, 12], [1, 12],
    ]);
  });

  test('a single-operator model cut from resnet', () => {
    const full = readTflite(modelBytes('resnet'), 'resnet');
    const add = full.operators.find((o) => o.opcode === 'ADD')!;
    const used = [...new Set([...add.inputs, ...add.outputs])];
    const renumber = new Map(used.map((ix, i) => [ix, i]));
    const single: Model = {
      ...full,
      tensors: used.map((ix, i) => ({ ...full.tensors[ix], index: i })),
      operators: [{ ...add, index: 0, inputs: add.inputs.map((i) => renumber.get(i)!), outputs: add.outputs.map((i) => renumber.get(i)!) }],
      inputs: add.inputs.map((i) => renumber.get(i)!),
      outputs: add.outputs.map((i) => renumber.get(i)!),
    };
    const back = readTflite(writeTflite(single), 'resnet');
    expectSameModel(back, single);
    expect(back.operators[0].options).toEqual({ kind: 'add', activation: 'RELU' });
  });

  test('operators with undecoded options are refused, not written wrong', () => {
    const model = readTflite(modelBytes('sine_model'), 'sine');
    const odd: Model = { ...model, operators: model.operators.map((o) => ({ ...o, options: { kind: 'other' as const, optionsType: 27 } })) };
    expect(() => writeTflite(odd)).toThrow(MlbenchError);
    expect(() => writeTflite(odd)).toThrow('cannot write operator 0 (FULLY_CONNECTED): its options are not decoded');
  });
});
