// `mlbench flow exec-run`: one run of an existing session, executed in its own run folder
// exactly as the local pool does it (runAndRecord: result.json written atomically). This is
// what every task of a Slurm array runs on its node; a task finds its run through the
// session's submission file and SLURM_ARRAY_TASK_ID. It also answers the probe job that checks,
// before a sweep is submitted, that the home can be written from the nodes.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DirectoryCache } from '../core/cache.js';
import { ConfigView } from '../core/config.js';
import { checkName } from '../core/confine.js';
import { acquireLock } from '../core/entry-lock.js';
import { MlbenchError } from '../core/errors.js';
import type { Environment } from './environment.js';
import { readSubmission, slurmDir } from './executors/slurm/submissions.js';
import { writeJsonAtomic } from './files.js';
import type { Registry } from './registry.js';
import type { RunResult } from './run.js';
import { runAndRecord } from './scheduler.js';
import type { SessionDir, SessionRecord } from './session.js';

export type ExecRunWhat = { run: string } | { submission: number; task: number };

/** The run a task stands for: a run id, or the task index of a submission. */
export function runOfTask(session: SessionDir, record: SessionRecord, what: ExecRunWhat): string {
  if ('run' in what) {
    if (!record.runs.some((r) => r.id === what.run)) throw new MlbenchError('config', `session ${session.id} has no run ${what.run}`);
    return what.run;
  }
  const sub = readSubmission(session, record, what.submission);
  const run = sub.runs[what.task];
  if (run === undefined) throw new MlbenchError('config', `submission ${what.submission} of session ${session.id} has no task ${what.task}`);
  return run;
}

/** The array task index Slurm gives the task. */
export function arrayTaskIndex(): number {
  const raw = process.env.SLURM_ARRAY_TASK_ID ?? '';
  if (!/^\d+$/.test(raw)) throw new MlbenchError('config', '--submission needs SLURM_ARRAY_TASK_ID (it is set inside a Slurm array task)');
  return Number(raw);
}

/**
 * Executes the run and records its result. Two tasks on one run (a requeued task, a resubmission
 * while an old task still ran) take turns through the run's lock, which works across hosts.
 */
export async function execRun(session: SessionDir, record: SessionRecord, runId: string, env: Environment, registry: Registry, signal: AbortSignal): Promise<RunResult> {
  const spec = record.runs.find((r) => r.id === runId);
  if (!spec) throw new MlbenchError('config', `session ${session.id} has no run ${runId}`);
  const runDir = session.runDir(spec.id);
  mkdirSync(runDir, { recursive: true });
  const lock = await acquireLock(join(runDir, 'run.lock'), { signal, log: (line) => process.stderr.write(`${line}\n`) });
  const cache = new DirectoryCache(env.cacheDir, new ConfigView(spec.config, registry.schema()).bool('cache'));
  try {
    return await runAndRecord(session, record, spec, { env, registry, cache, signal });
  } finally {
    cache.close();
    await lock.release();
  }
}

/** What the probe job writes: proof that a job could write into the session and the cache. */
export interface ProbeAnswer {
  token: string;
  host: string;
  node: string;
}

export function probeFile(session: SessionDir, token: string): string {
  return join(slurmDir(session), `probe-${checkName(token, 'probe token')}.json`);
}

export async function answerProbe(session: SessionDir, env: Environment, token: string): Promise<void> {
  const scratch = join(env.cacheDir, 'tmp', `probe-${randomUUID()}`);
  mkdirSync(join(env.cacheDir, 'tmp'), { recursive: true });
  writeFileSync(scratch, 'mlbench probe\n');
  rmSync(scratch, { force: true });
  const answer: ProbeAnswer = { token, host: hostname(), node: process.version };
  await writeJsonAtomic(probeFile(session, token), answer);
}
