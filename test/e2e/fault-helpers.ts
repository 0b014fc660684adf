// Helpers for the fault tests: real mounts (tmpfs homes, read-only folders) and waiting for
// results. Mounting needs root; a test that cannot mount is skipped with the reason printed.
import { execaSync } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why tmpfs cannot be mounted here, or undefined when it can. */
export function cannotMount(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'mlbench-mount-probe-'));
  try {
    execaSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    execaSync('umount', [probe]);
    return undefined;
  } catch (e) {
    return `cannot mount tmpfs (needs root and mount(8)): ${(e as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Mounted folders, unmounted (lazily, innermost first) by unmountAll in the teardown. */
const mounted: string[] = [];

export function mountTmpfs(dir: string, size: string, extra = ''): void {
  mkdirSync(dir, { recursive: true });
  execaSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${extra ? `,${extra}` : ''}`, 'tmpfs', dir]);
  mounted.push(dir);
}

export function remount(dir: string, options: string): void {
  execaSync('mount', ['-o', `remount,${options}`, dir]);
}

export function unmountAll(): void {
  for (const d of mounted.splice(0).reverse()) {
    try {
      execaSync('umount', ['-l', d]);
    } catch {
      // already gone
    }
  }
}

/** result.json text of every run of session 1 that has one. */
export function finishedResults(home: string, session = '1'): Map<string, string> {
  const runs = join(home, 'sessions', session, 'runs');
  const out = new Map<string, string>();
  if (!existsSync(runs)) return out;
  for (const r of readdirSync(runs)) {
    const f = join(runs, r, 'result.json');
    try {
      out.set(r, readFileSync(f, 'utf8'));
    } catch {
      // no result (yet)
    }
  }
  return out;
}

export function sessionState(home: string, session = '1'): string {
  return (JSON.parse(readFileSync(join(home, 'sessions', session, 'session.json'), 'utf8')) as { state: string }).state;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}
