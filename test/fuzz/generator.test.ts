// The fuzz generator itself: reproducible from a seed, and the oracle computes the trivially
// checkable operators exactly as their definition says.
import { describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { FUZZ_OPERATORS, fuzzCase, fuzzSeed, mergeCases } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { createRng } from '../../src/frameworks/litert/prng.js';

describe('fuzz model generator', () => {
  test('the PRNG is mulberry32: fixed first values for seed 1', () => {
    const r = createRng(1);
    expect([r.next(), r.next(), r.next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  test('a seed always yields the same model bytes and vectors', () => {
    for (const op of FUZZ_OPERATORS) {
      const a = fuzzCase(op, fuzzSeed(op, 3));
      const b = fuzzCase(op, fuzzSeed(op, 3));
      expect(writeTflite(a.model)).toEqual(writeTflite(b.model));
      expect(a.vectors).toEqual(b.vectors);
    }
  });

  test('seeds differ across operators and cases', () => {
    const seeds = FUZZ_OPERATORS.flatMap((op) => Array.from({ length: 100 }, (_, i) => fuzzSeed(op, i)));
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  test('written models read back with the same operators and quantization', () => {
    const c = fuzzCase('DEPTHWISE_CONV_2D', fuzzSeed('DEPTHWISE_CONV_2D', 0));
    const back = readTflite(writeTflite(c.model), 'x.tflite');
    expect(back.operators.map((o) => [o.opcode, o.options])).toEqual(c.model.operators.map((o) => [o.opcode, o.options]));
    expect(back.tensors.map((t) => t.quantization)).toEqual(c.model.tensors.map((t) => t.quantization));
  });

  test('oracle: DEQUANTIZE is fround((q − zp) × scale) and RESHAPE copies, exactly', async () => {
    const oracle = await loadOracle();
    const cases = [fuzzCase('DEQUANTIZE', 11), fuzzCase('RESHAPE', 12)];
    const merged = mergeCases(cases);
    for (const v of merged.vectors) {
      const [deq, reshaped] = await oracle.run(writeTflite(merged.model), v);
      const { scale: [s], zeroPoint: [zp] } = cases[0].model.tensors[0].quantization!;
      const q = new Int8Array(v[0].slice().buffer);
      expect(new Float32Array(deq.slice().buffer)).toEqual(Float32Array.from(q, (x) => Math.fround((x - zp) * s)));
      expect(reshaped).toEqual(v[1]);
    }
  });
});
