import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping the profile test: shared models not found (set MLBENCH_MODELS)');

describe.skipIf(!shared)('profile feature', () => {
  it('per-layer instructions of aww on riscv_qemu add up to Run Instructions', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'aww', '-t', 'riscv_qemu', '-f', 'profile']);
    expect(r.exitCode).toBe(0);
    const [row] = readCsv(join(home, 'sessions', '1', 'report.csv'));
    const runDir = join(home, 'sessions', '1', 'runs', readdirSync(join(home, 'sessions', '1', 'runs'))[0]);
    const layers = readFileSync(join(runDir, 'run', 'profile.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const names = layers.map((l) => l[0]);
    expect(names.filter((n) => n.startsWith('mlb_layer_')).length).toBeGreaterThanOrEqual(12);
    expect(layers.reduce((a, l) => a + Number(l[1]), 0)).toBe(Number(row['Run Instructions']));
    expect(row['Top Layer']).toMatch(/^mlb_layer_\d+_\w+ \(\d+\.\d%\)$/);
  });
});
