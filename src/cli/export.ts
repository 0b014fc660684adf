// `mlbench export [DEST]`: sessions (or some of their runs) with their reports and run folders,
// to a folder, .zip, .tar or .tar.gz, as MLonMCU's `mlonmcu export` does. Also the engine of
// `flow run --dest DIR`. Session folders may come from elsewhere: run ids are checked names, a
// run folder that is a link out of the session is refused, and links inside are never followed.
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MlbenchError } from '../core/errors.js';
import { loadEnvironment } from '../flow/environment.js';
import { writeReports } from '../flow/report.js';
import { displayLabel, listSessions, openSession, type SessionDir, type SessionRecord } from '../flow/session.js';
import { checkDestination, filesUnder, formatBytes, shownPath, writeArchive, type ArchiveKind } from '../postprocess/archive.js';
import { writeHtmlReport } from '../postprocess/html.js';
import { loadReport } from '../postprocess/load.js';
import { sessionFacts } from '../postprocess/session-facts.js';
import { cellText } from '../postprocess/rows.js';

export interface ExportCliOptions {
  home?: string;
  json: boolean;
  /** Folder, .zip, .tar or .tar.gz; default ./mlbench-session-<ids>.tar.gz. */
  dest?: string;
  sessions: string[];
  runs: string[];
  labels: string[];
  /** Only say what would be exported. */
  list: boolean;
  force: boolean;
}

interface ChosenSession {
  session: SessionDir;
  record: SessionRecord;
  /** Run ids to export, in session order. */
  runs: string[];
  /** True when only some runs were chosen: the reports are rewritten with their rows only. */
  partial: boolean;
}

export interface ExportSummary {
  dest: string;
  kind: ArchiveKind;
  bytes: number;
  files: number;
  sessions: { id: string; label: string; runs: string[] }[];
}

/** A run named by its folder name (`003-aww-mlbaot-host_x86`) or its number (`3`). */
function runMatches(runId: string, wanted: string): boolean {
  if (runId === wanted) return true;
  const n = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
  const m = /^(\d+)-/.exec(runId);
  return m !== null && Number(m[1]) === n;
}

function chooseSessions(root: string, o: Pick<ExportCliOptions, 'sessions' | 'runs' | 'labels'>): ChosenSession[] {
  const ids = new Set<string>();
  for (const s of o.sessions) ids.add(openSession(root, s).id);
  if (o.labels.length) {
    const labelled = listSessions(root).filter((id) => {
      try {
        return o.labels.includes(openSession(root, id).read().label);
      } catch {
        return false; // an unreadable session has no label to match
      }
    });
    if (labelled.length === 0) throw new MlbenchError('config', `no session labelled ${o.labels.map((l) => JSON.stringify(displayLabel(l))).join(' or ')}`, { hint: 'see `mlbench sessions list`' });
    for (const id of labelled) ids.add(id);
  }
  if (ids.size === 0) ids.add(openSession(root, 'latest').id);
  const chosen = [...ids]
    .sort((a, b) => Number(a) - Number(b))
    .map((id) => {
      const session = openSession(root, id);
      const record = session.read();
      const runs = o.runs.length ? record.runs.map((r) => r.id).filter((r) => o.runs.some((w) => runMatches(r, w))) : record.runs.map((r) => r.id);
      return { session, record, runs, partial: o.runs.length > 0 };
    });
  for (const w of o.runs) {
    if (!chosen.some((c) => c.runs.some((r) => runMatches(r, w)))) {
      throw new MlbenchError('config', `no run ${w} in session${chosen.length > 1 ? 's' : ''} ${chosen.map((c) => c.session.id).join(', ')}`, {
        hint: 'name a run by its folder name (e.g. 003-aww-mlbaot-host_x86) or number; see `mlbench sessions show ID`',
      });
    }
  }
  return chosen;
}

const REPORT_FILES = ['report.csv', 'report.json', 'report.md', 'report.html'];

