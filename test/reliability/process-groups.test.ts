// No orphans: every tool runs in its own process group with a wall-clock limit of its own.
// A tool that leaves a background child, ignores SIGTERM or outlives a SIGKILLed mlbench must
// not keep running past its limit (plus the SIGKILL grace period).
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/core/exec.js';
import { KILL_GRACE_S, liveGroups } from '../../src/core/process-group.js';
import { pkgPath } from '../../src/core/paths.js';

const WORKER = pkgPath('test', 'reliability', 'exec-worker.mjs');

/** A shell that records its process group and a background child's pid, then hangs. */
function hangingScript(dir: string, ignoreTerm = false): string[] {
  const trap = ignoreTerm ? "trap '' TERM; " : '';
  return ['-c', `${trap}sleep 600 & echo $! > ${dir}/child; ps -o pgid= -p $$ | tr -d ' ' > ${dir}/pgid; wait`];
}

/** Processes still in the group (pgrep -g). */
function groupMembers(pgid: string): string[] {
  try {
    return execFileSync('pgrep', ['-g', pgid], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 50 && !readFileSync(file, 'utf8').trim(); i++) await new Promise((r) => setTimeout(r, 20));
  return readFileSync(file, 'utf8').trim();
}

async function gone(pgid: string, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (groupMembers(pgid).length === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return groupMembers(pgid).length === 0;
}

describe('tools run in their own process group, bounded', () => {
  it('a timed-out tool is ended with everything it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-groups-'));
    const r = await runTool('sh', hangingScript(dir), { timeoutMs: 1000, allowFailure: true });
    expect(r.timedOut).toBe(true);
    const pgid = await waitFor(join(dir, 'pgid'));
    expect(pgid).not.toBe(String(process.pid));
    expect(await gone(pgid, 2000)).toBe(true);
    expect(liveGroups()).toEqual([]);
  });

  it('an interrupt ends the group; a tool that ignores SIGTERM is killed after the grace period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-groups-'));
    const ac = new AbortController();
    const run = runTool('sh', hangingScript(dir, true), { timeoutMs: 600_000, allowFailure: true, signal: ac.signal });
    const pgid = await waitFor(join(dir, 'pgid'));
    ac.abort();
    const r = await run;
    expect(r.timedOut).toBe(false);
    expect(await gone(pgid, (KILL_GRACE_S + 3) * 1000)).toBe(true);
  });

  it("a tool's own exit status 124 is not a timeout", async () => {
    const r = await runTool('sh', ['-c', 'exit 124'], { allowFailure: true });
    expect(r).toMatchObject({ exitCode: 124, timedOut: false });
  });

  it('a missing tool is ENOENT, as from spawn', async () => {
    await expect(runTool('mlbench-no-such-tool', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  for (const ignoreTerm of [false, true]) {
    it(`after a SIGKILL of mlbench the tool's group ends (${ignoreTerm ? 'ignoring SIGTERM: by the wrapper at its limit' : 'at once'})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mlb-groups-'));
      const limitMs = 3000;
      const worker = execa('node', [WORKER, String(limitMs), 'sh', ...hangingScript(dir, ignoreTerm)], { reject: false });
      const pgid = await waitFor(join(dir, 'pgid'));
      const child = readFileSync(join(dir, 'child'), 'utf8').trim();
      const killedAt = Date.now();
      worker.kill('SIGKILL');
      await worker;
      // Ending it must not wait for mlbench: its limit plus the wrapper's slack and grace at most.
      expect(await gone(pgid, limitMs + (3 + KILL_GRACE_S + 2) * 1000)).toBe(true);
      process.stdout.write(`group ${pgid} (background child ${child}) gone ${Date.now() - killedAt} ms after the SIGKILL\n`);
      expect(groupMembers(pgid)).toEqual([]);
    }, 30_000);
  }

  it('an uncaught error in mlbench ends the running tool at exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-groups-'));
    const worker = execa('node', [WORKER, '600000', 'sh', ...hangingScript(dir, true)], { reject: false, env: { MLB_THROW_AFTER_MS: '1500' } });
    const pgid = await waitFor(join(dir, 'pgid'));
    const r = await worker;
    expect(r.stderr).toContain('crash while a tool runs');
    expect(await gone(pgid, 2000)).toBe(true);
  });
});
