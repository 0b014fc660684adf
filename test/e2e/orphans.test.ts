// No tool outlives mlbench: a sweep is SIGKILLed or interrupted while valgrind runs a model,
// and every process group mlbench had started must be gone (pgrep -g) within the grace period.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { KILL_GRACE_S } from '../../src/core/process-group.js';
import { BIN, cliEnv, mlbench, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping orphan tests: shared models not found (set MLBENCH_MODELS)');

function pgrep(args: string[]): string[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Starts a long host_x86 sweep and waits until mlbench runs valgrind; returns its child groups. */
async function sweepUntilValgrind(home: string) {
  const child = execa('node', [BIN, 'flow', 'run', 'resnet', 'aww', '-t', 'host_x86', '-j1', '-c', 'mlif.num_runs=30'], {
    reject: false,
    env: cliEnv(home),
  });
  let groups: string[] = [];
  for (let i = 0; i < 1200; i++) {
    groups = pgrep(['-P', String(child.pid)]);
    if (groups.some((g) => cmdline(g).includes('valgrind'))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(groups.map(cmdline).join('\n')).toContain('valgrind');
  return { child, groups };
}

async function allGone(groups: string[], withinMs: number): Promise<string[]> {
  const end = Date.now() + withinMs;
  let left = groups.flatMap((g) => pgrep(['-g', g]));
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = groups.flatMap((g) => pgrep(['-g', g]));
  }
  return left.map((p) => `${p}: ${cmdline(p)}`);
}

describe.skipIf(!shared)('no process outlives mlbench', () => {
  it('SIGKILL of mlbench while valgrind runs: the tool group ends at once', async () => {
    const { child, groups } = await sweepUntilValgrind(tempHome());
    child.kill('SIGKILL');
    await child;
    expect(await allGone(groups, (KILL_GRACE_S + 2) * 1000)).toEqual([]);
  });

  it('SIGINT while valgrind runs: exit 130, the tool group ended, nothing left', async () => {
    const { child, groups } = await sweepUntilValgrind(tempHome());
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(await allGone(groups, 1000)).toEqual([]);
  });

  it('host_x86 refuses mlif.instruction_limit, saying why, before any work', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'sine_model', '-t', 'host_x86', '-c', 'mlif.instruction_limit=1000']);
    expect(r.exitCode).toBe(3); // cannot run here; nothing ran
    expect(r.stderr).toContain('mlif.instruction_limit cannot be enforced on host_x86: valgrind cannot stop a program after a number of instructions');
    const zero = await mlbench(home, ['flow', 'build', 'sine_model', '-t', 'host_x86', '-c', 'mlif.instruction_limit=0']);
    expect(zero.exitCode, zero.stderr).toBe(0);
  });
});
