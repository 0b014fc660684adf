// `mlbench sessions list | show ID | clean`.
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertInside } from '../core/confine.js';
import { MlbenchError, errorMessage } from '../core/errors.js';
import { loadEnvironment } from '../flow/environment.js';
import { acquireSessionLock, describeOwner, liveLockOwner, type SessionLock } from '../flow/session-lock.js';
import { displayLabel, listSessions, openSession, pointLatest, removeSession, type SessionDir } from '../flow/session.js';
import { executorNamed } from '../flow/executors/index.js';
import { rowOf } from '../flow/report.js';
import { summaryTable, terminalWidth } from './summary.js';

export async function sessionsCommand(
  action: string,
  id: string | undefined,
  o: { home?: string; json: boolean; keep: number },
): Promise<number> {
  const env = loadEnvironment(o.home);
  const root = env.sessionsDir;
  if (action === 'show') {
    const s = openSession(root, id ?? 'latest');
    if (await showInFlight(s, o.json)) return 0;
    const file = join(s.dir, o.json ? 'report.json' : 'report.md');
    assertInside(s.dir, file, 'report');
    process.stdout.write(readFileSync(file, 'utf8'));
    return 0;
  }
  const ids = listSessions(root);
  if (action === 'clean') return cleanSessions(root, ids, o.keep);
  const rows = ids.map((sid) => {
    try {
      const session = openSession(root, sid);
      const r = session.read();
      const results = session.finishedResults(r);
      const owner = liveLockOwner(session.dir);
      return {
        id: sid,
        label: displayLabel(r.label),
        created: String(r.created ?? ''),
        state: r.state === 'running' && !owner ? 'stopped' : String(r.state),
        runs: r.runs.length,
        ok: results.filter((x) => x.status === 'ok').length,
        failed: results.filter((x) => x.status === 'failed').length,
      };
    } catch (e) {
      // One damaged or hostile session must not hide the others.
      return { id: sid, label: displayLabel(errorMessage(e)), created: '', state: 'unreadable', runs: 0, ok: 0, failed: 0 };
    }
  });
  if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    process.stdout.write(`sessions in ${root}:\n`);
    for (const r of rows) {
      process.stdout.write(`  ${r.id.padStart(4)}  ${r.created}  ${r.state.padEnd(11)} ${r.ok}/${r.runs} ok, ${r.failed} failed  ${r.label}\n`);
    }
  }
  return 0;
}

function submitted(root: string, sid: string): boolean {
  try {
    return openSession(root, sid).read().state === 'submitted';
  } catch {
    return false;
  }
}

/**
 * Removes all but the newest `keep` sessions. A session in use (its lock held by a live process,
 * or its runs submitted to a cluster) is never removed: clean takes each session's lock before removing it. `latest` is pointed at
 * the newest session left.
 */
function cleanSessions(root: string, ids: string[], keep: number): number {
  if (!Number.isInteger(keep) || keep < 0) {
    throw new MlbenchError('config', `invalid value ${JSON.stringify(keep)} for --keep: expected a whole number >= 0`);
  }
  const candidates = ids.slice(0, Math.max(0, ids.length - keep));
  const removed: string[] = [];
  const busy: string[] = [];
  for (const sid of candidates) {
    const dir = join(root, sid);
    // A session that is a link (planted or hand-made) is removed as a link: its target stays.
    let lock: SessionLock | undefined;
    if (!lstatSync(dir).isSymbolicLink()) {
      try {
        lock = acquireSessionLock(dir, sid);
      } catch (e) {
        if (!(e instanceof MlbenchError)) throw e;
        const owner = liveLockOwner(dir);
        busy.push(owner ? `${sid} (${describeOwner(owner)})` : sid);
        continue;
      }
      // Its runs may still be on a cluster, writing into it: `sessions wait` ends it first.
      if (submitted(root, sid)) {
        lock?.release();
        busy.push(`${sid} (submitted to a cluster; mlbench sessions wait ${sid})`);
        continue;
      }
    }
    removeSession(root, sid);
    lock?.release();
    removed.push(sid);
  }
  pointLatest(root, listSessions(root).at(-1));
  const left = ids.length - removed.length;
  process.stdout.write(`removed ${removed.length} session(s), kept ${left}${busy.length ? `; in use, not removed: ${busy.join(', ')}` : ''}\n`);
  return 0;
}

/**
 * A session whose runs are on a cluster and not all ended: its progress from the result files
 * and the executor (Slurm's view of the tasks), and the table of the results so far.
 */
async function showInFlight(s: SessionDir, json: boolean): Promise<boolean> {
  const record = s.read();
  const executor = executorNamed(record.executor?.name ?? 'local');
  if (record.state === 'done' || !executor.describe) return false;
  const line = await executor.describe(s, record);
  const rows = record.runs.map((spec) => rowOf(record.id, spec, s.result(spec.id)));
  if (json) {
    process.stderr.write(`session ${s.id}: ${line}\n`);
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else process.stdout.write(`session ${s.id} (${record.state}): ${line}\n${summaryTable(rows, terminalWidth())}`);
  return true;
}
