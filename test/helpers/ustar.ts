// Tar archives written by hand, so member names, types and link targets are exactly what a
// crafted archive would hold (tar libraries refuse to write the hostile ones).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One ustar header block for a regular file or symlink. */
export function tarHeader(name: string, size: number, type: '0' | '2' = '0', link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A tar file of the given members (files with data, or symlinks) in a fresh temp folder. */
export function tarball(entries: { name: string; data?: string; symlink?: string }[]): string {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    parts.push(tarHeader(e.name, e.symlink ? 0 : data.length, e.symlink ? '2' : '0', e.symlink ?? ''));
    if (!e.symlink) parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  const file = join(mkdtempSync(join(tmpdir(), 'mlb-tar-')), 'default.tar');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}
