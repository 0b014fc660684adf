// `mlbench flow <stage>` and `mlbench flow resume`: from a request to a finished session.
import { copyFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { confinedChild } from '../core/confine.js';
import { loadEnvironment, type Environment } from '../flow/environment.js';
import { expandRuns, type FlowRequest } from '../flow/matrix.js';
import { preflight } from '../flow/preflight.js';
import { Registry } from '../flow/registry.js';
import { machineFaultOf, type MachineFault } from '../flow/faults.js';
import { reserveSpace } from '../flow/space-reserve.js';
import { writeJsonAtomicOrInPlace } from '../flow/files.js';
import { rowOf, type ReportRow } from '../flow/report.js';
import { needsRun, writeSessionReport } from '../flow/scheduler.js';
import { executorNamed, sessionExecutor, type SessionExecutor } from '../flow/executors/index.js';
import { isExecutorKey } from '../flow/executors/keys.js';
import { parseAssignment } from '../core/config.js';
import { createSessionDir, openSession, type SessionDir, type SessionRecord } from '../flow/session.js';
import { acquireSessionLock } from '../flow/session-lock.js';
import { checkRunsToResume, checkStoredPostprocess } from './resume-checks.js';
import { ConfigView } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { postprocessSessionReport, type SessionPostprocessing } from '../postprocess/session-report.js';
import { resolvePostprocesses } from '../postprocess/index.js';
import { checkDestination } from '../postprocess/archive.js';
import { formatFailures, formatWarnings } from '../postprocess/table.js';
import { describeExport, exportSessions } from './export.js';
import { summaryTable, terminalWidth } from './summary.js';

export interface FlowCliOptions {
  home?: string;
  parallel?: number;
  progress: boolean;
  json: boolean;
  label?: string;
  argv: string[];
  postprocess?: SessionPostprocessing;
  /** flow resume: run the failed runs again too. */
  retryFailed?: boolean;
  /** `--executor NAME`. */
  executor?: string;
  /** `--detach`: submit and return (executors whose runs go on without mlbench). */
  detach?: boolean;
  /** flow resume: `-c` assignments, executor keys only (the runs keep their config). */
  executorConfig?: string[];
  /** Also export the finished session here (folder, .zip, .tar, .tar.gz). */
  dest?: string;
  /** Plain per-run stage lines on stderr, even without --progress. */
  verbose?: boolean;
  /** No summary table, progress or info lines: only what went wrong. */
  quiet?: boolean;
}

/** A label is shown in `sessions list`; control characters (terminal escapes) are refused. */
function checkLabel(label: string | undefined): void {
  // eslint-disable-next-line no-control-regex
  if (label !== undefined && (/[\u0000-\u001f\u007f\u009b]/.test(label) || label.length > 200)) {
    throw new MlbenchError('config', `invalid --label ${JSON.stringify(label.slice(0, 40))}${label.length > 40 ? '…' : ''}: control characters or over 200 characters`);
  }
}

const info = (o: FlowCliOptions, s: string): void => {
  if (!o.quiet) process.stderr.write(s);
};

/**
 * MLonMCU copies each labelled session's report to `results/<label>.csv` in its home; so does
 * mlbench. The label becomes one plain file name (other characters turn into `_`).
 */
function writeLabelledResults(home: string, label: string, sessionDir: string): string | undefined {
  const name = label.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '_').slice(0, 200);
  const dir = join(home, 'results');
  mkdirSync(dir, { recursive: true });
  const file = confinedChild(dir, `${name}.csv`, 'results file');
  copyFileSync(join(sessionDir, 'report.csv'), file);
  return `copied to ${file}`;
}

