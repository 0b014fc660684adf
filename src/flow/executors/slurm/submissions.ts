// What a session sent to Slurm, kept in `<session>/slurm/`: one submission-<n>.json per job
// array (its job id and the run of each task index), the batch script, and the tasks' output
// (`<job>_<task>.out`). Written before sbatch is called and updated with the job id, so a task
// (`mlbench flow exec-run SESSION --submission n`), `sessions wait` and `flow resume` all find
// the run behind a task index. The files may come from elsewhere: they are checked on reading.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confinedChild } from '../../../core/confine.js';
import { MlbenchError } from '../../../core/errors.js';
import { readJson, writeJsonAtomic } from '../../files.js';
import type { SessionDir, SessionRecord } from '../../session.js';

export interface Submission {
  n: number;
  /** Set once sbatch returned. */
  jobId?: string;
  /** Run id of each array task index. */
  runs: string[];
  submitted: string;
  /** Set before mlbench cancels the job (Ctrl-C): its CANCELLED tasks are not failures. */
  cancelled?: boolean;
}

/**
 * The batch script: the same text for every session. The command comes as sbatch's script
 * arguments (node, mlbench's launcher, mlbench's arguments), so no path or name from the
 * session ever passes through a shell.
 */
export const TASK_SCRIPT = `#!/bin/sh
# Written by mlbench: runs the command given as arguments (mlbench flow exec-run ...).
exec "$@"
`;

export function slurmDir(session: SessionDir): string {
  const dir = confinedChild(session.dir, 'slurm', `slurm folder of session ${session.id}:`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function taskScript(session: SessionDir): string {
  const file = join(slurmDir(session), 'task.sh');
  writeFileSync(file, TASK_SCRIPT, { mode: 0o755 });
  return file;
}

/** The output file of a task, relative to the session (sbatch runs in the session folder). */
export function taskLogName(jobId: string, task: number): string {
  return join('slurm', `${jobId}_${task}.out`);
}

const FILE = /^submission-(\d+)\.json$/;

function fileOf(session: SessionDir, n: number): string {
  return join(slurmDir(session), `submission-${n}.json`);
}

function checked(raw: Submission | undefined, n: number, record: SessionRecord, file: string): Submission {
  const ids = new Set(record.runs.map((r) => r.id));
  const ok =
    raw !== undefined &&
    typeof raw === 'object' &&
    raw.n === n &&
    (raw.jobId === undefined || (typeof raw.jobId === 'string' && /^\d+$/.test(raw.jobId))) &&
    Array.isArray(raw.runs) &&
    raw.runs.every((r) => typeof r === 'string' && ids.has(r));
  if (!ok) throw new MlbenchError('config', `${file}: not a submission of this session`, { hint: 'the session folder is damaged or was not written by mlbench' });
  return raw;
}

export function readSubmission(session: SessionDir, record: SessionRecord, n: number): Submission {
  const file = fileOf(session, n);
  return checked(readJson<Submission>(file), n, record, file);
}

/** Every submission of the session, oldest first. */
export function readSubmissions(session: SessionDir, record: SessionRecord): Submission[] {
  const dir = join(session.dir, 'slurm');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => FILE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((n) => readSubmission(session, record, n));
}

/** Records a new submission of `runs` (before sbatch: a task may start the moment it returns). */
export async function newSubmission(session: SessionDir, record: SessionRecord, runs: string[]): Promise<Submission> {
  const n = (readSubmissions(session, record).at(-1)?.n ?? 0) + 1;
  const sub: Submission = { n, runs, submitted: new Date().toISOString() };
  await saveSubmission(session, sub);
  return sub;
}

export async function saveSubmission(session: SessionDir, sub: Submission): Promise<void> {
  await writeJsonAtomic(fileOf(session, sub.n), sub);
}
