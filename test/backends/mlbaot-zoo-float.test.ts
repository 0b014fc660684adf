// The float32 zoo nets shaped like users' models (CIFAR-10 CNN, magic wand) end to end on the host:
// SAME-padded float max pools, a 4x3 kernel over a 3-wide map, FC + SOFTMAX, validated against LiteRT.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { cifar10FloatModel, magicWandFloatModel } from '../../src/frameworks/litert/zoo-float-nets.js';
import { writeZooModel } from '../../src/frameworks/litert/zoo-model.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const hasGcc = whichSync('gcc') !== undefined;
if (!hasGcc) console.warn('skipping float32 zoo runs: gcc not installed');

describe.skipIf(!hasGcc)('float32 zoo nets on host_x86', () => {
  it('CIFAR-10 CNN and magic wand validate against LiteRT', async () => {
    const models = mkdtempSync(join(tmpdir(), 'mlb-zoo-float-'));
    const oracle = await loadOracle();
    const files = [];
    for (const z of [cifar10FloatModel, magicWandFloatModel]) files.push(await writeZooModel(z, models, oracle));
    oracle.dispose();
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', ...files, '-b', 'mlbaot', '-t', 'host_x86', '-f', 'validate', '-j2']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((row) => [row.Model, row.Status, row.Validation])).toEqual([
      ['cifar10_float32', 'ok', 'pass 2/2'],
      ['magic_wand_float32', 'ok', 'pass 2/2'],
    ]);
  }, 300_000);
});
