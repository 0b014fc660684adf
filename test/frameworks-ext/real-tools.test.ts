// The whole flow on riscv_qemu with validation, on a real TFLM. There is no stand-in for it:
// without MLBENCH_TFLM_DIR these tests are skipped, saying why (TVM: tvm-real.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const models = sharedModelsDir();
const tflm = process.env.MLBENCH_TFLM_DIR;
if (!tflm) console.log('real-tools: TFLM flow skipped: MLBENCH_TFLM_DIR does not point to a tflite-micro tree');
if (!models) console.log('real-tools: skipped: no shared model zoo (MLBENCH_MODELS)');

async function flowOnQemu(backends: string[]): Promise<Record<string, string>[]> {
  const home = tempHome();
  const r = await mlbench(home, ['flow', 'run', 'aww', ...backends.flatMap((b) => ['-b', b]), '-t', 'riscv_qemu', '-f', 'validate']);
  expect(r.stderr).toContain(`${backends.length} ok, 0 failed`);
  return readCsv(join(home, 'sessions', '1', 'report.csv'));
}

describe.skipIf(!tflm || !models)('TFLM on riscv_qemu', () => {
  it('tflmi builds, runs and validates aww', async () => {
    const [row] = await flowOnQemu(['tflmi']);
    expect(row.Backend).toBe('tflmi');
    expect(row.Framework).toBe('tflm');
    expect(Number(row['Model Arena'])).toBe(32768);
    expect(Number(row['Run Instructions'])).toBeGreaterThan(0);
    expect(row.Validation).toMatch(/^pass /);
  }, 1_800_000);
});