export async function flowRun(req: FlowRequest, o: FlowCliOptions): Promise<number> {
  checkLabel(o.label);
  // Refused before anything runs: a sweep must not end on "destination exists".
  if (o.dest) checkDestination(resolve(o.dest), false);
  const env = loadEnvironment(o.home);
  const registry = new Registry();
  const runs = expandRuns(req, env, registry);
  const post = o.postprocess ?? { names: [], config: {} };
  resolvePostprocesses(post.names, post.config);
  await preflight(runs, env, registry);
  const executor = await checkedExecutor(sessionExecutor(env, registry, req.config, o.executor), o.detach);
  const session = createSessionDir(env.sessionsDir);
  const lock = acquireSessionLock(session.dir, session.id);
  const record: SessionRecord = {
    id: session.id,
    label: o.label ?? '',
    created: new Date().toISOString(),
    argv: o.argv,
    request: req,
    runs,
    state: 'running',
    postprocess: post,
    executor,
  };
  await session.write(record);
  info(o, `session ${session.id}: ${runs.length} run${runs.length === 1 ? '' : 's'} in ${session.dir}\n`);
  try {
    return await execute(session, record, env, registry, o);
  } finally {
    lock.release();
  }
}

/** Opens an existing session under its lock (`flow resume`, `sessions wait`) with its postprocesses checked. */
async function withSession(
  id: string,
  o: FlowCliOptions,
  work: (s: { env: Environment; registry: Registry; session: SessionDir; record: SessionRecord }) => Promise<number>,
): Promise<number> {
  const env = loadEnvironment(o.home);
  const registry = new Registry();
  const session = openSession(env.sessionsDir, id);
  const lock = acquireSessionLock(session.dir, session.id);
  try {
    const record = session.read();
    if (o.postprocess?.names.length) record.postprocess = o.postprocess;
    else checkStoredPostprocess(record, session.dir);
    resolvePostprocesses(record.postprocess?.names ?? [], record.postprocess?.config ?? {});
    return await work({ env, registry, session, record });
  } finally {
    lock.release();
  }
}

export async function flowResume(id: string, o: FlowCliOptions): Promise<number> {
  return withSession(id, o, async ({ env, registry, session, record }) => {
    const results = record.runs.map((r) => session.result(r.id));
    const missing = record.runs.filter((_, i) => needsRun(results[i], o.retryFailed));
    const failed = results.filter((r) => r?.status === 'failed' && !needsRun(r)).length;
    const leftAlone = o.retryFailed || failed === 0 ? '' : ` (${failed} failed run${failed === 1 ? '' : 's'} left as they are; --retry-failed runs them again)`;
    checkRunsToResume(session, missing, registry);
    const given = o.executorConfig ?? [];
    const runKey = given.map((a) => parseAssignment(a)[0]).find((k) => !isExecutorKey(k));
    if (runKey) {
      throw new MlbenchError('config', `flow resume takes only the executor's keys (executor, slurm.*), not ${runKey}`, { hint: 'the runs of a session keep the config they were made with' });
    }
    record.executor = await checkedExecutor(sessionExecutor(env, registry, given, o.executor, record.executor ?? { name: 'local', config: {} }), o.detach);
    info(o, `session ${session.id}: ${missing.length} of ${record.runs.length} runs to do${leftAlone}\n`);
    if (missing.length) await preflight(missing, env, registry);
    return execute(session, record, env, registry, o);
  });
}

/** `sessions wait ID`: follows a session's runs on a cluster (started with --detach) to the end. */
export async function flowWait(id: string, o: FlowCliOptions): Promise<number> {
  return withSession(id, o, async ({ env, registry, session, record }) => {
    if (!executorNamed(record.executor?.name ?? 'local').canDetach) {
      throw new MlbenchError('config', `session ${session.id} ran on this machine; there is nothing to wait for`, { hint: `mlbench flow resume ${session.id} finishes it` });
    }
    return execute(session, record, env, registry, { ...o, detach: false }, true);
  });
}

/** The session's executor, checked before anything is created or submitted. */
async function checkedExecutor(chosen: SessionExecutor, detach: boolean | undefined): Promise<SessionExecutor> {
  const executor = executorNamed(chosen.name);
  if (detach && !executor.canDetach) {
    throw new MlbenchError('config', `--detach needs an executor whose runs go on without mlbench (slurm), not ${chosen.name}`);
  }
  await executor.check(chosen.config);
  return chosen;
}

