// The mlif output protocol (EXTERNAL-TOOLS.md §0.2, §9.2.7) as the external runners need it:
// the mlif platform's parser, plus ETISS's legacy exit line and region maps for TargetRunResult.
import { parseMlifOutput } from '../../platforms/mlif/output.js';

export interface BenchOutput {
  /** `# <Stage> <Metric>: <n>` lines inside the start…finish window, keyed `<Stage> <Metric>`. */
  metrics: Record<string, number>;
  /** From `MLONMCU EXIT: n`, else the legacy ETISS `exit called with code: n`. */
  exitCode?: number;
  started: boolean;
  finished: boolean;
}

const LEGACY_EXIT_LINE = /exit called with code: (-?\d+)/;

export function parseBenchOutput(stdout: string): BenchOutput {
  const out = parseMlifOutput(stdout);
  let exitCode = out.exitStatus;
  if (exitCode === undefined) {
    const legacy = LEGACY_EXIT_LINE.exec(stdout);
    if (legacy) exitCode = Number(legacy[1]);
  }
  const metrics = Object.fromEntries(Object.entries(out.values).filter(([, v]) => Number.isFinite(v)));
  return { metrics, exitCode, started: out.started, finished: out.finished };
}

function stageRegions(metrics: Record<string, number>, metric: 'Instructions' | 'Cycles'): Record<string, number> {
  const regions: Record<string, number> = {};
  for (const stage of ['Setup', 'Run', 'Deinit', 'Total']) {
    const n = metrics[`${stage} ${metric}`];
    if (n !== undefined) regions[stage.toLowerCase()] = n;
  }
  return regions;
}

/** The program's own instruction counts as TargetRunResult regions (setup, run, deinit, total). */
export function instructionRegions(metrics: Record<string, number>): Record<string, number> {
  return stageRegions(metrics, 'Instructions');
}

/** The program's own cycle counts by region (`# Run Cycles: n` → run), empty when none printed. */
export function cycleRegions(metrics: Record<string, number>): Record<string, number> {
  return stageRegions(metrics, 'Cycles');
}
