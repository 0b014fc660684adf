// 16x8 convolutions without a bias tensor: LiteRT (2.5.3) returns garbage for these and corrupts the
// other outputs of the model, so they are checked against hand-written TFLM arithmetic
// (tflm-reference-16x8.ts) instead, 42 seeded cases per operator and requantization mode, bit-exact.
import { describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { fuzzCase, fuzzSeed, mergeCases, type FuzzCase } from '../../src/frameworks/litert/fuzz-models.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { tflm16x8, tflmTransposeConv16x8 } from './tflm-reference-16x8.js';
import { transposeConv16x8 } from '../../src/frameworks/litert/fuzz-models-16x8.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';

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

// TRANSPOSE_CONV 16x8: 42 seeded cases in one build, bit-exact against TFLM's arithmetic
// (tflmTransposeConv16x8) and against LiteRT, which (unlike its 16x8 CONV_2D) runs it correctly with
// and without a bias and applies the fused activation. One arithmetic in both modes: one mode runs.
describe('TRANSPOSE_CONV 16x8 vs. TFLM arithmetic and LiteRT', () => {
  test(`TRANSPOSE_CONV_16X8, ${CASES} cases`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => ({ seed: 16_0816 + 7919 * i, ...transposeConv16x8(createRng(16_0816 + 7919 * i), 4) }));
    const merged = mergeCases(cases, 'fuzz_tconv16x8');
    const tflite = writeTflite(merged.model);
    const oracle = await loadOracle();
    const litert = await oracleOutputs(oracle, tflite, merged.vectors).finally(() => oracle.dispose());
    const actual = await runMlbaotOnHost(tflite, merged.vectors, { config: { 'mlbaot.requantize': 'fp32' } });
    const failures: string[] = [];
    let [elements, litertDiffer] = [0, 0];
    cases.forEach((c, k) => {
      merged.vectors.forEach((vector, v) => {
        const pos = merged.outputPositions[k][0];
        const want = new Uint8Array(tflmTransposeConv16x8(c.model, vector[k]).buffer);
        const d = diffTensors(want, actual[v][pos], 'int16');
        const l = diffTensors(want, litert[v][pos], 'int16');
        elements += d.elements;
        litertDiffer += l.differing;
        if (d.differing > 0 || l.differing > 0) {
          failures.push(`seed ${c.seed} vector ${v}: mlbaot ${d.differing}/${d.elements} differ (max ${d.maxDiff}), LiteRT ${l.differing} (max ${l.maxDiff}), params ${JSON.stringify(c.params)}`);
        }
      });
    });
    console.log(`TRANSPOSE_CONV_16X8: ${CASES} cases, ${elements} outputs, ${failures.length} mismatching vectors, ${litertDiffer} LiteRT outputs differ from TFLM arithmetic`);
    expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
  });
});
