// mlonmcu_columns: the report with MLonMCU's column names and memory totals, so notebooks written
// for MLonMCU's report.csv read mlbench's unchanged. The totals are computed MLonMCU's way, not
// merely renamed: MLonMCU's `Total ROM` has no .data image (mlbench's `ROM Total` does: the flash
// holds it) and its `Total RAM` no stack or heap reservation (mlbench's `RAM Total` does).
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { cellText, metricValue } from './rows.js';

/** mlbench column → MLonMCU column, for columns that only change name. */
export const MLONMCU_NAMES: Record<string, string> = {
  'ROM Code': 'ROM code',
  'ROM Read-only': 'ROM read-only',
  'RAM Data': 'RAM data',
  'RAM BSS': 'RAM zero-init data',
  'RAM Stack Peak': 'RAM stack',
  'Model Arena': 'Workspace Size [B]',
};

/** Columns MLonMCU has no counterpart for; dropped unless `keep` is set. */
const MLBENCH_ONLY = ['ROM Total', 'RAM Total', 'ROM Data', 'RAM Stack', 'RAM Heap', 'Status', 'Failed Stage'];

const sum = (r: ReportRow, columns: string[]): number | string => {
  const vals = columns.map((c) => metricValue(r, c));
  // Not measured stays empty: a compile that failed has no sizes, never a total of 0.
  return vals.every((v) => v !== undefined) ? (vals as number[]).reduce((a, b) => a + b, 0) : '';
};

export const mlonmcuColumns: Postprocess = {
  name: 'mlonmcu_columns',
  description: 'MLonMCU column names and totals (Total ROM = code + read-only; Total RAM = data + zero-init), Failing for Status',
  config: [{ key: 'keep', type: 'bool', default: false, help: 'also keep mlbench’s own columns (ROM Total, RAM Total, Status, ...)' }],
  apply(rows, ctx) {
    const keep = ctx.config.bool('keep');
    return rows.map((r) => {
      const out: ReportRow = {};
      for (const [k, v] of Object.entries(r)) {
        if (k === 'ROM Total') out['Total ROM'] = sum(r, ['ROM Code', 'ROM Read-only']);
        if (k === 'RAM Total') out['Total RAM'] = sum(r, ['RAM Data', 'RAM BSS']);
        if (k === 'Status') out.Failing = cellText(r, 'Status') === 'ok' || cellText(r, 'Status') === 'skipped' ? 'False' : 'True';
        if (keep || !MLBENCH_ONLY.includes(k)) out[MLONMCU_NAMES[k] ?? k] = v;
      }
      return out;
    });
  },
};
