// Runs a session's runs in a bounded pool (the stages of one run in order), writes each run's
// result.json the moment it ends, so a crash or Ctrl-C loses at most the runs in flight. The
// report is refreshed at most every few seconds during the sweep (rebuilding it after every run
// made a sweep quadratic) and once at the end by the caller.
import { rmSync } from 'node:fs';
import pLimit from 'p-limit';
import { DirectoryCache } from '../core/cache.js';
import type { Environment } from './environment.js';
import { isFaultReason, machineFaultOf, type MachineFault } from './faults.js';
import { writeJsonAtomic } from './files.js';
import type { RunSpec, StageName } from './matrix.js';
import { createProgress } from './progress.js';
import type { Registry } from './registry.js';
import { rowOf, writeReports, type ReportFormat, type ReportRow } from './report.js';
import { executeRun, type RunResult } from './run.js';
import type { SessionDir, SessionRecord } from './session.js';

export interface ScheduleOptions {
  parallel: number;
  progress: boolean;
  tty: boolean;
  write: (s: string) => void;
  env: Environment;
  registry: Registry;
  signal: AbortSignal;
  useCache: boolean;
  /** Runs that ended failed are run again (`flow resume --retry-failed`). */
  retryFailed?: boolean;
  /** Turns the rows into what is written (postprocesses, report.html); `final` on the last write. */
  finishReport?: ReportFinisher;
  /** Least time between two report refreshes during the sweep (default REPORT_INTERVAL_MS). */
  reportIntervalMs?: number;
}

export type ReportFinisher = (rows: ReportRow[], final: boolean) => Promise<{ rows: ReportRow[]; more: ReportFormat[] }>;

export interface SessionOutcome {
  results: RunResult[];
  /** Every result of the session by run id, as it stands now (finished earlier or in this process). */
  resultOf: (runId: string) => RunResult | undefined;
  interrupted: boolean;
  /** The machine fault that stopped the session, if one did. */
  fault?: MachineFault;
  /**
   * The runs go on without this process (submitted with --detach, or the cluster's controller
   * stopped answering): the session stays `submitted`, `sessions wait` or `flow resume` ends it.
   */
  handedOff?: { message: string; exitCode: number };
}

/** MLBENCH_REPORT_INTERVAL_MS overrides it (tests that kill mlbench while it writes reports). */
export const REPORT_INTERVAL_MS = intervalFromEnv(process.env.MLBENCH_REPORT_INTERVAL_MS) ?? 5000;

