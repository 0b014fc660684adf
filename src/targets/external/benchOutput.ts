// Parser for the mlif output protocol (EXTERNAL-TOOLS.md §0.2, §9.2.7), used on whatever a
// simulator or board printed. Kept private to the external runners until the mlif platform
// ships its own parser (src/platforms/mlif/protocol.ts); the rules are MLonMCU's.

export interface BenchOutput {
  /** `# <Stage> <Metric>: <n>` lines inside the start…finish window, keyed `<Stage> <Metric>`. */
  metrics: Record<string, number>;
  /** From `MLONMCU EXIT: n`, else the legacy ETISS `exit called with code: n`. */
  exitCode?: number;
  started: boolean;
  finished: boolean;
}

const METRIC_LINE = /# (.+): ([0-9.,E-]+)/g;
const EXIT_LINE = /MLONMCU EXIT: ([-=]?\d*)/;
const LEGACY_EXIT_LINE = /exit called with code: (-?\d+)/;

/** The text MLonMCU parses: from the first line with `Program start.` to the first with `Program finish.`. */
export function benchWindow(stdout: string): string {
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((l) => l.includes('Program start.'));
  const from = start < 0 ? 0 : start;
  const finishRel = lines.slice(from).findIndex((l) => l.includes('Program finish.'));
  const to = finishRel < 0 ? lines.length : from + finishRel + 1;
  return lines.slice(from, to).join('\n');
}

function toNumber(literal: string): number {
  return Number(literal.replace(/,/g, ''));
}

export function parseBenchOutput(stdout: string): BenchOutput {
  const metrics: Record<string, number> = {};
  for (const m of benchWindow(stdout).matchAll(METRIC_LINE)) {
    const value = toNumber(m[2]);
    if (Number.isFinite(value)) metrics[m[1]] = value;
  }
  let exitCode: number | undefined;
  const exit = EXIT_LINE.exec(stdout) ?? LEGACY_EXIT_LINE.exec(stdout);
  if (exit) {
    const n = Number.parseInt(exit[1].replace('=', ''), 10);
    if (Number.isInteger(n)) exitCode = n;
  }
  return {
    metrics,
    exitCode,
    started: stdout.includes('Program start.'),
    finished: stdout.includes('Program finish.'),
  };
}

/** The program's own instruction counts as TargetRunResult regions (setup, run, deinit, total). */
export function instructionRegions(metrics: Record<string, number>): Record<string, number> {
  const regions: Record<string, number> = {};
  for (const stage of ['Setup', 'Run', 'Deinit', 'Total']) {
    const n = metrics[`${stage} Instructions`];
    if (n !== undefined) regions[stage.toLowerCase()] = n;
  }
  return regions;
}

/** The program's own cycle counts by region (`# Run Cycles: n` → run), empty when none printed. */
export function cycleRegions(metrics: Record<string, number>): Record<string, number> {
  const regions: Record<string, number> = {};
  for (const stage of ['Setup', 'Run', 'Deinit', 'Total']) {
    const n = metrics[`${stage} Cycles`];
    if (n !== undefined) regions[stage.toLowerCase()] = n;
  }
  return regions;
}
