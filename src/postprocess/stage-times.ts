// stage_times: the seconds each stage of each run took, from the run's result.json, as MLonMCU's
// `<Stage> Stage Time [s]` columns (its run.export_optional columns). Wall-clock times: noisy on a
// shared machine, so they are never compared or charted by default.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { confinedChild } from '../core/confine.js';
import type { ReportRow } from '../flow/report.js';
import { readJson } from '../flow/files.js';
import { STAGES } from '../flow/matrix.js';
import type { RunResult } from '../flow/run.js';
import type { Postprocess } from './postprocess.js';
import { cellText } from './rows.js';

export const stageTimeColumn = (stage: string): string => `${stage[0].toUpperCase()}${stage.slice(1)} Stage Time [s]`;

export const stageTimes: Postprocess = {
  name: 'stage_times',
  description: 'add "<Stage> Stage Time [s]" columns (seconds per stage of each run, from its result.json)',
  config: [{ key: 'digits', type: 'int', default: 2, min: 0, max: 6, help: 'decimal places kept' }],
  apply(rows, ctx) {
    const scale = 10 ** Number(ctx.config.get('digits'));
    const runs = join(ctx.sessionDir, 'runs');
    return rows.map((r) => {
      const run = cellText(r, 'Run');
      // The Run cell may come from a foreign report: it names a folder under runs/, nothing else.
      const file = run && existsSync(runs) ? join(confinedChild(runs, run, 'stage_times: the report’s Run cell'), 'result.json') : undefined;
      const seconds = file ? readJson<RunResult>(file)?.stageSeconds : undefined;
      const out: ReportRow = { ...r };
      for (const stage of STAGES) {
        const s = seconds?.[stage];
        if (typeof s === 'number' && Number.isFinite(s)) out[stageTimeColumn(stage)] = Math.round(s * scale) / scale;
      }
      return out;
    });
  },
};
