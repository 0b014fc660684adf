// Follows the tasks of a session's job arrays until each run has ended: a result.json written
// by its task (read the moment it appears, so progress and reports move as runs finish), or a
// task that Slurm ended without one (TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, CANCELLED by someone
// else, a failed start), which is recorded here as a failed run with Slurm's state and reason.
// Ctrl-C cancels the arrays; their CANCELLED tasks stay without a result, so `flow resume` runs
// them again. A controller that stops answering does not lose anything either: the tasks go on
// writing their results, and `sessions wait` or `flow resume` picks them up later.
import { existsSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ConfigView } from '../../../core/config.js';
import { errorMessage } from '../../../core/errors.js';
import { readJson, writeJsonAtomic } from '../../files.js';
import { STAGES, type RunSpec, type StageName } from '../../matrix.js';
import type { Progress } from '../../progress.js';
import type { Registry } from '../../registry.js';
import { shownConfig, type RunRecord, type RunResult } from '../../run.js';
import type { SessionDir } from '../../session.js';
import { isActive, scancel, squeue, type TaskLine } from './client.js';
import { saveSubmission, taskLogName, type Submission } from './submissions.js';

const envMs = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Between two looks at the results and squeue (MLBENCH_SLURM_POLL_MS). */
export const POLL_MS = envMs('MLBENCH_SLURM_POLL_MS', 2000);
/** How long squeue may fail in a row before the watcher gives up (MLBENCH_SLURM_LOST_AFTER_MS). */
export const LOST_AFTER_MS = envMs('MLBENCH_SLURM_LOST_AFTER_MS', 5 * 60_000);
/** A task that ended well may have written a result this host does not see yet (NFS caches). */
export const RESULT_GRACE_MS = envMs('MLBENCH_SLURM_RESULT_GRACE_MS', 30_000);
/** After scancel, how long the watcher waits for the tasks to stop and their results to land. */
const CANCEL_WAIT_MS = 90_000;

export interface WatchContext {
  session: SessionDir;
  runs: RunSpec[];
  registry: Registry;
  /** Final results by run id; the watcher adds what appears. */
  known: Map<string, RunResult>;
  progress: Progress;
  onResult: (r: RunResult) => void;
  signal: AbortSignal;
  write: (s: string) => void;
}

export interface WatchEnd {
  /** Set when squeue failed for LOST_AFTER_MS in a row: its last error. */
  lost?: string;
}

interface OpenTask {
  run: RunSpec;
  sub: Submission & { jobId: string };
  index: number;
  running: boolean;
  /** When the task was first seen ended without a visible result. */
  endedAt?: number;
}

/** The last line of a task's output (Slurm's own notice of a kill, or mlbench's error), as plain text. */
export function lastLogLine(file: string): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 4096));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      // eslint-disable-next-line no-control-regex
      const lines = buf.toString('utf8').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, ' ').split('\n');
      return (lines.map((l) => l.trim()).filter(Boolean).at(-1) ?? '').slice(0, 300);
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** The stage the run was in: the first planned one its run.json does not record as done. */
function stageInProgress(runDir: string, spec: RunSpec): StageName {
  const done = readJson<RunRecord>(join(runDir, 'run.json'))?.stages ?? {};
  const tuning = spec.features.includes('autotune') || spec.until === 'tune';
  const planned = STAGES.slice(0, STAGES.indexOf(spec.until) + 1).filter((s) => s !== 'tune' || tuning);
  return planned.find((s) => done[s]?.status !== 'ok') ?? spec.until;
}

function taskLogPath(c: WatchContext, t: OpenTask): string {
  return join(c.session.dir, taskLogName(t.sub.jobId, t.index));
}

function slurmReason(c: WatchContext, t: OpenTask, line: TaskLine | undefined): string {
  const where = `task ${t.sub.jobId}_${t.index}${line?.node ? ` on ${line.node}` : ''}`;
  let what: string;
  if (!line) what = 'the task ended without a result and Slurm no longer knows its state';
  else if (line.state === 'COMPLETED') what = 'COMPLETED, but its result.json never appeared here (is the home on a file system this machine shares with the node?)';
  else {
    const reason = line.reason && line.reason !== 'None' ? ` (${line.reason})` : '';
    const exit = line.state === 'FAILED' && line.exitStatus ? `, exit ${line.exitStatus >> 8 || `signal ${line.exitStatus & 0x7f}`}` : '';
    what = `${line.state}${reason}${exit}`;
  }
  const log = lastLogLine(taskLogPath(c, t));
  return `Slurm: ${what}, ${where}${log ? `; last output: ${log}` : ''}`;
}

