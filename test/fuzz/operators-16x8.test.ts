// 16x8 convolutions without a bias tensor: LiteRT (2.5.3) returns garbage for these and corrupts the
// other outputs of the model, so they are checked against hand-written TFLM arithmetic
// (tflm-reference-16x8.ts) instead, 42 seeded cases per operator and requantization mode, bit-exact.
import { describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { fuzzCase, fuzzSeed, mergeCases, type FuzzCase } from '../../src/frameworks/litert/fuzz-models.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { tflm16x8 } from './tflm-reference-16x8.js';

const CASES = 42;

function withoutBias(c: FuzzCase): FuzzCase {
  const [op] = c.model.operators;
  return { ...c, model: { ...c.model, operators: [{ ...op, inputs: [op.inputs[0], op.inputs[1], -1] }] } };
}

describe.each(['fp32', 'tflm'])('bias-less 16x8 convolutions (requantize=%s) vs. TFLM arithmetic', (requantize) => {
  for (const operator of ['CONV_2D_16X8', 'DEPTHWISE_CONV_2D_16X8'] as const) {
    test(`${operator} without bias, ${CASES} cases`, async () => {
      const cases = Array.from({ length: CASES }, (_, i) => withoutBias(fuzzCase(operator, fuzzSeed(operator, 1000 + i), 2)));
      const merged = mergeCases(cases, `nobias_${operator.toLowerCase()}`);
      const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors, { config: { 'mlbaot.requantize': requantize } });
      const failures: string[] = [];
      let elements = 0;
      cases.forEach((c, k) => {
        merged.vectors.forEach((vector, v) => {
          const want = tflm16x8(c.model, vector[k]);
          const d = diffTensors(new Uint8Array(want.buffer), actual[v][merged.outputPositions[k][0]], 'int16');
          elements += d.elements;
          if (d.differing > 0) failures.push(`seed ${c.seed} vector ${v}: ${d.differing}/${d.elements} differ (max ${d.maxDiff}), params ${JSON.stringify(c.params)}`);
        });
      });
      console.log(`${operator} without bias (${requantize}): ${CASES} cases, ${elements} outputs, ${failures.length} mismatching vectors`);
      expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
    });
  }
});
