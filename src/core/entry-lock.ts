// A lock on one path, shared by processes and hosts that use one file system (a home on NFS,
// Slurm jobs). The lock is a file created with link(2), which is atomic on local file systems
// and on NFS, and it holds its owner: host, pid, the process's start time and a token.
// A waiter that finds the owner dead (this host, no process with that pid and start time)
// takes the lock over on its next poll and says so in the log; an owner on another host cannot
// be checked, so its lock is dead once its heartbeat (the file's mtime, refreshed while held)
// is older than `staleMs`. Nothing here ever throws from a timer: a lost lock is logged and the
// holder carries on, because callers must not depend on the lock for correctness (the build
// cache publishes by rename), only for not doing work twice.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { MlbenchError } from './errors.js';

/** Who a process is, in a way that survives pid reuse: pid plus the kernel's start time. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Start time of the process in clock ticks since boot (Linux), '' where unknown. */
  start: string;
}

export interface LockOwner extends ProcessIdentity {
  token: string;
  since: string;
}

export interface LockOptions {
  /** Where takeovers and lost locks are reported (the stage log). */
  log?: (line: string) => void;
  signal?: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  /** Age of the heartbeat after which a lock of another host (whose pid cannot be checked) is dead. */
  staleMs?: number;
  /** Called when the lock was lost while held (removed or replaced by another process); never throws. */
  onCompromised?: (why: string) => void;
  /** Called after a dead owner's lock was taken over (e.g. to clear what it left behind). */
  onTakeover?: (dead: LockOwner) => void | Promise<void>;
}

export interface HeldLock {
  owner: LockOwner;
  /** True once the lock was found removed or replaced while held. */
  readonly compromised: boolean;
  release(): Promise<void>;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;
export function processIdentity(): ProcessIdentity {
  self ??= { host: hostname(), pid: process.pid, start: startTimeOf(process.pid) ?? '' };
  return self;
}

/** Whether the process is alive; undefined when it runs on another host and cannot be checked. */
export function processAlive(p: ProcessIdentity): boolean | undefined {
  if (p.host !== processIdentity().host) return undefined;
  try {
    process.kill(p.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A live pid with another start time is a new process that reused the number.
  const start = startTimeOf(p.pid);
  return !(p.start && start !== undefined && start !== p.start);
}

async function readOwner(path: string): Promise<{ owner?: LockOwner; mtimeMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    try {
      const o = JSON.parse(text) as LockOwner;
      return { owner: typeof o?.token === 'string' && typeof o.pid === 'number' ? o : undefined, mtimeMs: st.mtimeMs };
    } catch {
      return { mtimeMs: st.mtimeMs };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeOwner(o: LockOwner): string {
  return `process ${o.pid} on ${o.host} (since ${o.since})`;
}

/**
 * Removes a dead owner's lock. The lock file is first renamed to a name of our own so that of
 * several waiters only one removes it; if what we moved is not the dead owner's lock (another
 * waiter already took over and locked again) it is put back.
 */
async function takeOver(path: string, dead: LockOwner, token: string): Promise<boolean> {
  const moved = `${path}.${token}.stale`;
  try {
    await rename(path, moved);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const what = await readOwner(moved);
  if (what?.owner && what.owner.token !== dead.token) {
    await link(moved, path).catch(() => undefined);
    await rm(moved, { force: true });
    return false;
  }
  await rm(moved, { force: true });
  return true;
}

/** Waits for the lock at `path` (a file next to what it guards) and holds it. */
export async function acquireLock(path: string, o: LockOptions = {}): Promise<HeldLock> {
  const pollMs = o.pollMs ?? 100;
  const staleMs = o.staleMs ?? 60_000;
  const owner: LockOwner = { ...processIdentity(), token: randomUUID(), since: new Date().toISOString() };
  const mine = `${path}.${owner.token}.new`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(mine, JSON.stringify(owner));
  try {
    for (;;) {
      if (o.signal?.aborted) throw new MlbenchError('interrupted', 'interrupted while waiting for a lock');
      try {
        await link(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = await readOwner(path);
      if (!held) continue;
      const alive = held.owner ? processAlive(held.owner) : undefined;
      const dead = alive === false || (alive === undefined && Date.now() - held.mtimeMs > staleMs);
      if (dead && held.owner && (await takeOver(path, held.owner, owner.token))) {
        o.log?.(`lock ${path} held by dead ${describeOwner(held.owner)}: taken over`);
        await o.onTakeover?.(held.owner);
        continue;
      }
      if (dead && !held.owner) {
        // Unreadable and not refreshed for staleMs: left by a writer that died mid-write.
        await rm(path, { force: true });
        o.log?.(`lock ${path} unreadable and stale: removed`);
        continue;
      }
      await sleep(pollMs);
    }
  } finally {
    await rm(mine, { force: true });
  }
  return holdLock(path, owner, o);
}

function holdLock(path: string, owner: LockOwner, o: LockOptions): HeldLock {
  let compromised = false;
  const isMine = async (): Promise<boolean> => (await readOwner(path).catch(() => undefined))?.owner?.token === owner.token;
  const lose = (why: string): void => {
    if (compromised) return;
    compromised = true;
    clearInterval(timer);
    o.log?.(`lock ${path} lost while held (${why}); carrying on`);
    o.onCompromised?.(why);
  };
  // The heartbeat is what other hosts judge staleness by.
  const timer = setInterval(() => {
    void (async () => {
      if (!(await isMine())) return lose('removed or replaced by another process');
      const now = new Date();
      await utimes(path, now, now);
    })().catch((e: unknown) => lose(e instanceof Error ? e.message : String(e)));
  }, o.heartbeatMs ?? 5_000);
  timer.unref();
  return {
    owner,
    get compromised() {
      return compromised;
    },
    async release() {
      clearInterval(timer);
      try {
        if (await isMine()) await rm(path, { force: true });
      } catch (e) {
        o.log?.(`lock ${path}: release failed (${e instanceof Error ? e.message : String(e)})`);
      }
    },
  };
}