async function execute(session: SessionDir, record: SessionRecord, env: Environment, registry: Registry, o: FlowCliOptions, watchOnly = false): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    // Abort first: the progress bar clears itself, so the message is not drawn over it.
    controller.abort();
    process.stderr.write('interrupted: stopping runs in flight; finished results are kept (press Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let rows: ReportRow[];
  const firstConfig = new ConfigView(record.runs[0]?.config ?? {}, registry.schema());
  const post = record.postprocess ?? { names: [], config: {} };
  const finishReport = (rows: ReportRow[], final: boolean) =>
    postprocessSessionReport(session.dir, record.id, rows, final ? post : { names: [], config: {} });
  let fault: MachineFault | undefined;
  const reserve = reserveSpace(session.dir, record.runs.length);
  let handedOff: { message: string; exitCode: number } | undefined;
  try {
    const outcome = await executorNamed(record.executor?.name ?? 'local').runSession(session, record, {
      parallel: o.parallel ?? availableParallelism(),
      progress: !o.quiet && (o.progress || o.verbose === true),
      // -v wants every stage as a line; the live bar would overwrite them.
      tty: process.stderr.isTTY === true && !o.verbose,
      write: (s) => process.stderr.write(s),
      env,
      registry,
      signal: controller.signal,
      useCache: firstConfig.bool('cache'),
      retryFailed: o.retryFailed,
      finishReport,
      settings: record.executor?.config ?? {},
      detach: o.detach === true,
      watchOnly,
    });
    fault = outcome.fault;
    handedOff = outcome.handedOff;
    if (fault) reserve.release();
    // "done" only once the reports exist: a kill before this leaves the session resumable.
    record.state = 'interrupted';
    try {
      rows = await writeSessionReport(session, record, finishReport, true, outcome.resultOf);
    } catch (e) {
      const f = machineFaultOf(e, session.dir);
      if (!f) throw e;
      fault ??= f;
      rows = record.runs.map((spec) => rowOf(record.id, spec, outcome.resultOf(spec.id)));
    }
    if (handedOff) record.state = 'submitted';
    else if (!outcome.interrupted && !fault) record.state = 'done';
    await writeJsonAtomicOrInPlace(session.recordFile, record).catch((e: unknown) => {
      const f = machineFaultOf(e, session.recordFile);
      if (!f) throw e;
      fault ??= f;
    });
  } catch (e) {
    reserve.release();
    // Whatever went wrong, the session must not stay "running" (runs on a cluster may go on).
    if (record.state !== 'submitted') record.state = 'interrupted';
    await writeJsonAtomicOrInPlace(session.recordFile, record).catch(() => undefined);
    throw machineFaultOf(e, session.dir)?.forSession(record.id) ?? e;
  } finally {
    reserve.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (fault) {
    const done = rows.filter((r) => r.Status !== 'missing').length;
    process.stderr.write(`session ${record.id}: stopped; ${done} of ${rows.length} runs finished and kept (report: ${session.dir}/report.csv)\n`);
    throw fault.forSession(record.id);
  }
  if (handedOff) {
    if (o.json) process.stdout.write(`${JSON.stringify({ session: record.id, state: record.state, message: handedOff.message })}\n`);
    process.stderr.write(`session ${record.id}: ${handedOff.message}\n`);
    return handedOff.exitCode;
  }
  if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (!o.quiet) process.stdout.write(summaryTable(rows, terminalWidth()) + formatWarnings(rows) + formatFailures(rows));
  const failed = rows.filter((r) => r.Status === 'failed').length;
  const missing = rows.filter((r) => r.Status === 'missing').length;
  const ok = rows.filter((r) => r.Status === 'ok').length;
  const results = record.label ? writeLabelledResults(env.home, record.label, session.dir) : undefined;
  info(
    o,
    `session ${record.id}: ${ok} ok, ${failed} failed, ${rows.length - ok - failed - missing} skipped${missing ? `, ${missing} not run (resume with: mlbench flow resume ${record.id})` : ''}\nreport: ${session.dir}/report.csv (also report.html)${results ? `; ${results}` : ''}\n`,
  );
  if (o.dest) info(o, describeExport(await exportSessions(env.sessionsDir, { dest: o.dest, sessions: [record.id], runs: [], labels: [], force: false })));
  if (record.state === 'interrupted') return 130;
  return failed ? 1 : 0;
}
