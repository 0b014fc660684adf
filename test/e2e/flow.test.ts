import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping CLI flow tests: shared models not found (set MLBENCH_MODELS)');

describe.skipIf(!shared)('flow run on the host', () => {
  it('runs, validates and reports every column that was measured', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'aww', 'sine_model', '-t', 'host_x86', '-f', 'validate', '-j2']);
    expect(r.stderr).toContain('2 ok, 0 failed');
    expect(r.exitCode).toBe(0);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((x) => x.Model)).toEqual(['aww', 'sine_model']);
    for (const row of rows) {
      expect(row.Status).toBe('ok');
      expect(row.Backend).toBe('mlbaot');
      expect(row.Framework).toBe('mlbench');
      expect(Number(row['Run Instructions'])).toBeGreaterThan(0);
      expect(Number(row['ROM Total'])).toBeGreaterThan(0);
      expect(Number(row['Model Arena'])).toBeGreaterThan(0);
      expect(row.Validation).toMatch(/^pass \d+\/\d+$/);
    }
    const run = JSON.parse(readFileSync(join(home, 'sessions', '1', 'runs', rows[0].Run, 'run.json'), 'utf8'));
    expect(run.stages.load.status).toBe('ok');
    expect(run.stages.run.status).toBe('ok');
    expect(existsSync(join(home, 'sessions', '1', 'runs', rows[0].Run, 'result.json'))).toBe(true);
  });

  it('-f validate on a model without reference vectors says so in the report', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', join(shared ?? '', 'layers', 'aww_layer0.tflite'), '-f', 'validate']);
    expect(r.exitCode).toBe(0);
    const [row] = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect([row.Status, row.Validation]).toEqual(['ok', 'no reference vectors']);
    expect(r.stdout).toContain('no reference vectors');
  });

  it('stops at the stage named', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'build', 'toycar']);
    expect(r.exitCode).toBe(0);
    const [row] = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(row.Status).toBe('ok');
    expect(row['ROM Total']).toBe('');
    expect(Number(row['Model Arena'])).toBeGreaterThan(0);
    expect(existsSync(join(home, 'sessions', '1', 'runs', row.Run, 'compile'))).toBe(false);
  });

  it('multiplies config variants and reports the non-default keys', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'compile', 'toycar', '--config-gen', 'mlif.optimize=2', '--config-gen', 'mlif.optimize=s']);
    expect(r.exitCode).toBe(0);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((x) => x.Config)).toEqual(['mlif.optimize=2', 'mlif.optimize=s']);
    expect(Number(rows[1]['ROM Code'])).toBeLessThan(Number(rows[0]['ROM Code']));
  });
});

describe.skipIf(!shared)('parallelism does not change results', () => {
  it('-j1 and -j2 give the same instruction counts and sizes', async () => {
    const one = tempHome();
    const two = tempHome();
    const args = ['flow', 'run', 'toycar', 'sine_model', 'tests/model_with_add', '-t', 'riscv_qemu'];
    const [a, b] = await Promise.all([mlbench(one, [...args, '-j1']), mlbench(two, [...args, '-j2'])]);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    const pick = (home: string) =>
      readCsv(join(home, 'sessions', '1', 'report.csv')).map((r) => [r.Model, r['Run Instructions'], r['ROM Total'], r['RAM Total']]);
    expect(pick(one)).toEqual(pick(two));
  });
});

describe.skipIf(!shared)('a run that fails does not stop the session', () => {
  it('a stack overflow is reported with its reason; the other runs go on', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'aww', 'tests/model_with_add', '-t', 'riscv_qemu', '-c', 'mlif.stack_size=320']);
    expect(r.exitCode).toBe(1);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    const aww = rows.find((x) => x.Model === 'aww')!;
    expect(aww.Status).toBe('failed');
    expect(aww['Failed Stage']).toBe('run');
    expect(aww.Reason).toMatch(/^stack overflow: the program used \d+ of 320 bytes of stack/);
    expect(aww['ROM Total']).not.toBe('');
    expect(aww['Run Instructions']).toBe('');
    expect(rows.find((x) => x.Model === 'tests/model_with_add')!.Status).toBe('ok');
  });
});

describe.skipIf(!shared)('run.json', () => {
  it('records the resolved config, per-stage status and seconds, and tool versions', async () => {
    const home = tempHome();
    expect((await mlbench(home, ['flow', 'run', 'toycar', '-t', 'riscv_qemu', '-c', 'mlif.optimize=2'])).exitCode).toBe(0);
    const [row] = readCsv(join(home, 'sessions', '1', 'report.csv'));
    const run = JSON.parse(readFileSync(join(home, 'sessions', '1', 'runs', row.Run, 'run.json'), 'utf8'));
    expect(run.resolvedConfig['mlif.optimize']).toBe('2');
    expect(run.resolvedConfig['mlif.num_runs']).toBe(1);
    for (const stage of ['load', 'build', 'compile', 'run']) {
      expect(run.stages[stage].status).toBe('ok');
      expect(typeof run.stages[stage].seconds).toBe('number');
    }
    expect(run.toolVersions['riscv64-unknown-elf-gcc']).toMatch(/^riscv64-unknown-elf-gcc .*\d+\.\d+/);
    expect(run.toolVersions['qemu-system-riscv32']).toMatch(/^QEMU emulator version \d+\.\d+/);
  });
});

describe.skipIf(!shared)('bad input loses nothing', () => {
  it('a truncated model fails its load stage with a clear reason; the session goes on', async () => {
    const home = tempHome();
    const broken = join(home, 'broken.tflite');
    writeFileSync(broken, readFileSync(join(shared!, 'aww', 'aww.tflite')).subarray(0, 3000));
    const r = await mlbench(home, ['flow', 'run', broken, 'sine_model']);
    expect(r.exitCode).toBe(1);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows[0]).toMatchObject({ Model: 'broken', Status: 'failed', 'Failed Stage': 'load' });
    expect(rows[0].Reason).toMatch(/^broken\.tflite: .*beyond the end of the file \(3000 bytes\)/);
    expect(rows[1]).toMatchObject({ Model: 'sine_model', Status: 'ok' });
  });
});
