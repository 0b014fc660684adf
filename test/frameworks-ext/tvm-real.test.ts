// The TVM backends through the whole flow on a real TVM (MLBENCH_TVM_DIR; .ci/run points it at
// ../shared/frameworks/tvm): each backend on riscv_qemu and on an Arm target, validated, with the
// small toycar model. There is no stand-in for TVM: without the tree the tests are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const models = sharedModelsDir();
const tvm = process.env.MLBENCH_TVM_DIR;
const tvmBuilt = tvm !== undefined && existsSync(join(tvm, 'build', 'libtvm.so'));
if (!tvmBuilt) console.log('tvm-real: skipped: MLBENCH_TVM_DIR does not point to a built TVM <= 0.18 (.ci/run sets it when ../shared/frameworks/tvm exists)');
if (!models) console.log('tvm-real: skipped: no shared model zoo (MLBENCH_MODELS)');

const BACKENDS = ['tvmaot', 'tvmaotplus', 'tvmrt'];
const TARGETS = ['riscv_qemu', 'cortexm4_qemu'];

describe.skipIf(!tvmBuilt || !models)('TVM backends on real targets', () => {
  it('tvmaot, tvmaotplus and tvmrt build, run and validate toycar on riscv_qemu and cortexm4_qemu, tvmrt on corstone300; a later session reuses the tvmc compile', async () => {
    const home = tempHome();
    const args = ['flow', 'run', 'toycar', ...BACKENDS.flatMap((b) => ['-b', b]), ...TARGETS.flatMap((t) => ['-t', t]), '-f', 'validate', '-j', '2'];
    const r = await mlbench(home, args);
    expect(r.stderr).toContain('6 ok, 0 failed');
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((row) => `${row.Backend}@${row.Target}`).sort()).toEqual(
      BACKENDS.flatMap((b) => TARGETS.map((t) => `${b}@${t}`)).sort(),
    );
    for (const row of rows) {
      expect(Number(row['Run Instructions'])).toBeGreaterThan(0);
      // tvmrt on cortexm4_qemu (arm_cpu schedules) has `__nop` reshapes aliasing the input's
      // storage: this passes only because the wrapper copies inputs into the executor's storage.
      expect(row.Validation).toMatch(/^pass 10\/10/);
      // The backend's own stack reservation held: the measured peak stays below it.
      expect(Number(row['RAM Stack Peak'])).toBeGreaterThan(0);
    }

    // The CRT leaves __nop entries uninitialised (stack leftovers): on the Cortex-M55 they were
    // garbage and the first invoke hard-faulted until the wrapper cleared them.
    const m55 = await mlbench(home, ['flow', 'run', 'toycar', '-b', 'tvmrt', '-t', 'corstone300', '-f', 'validate']);
    expect(m55.stderr).toContain('1 ok, 0 failed');
    expect(readCsv(join(home, 'sessions', '2', 'report.csv'))[0].Validation).toMatch(/^pass 10\/10/);

    const again = await mlbench(home, ['flow', 'run', 'toycar', '-b', 'tvmaot', '-t', 'riscv_qemu', '-f', 'validate']);
    expect(again.stderr).toContain('1 ok, 0 failed');
    const log = readFileSync(join(home, 'sessions', '3', 'runs', '000-toycar-tvmaot-riscv_qemu', 'build', 'stage.log'), 'utf8');
    expect(log).toContain('tvmc: reusing the cached compile');
  }, 1_200_000);

  it('tvmrt reserves the page arena its graph needs: on the host the computed high-water mark is the one measured', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'toycar', '-b', 'tvmrt', '-t', 'host_x86', '-f', 'validate', '-f', 'debug']);
    expect(r.stderr).toContain('1 ok, 0 failed');
    const [row] = readCsv(join(home, 'sessions', '1', 'report.csv'));
    const log = readFileSync(join(home, 'sessions', '1', 'runs', '000-toycar-tvmrt-host_x86', 'build', 'stage.log'), 'utf8');
    const computed = /page arena computed from the graph: (\d+) pages, (\d+) B/.exec(log);
    expect(computed).not.toBeNull();
    // With debug the Model Arena is the page allocator's high-water mark read on the target.
    expect(Number(row?.['Model Arena'])).toBe(Number(computed?.[1]) * 1024);
    expect(row?.Validation).toMatch(/^pass 10\/10/);
  }, 600_000);
});
