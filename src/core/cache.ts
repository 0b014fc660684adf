// Content-addressed build cache shared by all runs of a home. Entries are directories named
// by the hash of their inputs; a producer builds into a private temp folder and renames it
// into place, so readers never see a half-written entry and a killed producer leaves only
// garbage that the next producer ignores.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { BuildCache } from './component.js';

export function cacheKey(key: unknown): string {
  return createHash('sha256').update(stableJson(key)).digest('hex').slice(0, 32);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class DirectoryCache implements BuildCache {
  constructor(
    private readonly root: string,
    private readonly enabled = true,
  ) {}

  async directory(key: unknown, produce: (dir: string) => Promise<void>): Promise<string> {
    const id = cacheKey(key);
    const final = join(this.root, id.slice(0, 2), id);
    if (this.enabled && existsSync(final)) return final;
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    const tmp = join(this.root, 'tmp', `${id}-${randomUUID()}`);
    await mkdir(tmp, { recursive: true });
    if (!this.enabled) {
      // Bypass: build privately, never publish.
      await produce(tmp);
      return tmp;
    }
    const lockTarget = join(this.root, id.slice(0, 2), `${id}.lock`);
    // Locked by the entry's own path: proper-lockfile tracks locks per locked path, so entries
    // sharing a prefix folder must not lock that folder (releasing one dropped the other's lock).
    const release = await lockfile.lock(final, {
      realpath: false,
      lockfilePath: lockTarget,
      retries: { retries: 600, minTimeout: 100, maxTimeout: 500 },
      stale: 60_000,
    });
    try {
      if (existsSync(final)) {
        await rm(tmp, { recursive: true, force: true });
        return final;
      }
      await produce(tmp);
      await rename(tmp, final);
      return final;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      await release();
    }
  }
}
