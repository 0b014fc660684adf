// Writing a staged folder tree to where the user asked: a folder, a .zip, a .tar or a .tar.gz.
// The kind follows the name, as MLonMCU's `export` decides it. Archives are reproducible (fixed
// modification times, no owner names) and written beside their destination, then renamed over it,
// so a link planted at the destination's name is replaced, not followed, and a failure leaves no
// half-written file.
import { cpSync, createWriteStream, existsSync, lstatSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import yazl from 'yazl';
import { MlbenchError } from '../core/errors.js';

export type ArchiveKind = 'folder' | 'zip' | 'tar' | 'tar.gz';

export function archiveKindOf(dest: string): ArchiveKind {
  const lower = dest.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  return 'folder';
}

/** Regular files below `dir` (slash-separated, sorted); links and special files are never taken. */
export function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Refuses a destination that already holds something, unless `force` (then it is replaced). */
export function checkDestination(dest: string, force: boolean): void {
  let st;
  try {
    st = lstatSync(dest);
  } catch {
    return;
  }
  const empty = st.isDirectory() && readdirSync(dest).length === 0;
  if (!empty && !force) {
    throw new MlbenchError('config', `${dest} already exists`, { hint: 'name another destination, or --force to replace it' });
  }
}

// zip cannot store times before 1980; a fixed time keeps archives of the same files identical.
const ZIP_TIME = new Date('1980-01-01T00:00:00Z');

async function writeZip(staging: string, tops: string[], file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const top of tops) {
    for (const rel of filesUnder(join(staging, top), top)) zip.addFile(join(staging, rel), rel, { mtime: ZIP_TIME, mode: 0o100644 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file, { flags: 'wx' }));
}

/**
 * Writes `staging/<top>` for each top-level name to `dest` as the kind its name says; returns the
 * kind and the bytes written. `dest` is replaced when it exists (the caller checked `force`).
 */
export async function writeArchive(staging: string, tops: string[], dest: string): Promise<{ kind: ArchiveKind; bytes: number }> {
  const kind = archiveKindOf(dest);
  const parent = dirname(dest);
  const partial = join(parent, `.${basename(dest)}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  try {
    if (kind === 'folder') {
      const tmp = mkdtempSync(`${partial}-`);
      renameSync(tmp, partial);
      for (const top of tops) cpSync(join(staging, top), join(partial, top), { recursive: true });
    } else if (kind === 'zip') {
      await writeZip(staging, tops, partial);
    } else {
      await tar.c({ gzip: kind === 'tar.gz', file: partial, cwd: staging, portable: true, mtime: new Date(0) }, tops);
    }
    if (existsSync(dest) || isLink(dest)) rmSync(dest, { recursive: true, force: true });
    renameSync(partial, dest);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return { kind, bytes: sizeOf(dest) };
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function sizeOf(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return filesUnder(p).reduce((sum, rel) => sum + statSync(join(p, rel)).size, 0);
}

/** `1.9 MB`, `57 kB`, `812 B`: decimal units, as file managers show sizes. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} kB`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

/** Where a path is, shown relative to the working folder when it lies below it. */
export function shownPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
