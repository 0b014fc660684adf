// The table `flow run` prints when a session ends. It shows what tells the runs apart (the
// dimensions that vary: Model, Target, Config, ...) next to the main figures, and fits the
// terminal: settings every run shares are said once above the table, config keys lose their
// component prefix where that is unambiguous, less important columns are dropped and long text
// cells clipped until it fits (80 columns when not a terminal). The full report is report.csv.
import type { ReportRow } from '../flow/report.js';
import { cellText, distinctValues } from '../postprocess/rows.js';
import { formatTable } from '../postprocess/table.js';

/** Identity columns shown when their value differs between runs; a single Model is said above. */
const DIMENSIONS = ['Model', 'Framework', 'Backend', 'Platform', 'Target', 'Features', 'Config'] as const;

/** Figures shown when measured, with the short header the terminal table uses. */
const FIGURES: [column: string, header: string][] = [
  ['Setup Instructions', 'Setup Instr'],
  ['Run Instructions', 'Run Instr'],
  ['Run Cycles', 'Run Cycles'],
  ['ROM Total', 'ROM Total'],
  ['RAM Total', 'RAM Total'],
  ['RAM Stack Peak', 'Stack Peak'],
  ['Model Arena', 'Arena'],
  ['Validation', 'Validation'],
  ['Top Layer', 'Top Layer'],
];

/**
 * Dropped first to last when the table is too wide for the terminal: rows that cannot be told
 * apart are worse than a figure left to report.csv, so the varying text columns go last.
 */
const DROP_ORDER = ['Setup Instr', 'Arena', 'Stack Peak', 'Top Layer', 'Framework', 'Platform', 'Run Cycles', 'Validation', 'RAM Total', 'ROM Total', 'Backend'];

/** Clipped (widest first) when dropping columns was not enough. */
const CLIPPABLE = ['Config', 'Features', 'Model', 'Target', 'Top Layer'];
const MIN_CLIP = 10;

/** Space-separated settings (a Features or Config cell) that every row has: said once, not per row. */
function sharedTokens(rows: ReportRow[], column: string): string[] {
  const sets = rows.map((r) => new Set(cellText(r, column).split(' ').filter(Boolean)));
  const [first, ...rest] = sets;
  return first ? [...first].filter((t) => rest.every((s) => s.has(t))) : [];
}

/** `mlif.optimize=3` → `optimize=3` where no other component has a key of that name. */
function shortKeys(rows: ReportRow[]): Map<string, string> {
  const tokens = new Set(rows.flatMap((r) => cellText(r, 'Config').split(' ').filter((t) => /^[\w-]+\.[^=]+=/.test(t))));
  const owners = new Map<string, Set<string>>();
  for (const t of tokens) {
    const key = t.slice(0, t.indexOf('='));
    const name = key.slice(key.indexOf('.') + 1);
    owners.set(name, (owners.get(name) ?? new Set()).add(key));
  }
  const out = new Map<string, string>();
  for (const t of tokens) {
    const name = t.slice(t.indexOf('.') + 1, t.indexOf('='));
    if (owners.get(name)?.size === 1) out.set(t, t.slice(t.indexOf('.') + 1));
  }
  return out;
}

const runNumber = (run: string): string => /^(\d+)-/.exec(run)?.[1].replace(/^0+(?=\d)/, '') ?? run;

const widthOf = (columns: string[], cells: Record<string, string>[]): number =>
  columns.reduce((sum, c) => sum + Math.max(c.length, ...cells.map((r) => (r[c] ?? '').length)), 0) + 2 * (columns.length - 1);

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The terminal's width; 80 when stdout is not a terminal and COLUMNS is not set. */
export const terminalWidth = (): number => process.stdout.columns || Number(process.env.COLUMNS) || 80;

export function summaryTable(rows: ReportRow[], width: number): string {
  if (rows.length === 0) return 'no runs\n';
  const preamble: string[] = [];
  const dims = DIMENSIONS.filter((d) => distinctValues(rows, d).length > 1);
  if (!dims.includes('Model')) preamble.push(`Model: ${cellText(rows[0], 'Model')}`);
  const shared: Record<string, Set<string>> = {};
  for (const d of ['Features', 'Config']) {
    const common = sharedTokens(rows, d);
    shared[d] = new Set(common);
    if (common.length && rows.length > 1) preamble.push(`${d} of every run: ${common.join(' ')}`);
    else if (common.length) preamble.push(`${d}: ${common.join(' ')}`);
  }
  const short = shortKeys(rows);
  const cellOf = (r: ReportRow, c: string): string => {
    const text = cellText(r, c).replace(/\s+/g, ' ');
    if (c !== 'Features' && c !== 'Config') return text;
    const own = text.split(' ').filter((t) => t && !shared[c].has(t));
    return (c === 'Config' ? own.map((t) => short.get(t) ?? t) : own).join(' ') || '-';
  };
  const figures = FIGURES.filter(([c]) => rows.some((r) => cellText(r, c) !== ''));
  let columns = ['#', ...dims, 'Status', ...figures.map(([, h]) => h)];
  const cells = rows.map((r) => {
    const out: Record<string, string> = { '#': runNumber(cellText(r, 'Run')), Status: cellText(r, 'Status') };
    for (const d of dims) out[d] = cellOf(r, d);
    for (const [c, h] of figures) out[h] = cellText(r, c);
    return out;
  });
  for (const drop of DROP_ORDER) {
    if (widthOf(columns, cells) <= width) break;
    columns = columns.filter((c) => c !== drop);
  }
  // Clip the widest clippable column a step at a time, down to MIN_CLIP characters.
  for (let guard = 0; guard < 200 && widthOf(columns, cells) > width; guard++) {
    const wide = CLIPPABLE.filter((c) => columns.includes(c))
      .map((c) => ({ c, w: Math.max(...cells.map((r) => (r[c] ?? '').length)) }))
      .filter((x) => x.w > MIN_CLIP)
      .sort((a, b) => b.w - a.w)[0];
    if (!wide) break;
    const target = Math.max(MIN_CLIP, wide.w - (widthOf(columns, cells) - width));
    for (const r of cells) r[wide.c] = clip(r[wide.c] ?? '', target);
  }
  const table = formatTable(cells, columns);
  return `${preamble.map((l) => `${clip(l, width)}\n`).join('')}${table}`;
}
