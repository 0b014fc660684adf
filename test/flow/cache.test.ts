import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryCache, cacheKey, checkCacheRoot } from '../../src/core/cache.js';

describe('build cache', () => {
  it('keys by content, independent of property order', () => {
    expect(cacheKey({ a: 1, b: [1, 2] })).toBe(cacheKey({ b: [1, 2], a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
  });

  it('produces once under concurrent callers and publishes atomically', async () => {
    const cache = new DirectoryCache(mkdtempSync(join(tmpdir(), 'mlb-cache-')));
    let produced = 0;
    const produce = async (dir: string): Promise<void> => {
      produced++;
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(join(dir, 'lib.o'), 'object');
    };
    const dirs = await Promise.all([1, 2, 3, 4].map(() => cache.directory({ src: 'x' }, produce)));
    expect(new Set(dirs).size).toBe(1);
    expect(produced).toBe(1);
    expect(readFileSync(join(dirs[0], 'lib.o'), 'utf8')).toBe('object');
  });

  it('bypassed with cache=false: builds privately every time', async () => {
    const cache = new DirectoryCache(mkdtempSync(join(tmpdir(), 'mlb-cache-')), false);
    let produced = 0;
    const a = await cache.directory({ k: 1 }, async () => void produced++);
    const b = await cache.directory({ k: 1 }, async () => void produced++);
    expect(a).not.toBe(b);
    expect(produced).toBe(2);
  });

  it('cache=false: close() removes the private builds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlb-cache-'));
    const cache = new DirectoryCache(root, false);
    const dir = await cache.directory({ k: 1 }, async (d) => writeFileSync(join(d, 'x.o'), 'x'));
    expect(existsSync(join(dir, 'x.o'))).toBe(true);
    cache.close();
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a cache folder on /proc, /sys, /dev or behind a symlink loop', () => {
    for (const p of ['/proc/self', '/sys/kernel', '/dev/shm/x', '/proc']) expect(() => checkCacheRoot(p)).toThrow(/kernel file system/);
    const d = mkdtempSync(join(tmpdir(), 'mlb-cache-'));
    symlinkSync(join(d, 'b'), join(d, 'a'));
    symlinkSync(join(d, 'a'), join(d, 'b'));
    expect(() => checkCacheRoot(join(d, 'a'))).toThrow(/symlink loop/);
    expect(() => checkCacheRoot(join(d, 'a', 'cache'))).toThrow(/symlink loop/);
    const link = join(d, 'procs');
    symlinkSync('/proc/self', link);
    expect(() => checkCacheRoot(join(link, 'cache'))).toThrow(/kernel file system/);
    expect(() => checkCacheRoot(join(d, 'fine'))).not.toThrow();
  });

  it('leaves nothing published when the producer fails', async () => {
    const cache = new DirectoryCache(mkdtempSync(join(tmpdir(), 'mlb-cache-')));
    await expect(cache.directory({ k: 2 }, async () => Promise.reject(new Error('compile failed')))).rejects.toThrow('compile failed');
    let produced = 0;
    await cache.directory({ k: 2 }, async () => void produced++);
    expect(produced).toBe(1);
  });
});
