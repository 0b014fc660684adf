// Shared helpers for reading report rows: which columns exist, which cells hold a measurement,
// and how rows of different runs are matched. An empty cell means "not measured", never 0.
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { REPORT_COLUMNS, columnsOf, type ReportRow } from '../flow/report.js';

/** Columns that name a run rather than measure it: the report's leading columns, Validation and Warnings. */
export const IDENTITY_COLUMNS = [...REPORT_COLUMNS.slice(0, REPORT_COLUMNS.indexOf('Reason') + 1), 'Validation', 'Warnings'] as const;

/** What makes two runs "the same benchmark" across sessions. */
export const MATCH_COLUMNS = ['Model', 'Backend', 'Target', 'Features', 'Config'] as const;

/** Wall-clock columns: noisy on shared machines, so never compared or charted by default. */
export const TIMING_COLUMNS = ['Build s', 'Run s'] as const;

/** Dimensions a report can be grouped or compared by. */
export const DIMENSION_COLUMNS = ['Backend', 'Target', 'Features', 'Config', 'Framework', 'Platform', 'Frontend'] as const;

/** Columns that occur in any row, in report order. */
export function presentColumns(rows: ReportRow[]): string[] {
  return columnsOf(rows).filter((c) => rows.some((r) => c in r));
}

/** The cell as a number, or undefined when not measured (empty) or not numeric. */
export function metricValue(row: ReportRow, column: string): number | undefined {
  const v = row[column];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function cellText(row: ReportRow, column: string): string {
  const v = row[column];
  return v === undefined ? '' : String(v);
}

/** Columns with at least one numeric measurement that are neither identity nor timing columns. */
export function metricColumns(rows: ReportRow[]): string[] {
  const skip = new Set<string>([...IDENTITY_COLUMNS, ...TIMING_COLUMNS]);
  return presentColumns(rows).filter((c) => !skip.has(c) && !c.endsWith(' Stage Time [s]') && rows.some((r) => metricValue(r, c) !== undefined));
}

/** Resolves a user-typed column name; an unknown one is an error naming the closest column. */
export function requireColumn(name: string, columns: readonly string[], what: string): string {
  if (columns.includes(name)) return name;
  const ci = columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (ci) return ci;
  const near = closest(name, columns);
  throw new MlbenchError('config', `${what}: unknown column "${name}"`, {
    hint: near ? `did you mean "${near}"?` : `columns are: ${columns.join(', ')}`,
  });
}

/** `*` matches any text; everything else is literal. Case-insensitive like column lookups. */
export function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export const isPattern = (s: string): boolean => s.includes('*');

/** Columns selected by names or `*` patterns; an unknown plain name is an error. */
export function selectColumns(specs: readonly string[], columns: readonly string[], what: string): string[] {
  const picked: string[] = [];
  for (const spec of specs) {
    const hits = isPattern(spec)
      ? columns.filter((c) => patternToRegExp(spec).test(c))
      : [requireColumn(spec, columns, what)];
    for (const h of hits) if (!picked.includes(h)) picked.push(h);
  }
  return picked;
}

/** A key identifying a row by the given columns (tab-separated: tabs never occur in report cells). */
export function keyOf(row: ReportRow, columns: readonly string[]): string {
  return columns.map((c) => cellText(row, c)).join('\t');
}

/** Readable form of a key, skipping empty parts. */
export function describeKey(row: ReportRow, columns: readonly string[]): string {
  return columns
    .map((c) => cellText(row, c))
    .filter((v) => v !== '')
    .join(' / ');
}

/** Dimensions whose value differs between rows — the ones worth grouping or labelling by. */
export function varyingDimensions(rows: ReportRow[]): string[] {
  return DIMENSION_COLUMNS.filter((d) => new Set(rows.map((r) => cellText(r, d))).size > 1);
}

/** Distinct values of a column in first-seen order. */
export function distinctValues(rows: ReportRow[], column: string): string[] {
  return [...new Set(rows.map((r) => cellText(r, column)))];
}

export const isOk = (row: ReportRow): boolean => cellText(row, 'Status') === 'ok';

/** Validation cells are free text: "pass 4/4", "fail 8/10", true/false, or "passed/total". */
export function validationVerdict(value: string | number | undefined): 'pass' | 'fail' | 'unknown' {
  if (value === undefined) return 'unknown';
  const s = String(value).trim().toLowerCase();
  if (s === '') return 'unknown';
  if (s.startsWith('fail')) return 'fail';
  if (s.startsWith('pass')) return 'pass';
  const ratio = /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (ratio) return Number(ratio[1]) >= Number(ratio[2]) ? 'pass' : 'fail';
  if (['true', 'ok', 'yes', '1'].includes(s)) return 'pass';
  if (['false', 'no', '0', 'mismatch'].includes(s)) return 'fail';
  return 'unknown';
}
