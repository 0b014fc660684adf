// Sessions on disk: `<home>/sessions/<id>/` with session.json (the request and its runs),
// runs/<run>/ (one folder per run) and the reports. Ids are allocated with an exclusive mkdir,
// so two processes on one home never get the same session.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assertInside, checkName, confinedChild, unsafeNameReason } from '../core/confine.js';
import type { ConfigRecord } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { readJson, writeJsonAtomic } from './files.js';
import type { FlowRequest, RunSpec } from './matrix.js';
import type { RunResult } from './run.js';

export interface SessionRecord {
  id: string;
  label: string;
  created: string;
  argv: string[];
  request: FlowRequest;
  runs: RunSpec[];
  /**
   * 'running' until the process ends it; 'interrupted' after Ctrl-C; 'done' when every run ended;
   * 'submitted' while its runs are on a cluster with no mlbench watching (`sessions wait` ends it).
   */
  state: 'running' | 'interrupted' | 'done' | 'submitted';
  /** What runs the runs (`executor` and its keys, e.g. slurm.time); absent: local. */
  executor?: { name: string; config: ConfigRecord };
  /** Postprocesses chosen for the session, re-applied by `flow resume`. */
  postprocess?: { names: readonly string[]; config: Record<string, string> };
}

export class SessionDir {
  constructor(
    readonly root: string,
    readonly id: string,
  ) {}

  get dir(): string {
    return join(this.root, this.id);
  }
  get recordFile(): string {
    return join(this.dir, 'session.json');
  }
  private runsChecked = false;

  /** A run's folder; a run id that is not one plain name, or a link out of the session, is refused. */
  runDir(runId: string): string {
    const runs = join(this.dir, 'runs');
    if (!this.runsChecked) {
      assertInside(this.dir, runs, `runs folder of session ${this.id}:`);
      this.runsChecked = true;
    }
    return confinedChild(runs, runId, `run id in session ${this.id}:`);
  }
  resultFile(runId: string): string {
    return join(this.runDir(runId), 'result.json');
  }
  read(): SessionRecord {
    const r = readJson<SessionRecord>(this.recordFile);
    if (!r) throw new MlbenchError('config', `session ${this.id} has no readable session.json`);
    checkRecord(r, this.recordFile);
    // A copied session keeps the id it had elsewhere; here it is the folder's.
    r.id = this.id;
    return r;
  }
  async write(record: SessionRecord): Promise<void> {
    await writeJsonAtomic(this.recordFile, record);
  }
  result(runId: string): RunResult | undefined {
    return readJson<RunResult>(this.resultFile(runId));
  }
  /** Results of every run that ended (ok, failed or skipped); interrupted runs count as missing. */
  finishedResults(record: SessionRecord): RunResult[] {
    return record.runs
      .map((r) => this.result(r.id))
      .filter((r): r is RunResult => r !== undefined && r.status !== 'interrupted');
  }
}

/**
 * session.json may come from elsewhere (a colleague's session): everything in it that becomes
 * a path is checked before any of it is used.
 */
function checkRecord(r: SessionRecord, file: string): void {
  const bad = (what: string): never => {
    throw new MlbenchError('config', `${file}: ${what}`, { hint: 'the session folder is damaged or was not written by mlbench; nothing was run' });
  };
  if (typeof r !== 'object' || r === null || !Array.isArray(r.runs)) bad('"runs" is not a list');
  const seen = new Set<string>();
  r.runs.forEach((run, i) => {
    if (typeof run !== 'object' || run === null) bad(`run ${i} is not an object`);
    const why = unsafeNameReason(run.id);
    if (why) bad(`run ${i} id ${JSON.stringify(run.id)} ${why}`);
    if (seen.has(run.id)) bad(`run id ${run.id} appears twice`);
    seen.add(run.id);
  });
  if (r.label !== undefined && typeof r.label !== 'string') bad('"label" is not text');
}

/** A label as shown in a terminal: control characters (escape sequences) become spaces. */
export function displayLabel(label: unknown): string {
  // eslint-disable-next-line no-control-regex
  return typeof label === 'string' ? label.replace(/[\u0000-\u001f\u007f\u009b]/g, ' ') : '';
}

export function listSessions(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'session.json')))
    .sort((a, b) => Number(a) - Number(b));
}

export function createSessionDir(root: string): SessionDir {
  mkdirSync(root, { recursive: true });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const ids = readdirSync(root).filter((d) => /^\d+$/.test(d)).map(Number);
    const id = String((ids.length ? Math.max(...ids) : 0) + 1 + attempt);
    try {
      mkdirSync(join(root, id)); // exclusive: fails if another process took this id
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    mkdirSync(join(root, id, 'runs'));
    pointLatest(root, id);
    return new SessionDir(root, id);
  }
  throw new MlbenchError('config', `could not allocate a session id in ${root}`);
}

/**
 * Points `<root>/latest` at a session (or removes it when there is none), replacing the link
 * in one rename so a reader never finds it missing or dangling.
 */
export function pointLatest(root: string, id: string | undefined): void {
  const latest = join(root, 'latest');
  try {
    if (id === undefined) {
      unlinkSync(latest);
      return;
    }
    const tmp = join(root, `.latest-${process.pid}`);
    rmSync(tmp, { force: true });
    symlinkSync(id, tmp);
    renameSync(tmp, latest);
  } catch {
    // "latest" is a convenience; a race on it must not fail the session.
  }
}

export function openSession(root: string, id: string): SessionDir {
  const resolved = id === 'latest' ? listSessions(root).at(-1) : checkName(id, 'session id');
  if (resolved && existsSync(join(root, resolved, 'session.json'))) {
    // A session folder that is a link out of the sessions folder is refused like `../x`.
    confinedChild(root, resolved, 'session');
    return new SessionDir(root, resolved);
  }
  const near = closest(id, listSessions(root));
  throw new MlbenchError('config', `no session ${id} in ${root}`, {
    hint: near ? `did you mean ${near}?` : 'see `mlbench sessions list`',
  });
}

export function removeSession(root: string, id: string): void {
  rmSync(join(root, id), { recursive: true, force: true });
}
