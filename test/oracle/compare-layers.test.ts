// Layer-by-layer comparison on aww: mlbaot agrees with the oracle within ±1 LSB at every layer,
// and a weight byte planted wrong on the engine side only is traced to its exact layer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Model } from '../../src/core/model.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { compareLayers, formatLayerComparison, type LayerComparison } from '../../src/frameworks/litert/compare-layers.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';

const modelsDir = sharedModelsDir();
if (!modelsDir) console.warn('skipping compare-layers tests: shared models not found (set MLBENCH_MODELS)');
const awwDir = join(modelsDir ?? '', 'aww');
const aww = join(awwDir, 'aww.tflite');

/** Flips the sign bit of one weight of operator `op` (a copy: the oracle keeps the original). */
function flipWeight(op: number, byte: number): (m: Model) => Model {
  return (m) => {
    const wi = m.operators[op].inputs[1];
    const data = m.tensors[wi].data!.slice();
    data[byte] ^= 0x80;
    return { ...m, tensors: m.tensors.map((t) => (t.index === wi ? { ...t, data } : t)) };
  };
}

describe.skipIf(!modelsDir)('compareLayers', () => {
  let oracle: Oracle;
  // One work dir for the unmodified model: the host runner reuses its compiled program.
  const engine = { workDir: mkdtempSync(join(tmpdir(), 'mlbench-compare-aww-')) };
  beforeAll(async () => { oracle = await loadOracle(); });

  test('aww, reference vector 0: every layer within ±1 LSB', async () => {
    const r = await compareLayers(aww, { vector: 0, modelDir: awwDir }, { oracle, engine });
    expect(r.layers.map((l) => l.opcode)).toEqual([
      'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D',
      'DEPTHWISE_CONV_2D', 'CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX',
    ]);
    expect(r.firstDifferingLayer).toBeUndefined();
    for (const l of r.layers) {
      expect(l.maxDiff).toBeLessThanOrEqual(1);
      expect(l.offByOne).toBe(l.differing);
    }
    // ±1 differences are rare: under 0.5% of each layer's elements.
    for (const l of r.layers) expect(l.differing / l.elements).toBeLessThan(0.005);
    const text = formatLayerComparison(r);
    expect(text).toContain('aww.tflite (reference vector 0)');
    expect(text).toContain(`all 13 layers agree within tolerance`);
  });

  test('a weight flipped on the engine side only is named at its layer', async () => {
    const r: LayerComparison = await compareLayers(aww, { vector: 0, modelDir: awwDir }, { oracle, engineModel: flipWeight(4, 0) });
    expect(r.firstDifferingLayer?.index).toBe(4);
    expect(r.firstDifferingLayer?.opcode).toBe('CONV_2D');
    expect(r.layers[4].maxDiff).toBeGreaterThan(1);
    // Every other layer, fed the oracle's own inputs, still agrees.
    expect(r.layers.filter((l) => !l.withinTolerance).map((l) => l.index)).toEqual([4]);
    expect(formatLayerComparison(r)).toContain('first layer beyond tolerance: #4 CONV_2D');
  });

  test('raw input bytes work as well as a reference vector', async () => {
    const zeros = [new Uint8Array(490)];
    const r = await compareLayers(aww, zeros, { oracle, engine });
    expect(r.vector).toBeUndefined();
    expect(r.layers).toHaveLength(13);
    expect(r.firstDifferingLayer).toBeUndefined();
  });
});
