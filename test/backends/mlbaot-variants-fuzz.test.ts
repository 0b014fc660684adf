// The code variants of mlbaot's MAC layers (variants.ts) on the seeded single-operator fuzz
// cases against the LiteRT oracle: every variant must stay bit-exact in fp32 mode (and within
// 1 LSB in tflm mode), exactly like the default code path that test/fuzz checks.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VARIANTS } from '../../src/backends/mlbaot/variants.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { fuzzCase, fuzzSeed, mergeCases, type FuzzOperator } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';

const OPS: FuzzOperator[] = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'];
const CASES = 42;
const VECTORS = 3;
const MODES = [
  { requantize: 'fp32', tolerance: 0 },
  { requantize: 'tflm', tolerance: 1 },
] as const;

describe.each(MODES)('mlbaot variants vs LiteRT oracle (requantize=$requantize)', (mode) => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await loadOracle();
  });
  afterAll(() => oracle?.dispose());

  for (const op of OPS) {
    test(`${op}: ${CASES} cases, every variant`, async () => {
      const cases = Array.from({ length: CASES }, (_, i) => fuzzCase(op, fuzzSeed(op, i), VECTORS));
      const merged = mergeCases(cases, `variants_${op.toLowerCase()}`);
      const expected = await oracleOutputs(oracle, writeTflite(merged.model), merged.vectors);
      const failures: string[] = [];
      for (const variant of VARIANTS) {
        const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors, {
          config: { 'mlbaot.requantize': mode.requantize, 'mlbaot.variant': variant },
        });
        cases.forEach((c, k) => {
          for (let v = 0; v < VECTORS; v++) {
            for (const pos of merged.outputPositions[k]) {
              const d = diffTensors(expected[v][pos], actual[v][pos], 'int8');
              if (d.maxDiff > mode.tolerance) {
                failures.push(`${variant} ${op} seed=${c.seed} vector=${v}: max |diff| ${d.maxDiff}, params ${JSON.stringify(c.params)}`);
              }
            }
          }
        });
      }
      expect(failures.length, failures.slice(0, 4).join('\n')).toBe(0);
    });
  }
});
