// Parses the benchmark block the mlif program prints, with MLonMCU's rules (target/bench.py):
// only lines between `Program start.` and `Program finish.`, values from `# <name>: <number>`,
// and the status from `MLONMCU EXIT: N`.

export const MLIF_EXIT = { ok: 0, error: 0x10, invalidSize: 0x11, mismatch: 0x12 } as const;

export interface MlifOutput {
  started: boolean;
  finished: boolean;
  /** Status from the `MLONMCU EXIT:` line; undefined when the line is missing. */
  exitStatus?: number;
  /** `# Setup Instructions: 17` → { 'Setup Instructions': 17 } */
  values: Record<string, number>;
  /** `MLIF MISMATCH ...` and `MLIF ERROR ...` lines, in order. */
  diagnostics: string[];
}

export function parseMlifOutput(text: string): MlifOutput {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.includes('Program start.'));
  const finish = lines.findIndex((l, i) => i > start && l.includes('Program finish.'));
  const window = lines.slice(Math.max(start, 0), finish >= 0 ? finish : lines.length);
  const values: Record<string, number> = {};
  for (const l of window) {
    const m = /# (.+): ([0-9.,E-]+)/.exec(l);
    if (m) values[m[1]] = Number(m[2].replace(/,/g, ''));
  }
  const diagnostics = lines.filter((l) => /^MLIF (MISMATCH|ERROR)\b/.test(l));
  const exit = [...text.matchAll(/MLONMCU EXIT: ([-=]?\d+)/g)].pop();
  return {
    started: start >= 0,
    finished: finish >= 0,
    exitStatus: exit ? Number(exit[1].replace('=', '')) : undefined,
    values,
    diagnostics,
  };
}
