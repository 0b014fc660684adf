// The hook the scheduler calls when it writes a session's report: runs the postprocesses the
// user chose and writes report.html, so every session has its HTML report without asking.
import type { ReportFormat, ReportRow } from '../flow/report.js';
import { writeHtmlReport } from './html.js';
import { applyPostprocesses } from './index.js';
import { sessionFacts } from './session-facts.js';

export interface SessionPostprocessing {
  names: readonly string[];
  /** `NAME.key` → raw value, as split off the `-c` options by splitPostprocessConfig. */
  config: Record<string, string>;
}

/** What a session writes: the rows for report.csv/json/md, and the formats written after them. */
export interface FinishedReport {
  rows: ReportRow[];
  more: ReportFormat[];
}

/** Applies the chosen postprocesses; report.html is returned as a format, written after report.csv. */
export async function postprocessSessionReport(
  sessionDir: string,
  sessionId: string,
  rows: ReportRow[],
  post: SessionPostprocessing = { names: [], config: {} },
): Promise<FinishedReport> {
  const out = post.names.length ? await applyPostprocesses(rows, post.names, post.config, sessionDir) : rows;
  // visualize writes its own (configured) page; the default one must not overwrite it.
  const more: ReportFormat[] = post.names.includes('visualize')
    ? []
    : [{ file: 'report.html', write: (file) => writeHtmlReport(file, out, { title: `mlbench session ${sessionId}`, facts: sessionFacts(sessionDir, out) }) }];
  return { rows: out, more };
}
