// The whole flow on riscv_qemu with validation, on a real TFLM. There is no stand-in for it:
// without MLBENCH_TFLM_DIR these tests are skipped, saying why (TVM: tvm-real.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const models = sharedModelsDir();
const tflm = process.env.MLBENCH_TFLM_DIR;
if (!tflm) console.log('real-tools: TFLM flow skipped: MLBENCH_TFLM_DIR does not point to a tflite-micro tree');
if (!models) console.log('real-tools: skipped: no shared model zoo (MLBENCH_MODELS)');

async function flowOnQemu(backends: string[], model = 'aww', targets = ['riscv_qemu'], home = tempHome(), session = 1): Promise<Record<string, string>[]> {
  const r = await mlbench(home, ['flow', 'run', model, ...backends.flatMap((b) => ['-b', b]), ...targets.flatMap((t) => ['-t', t]), '-f', 'validate']);
  expect(r.stderr).toContain(`${backends.length * targets.length} ok, 0 failed`);
  return readCsv(join(home, 'sessions', String(session), 'report.csv'));
}

describe.skipIf(!tflm || !models)('TFLM on riscv_qemu and cortexm4_qemu', () => {
  // toycar: the smallest library (the core and the fully-connected kernels), so the suite stays
  // short; tflmc shares that library and adds the host build of its recorder.
  it('tflmi and tflmc build, run and validate toycar; a second run reuses the cached library', async () => {
    const home = tempHome();
    const rows = await flowOnQemu(['tflmi', 'tflmc'], 'toycar', ['riscv_qemu', 'cortexm4_qemu'], home);
    expect(rows.map((r) => [r.Backend, r.Framework, r.Target])).toEqual([
      ['tflmi', 'tflm', 'riscv_qemu'],
      ['tflmi', 'tflm', 'cortexm4_qemu'],
      ['tflmc', 'tflm', 'riscv_qemu'],
      ['tflmc', 'tflm', 'cortexm4_qemu'],
    ]);
    for (const row of rows) {
      // What TFLM used of the arena, not the reservation.
      expect(Number(row['Model Arena'])).toBeGreaterThan(0);
      expect(Number(row['Run Instructions'])).toBeGreaterThan(0);
      expect(row.Validation).toMatch(/^pass 10\/10/);
    }
    // tflmc runs the same kernels without the interpreter: its setup is far cheaper, its arena smaller.
    for (const t of [0, 1]) {
      const [interp, compiled] = [rows[t], rows[t + 2]];
      expect(Number(compiled['Setup Instructions'])).toBeLessThan(Number(interp['Setup Instructions']) / 2);
      expect(Number(compiled['Model Arena'])).toBeLessThan(Number(interp['Model Arena']));
    }
    const build = readFileSync(join(home, 'sessions', '1', 'runs', '002-toycar-tflmc-riscv_qemu', 'build', 'stage.log'), 'utf8');
    expect(build).toContain("tflmc: mlbench tflmc (TFLM's interpreter recorded on the host, kernels called directly)");
    const [again] = await flowOnQemu(['tflmi'], 'toycar', ['riscv_qemu'], home, 2);
    expect(again['Run Instructions']).toBe(rows[0]['Run Instructions']);
    const log = readFileSync(join(home, 'sessions', '2', 'runs', '000-toycar-tflmi-riscv_qemu', 'compile', 'stage.log'), 'utf8');
    expect(log).toMatch(/tflm library: \d+ objects, 0 compiled/);
  }, 1_800_000);
});
