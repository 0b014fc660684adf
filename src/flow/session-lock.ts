// A session's lock: `<session>/session.lock` names the process working on the session (pid,
// host, and on Linux the process's start time, so a recycled pid is not mistaken for the owner).
// `flow run`/`flow resume` hold it while they run; `sessions clean` takes it before it removes a
// session, so it never removes one in use. A lock whose owner is gone (SIGKILL, power loss) is
// stale and taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive, processIdentity } from '../core/entry-lock.js';
import { MlbenchError } from '../core/errors.js';

export const LOCK_FILE = 'session.lock';

export interface LockOwner {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot), when the system has it. */
  procStart?: string;
  since: string;
}

/** True while the owner may still run: a live pid with the same start time, or another host (cannot tell). */
export function ownerAlive(owner: LockOwner): boolean {
  return processAlive({ host: owner.host, pid: owner.pid, start: owner.procStart ?? '' }) !== false;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string') {
      return { pid: o.pid, host: o.host, procStart: typeof o.procStart === 'string' ? o.procStart : undefined, since: String(o.since ?? '') };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
}

/** The live owner of a session's lock, or undefined when it is free or stale. */
export function liveLockOwner(sessionDir: string): LockOwner | undefined {
  const owner = readOwner(join(sessionDir, LOCK_FILE));
  return owner && ownerAlive(owner) ? owner : undefined;
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host}${o.since ? ` since ${o.since}` : ''}`;
}

export interface SessionLock {
  release(): void;
}

/** Creates the lock with its content in one step (link of a written temp file), or false when one exists. */
function tryCreate(file: string, me: LockOwner): boolean {
  const tmp = `${file}.new-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Takes the session's lock or refuses with who holds it. A stale lock is moved aside first
 * (rename is atomic, so of two processes taking over the same stale lock only one succeeds).
 */
export function acquireSessionLock(sessionDir: string, sessionId: string): SessionLock {
  const file = join(sessionDir, LOCK_FILE);
  const self = processIdentity();
  const me: LockOwner = { pid: self.pid, host: self.host, procStart: self.start || undefined, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, me)) return holding(file);
    const owner = readOwner(file);
    if (owner && ownerAlive(owner)) {
      throw new MlbenchError('config', `session ${sessionId} is in use by ${describeOwner(owner)}`, {
        hint: owner.host === hostname() ? 'wait for it to end, or stop that process' : `if nothing runs it on ${owner.host} any more, remove ${file}`,
      });
    }
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // another process moved it first; look again
    }
    // Between our read and the rename another process may have taken over: then we moved its
    // fresh lock, and put it back.
    const moved = readOwner(aside);
    if (moved && ownerAlive(moved)) {
      try {
        linkSync(aside, file);
      } catch {
        // a third process holds the place now; it will be found live on the next look
      }
    }
    unlinkSync(aside);
  }
  throw new MlbenchError('config', `could not take the lock of session ${sessionId} (${file})`, { hint: 'another process keeps taking it; try again' });
}

function holding(file: string): SessionLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      const owner = readOwner(file);
      if (owner?.pid === process.pid) unlinkSync(file);
    } catch {
      // the session folder may be gone already
    }
  };
  process.on('exit', release); // covers process.exit() on a second Ctrl-C
  return { release };
}
