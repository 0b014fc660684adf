// The Slurm executor: the session's runs go out as one job array (`sbatch --array=0-N%M`;
// split into several when they are more than the cluster's MaxArraySize),
// each task running `mlbench flow exec-run SESSION --submission n` on its run in the session's
// own run folder; this process follows the array (watch.ts), shows progress as a local sweep
// does and refreshes the reports as results land. Runs whose task of an earlier submission
// still runs (a watcher that lost the controller, a detached session) are followed, never
// submitted twice.
import { rmSync } from 'node:fs';
import { MlbenchError } from '../../../core/errors.js';
import { createProgress } from '../../progress.js';
import type { RunResult } from '../../run.js';
import { knownResults, needsRun, reportRefresher } from '../../scheduler.js';
import type { SessionDir, SessionRecord } from '../../session.js';
import type { Executor, ExecutorOptions } from '../executor.js';
import { isActive, maxArraySize, missingClientTools, sbatch, squeue, type TaskLine } from './client.js';
import { mlbenchCommand } from './command.js';
import { probeHome } from './probe.js';
import { arrayArg, resourceArgs, slurmSettings, type SlurmSettings } from './settings.js';
import { newSubmission, readSubmissions, saveSubmission, taskScript, type Submission } from './submissions.js';
import { openTasks, watchTasks } from './watch.js';

type OpenTask = ReturnType<typeof openTasks>[number];

/** What Slurm says about each open task (one squeue per job); throws when the controller does not answer. */
async function taskStates(tasks: OpenTask[]): Promise<Map<OpenTask, TaskLine | undefined>> {
  const out = new Map<OpenTask, TaskLine | undefined>();
  for (const jobId of new Set(tasks.map((t) => t.sub.jobId))) {
    let lines: TaskLine[] | 'gone';
    try {
      lines = await squeue(jobId);
    } catch (e) {
      throw new MlbenchError('tool-failed', `cannot tell whether Slurm job ${jobId} of this session still runs: ${e instanceof Error ? e.message : String(e)}`, {
        hint: 'try again when the Slurm controller answers; nothing was submitted',
      });
    }
    for (const t of tasks.filter((x) => x.sub.jobId === jobId)) out.set(t, lines === 'gone' ? undefined : lines.find((l) => l.tasks.includes(t.index)));
  }
  return out;
}

async function submitArray(session: SessionDir, record: SessionRecord, runs: string[], s: SlurmSettings, o: ExecutorOptions): Promise<Submission & { jobId: string }> {
  const sub = await newSubmission(session, record, runs);
  const jobId = await sbatch([
    arrayArg(runs.length, s),
    ...resourceArgs(s),
    `--job-name=mlbench-${session.id}`,
    `--chdir=${session.dir}`,
    '--output=slurm/%A_%a.out',
    taskScript(session),
    ...mlbenchCommand(o.env, session, ['--submission', String(sub.n)]),
  ]);
  const submitted = { ...sub, jobId };
  await saveSubmission(session, submitted);
  return submitted;
}

