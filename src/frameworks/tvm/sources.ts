// `mlbench setup` for TVM: clones the upstream sources at the ref MLonMCU pins (TFLM:
// frameworks/tflm/setup-tree.ts),
// when git and a network exist. It never fails the rest of setup: it returns what happened.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '../../core/exec.js';

export interface PinnedSource {
  name: string;
  url: string;
  ref: string;
  /** What still has to be done by hand after cloning. */
  next: string;
}

export const PINNED_SOURCES: PinnedSource[] = [
  {
    name: 'tvm',
    url: 'https://github.com/apache/tvm.git',
    ref: 'v0.17.0',
    next:
      'build with cmake (USE_MICRO=ON USE_LLVM=ON USE_CMSISNN=ON) into <dir>/build; export MLBENCH_TVM_DIR=<dir>',
  },
];

export interface SourceOutcome {
  name: string;
  dir: string;
  status: 'cloned' | 'present' | 'failed';
  message: string;
}

export function sourcesDir(home: string): string {
  return join(home, 'deps', 'src');
}

type Runner = typeof runTool;

/** Clones each pinned source that is not there yet; failures are reported, not thrown. */
export async function fetchFrameworkSources(home: string, run: Runner = runTool): Promise<SourceOutcome[]> {
  const base = sourcesDir(home);
  mkdirSync(base, { recursive: true });
  const outcomes: SourceOutcome[] = [];
  for (const s of PINNED_SOURCES) {
    const dir = join(base, s.name);
    if (existsSync(join(dir, '.git'))) {
      outcomes.push({ name: s.name, dir, status: 'present', message: `already cloned; then: ${s.next.replace(/<dir>/g, dir)}` });
      continue;
    }
    const steps: string[][] = [
      ['init', '-q', dir],
      ['-C', dir, 'remote', 'add', 'origin', s.url],
      ['-C', dir, 'fetch', '-q', '--depth', '1', 'origin', s.ref],
      ['-C', dir, 'checkout', '-q', 'FETCH_HEAD'],
    ];
    if (s.name === 'tvm') steps.push(['-C', dir, 'submodule', 'update', '-q', '--init', '--depth', '1']);
    let failure: string | undefined;
    for (const args of steps) {
      try {
        const r = await run('git', args, { timeoutMs: 15 * 60_000, env: { ...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0' } });
        if (r.exitCode !== 0) failure = `git ${args.filter((a) => a !== dir).join(' ')}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
      } catch (e) {
        failure = `git not usable: ${(e as Error).message}`;
      }
      if (failure) break;
    }
    outcomes.push(
      failure
        ? { name: s.name, dir, status: 'failed', message: `${failure} (no network? clone ${s.url} at ${s.ref} yourself)` }
        : { name: s.name, dir, status: 'cloned', message: `cloned ${s.ref}; then: ${s.next.replace(/<dir>/g, dir)}` },
    );
  }
  return outcomes;
}
