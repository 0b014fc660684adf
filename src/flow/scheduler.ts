// Runs a session's runs in a bounded pool (the stages of one run in order), writes each run's
// result.json the moment it ends and refreshes the report, so a crash or Ctrl-C loses at most
// the runs in flight.
import { rmSync } from 'node:fs';
import pLimit from 'p-limit';
import { DirectoryCache } from '../core/cache.js';
import type { Environment } from './environment.js';
import { writeJsonAtomic } from './files.js';
import type { RunSpec } from './matrix.js';
import { createProgress } from './progress.js';
import type { Registry } from './registry.js';
import { rowOf, writeReports, type ReportRow } from './report.js';
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
  /** Turns the rows into what is written (postprocesses, report.html); `final` on the last write. */
  finishReport?: ReportFinisher;
}

export type ReportFinisher = (rows: ReportRow[], final: boolean) => Promise<ReportRow[]>;

export interface SessionOutcome {
  results: RunResult[];
  interrupted: boolean;
}

/** Writes the session's reports; returns the rows as measured (before postprocessing). */
export async function writeSessionReport(
  session: SessionDir,
  record: SessionRecord,
  finish?: ReportFinisher,
  final = false,
): Promise<ReportRow[]> {
  const rows = record.runs.map((spec) => rowOf(record.id, spec, session.result(spec.id)));
  await writeReports(session.dir, finish ? await finish(rows, final) : rows);
  return rows;
}

/** Runs every run of the session that has no final result yet. */
export async function runSession(session: SessionDir, record: SessionRecord, o: ScheduleOptions): Promise<SessionOutcome> {
  const pending: RunSpec[] = record.runs.filter((r) => {
    const res = session.result(r.id);
    return !res || res.status === 'interrupted';
  });
  const cache = new DirectoryCache(o.env.cacheDir, o.useCache);
  const limit = pLimit(Math.max(1, o.parallel));
  const progress = createProgress(pending.length, { enabled: o.progress, tty: o.tty, write: o.write });
  let reportQueue = Promise.resolve();
  const refreshReport = (): Promise<void> => {
    // Refreshes never fail the session; the final write (by the caller) reports its errors.
    reportQueue = reportQueue.then(() => writeSessionReport(session, record, o.finishReport)).then(() => undefined, () => undefined);
    return reportQueue;
  };
  const results = await Promise.all(
    pending.map((spec) =>
      limit(async () => {
        const runDir = session.runDir(spec.id);
        if (o.signal.aborted) return undefined;
        const res = await executeRun(spec, {
          sessionId: record.id,
          runDir,
          env: o.env,
          registry: o.registry,
          cache,
          signal: o.signal,
          onStage: (stage) => progress.started(spec.id, stage),
        }).catch((e: unknown): RunResult => ({
          session: record.id,
          run: spec.id,
          spec,
          status: 'failed',
          reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
          metrics: {},
          stageSeconds: {},
          nonDefaultConfig: {},
        }));
        // Interrupted runs leave no result, so resume redoes them; their stages already done stay reusable.
        if (res.status !== 'interrupted') await writeJsonAtomic(session.resultFile(spec.id), res);
        else rmSync(session.resultFile(spec.id), { force: true });
        progress.finished(res);
        await refreshReport();
        return res;
      }),
    ),
  );
  progress.stop();
  cache.close();
  await reportQueue;
  return { results: results.filter((r): r is RunResult => r !== undefined), interrupted: o.signal.aborted };
}
