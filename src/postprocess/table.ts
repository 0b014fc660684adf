// A report as an aligned text table for the terminal. Columns that are empty in every row are
// left out unless asked for by name, so a sweep's table stays readable.
import type { ReportRow } from '../flow/report.js';
import { cellText, describeKey, isOk, metricColumns, presentColumns, selectColumns } from './rows.js';

export function shownColumns(rows: ReportRow[], wanted: readonly string[] = []): string[] {
  const columns = presentColumns(rows);
  if (wanted.length) return selectColumns(wanted, columns, '--columns');
  return columns.filter((c) => c !== 'Session' && rows.some((r) => cellText(r, c) !== ''));
}

/** Long reasons would stretch every line; the full text stays in the CSV/JSON report. */
const MAX_CELL = 60;

const clip = (s: string): string => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s);

export function formatTable(rows: ReportRow[], columns: readonly string[]): string {
  const numeric = new Set(metricColumns(rows));
  const cells = rows.map((r) => columns.map((c) => clip(cellText(r, c).replace(/\s+/g, ' '))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[], header: boolean): string =>
    vals
      .map((v, i) => (!header && numeric.has(columns[i]) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line([...columns], true), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((c) => line(c, false))];
  return `${out.join('\n')}\n`;
}

/** One line per run that did not succeed, with the full reason the table clips. */
export function formatFailures(rows: ReportRow[]): string {
  const bad = rows.filter((r) => 'Status' in r && !isOk(r));
  if (bad.length === 0) return '';
  const lines = bad.map((r) => {
    const stage = cellText(r, 'Failed Stage');
    const reason = cellText(r, 'Reason');
    const what = describeKey(r, ['Run', 'Model', 'Backend', 'Target', 'Features', 'Config']);
    return `  ${what}: ${cellText(r, 'Status')}${stage ? ` in ${stage}` : ''}${reason ? ` — ${reason}` : ''}`;
  });
  return `\n${bad.length} of ${rows.length} runs not ok:\n${lines.join('\n')}\n`;
}

/** Load warnings (a model read leniently, a broken definition.yml), said once per model. */
export function formatWarnings(rows: ReportRow[]): string {
  const byModel = new Map<string, string>();
  for (const r of rows) {
    const w = cellText(r, 'Warnings');
    if (w && !byModel.has(cellText(r, 'Model'))) byModel.set(cellText(r, 'Model'), w);
  }
  if (byModel.size === 0) return '';
  return `\nwarnings (see the Warnings column of the report):\n${[...byModel].map(([m, w]) => `  ${m}: ${w}`).join('\n')}\n`;
}
