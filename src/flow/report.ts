// The session report: one row per run, written as CSV (the primary format), JSON and Markdown.
// A metric that was not measured stays empty — never 0.
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import writeFileAtomic from 'write-file-atomic';
import type { RunSpec } from './matrix.js';
import type { RunResult } from './run.js';

export const REPORT_COLUMNS = [
  'Session',
  'Run',
  'Model',
  'Frontend',
  'Framework',
  'Backend',
  'Platform',
  'Target',
  'Features',
  'Config',
  'Status',
  'Failed Stage',
  'Reason',
  'Setup Instructions',
  'Run Instructions',
  'Total Instructions',
  'ROM Total',
  'ROM Code',
  'ROM Read-only',
  'ROM Data',
  'RAM Total',
  'RAM Data',
  'RAM BSS',
  'RAM Stack',
  'RAM Heap',
  'RAM Stack Peak',
  'Model Arena',
  'Float',
  'Validation',
  'Warnings',
  'Build s',
  'Run s',
] as const;

export type ReportRow = Record<string, string | number>;

const round = (s: number): number => Math.round(s * 100) / 100;

export function rowOf(sessionId: string, spec: RunSpec, result: RunResult | undefined): ReportRow {
  const row: ReportRow = {
    Session: sessionId,
    Run: spec.id,
    Model: spec.model.name,
    Frontend: spec.frontend,
    Framework: spec.framework,
    Backend: spec.backend,
    Platform: spec.platform,
    Target: spec.target,
    Features: spec.features.join(' '),
    Config: result
      ? Object.entries(result.nonDefaultConfig)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' ')
      : '',
    Status: result ? (result.status === 'interrupted' ? 'missing' : result.status) : 'missing',
    'Failed Stage': result?.failedStage ?? '',
    Reason: result?.reason ? (result.logPath ? `${result.reason} (log: ${result.logPath})` : result.reason) : '',
  };
  for (const [k, v] of Object.entries(result?.metrics ?? {})) row[k] = v;
  if (result) {
    const s = result.stageSeconds;
    const build = (s.load ?? 0) + (s.tune ?? 0) + (s.build ?? 0) + (s.compile ?? 0);
    row['Build s'] = round(build);
    if (s.run !== undefined) row['Run s'] = round(s.run);
  }
  return row;
}

export function columnsOf(rows: ReportRow[]): string[] {
  const extra = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!(REPORT_COLUMNS as readonly string[]).includes(k)) extra.add(k);
  return [...REPORT_COLUMNS, ...extra];
}

/** CSV of the rows; by default every report column (unmeasured ones empty), in report order. */
export function toCsv(rows: ReportRow[], columns = columnsOf(rows)): string {
  return stringify(rows.map((r) => columns.map((c) => r[c] ?? '')), { header: true, columns });
}

export function toMarkdown(rows: ReportRow[], columns = columnsOf(rows)): string {
  const shown = columns.filter((c) => rows.some((r) => r[c] !== undefined && r[c] !== ''));
  const esc = (v: unknown): string => String(v ?? '').replace(/\|/g, '\\|');
  const lines = [`| ${shown.join(' | ')} |`, `| ${shown.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${shown.map((c) => esc(r[c])).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

/** A report format written after report.csv: its file name and how to produce its text. */
export interface ReportFormat {
  file: string;
  write(file: string): Promise<void>;
}

/**
 * Writes report.csv first and on its own, then the other formats; every file atomically (a
 * reader, or a process killed mid-write, sees the old file or the new one, never part of one).
 * A failing later format never stops the others or the CSV; the first failure is rethrown.
 */
export async function writeReports(dir: string, rows: ReportRow[], more: ReportFormat[] = []): Promise<void> {
  await writeFileAtomic(join(dir, 'report.csv'), toCsv(rows));
  const formats: ReportFormat[] = [
    { file: 'report.json', write: (f) => writeFileAtomic(f, `${JSON.stringify(rows, null, 2)}\n`) },
    { file: 'report.md', write: (f) => writeFileAtomic(f, toMarkdown(rows)) },
    ...more,
  ];
  let first: unknown;
  for (const format of formats) {
    try {
      await format.write(join(dir, format.file));
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}