async function runSession(session: SessionDir, record: SessionRecord, o: ExecutorOptions) {
  const s = slurmSettings(o.settings);
  const known = knownResults(session, record);
  const final = (id: string): RunResult | undefined => {
    const r = known.get(id);
    return r && r.status !== 'interrupted' ? r : undefined;
  };
  const resultOf = (id: string): RunResult | undefined => known.get(id);
  for (const [id, r] of known) if (r.status === 'interrupted') known.delete(id);
  // Tasks of earlier submissions that Slurm still runs are followed, not submitted again.
  const earlier = openTasks(readSubmissions(session, record), record.runs, known);
  // Only following needs no answer now: the watcher waits for the controller (LOST_AFTER_MS).
  const states = earlier.length ? await taskStates(earlier).catch((e: unknown) => (o.watchOnly ? undefined : Promise.reject(e))) : new Map<OpenTask, TaskLine | undefined>();
  const following = earlier.filter((t) => {
    const line = states?.get(t);
    return states === undefined || (line !== undefined && isActive(line.state));
  });
  const followed = new Set(following.map((t) => t.run.id));
  const toSubmit = o.watchOnly ? [] : record.runs.filter((r) => needsRun(final(r.id), o.retryFailed) && !followed.has(r.id));
  // Tasks that ended while nobody watched are settled by the watcher (a result, or Slurm's reason).
  const ended = earlier.filter((t) => !followed.has(t.run.id) && !toSubmit.some((r) => r.id === t.run.id));
  const progress = createProgress(toSubmit.length + following.length + ended.length, { enabled: o.progress, tty: o.tty, write: o.write });
  const refresher = reportRefresher(session, record, resultOf, o.finishReport, o.reportIntervalMs);
  const tasks = [...following, ...ended];
  const outcome = (extra: { interrupted: boolean; handedOff?: { message: string; exitCode: number } }) => ({
    results: [...known.values()],
    resultOf,
    ...extra,
  });
  if (toSubmit.length) {
    if (s.checkHome && !(await probeHome(session, o.env, s, o.signal, o.write))) return outcome({ interrupted: true });
    for (const r of toSubmit) {
      // A failed run submitted again (--retry-failed) must not be read as finished by its old result.
      rmSync(session.resultFile(r.id), { force: true });
      known.delete(r.id);
    }
    const ids = toSubmit.map((r) => r.id);
    const size = await maxArraySize();
    const subs: Submission[] = [];
    for (let i = 0; i < ids.length; i += size) subs.push(await submitArray(session, record, ids.slice(i, i + size), s, o));
    const jobs = subs.length === 1 ? `job ${subs[0].jobId}` : `jobs ${subs.map((x) => x.jobId).join(', ')} (MaxArraySize ${size})`;
    const throttle = s.maxParallel ? ` (at most ${s.maxParallel} at once${subs.length > 1 ? ' per array' : ''})` : '';
    o.write(`session ${session.id}: Slurm ${jobs}, ${ids.length} run${ids.length === 1 ? '' : 's'}${throttle}\n`);
    tasks.push(...openTasks(subs, record.runs, known));
  }
  if (o.detach) {
    progress.stop();
    const jobs = [...new Set(tasks.map((t) => t.sub.jobId))].join(', ');
    return outcome({
      interrupted: false,
      handedOff: { message: `submitted (Slurm job ${jobs}); follow it with: mlbench sessions show ${session.id}; mlbench sessions wait ${session.id}`, exitCode: 0 },
    });
  }
  const end = await watchTasks(tasks, {
    session,
    runs: record.runs,
    registry: o.registry,
    known,
    progress,
    onResult: () => refresher.maybeRefresh(),
    signal: o.signal,
    write: o.write,
  });
  progress.stop();
  await refresher.settle();
  if (end.lost !== undefined) {
    return outcome({
      interrupted: true,
      handedOff: {
        message: `lost the Slurm controller (${end.lost}); the tasks go on and write their results: mlbench sessions wait ${session.id} (or flow resume ${session.id}) picks them up`,
        exitCode: 3,
      },
    });
  }
  const missing = record.runs.some((r) => final(r.id) === undefined);
  return outcome({ interrupted: o.signal.aborted || missing });
}

/** One line about the session's tasks for `sessions show`. */
async function describe(session: SessionDir, record: SessionRecord): Promise<string | undefined> {
  const known = knownResults(session, record);
  const tasks = openTasks(readSubmissions(session, record), record.runs, known);
  const finished = [...known.values()].filter((r) => r.status !== 'interrupted').length;
  const head = `${finished} of ${record.runs.length} runs have a result`;
  if (!tasks.length) return head;
  let states: Map<OpenTask, TaskLine | undefined>;
  try {
    states = await taskStates(tasks);
  } catch (e) {
    return `${head}; Slurm does not answer: ${e instanceof Error ? e.message : String(e)}`;
  }
  const count = new Map<string, number>();
  for (const line of states.values()) {
    const state = line?.state ?? 'ENDED';
    count.set(state, (count.get(state) ?? 0) + 1);
  }
  const jobs = [...new Set(tasks.map((t) => t.sub.jobId))].join(', ');
  return `${head}; Slurm job ${jobs}: ${[...count].map(([k, n]) => `${n} ${k.toLowerCase()}`).join(', ')}`;
}

export const slurmExecutor: Executor = {
  name: 'slurm',
  canDetach: true,
  async check(settings) {
    slurmSettings(settings);
    const missing = missingClientTools();
    if (missing.length) {
      throw new MlbenchError('tool-missing', `the slurm executor needs Slurm's client commands: ${missing.join(', ')} not found`, {
        hint: 'run mlbench on a machine that can submit to the cluster (Debian: apt-get install slurm-client), with SLURM_CONF set if the cluster needs it',
      });
    }
  },
  runSession,
  describe,
};
