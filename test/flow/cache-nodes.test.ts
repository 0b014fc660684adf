// The cache's entry locks between nodes of a cluster (a home on a shared file system, Slurm
// tasks on several hosts): a holder on another host cannot be asked whether it lives, so its
// lock holds while its heartbeat (the lock file's mtime) is fresh, and is taken over once it
// is older than staleMs — a node that died mid-build does not block the entry for ever.
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/core/entry-lock.js';

function foreignLock(path: string, ageMs: number): void {
  writeFileSync(path, JSON.stringify({ host: 'another-node-of-the-cluster', pid: 4242, start: '1', token: 'theirs', since: new Date().toISOString() }));
  const t = new Date(Date.now() - ageMs);
  utimesSync(path, t, t);
}

describe('entry locks held on another node', () => {
  it('a live heartbeat keeps the lock; the holder releasing it lets the waiter in', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mlbench-lock-')), 'entry.lock');
    foreignLock(path, 0);
    const log: string[] = [];
    let got = false;
    const waiting = acquireLock(path, { pollMs: 20, staleMs: 60_000, log: (l) => log.push(l) }).then((l) => {
      got = true;
      return l;
    });
    // The other node refreshes its heartbeat; the waiter keeps waiting.
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 30));
      utimesSync(path, new Date(), new Date());
    }
    expect(got).toBe(false);
    rmSync(path);
    const lock = await waiting;
    expect(log).toEqual([]);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('a heartbeat older than staleMs is a dead node: the lock is taken over and logged', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mlbench-lock-')), 'entry.lock');
    foreignLock(path, 5_000);
    const log: string[] = [];
    const lock = await acquireLock(path, { pollMs: 20, staleMs: 1_000, log: (l) => log.push(l) });
    expect(log.join('\n')).toMatch(/held by dead process 4242 on another-node-of-the-cluster .*taken over/);
    expect(lock.owner.token).not.toBe('theirs');
    await lock.release();
  });
});
