// The slurm executor against a real single-node Slurm (Debian's slurmctld, slurmd, munge),
// started in a temporary folder for this file and stopped in all cases. Skipped, with the reason
// printed, where the packages are not installed.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { slurmUnavailable, startCluster, type TestCluster } from '../helpers/slurm-cluster.js';
import { BIN, cliEnv, readCsv, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
const why = !shared ? 'shared models not found (set MLBENCH_MODELS)' : slurmUnavailable();
if (why) console.warn(`skipping Slurm executor tests: ${why}`);

const METRICS = ['Setup Instructions', 'Run Instructions', 'Total Instructions', 'ROM Total', 'ROM Code', 'ROM Read-only', 'ROM Data', 'RAM Total', 'RAM Data', 'RAM BSS', 'RAM Stack', 'RAM Heap', 'RAM Stack Peak', 'Model Arena'];

describe.skipIf(why)('the slurm executor on a real single-node cluster', () => {
  let cluster: TestCluster;
  let home: string;
  let env: Record<string, string>;
  const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env });
  const sessionDir = (id: string) => join(home, 'sessions', id);
  const results = (id: string): Map<string, string> => {
    const runs = join(sessionDir(id), 'runs');
    const out = new Map<string, string>();
    for (const r of existsSync(runs) ? readdirSync(runs) : []) {
      const f = join(runs, r, 'result.json');
      if (existsSync(f)) out.set(r, readFileSync(f, 'utf8'));
    }
    return out;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    home = tempHome();
    env = { ...cliEnv(home), ...cluster.env, MLBENCH_SLURM_POLL_MS: '300', MLBENCH_REPORT_INTERVAL_MS: '0' };
    // Session 1, submitted detached first: its second run outlasts slurm.time=1 (Slurm checks
    // limits every ~30 s, so this costs 60-90 s), overlapping the tests below.
    const submitted = await cli([
      'flow', 'run', 'sine_model', '-t', 'riscv_qemu',
      '--config-gen', 'mlif.num_runs=1',
      '--config-gen', 'mlif.num_runs=2000000', 'mlif.instruction_limit=0', 'mlif.timeout=3600',
      '--executor', 'slurm', '-c', 'slurm.time=1', '--detach',
    ]);
    expect(submitted.stderr).toContain('sessions wait 1');
    expect(submitted.exitCode).toBe(0);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('a sweep of 20 runs gives exactly the figures of the same sweep run locally', async () => {
    // 2 models x 5 optimization levels x LTO off/on, on riscv_qemu: 20 runs.
    const sweep = ['flow', 'run', 'sine_model', 'tests/model_with_add', '-t', 'riscv_qemu', '--config-gen2', 'mlif.lto=false', '--config-gen2', 'mlif.lto=true'];
    for (const o of ['0', '1', '2', '3', 's']) sweep.push('--config-gen', `mlif.optimize=${o}`);
    const local = await cli([...sweep, '-j2']);
    expect(local.exitCode).toBe(0);
    const slurm = await cli([...sweep, '--executor', 'slurm', '--progress']);
    // The test cluster's MaxArraySize is 16: the 20 runs go out as two arrays.
    expect(slurm.stderr).toMatch(/Slurm jobs \d+, \d+ \(MaxArraySize 16\), 20 runs/);
    expect(slurm.exitCode).toBe(0);
    const a = readCsv(join(sessionDir('2'), 'report.csv'));
    const b = readCsv(join(sessionDir('3'), 'report.csv'));
    expect(a).toHaveLength(20);
    expect(b.map((r) => [r.Run, r.Config, r.Status])).toEqual(a.map((r) => [r.Run, r.Config, r.Status]));
    for (const [i, row] of a.entries()) {
      expect(row.Status).toBe('ok');
      for (const m of METRICS) expect([row.Run, m, b[i][m]]).toEqual([row.Run, m, row[m]]);
    }
    // Every run went through a task of one of the arrays, in its own run folder.
    const subs = ['1', '2'].map((n) => JSON.parse(readFileSync(join(sessionDir('3'), 'slurm', `submission-${n}.json`), 'utf8')));
    expect(subs.map((x) => x.runs.length)).toEqual([16, 4]);
    expect([...subs[0].runs, ...subs[1].runs]).toEqual(a.map((r) => r.Run));
    expect(existsSync(join(sessionDir('3'), 'slurm', `${subs[1].jobId}_3.out`))).toBe(true);
  }, 600_000);

  it('Ctrl-C cancels the array and keeps what finished; flow resume submits only the rest', async () => {
    const models = ['sine_model', 'tests/model_with_add', 'tests/model_with_multiple_outputs'];
    const child = execa('node', [BIN, 'flow', 'run', ...models, '-t', 'host_x86', '-t', 'riscv_qemu', '--executor', 'slurm', '-c', 'slurm.max_parallel=1', 'slurm.check_home=false'], {
      reject: false,
      env,
    });
    for (let i = 0; i < 1200 && results('4').size === 0; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const r = await child;
    expect(r.stderr).toMatch(/cancelled Slurm job \d+/);
    expect(r.exitCode).toBe(130);
    const kept = results('4');
    expect(kept.size).toBeGreaterThanOrEqual(1);
    expect(kept.size).toBeLessThan(6);
    const rows = readCsv(join(sessionDir('4'), 'report.csv'));
    expect(rows.filter((x) => x.Status === 'missing')).toHaveLength(6 - kept.size);
    expect(rows.some((x) => x.Status === 'failed')).toBe(false);

    const resumed = await cli(['flow', 'resume', '4']);
    expect(resumed.stderr).toContain(`${6 - kept.size} of 6 runs to do`);
    expect(resumed.exitCode).toBe(0);
    const second = JSON.parse(readFileSync(join(sessionDir('4'), 'slurm', 'submission-2.json'), 'utf8'));
    expect(second.runs.sort()).toEqual(rows.filter((x) => x.Status === 'missing').map((x) => x.Run).sort());
    const after = results('4');
    for (const [run, text] of kept) expect(after.get(run)).toBe(text);
    expect(readCsv(join(sessionDir('4'), 'report.csv')).every((x) => x.Status === 'ok')).toBe(true);
  }, 300_000);

  it('a run over slurm.time is a failed run with TIMEOUT; sessions show and sessions wait follow the detached session', async () => {
    const show = await cli(['sessions', 'show', '1']);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toMatch(/^session 1 \(submitted\): \d of 2 runs have a result/);
    // A watcher that loses the controller stops with exit 3 and loses nothing: the session stays submitted.
    const noController = join(home, 'empty-slurm.conf');
    writeFileSync(noController, '');
    const blind = await execa('node', [BIN, 'sessions', 'wait', '1'], {
      reject: false,
      env: { ...env, SLURM_CONF: noController, MLBENCH_SLURM_LOST_AFTER_MS: '1000' },
    });
    expect(blind.stderr).toContain('lost the Slurm controller');
    expect(blind.exitCode).toBe(3);
    expect(JSON.parse(readFileSync(join(sessionDir('1'), 'session.json'), 'utf8')).state).toBe('submitted');
    const waited = await cli(['sessions', 'wait', '1']);
    expect(waited.stderr).toContain('1 ok, 1 failed');
    expect(waited.exitCode).toBe(1);
    const [ok, late] = readCsv(join(sessionDir('1'), 'report.csv'));
    expect(ok.Status).toBe('ok');
    expect(late.Status).toBe('failed');
    expect(late['Failed Stage']).toBe('run');
    expect(late.Reason).toMatch(/^Slurm: TIMEOUT \(TimeLimit\), task \d+_1 on /);
    expect(late.Config).toContain('mlif.num_runs=2000000');
    expect(JSON.parse(readFileSync(join(sessionDir('1'), 'session.json'), 'utf8')).state).toBe('done');
  }, 300_000);
});