function intervalFromEnv(raw: string | undefined): number | undefined {
  const ms = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * True when the run has to be (re)done: no result, an interrupted one, one that failed only
 * because the disk was full, or any failed one when retrying.
 */
export function needsRun(result: RunResult | undefined, retryFailed = false): boolean {
  if (!result || result.status === 'interrupted') return true;
  return result.status === 'failed' && (retryFailed || isFaultReason(result.reason));
}

/**
 * Writes the session's reports, report.csv first; returns the rows as measured (before
 * postprocessing). A failing postprocess still leaves a report.csv of the measured rows.
 */
export async function writeSessionReport(
  session: SessionDir,
  record: SessionRecord,
  finish?: ReportFinisher,
  final = false,
  resultOf: (runId: string) => RunResult | undefined = (id) => session.result(id),
): Promise<ReportRow[]> {
  const rows = record.runs.map((spec) => rowOf(record.id, spec, resultOf(spec.id)));
  let finished: { rows: ReportRow[]; more: ReportFormat[] } = { rows, more: [] };
  let failure: unknown;
  try {
    if (finish) finished = await finish(rows, final);
  } catch (e) {
    failure = e;
  }
  await writeReports(session.dir, finished.rows, finished.more);
  if (failure !== undefined) throw failure;
  return rows;
}

/**
 * Refreshes the session's reports at most every `intervalMs` while runs finish (rebuilding them
 * after every run made a sweep quadratic); `settle` waits for a refresh in flight.
 */
export function reportRefresher(
  session: SessionDir,
  record: SessionRecord,
  resultOf: (runId: string) => RunResult | undefined,
  finish: ReportFinisher | undefined,
  intervalMs = REPORT_INTERVAL_MS,
): { maybeRefresh(): void; settle(): Promise<void> } {
  let lastRefresh = Date.now();
  let refreshing: Promise<void> | undefined;
  return {
    maybeRefresh() {
      if (refreshing || Date.now() - lastRefresh < intervalMs) return;
      // Refreshes never fail the session; the final write (by the caller) reports its errors.
      refreshing = writeSessionReport(session, record, finish, false, resultOf).then(
        () => undefined,
        () => undefined,
      );
      void refreshing.finally(() => {
        refreshing = undefined;
        lastRefresh = Date.now();
      });
    },
    async settle() {
      await refreshing;
    },
  };
}

export interface RecordOptions {
  env: Environment;
  registry: Registry;
  cache: DirectoryCache;
  signal: AbortSignal;
  onStage?: (stage: StageName) => void;
}

/**
 * Executes one run in its folder and records its end: result.json written atomically, or
 * removed when the run was interrupted (so `flow resume` redoes it; the stages it finished stay
 * reusable). A machine fault (disk full, ...) is thrown; any other error is the run's failure.
 * Used by the local pool and by `mlbench flow exec-run` (one run of a Slurm array).
 */
export async function runAndRecord(session: SessionDir, record: SessionRecord, spec: RunSpec, o: RecordOptions): Promise<RunResult> {
  const runDir = session.runDir(spec.id);
  const res = await executeRun(spec, { sessionId: record.id, runDir, ...o }).catch((e: unknown): RunResult => {
    if (machineFaultOf(e, runDir)) throw e;
    return {
      session: record.id,
      run: spec.id,
      spec,
      status: 'failed',
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      metrics: {},
      stageSeconds: {},
      nonDefaultConfig: {},
    };
  });
  if (res.status !== 'interrupted') await writeJsonAtomic(session.resultFile(spec.id), res);
  else rmSync(session.resultFile(spec.id), { force: true });
  return res;
}

/** The session's results on disk, by run id. */
export function knownResults(session: SessionDir, record: SessionRecord): Map<string, RunResult> {
  const known = new Map<string, RunResult>();
  for (const r of record.runs) {
    const res = session.result(r.id);
    if (res) known.set(r.id, res);
  }
  return known;
}

/** Runs every run of the session that has no final result yet. */
export async function runSession(session: SessionDir, record: SessionRecord, o: ScheduleOptions): Promise<SessionOutcome> {
  const known = knownResults(session, record);
  const resultOf = (id: string): RunResult | undefined => known.get(id);
  const pending: RunSpec[] = record.runs.filter((r) => needsRun(known.get(r.id), o.retryFailed));
  const cache = new DirectoryCache(o.env.cacheDir, o.useCache);
  const limit = pLimit(Math.max(1, o.parallel));
  const progress = createProgress(pending.length, { enabled: o.progress, tty: o.tty, write: o.write, signal: o.signal });
  // A machine fault stops the runs in flight and schedules no more; the user's Ctrl-C does too.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  let fault: MachineFault | undefined;
  const refresher = reportRefresher(session, record, resultOf, o.finishReport, o.reportIntervalMs);
  const results = await Promise.all(
    pending.map((spec) =>
      limit(async (): Promise<RunResult | undefined> => {
        if (stop.signal.aborted) return undefined;
        try {
          const res = await runAndRecord(session, record, spec, {
            env: o.env,
            registry: o.registry,
            cache,
            signal: stop.signal,
            onStage: (stage) => progress.started(spec.id, stage),
          });
          if (res.status !== 'interrupted') known.set(spec.id, res);
          else known.delete(spec.id);
          progress.finished(res);
          refresher.maybeRefresh();
          return res;
        } catch (e) {
          // Also a fault writing result.json: the run has no result, so `flow resume` redoes it.
          const f = machineFaultOf(e, session.runDir(spec.id));
          if (!f) throw e;
          fault ??= f;
          stop.abort();
          return undefined;
        }
      }),
    ),
  );
  o.signal.removeEventListener('abort', onAbort);
  progress.stop();
  cache.close();
  await refresher.settle();
  return {
    results: results.filter((r): r is RunResult => r !== undefined),
    resultOf,
    interrupted: o.signal.aborted || fault !== undefined,
    fault,
  };
}
