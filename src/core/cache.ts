// Content-addressed build cache shared by all runs of a home (and by homes that share a cache
// folder, also over NFS). Entries are directories named by the hash of their inputs; a producer
// builds into a private scratch folder and renames it into place, so readers never see a
// half-written entry and correctness never depends on the lock. The lock (one per entry, see
// entry-lock.ts) only keeps two producers from doing the same work; a producer that was killed
// leaves a lock that the next one takes over at once and scratch that is swept away.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, realpathSync, rmdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { BuildCache, CacheUseOptions } from './component.js';
import { acquireLock, processAlive, processIdentity } from './entry-lock.js';
import { MlbenchError } from './errors.js';

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

const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

/** Refuses a cache folder on a kernel pseudo file system or behind a symlink loop. */
export function checkCacheRoot(root: string): void {
  const refuse = (why: string): never => {
    throw new MlbenchError('config', `cache folder ${root} ${why}`, { hint: 'set paths.cache in environment.yml to a folder on a disk' });
  };
  // The folder may not exist yet: resolve its nearest existing ancestor's links.
  let real: string | undefined;
  for (let p = resolve(root), rest = ''; real === undefined; rest = join(basename(p), rest), p = dirname(p)) {
    try {
      real = join(realpathSync(p), rest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') refuse('is a symlink loop');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') refuse(`cannot be used (${code})`);
    }
  }
  for (const p of [resolve(root), real]) {
    const fs = PSEUDO_FILE_SYSTEMS.find((f) => p === f || p.startsWith(`${f}${sep}`));
    if (fs) refuse(`is inside ${fs}, a kernel file system, not a disk`);
  }
}

/** Scratch folders are named after their process, so a sweep can tell a dead one's garbage. */
const SCRATCH = /^p(\d+)-(\d*)@(.+)$/;

export class DirectoryCache implements BuildCache {
  private readonly scratch: string;
  private swept = false;

  constructor(
    private readonly root: string,
    private readonly enabled = true,
  ) {
    const me = processIdentity();
    this.scratch = join(root, 'tmp', `p${me.pid}-${me.start}@${me.host}`, randomUUID().slice(0, 8));
  }

  async directory(key: unknown, produce: (dir: string) => Promise<void>, o: CacheUseOptions = {}): Promise<string> {
    const id = cacheKey(key);
    const final = join(this.root, id.slice(0, 2), id);
    if (this.enabled && existsSync(final)) return final;
    this.sweepOnce();
    if (!this.enabled) {
      // Bypass: build privately, never publish; close() removes it.
      const dir = join(this.scratch, `${id}-${randomUUID().slice(0, 8)}`);
      await mkdir(dir, { recursive: true });
      await produce(dir);
      return dir;
    }
    const lock = await acquireLock(`${final}.lock`, {
      log: o.log,
      signal: o.signal,
      onTakeover: () => this.sweep(),
    });
    const tmp = join(this.scratch, `${id}-${randomUUID().slice(0, 8)}`);
    try {
      if (existsSync(final)) return final;
      await mkdir(tmp, { recursive: true });
      await produce(tmp);
      await this.publish(tmp, final);
      return final;
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await lock.release();
    }
  }

  /** Removes this cache's private builds (those of `cache=false`). */
  close(): void {
    rmSync(this.scratch, { recursive: true, force: true });
    try {
      rmdirSync(join(this.scratch, '..'));
    } catch {
      // Another cache of this process still uses the folder.
    }
  }

  private async publish(tmp: string, final: string): Promise<void> {
    try {
      await rename(tmp, final);
    } catch (e) {
      // Someone published the same entry meanwhile (a lock lost to a race): theirs is as good.
      const code = (e as NodeJS.ErrnoException).code;
      if (!((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(final))) throw e;
    }
  }

  private sweepOnce(): void {
    if (this.swept) return;
    checkCacheRoot(this.root);
    this.swept = true;
    this.sweep();
  }

  /** Deletes the scratch folders of dead processes of this host (killed builds, old bypasses). */
  private sweep(): void {
    const tmpRoot = join(this.root, 'tmp');
    if (!existsSync(tmpRoot)) return;
    for (const name of readdirSync(tmpRoot)) {
      const m = SCRATCH.exec(name);
      if (m && processAlive({ pid: Number(m[1]), start: m[2], host: m[3] }) === false) {
        rmSync(join(tmpRoot, name), { recursive: true, force: true });
      }
    }
  }
}
