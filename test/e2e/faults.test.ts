// Faults of the machine end a session cleanly (issue 10): a full disk, a read-only file system,
// no permission and a tool that vanishes mid-session each give one line naming the path and
// what to do, exit status 4, the session marked "interrupted", finished results kept; the runs
// the fault stopped are redone by `flow resume`. Real faults: tmpfs homes and read-only mounts
// (root needed; skipped with the reason otherwise), a tool removed from PATH while running.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { BIN, cliEnv, mlbench, readCsv, tempHome } from './cli-helpers.js';
import { cannotMount, finishedResults, mountTmpfs, remount, sessionState, unmountAll, waitFor } from './fault-helpers.js';

const shared = sharedModelsDir();
const noMount = cannotMount();
if (!shared) console.log('skipping the fault tests: shared models not found (set MLBENCH_MODELS)');
if (noMount) console.log(`skipping the disk-full, read-only and permission tests: ${noMount}`);

const scratch: string[] = [];
const scratchDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
};
afterAll(() => {
  unmountAll();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** `mlbench:` lines of stderr: a fault must give exactly one. */
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('mlbench: '));

/** Every result.json that exists is a finished run, never one the fault made fail. */
function expectNoFaultResults(home: string): void {
  for (const text of finishedResults(home).values()) {
    expect(text).not.toMatch(/ENOSPC|EROFS|EACCES|No space left|Read-only file system|not found/);
  }
}

describe.skipIf(!shared || !!noMount)('machine faults on real mounts', () => {
  it('disk full (20 MB tmpfs home): one line, exit 4, interrupted, finished kept; resume redoes the rest', async () => {
    const home = join(scratchDir('mlbench-full-'), 'home');
    mountTmpfs(home, '20m');
    // toycar compiled for the host leaves ~2 MB per run: 12 runs cannot fit in 20 MB.
    const gens = Array.from({ length: 12 }, (_, i) => ['--config-gen', `mlif.num_runs=${i + 1}`]).flat();
    const r = await mlbench(home, ['flow', 'compile', 'toycar', '-t', 'host_x86', '-j1', ...gens]);
    expect(r.exitCode).toBe(4);
    const [line, ...more] = errorLines(r.stderr);
    expect(more).toEqual([]);
    expect(line).toMatch(new RegExp(`^mlbench: disk full: ${home}/\\S+ \\(ENOSPC, \\w+\\) \\(free space on that file system or point the home elsewhere, then \`mlbench flow resume 1\`\\)$`));
    expect(sessionState(home)).toBe('interrupted');
    const kept = finishedResults(home);
    console.log(`disk full after ${kept.size} of 12 runs: ${line}`);
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(12);
    expectNoFaultResults(home);
    const partial = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(partial.filter((x) => x.Status === 'ok')).toHaveLength(kept.size);
    expect(partial.filter((x) => x.Status === 'missing')).toHaveLength(12 - kept.size);

    remount(home, 'size=60m');
    const resumed = await mlbench(home, ['flow', 'resume', 'latest']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain(`session 1: ${12 - kept.size} of 12 runs to do\n`);
    const after = finishedResults(home);
    for (const [run, text] of kept) expect(after.get(run)).toBe(text);
    expect(readCsv(join(home, 'sessions', '1', 'report.csv')).map((x) => x.Status)).toEqual(Array(12).fill('ok'));
    expect(sessionState(home)).toBe('done');
  }, 600_000);

  it('read-only build cache (EROFS): one line naming the cache, exit 4; resume after remounting read-write', async () => {
    const home = join(scratchDir('mlbench-rofs-'), 'home');
    mountTmpfs(home, '64m');
    const cache = join(home, 'cache');
    mountTmpfs(cache, '16m');
    remount(cache, 'ro');
    const r = await mlbench(home, ['flow', 'compile', 'sine_model', 'tests/model_with_add', '-t', 'host_x86', '-j1']);
    expect(r.exitCode).toBe(4);
    const [line, ...more] = errorLines(r.stderr);
    expect(more).toEqual([]);
    console.log(`read-only cache: ${line}`);
    expect(line).toMatch(new RegExp(`^mlbench: read-only file system: ${cache}\\S* \\(EROFS, \\w+\\) \\(remount it read-write or point the home, paths.sessions or paths.cache elsewhere, then \`mlbench flow resume 1\`\\)$`));
    expect(sessionState(home)).toBe('interrupted');
    expectNoFaultResults(home);
    remount(cache, 'rw');
    const resumed = await mlbench(home, ['flow', 'resume', '1']);
    expect(resumed.exitCode).toBe(0);
    expect(readCsv(join(home, 'sessions', '1', 'report.csv')).map((x) => x.Status)).toEqual(['ok', 'ok']);
  }, 300_000);

  it('permission denied (EACCES, as an unprivileged user): one line naming the folder, exit 4', async (ctx) => {
    const base = scratchDir('mlbench-eacces-');
    chmodSync(base, 0o755);
    const home = join(base, 'home');
    mountTmpfs(home, '64m', 'mode=0755');
    // The home belongs to "nobody", its cache to root (mode 755): nobody may not write the cache.
    chownSync(home, 65534, 65534);
    mkdirSync(join(home, 'cache'), { mode: 0o755 });
    mkdirSync(join(home, 'sessions'));
    chownSync(join(home, 'sessions'), 65534, 65534);
    const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN];
    const probe = await execa('setpriv', [...asNobody, '--version'], { reject: false, env: cliEnv(home) });
    if (probe.exitCode !== 0) {
      console.log(`skipping the permission test: cannot run mlbench as nobody: ${probe.stderr.split('\n')[0]}`);
      ctx.skip();
    }
    const r = await execa('setpriv', [...asNobody, 'flow', 'compile', 'sine_model', '-t', 'host_x86', '-j1'], { reject: false, env: cliEnv(home) });
    expect(r.exitCode).toBe(4);
    const [line, ...more] = errorLines(r.stderr);
    expect(more).toEqual([]);
    console.log(`no permission: ${line}`);
    expect(line).toMatch(new RegExp(`^mlbench: permission denied: ${join(home, 'cache')}\\S* \\(EACCES, \\w+\\) \\(give the user running mlbench access to it \\(owner or mode\\) or point the home elsewhere, then \`mlbench flow resume 1\`\\)$`));
    expect(sessionState(home)).toBe('interrupted');
    expectNoFaultResults(home);
  }, 300_000);
});

describe.skipIf(!shared)('a tool that vanishes mid-session', () => {
  it('one line naming the tool, exit 4, interrupted, finished kept; resume after reinstalling', async () => {
    const home = tempHome();
    scratch.push(home);
    // A PATH of its own: links to every tool in /usr/bin, so one can vanish without touching the system.
    const tools = scratchDir('mlbench-tools-');
    for (const t of readdirSync('/usr/bin')) symlinkSync(join('/usr/bin', t), join(tools, t));
    const env = { ...cliEnv(home), PATH: tools };
    const models = ['sine_model', 'tests/model_with_add', 'tests/model_with_multiple_outputs', 'toycar'];
    const child = execa(process.execPath, [BIN, 'flow', 'run', ...models, '-t', 'host_x86', '-j1'], { reject: false, env, extendEnv: false });
    expect(await waitFor(() => finishedResults(home).size >= 1, 300_000)).toBe(true);
    unlinkSync(join(tools, 'valgrind'));
    const r = await child;
    const kept = finishedResults(home);
    if (kept.size === models.length) {
      console.log('the tool vanished after the last run had started: nothing left to check');
      return;
    }
    expect(r.exitCode).toBe(4);
    const [line, ...more] = errorLines(r.stderr);
    expect(more).toEqual([]);
    expect(line).toBe('mlbench: a tool vanished during the session: valgrind not found (reinstall it (see `mlbench env`), then `mlbench flow resume 1`)');
    expect(sessionState(home)).toBe('interrupted');
    expectNoFaultResults(home);
    symlinkSync('/usr/bin/valgrind', join(tools, 'valgrind'));
    const resumed = await execa(process.execPath, [BIN, 'flow', 'resume', '1'], { reject: false, env, extendEnv: false });
    expect(resumed.exitCode).toBe(0);
    const after = finishedResults(home);
    for (const [run, text] of kept) expect(after.get(run)).toBe(text);
    expect(after.size).toBe(models.length);
  }, 600_000);
});

describe.skipIf(!shared)('flow resume and failed runs', () => {
  it('says how many failed runs it leaves alone; --retry-failed runs them again', async () => {
    const home = tempHome();
    scratch.push(home);
    // toycar (~270 kB of weights) cannot fit the Blue Pill's 64 kB flash: a real, repeatable failure.
    const first = await mlbench(home, ['flow', 'compile', 'sine_model', 'toycar', '-t', 'stm32f103', '-j1']);
    if (first.exitCode === 3) {
      console.log(`skipping the --retry-failed test: ${first.stderr.trim()}`);
      return;
    }
    expect(first.exitCode).toBe(1);
    const failedRun = join(home, 'sessions', '1', 'runs', '001-toycar-mlbaot-stm32f103', 'result.json');
    const before = statSync(failedRun).mtimeMs;
    const plain = await mlbench(home, ['flow', 'resume', '1']);
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr).toContain('session 1: 0 of 2 runs to do (1 failed run left as they are; --retry-failed runs them again)\n');
    expect(statSync(failedRun).mtimeMs).toBe(before);
    const retry = await mlbench(home, ['flow', 'resume', '1', '--retry-failed']);
    expect(retry.exitCode).toBe(1);
    expect(retry.stderr).toContain('session 1: 1 of 2 runs to do\n');
    expect(statSync(failedRun).mtimeMs).toBeGreaterThan(before);
    expect(readCsv(join(home, 'sessions', '1', 'report.csv')).map((x) => x.Status)).toEqual(['ok', 'failed']);
  }, 300_000);
});
