// Stress test of the build cache's entry lock, in separate processes (the way parallel
// sessions share a home): many builders of entries that share a two-hex prefix, and holders
// killed with SIGKILL in the middle of a build. Every entry must be built exactly once by a
// live builder, every builder must exit cleanly, and a dead holder's lock must be taken over
// at once (with a line in the log), not after a stale timeout.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/core/cache.js';
import { pkgPath } from '../../src/core/paths.js';

const WORKER = pkgPath('test', 'reliability', 'cache-lock-worker.mjs');

/** `count` keys whose cache ids all start with the same two hex digits. */
function keysSharingPrefix(count: number): string[] {
  const byPrefix = new Map<string, string[]>();
  for (let i = 0; ; i++) {
    const k = `k${i}`;
    const p = cacheKey({ stress: k }).slice(0, 2);
    const list = byPrefix.get(p) ?? [];
    list.push(k);
    byPrefix.set(p, list);
    if (list.length === count) return list;
  }
}

async function waitFor(file: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} never appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('build cache lock under parallel processes', () => {
  it('builds each shared-prefix entry once, survives killed holders and takes their locks over at once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlb-lock-stress-'));
    const keys = keysSharingPrefix(8);
    const built = keys.slice(0, 6);
    const held = keys.slice(6);

    // Holders of two entries, SIGKILLed while they build.
    const holders = held.map((k) => execa('node', [WORKER, root, 'hold', '0', k], { reject: false }));
    for (const k of held) await waitFor(join(root, `holding-${k}`), 30_000);

    // Six processes, each building all six entries at once, plus one builder per held entry
    // that waits on the holder's lock until the holder is SIGKILLed.
    const builders = Array.from({ length: 6 }, () => execa('node', [WORKER, root, 'build', '300', ...built], { reject: false, timeout: 90_000 }));
    const takers = held.map((k) => execa('node', [WORKER, root, 'build', '100', k], { reject: false, timeout: 90_000 }));
    for (const [i, k] of held.entries()) await waitFor(join(root, `asking-${k}-${takers[i].pid}`), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(join(root, cacheKey({ stress: held[0] }).slice(0, 2), cacheKey({ stress: held[0] })))).toBe(false);
    const killedAt = Date.now();
    for (const h of holders) h.kill('SIGKILL');
    await Promise.all(holders);
    const takenOverAfter = await Promise.all(takers.map(async (t) => (await t, Date.now() - killedAt)));

    const results = await Promise.all([...builders, ...takers]);
    for (const r of results) expect(r.stderr.match(/Error|not acquired|ECOMPROMISED/g) ?? [], r.stderr).toEqual([]);
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);

    const lines = results.flatMap((r) => r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string; dir: string; ms: number }));
    for (const k of keys) {
      const dirs = new Set(lines.filter((l) => l.key === k).map((l) => l.dir));
      expect(dirs.size, k).toBe(1);
      expect(readFileSync(join([...dirs][0], 'object.o'), 'utf8')).toBe(`built ${k}`);
    }
    // Built once per entry by a live builder (plus the killed holders' attempts).
    const produced = readFileSync(join(root, 'produced.log'), 'utf8').trim().split('\n');
    const holderPids = new Set(holders.map((h) => String(h.pid)));
    const liveBuilds = produced.filter((l) => !holderPids.has(l.split(' ')[1])).map((l) => l.split(' ')[0]);
    expect(liveBuilds.sort()).toEqual([...keys].sort());

    // The dead holders' locks were taken over, said so in the log, well before any stale timeout.
    const takerResults = results.slice(builders.length);
    takerResults.forEach((r, i) => {
      expect(r.stderr).toMatch(/lock .* held by dead process \d+.* taken over/);
      const ms = takenOverAfter[i];
      process.stdout.write(`takeover of ${held[i]}: entry ready ${ms} ms after its holder's SIGKILL (100 ms of it building)\n`);
      expect(ms).toBeLessThan(10_000);
    });
    // Nothing of the killed holders is left: no lock files, no scratch folders.
    const prefixDir = join(root, cacheKey({ stress: keys[0] }).slice(0, 2));
    expect(readdirSync(prefixDir).filter((f) => f.includes('.lock'))).toEqual([]);
    const scratch = existsSync(join(root, 'tmp')) ? readdirSync(join(root, 'tmp')) : [];
    for (const pid of holderPids) expect(scratch.filter((d) => d.startsWith(`p${pid}-`))).toEqual([]);
  }, 120_000);
});
