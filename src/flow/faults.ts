// Faults of the machine rather than of a run: a full disk, a folder mlbench may not write, a
// read-only file system, a tool that vanished mid-session. A run that meets one did not fail on
// its own merits, so it gets no result (`flow resume` redoes it) and the session stops cleanly:
// marked "interrupted", finished results kept, one line naming the path and what to do.
import { FAULT_TEXT, faultCodeInText } from '../core/fault-text.js';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { MlbenchError } from '../core/errors.js';

/** Exit status of a session ended by a machine fault (README: Commands). */
export const FAULT_EXIT_CODE = 4;

const ERRNO_WHAT: Record<string, { what: string; todo: string }> = {
  ENOSPC: { what: 'disk full', todo: 'free space on that file system or point the home elsewhere' },
  EDQUOT: { what: 'disk quota exceeded', todo: 'free space within your quota or point the home elsewhere' },
  EROFS: { what: 'read-only file system', todo: 'remount it read-write or point the home, paths.sessions or paths.cache elsewhere' },
  EACCES: { what: 'permission denied', todo: 'give the user running mlbench access to it (owner or mode) or point the home elsewhere' },
  EPERM: { what: 'operation not permitted', todo: 'give the user running mlbench access to it (owner or mode) or point the home elsewhere' },
};

/** What a tool prints when the disk fills under it (gcc, ld, as, tar). */

export class MachineFault extends MlbenchError {
  constructor(
    readonly code: string,
    readonly path: string,
    message: string,
    readonly todo: string,
  ) {
    super('fault', message, { hint: todo });
    this.name = 'MachineFault';
  }

  /** The same fault with the command that finishes the session added to what to do. */
  forSession(sessionId: string): MachineFault {
    return new MachineFault(this.code, this.path, this.message, `${this.todo}, then \`mlbench flow resume ${sessionId}\``);
  }
}

function errnoOf(e: unknown): NodeJS.ErrnoException | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    const err = cur as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && err.code in ERRNO_WHAT) return err;
    if (err.code === 'ENOENT' && err.syscall === 'mkdir' && err.path) return unwritableAncestor(err.path);
  }
  return undefined;
}

/**
 * Node's recursive mkdir reports ENOENT when the folder it should create in is read-only or not
 * writable; the nearest existing folder tells the real cause.
 */
function unwritableAncestor(path: string): NodeJS.ErrnoException | undefined {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return typeof err.code === 'string' && err.code in ERRNO_WHAT ? Object.assign(err, { path: dir, syscall: 'mkdir' }) : undefined;
  }
}

/**
 * The machine fault behind an error, or undefined for an ordinary failure. `where` names the
 * place when the error itself carries no path (a tool's stderr), e.g. the run's folder.
 */
export function machineFaultOf(e: unknown, where = 'the session folder'): MachineFault | undefined {
  if (e instanceof MachineFault) return e;
  const errno = errnoOf(e);
  if (errno?.code) {
    const { what, todo } = ERRNO_WHAT[errno.code];
    // copyfile and rename name the source first; the destination is where the write failed.
    const path = (errno as { dest?: string }).dest ?? errno.path ?? where;
    const verb = errno.syscall ? ` (${errno.code}, ${errno.syscall})` : ` (${errno.code})`;
    return new MachineFault(errno.code, path, `${what}: ${path}${verb}`, todo);
  }
  if (e instanceof MlbenchError && e.kind === 'tool-missing') {
    // Preflight found every tool before the session started: one missing now has vanished.
    return new MachineFault('ENOENT', e.message, `a tool vanished during the session: ${e.message}`, 'reinstall it (see `mlbench env`)');
  }
  const text = e instanceof Error ? e.message : String(e);
  for (const [re, code] of FAULT_TEXT) {
    if (re.test(text)) {
      const { what, todo } = ERRNO_WHAT[code];
      const path = e instanceof MlbenchError && e.logPath ? e.logPath : where;
      return new MachineFault(code, path, `${what} under a tool writing in ${path} (${code})`, todo);
    }
  }
  return undefined;
}

/**
 * A failure recorded because the disk was full or read-only (by an older mlbench, or a path
 * that escaped the checks above): not the run's own, so `flow resume` runs it again.
 */
export function isFaultReason(reason: string | undefined): boolean {
  return reason !== undefined && (/\b(ENOSPC|EDQUOT|EROFS)\b/i.test(reason) || faultCodeInText(reason) !== undefined);
}
