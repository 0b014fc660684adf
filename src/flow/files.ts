// Small file helpers shared by the flow: atomic JSON writes (a reader sees the old file or the
// new one, never half of one) and tolerant JSON reads.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeJsonAtomicSync(file: string, value: unknown): void {
  writeFileAtomic.sync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Like writeJsonAtomic, but on a full disk (where the temporary copy cannot be written) the file
 * is overwritten in place (compact), reusing its blocks: for small state files (session.json's state) that
 * must change even when nothing else can be written.
 */
export async function writeJsonAtomicOrInPlace(file: string, value: unknown): Promise<void> {
  try {
    await writeJsonAtomic(file, value);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code !== 'ENOSPC' && code !== 'EDQUOT') || !existsSync(file)) throw e;
    // Compact JSON is shorter than the indented file it replaces, so it fits the blocks it has.
    const text = Buffer.from(`${JSON.stringify(value)}\n`);
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, text, 0, text.length, 0);
      ftruncateSync(fd, text.length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
