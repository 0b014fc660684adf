// The tune stage (`autotune` feature): `tvmc tune` with AutoTVM. The records stay in the run
// directory (tune/tuning_records.log) so a later run can reuse them via `<backend>.tuning_records`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadArtifact } from '../../core/artifacts.js';
import type { StageContext } from '../../core/component.js';
import { tvmcTuneArgs, tvmTargetDetails, type TvmBackendName } from '../../frameworks/tvm/tvmc-args.js';
import { modelFileOf, requireTvm } from './build.js';
import { runTarget } from './run-target.js';

/** A trial that failed to build or run is recorded with cost 1e9 s (MLonMCU counts them so). */
const FAILED_TRIAL = /\[1000000000\.0\]/;

export interface TuningSummary {
  records: string;
  trials: number;
  failedTrials: number;
  workloads: number;
}

/** Figures from an AutoTVM records file (one JSON object per line). */
export function summarizeTuningRecords(text: string): Omit<TuningSummary, 'records'> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const workloads = new Set<string>();
  for (const line of lines) {
    try {
      const input = (JSON.parse(line) as { input?: unknown[] }).input;
      if (Array.isArray(input)) workloads.add(JSON.stringify(input.slice(1, 3)));
    } catch {
      /* a truncated last line from an interrupted tuner is not a workload */
    }
  }
  return { trials: lines.length, failedTrials: lines.filter((l) => FAILED_TRIAL.test(l)).length, workloads: workloads.size };
}

export async function tuneTvm(ctx: StageContext, backend: TvmBackendName, load: LoadArtifact): Promise<Record<string, unknown> | undefined> {
  if (!ctx.features.has('autotune')) return undefined;
  const tvm = await requireTvm(ctx);
  const target = await runTarget(ctx);
  const records = join(ctx.dir, 'tuning_records.log');
  const prior = ctx.config.optStr(`${backend}.tuning_records`);
  const args = tvmcTuneArgs({
    modelFile: modelFileOf(ctx, load),
    target: target ? tvmTargetDetails(target) : { c: [] },
    targetDevice: ctx.config.optStr(`${backend}.target_device`),
    desiredLayout: ctx.config.optStr(`${backend}.desired_layout`),
    trials: ctx.config.int(`${backend}.tune_trials`),
    tuner: ctx.config.str(`${backend}.tuner`),
    priorRecords: prior,
    output: records,
  });
  await ctx.exec(tvm.command, [...tvm.commandPrefix, ...args], {
    cwd: ctx.dir,
    env: { ...(process.env as Record<string, string>), ...tvm.env },
    // Tuning time grows with tune_trials; the limit only keeps an orphaned tuner from running forever.
    timeoutMs: 24 * 3600_000,
  });
  const summary: TuningSummary = {
    records,
    ...summarizeTuningRecords(existsSync(records) ? readFileSync(records, 'utf8') : ''),
  };
  ctx.log(`tuning: ${summary.trials} trials (${summary.failedTrials} failed) over ${summary.workloads} workloads`);
  return { ...summary };
}
