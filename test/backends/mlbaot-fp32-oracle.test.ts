// mlbaot's fp32 requantization mode against the LiteRT oracle (TFLite's XNNPACK kernels) on the
// fuzzer's random single-operator models: every output must agree bit for bit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel } from '../../src/backends/mlbaot/index.js';
import { runOnHost } from '../../src/backends/mlbaot/host-runner.js';
import { fuzzCase, fuzzSeed, mergeCases, type FuzzOperator } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { removeTempDirs, tempDir } from './reference-helpers.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';

afterAll(removeTempDirs);

const OPERATORS: FuzzOperator[] = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'QUANTIZE', 'REQUANTIZE'];
const CASES = 12;

describe('fp32 requantization vs. the LiteRT oracle', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await loadOracle();
  });

  for (const operator of OPERATORS) {
    test(`${operator}: ${CASES} random cases bit-exact`, async () => {
      // All cases side by side in one model: one compile, one process, one oracle run per vector.
      const merged = mergeCases(Array.from({ length: CASES }, (_, i) => fuzzCase(operator, fuzzSeed(operator, i), 2)));
      const dir = tempDir(`mlbaot-fp32-${operator}-`);
      const { artifact } = buildModel(merged.model, dir, { requantize: 'fp32' });
      const got = await runOnHost(dir, artifact, merged.vectors);
      const bytes = writeTflite(merged.model);
      let compared = 0;
      let differing = 0;
      for (let v = 0; v < merged.vectors.length; ++v) {
        const want = await oracle.run(bytes, merged.vectors[v]);
        want.forEach((w, o) => {
          compared += w.byteLength;
          for (let i = 0; i < w.byteLength; ++i) if (w[i] !== got[v][o][i]) differing++;
        });
      }
      expect(compared).toBeGreaterThan(0);
      expect({ operator, differing }).toEqual({ operator, differing: 0 });
    });
  }
});
