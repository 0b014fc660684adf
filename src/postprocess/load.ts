// Reading a report back: a CSV or JSON report file, a session folder, or a session id in a home.
// CSV cells arrive as text, so measured numbers are turned back into numbers; names stay text.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MlbenchError } from '../core/errors.js';
import type { ReportRow } from '../flow/report.js';
import { openSession } from '../flow/session.js';
import { IDENTITY_COLUMNS } from './rows.js';

export interface LoadedReport {
  rows: ReportRow[];
  /** Where the report lives: postprocesses write there and find runs/ there. */
  dir: string;
  /** What the user named, for messages. */
  source: string;
}

const TEXT_COLUMNS = new Set<string>(IDENTITY_COLUMNS);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parseCsvReport(text: string, source: string): ReportRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (e) {
    throw new MlbenchError('config', `${source} is not a readable CSV report: ${e instanceof Error ? e.message : String(e)}`);
  }
  return records.map((rec) => {
    const row: ReportRow = {};
    for (const [k, v] of Object.entries(rec)) row[k] = !TEXT_COLUMNS.has(k) && NUMBER.test(v.trim()) ? Number(v) : v;
    return row;
  });
}

export function parseJsonReport(text: string, source: string): ReportRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MlbenchError('config', `${source} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const isRow = (r: unknown): r is ReportRow =>
    typeof r === 'object' && r !== null && !Array.isArray(r) && Object.values(r).every((v) => typeof v === 'string' || typeof v === 'number');
  if (!Array.isArray(data) || !data.every(isRow)) {
    throw new MlbenchError('config', `${source} is not a report: expected an array of rows with text or number cells`, {
      hint: 'use the report.json of a session',
    });
  }
  return data;
}

function readReportFile(file: string, source: string): ReportRow[] {
  const text = readFileSync(file, 'utf8');
  return extname(file).toLowerCase() === '.json' ? parseJsonReport(text, source) : parseCsvReport(text, source);
}

function fromFolder(dir: string, source: string): LoadedReport | undefined {
  for (const f of ['report.json', 'report.csv']) {
    const file = join(dir, f);
    if (existsSync(file)) return { rows: readReportFile(file, source), dir, source };
  }
  return undefined;
}

/** A report from a file, a session folder, or a session id (or `latest`) under `sessionsRoot`. */
export function loadReport(ref: string, sessionsRoot?: string): LoadedReport {
  if (existsSync(ref)) {
    if (statSync(ref).isDirectory()) {
      const found = fromFolder(ref, ref);
      if (found) return found;
      throw new MlbenchError('config', `${ref} holds no report.json or report.csv`, { hint: 'name a session id, a session folder or a report file' });
    }
    return { rows: readReportFile(ref, ref), dir: dirname(ref), source: ref };
  }
  if (/\.(csv|json)$/i.test(ref) || !sessionsRoot) {
    throw new MlbenchError('config', `report ${ref} does not exist`, { hint: 'name a session id, a session folder or a report file' });
  }
  const session = openSession(sessionsRoot, ref);
  const found = fromFolder(session.dir, `session ${session.id}`);
  if (found) return found;
  throw new MlbenchError('config', `session ${session.id} has no report yet`, { hint: `run \`mlbench flow resume ${session.id}\`` });
}
