// Sessions on disk: `<home>/sessions/<id>/` with session.json (the request and its runs),
// runs/<run>/ (one folder per run) and the reports. Ids are allocated with an exclusive mkdir,
// so two processes on one home never get the same session.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
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
  /** 'running' until the process ends it; 'interrupted' after Ctrl-C; 'done' when every run ended. */
  state: 'running' | 'interrupted' | 'done';
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
  runDir(runId: string): string {
    return join(this.dir, 'runs', runId);
  }
  resultFile(runId: string): string {
    return join(this.runDir(runId), 'result.json');
  }
  read(): SessionRecord {
    const r = readJson<SessionRecord>(this.recordFile);
    if (!r) throw new MlbenchError('config', `session ${this.id} has no readable session.json`);
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
    const latest = join(root, 'latest');
    try {
      if (existsSync(latest)) unlinkSync(latest);
      symlinkSync(id, latest);
    } catch {
      // "latest" is a convenience; a race on it must not fail the session.
    }
    return new SessionDir(root, id);
  }
  throw new MlbenchError('config', `could not allocate a session id in ${root}`);
}

export function openSession(root: string, id: string): SessionDir {
  const resolved = id === 'latest' ? listSessions(root).at(-1) : id;
  if (resolved && existsSync(join(root, resolved, 'session.json'))) return new SessionDir(root, resolved);
  const near = closest(id, listSessions(root));
  throw new MlbenchError('config', `no session ${id} in ${root}`, {
    hint: near ? `did you mean ${near}?` : 'see `mlbench sessions list`',
  });
}

export function removeSession(root: string, id: string): void {
  rmSync(join(root, id), { recursive: true, force: true });
}
