// The hook the scheduler calls when it writes a session's report: runs the postprocesses the
// user chose and writes report.html, so every session has its HTML report without asking.
import { join } from 'node:path';
import type { ReportRow } from '../flow/report.js';
import { writeHtmlReport } from './html.js';
import { applyPostprocesses } from './index.js';

export interface SessionPostprocessing {
  names: readonly string[];
  /** `NAME.key` → raw value, as split off the `-c` options by splitPostprocessConfig. */
  config: Record<string, string>;
}

/** Returns the rows to write as report.csv/json/md. */
export async function postprocessSessionReport(
  sessionDir: string,
  sessionId: string,
  rows: ReportRow[],
  post: SessionPostprocessing = { names: [], config: {} },
): Promise<ReportRow[]> {
  const out = post.names.length ? await applyPostprocesses(rows, post.names, post.config, sessionDir) : rows;
  // visualize writes its own (configured) page; the default one must not overwrite it.
  if (!post.names.includes('visualize')) {
    await writeHtmlReport(join(sessionDir, 'report.html'), out, { title: `mlbench session ${sessionId}` });
  }
  return out;
}