/** Copies one session (the chosen runs) into `root`; returns the number of files. */
async function stageSession(c: ChosenSession, root: string): Promise<number> {
  mkdirSync(root, { recursive: true });
  let files = 0;
  const copyFile = (from: string, to: string): void => {
    if (!existsSync(from) || !lstatSync(from).isFile()) return;
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to);
    files++;
  };
  copyFile(c.session.recordFile, join(root, 'session.json'));
  if (c.partial) {
    const rows = loadReport(c.session.dir).rows.filter((r) => c.runs.includes(cellText(r, 'Run')));
    await writeReports(root, rows, [{ file: 'report.html', write: (f) => writeHtmlReport(f, rows, { title: `mlbench session ${c.session.id} (${c.runs.length} runs)`, facts: sessionFacts(c.session.dir, rows) }) }]);
    files += REPORT_FILES.length;
  } else {
    for (const f of REPORT_FILES) copyFile(join(c.session.dir, f), join(root, f));
  }
  for (const run of c.runs) {
    const runDir = c.session.runDir(run);
    if (!existsSync(runDir)) continue; // a run that never started has no folder
    for (const rel of filesUnder(runDir)) copyFile(join(runDir, rel), join(root, 'runs', run, rel));
  }
  return files;
}

function defaultDest(chosen: ChosenSession[]): string {
  return resolve(`mlbench-session-${chosen.map((c) => c.session.id).join('-')}.tar.gz`);
}

/** Exports the chosen sessions of a sessions folder to `dest`. */
export async function exportSessions(sessionsRoot: string, o: Omit<ExportCliOptions, 'home' | 'json' | 'list'>): Promise<ExportSummary> {
  const chosen = chooseSessions(sessionsRoot, o);
  const dest = o.dest ? resolve(o.dest) : defaultDest(chosen);
  for (const c of chosen) {
    if (dest === resolve(c.session.dir) || dest.startsWith(`${resolve(c.session.dir)}/`)) {
      throw new MlbenchError('config', `cannot export session ${c.session.id} into itself (${dest})`, { hint: 'name a destination outside the session folder' });
    }
  }
  checkDestination(dest, o.force);
  const staging = mkdtempSync(join(tmpdir(), 'mlbench-export-'));
  try {
    let files = 0;
    const tops: string[] = [];
    for (const c of chosen) {
      const top = `session-${c.session.id}`;
      files += await stageSession(c, join(staging, top));
      tops.push(top);
    }
    mkdirSync(dirname(dest), { recursive: true });
    const { kind, bytes } = await writeArchive(staging, tops, dest);
    return { dest, kind, bytes, files, sessions: chosen.map((c) => ({ id: c.session.id, label: c.record.label, runs: c.runs })) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function describeExport(s: ExportSummary): string {
  const what = s.sessions.map((x) => `session ${x.id}${x.label ? ` "${displayLabel(x.label)}"` : ''} (${x.runs.length} run${x.runs.length === 1 ? '' : 's'})`).join(', ');
  return `exported ${what}: ${s.files} files, ${formatBytes(s.bytes)} to ${shownPath(s.dest)}${s.kind === 'folder' ? '/' : ''}\n`;
}

export async function exportCommand(o: ExportCliOptions, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const root = loadEnvironment(o.home).sessionsDir;
  if (o.list) {
    const chosen = chooseSessions(root, o);
    const listed = chosen.map((c) => ({ id: c.session.id, label: c.record.label, runs: c.runs }));
    if (o.json) write(`${JSON.stringify({ sessions: listed }, null, 2)}\n`);
    else for (const c of listed) write(`session ${c.id}${c.label ? ` "${displayLabel(c.label)}"` : ''}: ${c.runs.length} runs\n${c.runs.map((r) => `  ${r}\n`).join('')}`);
    return 0;
  }
  const summary = await exportSessions(root, o);
  write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : describeExport(summary));
  return 0;
}
