// A full disk must not cost the report of everything that finished before it filled up. The
// session keeps a small reserve file while it runs; when a machine fault stops the session, the
// reserve is freed first, so the final report.csv (a few hundred bytes per run) still fits.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESERVE_FILE = '.space-reserve';
const BYTES_PER_RUN = 256;
const MIN_BYTES = 256 * 1024;
const MAX_BYTES = 8 * 1024 * 1024;

export interface SpaceReserve {
  /** Frees the reserve; safe to call more than once. */
  release(): void;
}

export function reserveSpace(sessionDir: string, runs: number): SpaceReserve {
  const file = join(sessionDir, RESERVE_FILE);
  const bytes = Math.min(MAX_BYTES, Math.max(MIN_BYTES, runs * BYTES_PER_RUN));
  try {
    // Zeros, really written: a sparse file would reserve nothing.
    writeFileSync(file, Buffer.alloc(bytes, 0x20));
  } catch {
    // Already full or read-only: the session will meet that fault itself and say so.
    rmSync(file, { force: true });
  }
  return { release: () => rmSync(file, { force: true }) };
}