/** The failed result of a task Slurm ended without a result. */
function slurmFailure(c: WatchContext, t: OpenTask, line: TaskLine | undefined): RunResult {
  const spec = t.run;
  const nonDefault = new ConfigView(spec.config, c.registry.schema()).nonDefault();
  return {
    session: c.session.id,
    run: spec.id,
    spec,
    status: 'failed',
    failedStage: stageInProgress(c.session.runDir(spec.id), spec),
    reason: slurmReason(c, t, line),
    logPath: taskLogPath(c, t),
    metrics: {},
    stageSeconds: {},
    nonDefaultConfig: shownConfig(spec, nonDefault),
  };
}

/**
 * The open tasks: for each run without a final result, the task of its latest submission.
 * Later submissions of a run supersede earlier ones.
 */
export function openTasks(subs: Submission[], runs: RunSpec[], known: Map<string, RunResult>): OpenTask[] {
  const byRun = new Map<string, OpenTask>();
  const specOf = new Map(runs.map((r) => [r.id, r]));
  for (const sub of subs) {
    if (sub.jobId === undefined) continue;
    sub.runs.forEach((runId, index) => {
      const run = specOf.get(runId);
      if (run) byRun.set(runId, { run, sub: sub as Submission & { jobId: string }, index, running: false });
    });
  }
  return [...byRun.values()].filter((t) => !known.has(t.run.id));
}

export async function watchTasks(tasks: OpenTask[], c: WatchContext): Promise<WatchEnd> {
  const open = new Map(tasks.map((t) => [t.run.id, t]));
  const settle = (t: OpenTask, res: RunResult | undefined): void => {
    open.delete(t.run.id);
    if (!res) return;
    c.known.set(t.run.id, res);
    c.progress.finished(res);
    c.onResult(res);
  };
  const resultOf = (t: OpenTask): RunResult | undefined => {
    const res = c.session.result(t.run.id);
    return res && res.status !== 'interrupted' ? res : undefined;
  };
  let lastAnswer = Date.now();
  let lastError = '';
  let cancelledAt: number | undefined;
  while (open.size > 0) {
    for (const t of [...open.values()]) {
      const res = resultOf(t);
      if (res) settle(t, res);
    }
    if (open.size === 0) break;
    if (c.signal.aborted && cancelledAt === undefined) {
      cancelledAt = Date.now();
      await cancelAll([...open.values()], c);
    }
    if (cancelledAt !== undefined && Date.now() - cancelledAt > CANCEL_WAIT_MS) break;
    let answered = false;
    for (const jobId of new Set([...open.values()].map((t) => t.sub.jobId))) {
      let lines: TaskLine[] | 'gone';
      try {
        lines = await squeue(jobId);
        answered = true;
      } catch (e) {
        lastError = errorMessage(e);
        continue;
      }
      for (const t of [...open.values()].filter((x) => x.sub.jobId === jobId)) {
        const line = lines === 'gone' ? undefined : lines.find((l) => l.tasks.includes(t.index));
        if (line && isActive(line.state)) {
          if (line.state === 'RUNNING' && !t.running) {
            t.running = true;
            c.progress.started(t.run.id, `running on ${line.node || 'a node'}`);
          }
          continue;
        }
        await settleEnded(t, line, c, settle, resultOf);
      }
    }
    if (answered) lastAnswer = Date.now();
    else if (Date.now() - lastAnswer > LOST_AFTER_MS) return { lost: lastError };
    await sleep(POLL_MS, undefined, { signal: cancelledAt === undefined ? c.signal : undefined }).catch(() => undefined);
  }
  return {};
}

async function settleEnded(
  t: OpenTask,
  line: TaskLine | undefined,
  c: WatchContext,
  settle: (t: OpenTask, r: RunResult | undefined) => void,
  resultOf: (t: OpenTask) => RunResult | undefined,
): Promise<void> {
  const res = resultOf(t);
  if (res) return settle(t, res);
  // Cancelled by this session (Ctrl-C): no result, so `flow resume` runs it again.
  if (t.sub.cancelled && (!line || line.state === 'CANCELLED')) return settle(t, undefined);
  // Ended well or unknown: its result may still be on its way to this host.
  if (!line || line.state === 'COMPLETED') {
    t.endedAt ??= Date.now();
    if (Date.now() - t.endedAt < RESULT_GRACE_MS) return;
  }
  const failure = slurmFailure(c, t, line);
  if (existsSync(c.session.resultFile(t.run.id))) return settle(t, resultOf(t));
  await writeJsonAtomic(c.session.resultFile(t.run.id), failure);
  settle(t, failure);
}

async function cancelAll(tasks: OpenTask[], c: WatchContext): Promise<void> {
  const subs = [...new Set(tasks.map((t) => t.sub))];
  for (const sub of subs) {
    // Recorded before scancel: whoever reads the session later knows these CANCELLED tasks were ours.
    sub.cancelled = true;
    await saveSubmission(c.session, sub);
    const failed = await scancel(sub.jobId);
    c.write(failed ? `mlbench: ${failed}; cancel it yourself: scancel ${sub.jobId}\n` : `cancelled Slurm job ${sub.jobId}; waiting for its tasks to stop\n`);
  }
}
