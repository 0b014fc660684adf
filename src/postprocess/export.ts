// export: one archive (tar.gz, .tar, .zip, or a folder: the name decides) with the (postprocessed) report and chosen artifacts of every run in it,
// for sharing results or attaching them to a CI job.
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { assertInside, confinedChild, confinedPath } from '../core/confine.js';
import { MlbenchError } from '../core/errors.js';
import { writeReports, type ReportRow } from '../flow/report.js';
import { filesUnder, writeArchive } from './archive.js';
import type { Postprocess } from './postprocess.js';
import { cellText } from './rows.js';

/** Glob over slash-separated relative paths: `**` crosses folders, `*` and `?` do not. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` also matches no folder at all, so `**/*.elf` finds top-level files too.
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface ExportOptions {
  sessionDir: string;
  /** Globs relative to each run folder, e.g. `result.json`, `compile/*.elf`. */
  artifacts: string[];
  /** The archive; relative paths are relative to the session folder. */
  file: string;
}

/** Writes the archive and returns its path and the files it holds (archive-relative). */
export async function exportSession(rows: ReportRow[], o: ExportOptions): Promise<{ file: string; entries: string[] }> {
  if (rows.length > 0 && !rows.some((r) => 'Run' in r)) {
    throw new MlbenchError('config', 'export needs the Run column to find each run’s artifacts', {
      hint: 'name export before filter_cols/rename_cols, or keep the Run column',
    });
  }
  // A relative archive path stays inside the session (links included); an absolute one is the user's choice.
  const file = isAbsolute(o.file) ? o.file : confinedPath(o.sessionDir, o.file, 'export.file');
  const top = `session-${basename(resolve(o.sessionDir))}`;
  const patterns = o.artifacts.map(globToRegExp);
  const staging = mkdtempSync(join(tmpdir(), 'mlbench-export-'));
  try {
    const root = join(staging, top);
    mkdirSync(root, { recursive: true });
    await writeReports(root, rows);
    const entries = ['report.csv', 'report.json', 'report.md'].map((f) => `${top}/${f}`);
    const html = join(o.sessionDir, 'report.html');
    if (existsSync(html) && lstatSync(html).isFile()) {
      cpSync(html, join(root, 'report.html'));
      entries.push(`${top}/report.html`);
    }
    const runs = join(o.sessionDir, 'runs');
    assertInside(o.sessionDir, runs, 'export: the runs folder');
    for (const run of new Set(rows.map((r) => cellText(r, 'Run')).filter((r) => r !== ''))) {
      // The Run column may come from a report file someone else wrote: it names a folder under runs/, nothing else.
      const runDir = confinedChild(runs, run, 'export: the report’s Run cell');
      if (!existsSync(runDir)) continue; // a run that never started has no folder
      for (const rel of filesUnder(runDir)) {
        if (!patterns.some((p) => p.test(rel))) continue;
        const dest = join(root, 'runs', run, rel);
        mkdirSync(dirname(dest), { recursive: true });
        cpSync(join(runDir, rel), dest);
        entries.push(`${top}/runs/${run}/${rel}`);
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    await writeArchive(staging, [top], file);
    return { file, entries };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export const exportPostprocess: Postprocess = {
  name: 'export',
  description: 'write a tar.gz (or .zip, .tar, folder) with the report and chosen artifacts of every run',
  config: [
    { key: 'artifacts', type: 'list', default: ['result.json', 'run.json'], help: 'globs relative to each run folder, comma-separated (e.g. result.json,compile/*.elf,**/*.log)' },
    { key: 'file', type: 'path', default: 'export.tar.gz', help: 'archive path (relative to the session folder); .tar.gz, .tgz, .tar, .zip, or a folder' },
  ],
  async apply(rows, ctx) {
    await exportSession(rows, { sessionDir: ctx.sessionDir, artifacts: ctx.config.list('artifacts'), file: ctx.config.str('file') });
    return rows;
  },
};
