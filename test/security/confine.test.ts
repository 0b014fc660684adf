// The one helper that turns foreign text into a path: names, relative paths, links that lead
// out (also dangling ones and chains), and the system folders no configured path may be in.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertInside, checkName, confinedChild, confinedPath, findLinkOut, refuseSystemFolder, unsafeNameReason } from '../../src/core/confine.js';
import { MlbenchError } from '../../src/core/errors.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'mlb-confine-'));

describe('names from foreign text', () => {
  it.each([
    ['../../../../y/run', 'contains a path separator'],
    ['..', 'is ".."'],
    ['.', 'is "."'],
    ['', 'is empty'],
    ['/etc', 'contains a path separator'],
    ['a\\b', 'contains a path separator'],
    ['a\nb', 'contains a control character'],
    ['x'.repeat(256), 'is longer than 255 bytes'],
  ])('refuses %j (%s)', (name, why) => {
    expect(unsafeNameReason(name)).toBe(why);
    const err = (() => {
      try {
        checkName(name, 'run id');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('config');
    expect((err as MlbenchError).message).toBe(`run id ${JSON.stringify(name)} ${why}`);
  });

  it('accepts the names mlbench writes and refuses what is not text', () => {
    for (const n of ['000-aww-mlbaot-host_x86', '12', 'latest', 'a..b', '.hidden']) expect(checkName(n, 'x')).toBe(n);
    expect(unsafeNameReason(3)).toBe('is number, not text');
    expect(unsafeNameReason(null)).toBe('is null, not text');
  });
});

describe('paths under a root', () => {
  it('refuses absolute paths and .. that climbs out; allows .. that stays', () => {
    const root = fresh();
    expect(confinedPath(root, 'a/../b', 'p')).toBe(join(root, 'b'));
    expect(() => confinedPath(root, '../x', 'p')).toThrow(/"\.\.\/x" leaves/);
    expect(() => confinedPath(root, 'a/../../x', 'p')).toThrow(/leaves/);
    expect(() => confinedPath(root, '/etc/hostname', 'p')).toThrow(/must be a path relative to/);
  });

  it('refuses links that lead out, dangling ones and chains included', () => {
    const root = fresh();
    const outside = fresh();
    mkdirSync(join(root, 'runs'));
    symlinkSync(outside, join(root, 'runs', 'direct'));
    symlinkSync(join(outside, 'not-yet'), join(root, 'runs', 'dangling'));
    symlinkSync('direct', join(root, 'runs', 'chain')); // a link to a link that leads out
    mkdirSync(join(root, 'runs', 'inside'));
    symlinkSync('inside', join(root, 'runs', 'alias')); // stays inside: fine
    for (const n of ['direct', 'dangling', 'chain']) {
      expect(() => confinedChild(join(root, 'runs'), n, 'run')).toThrow(/leads outside/);
    }
    expect(confinedChild(join(root, 'runs'), 'alias', 'run')).toBe(join(root, 'runs', 'alias'));
    expect(() => assertInside(root, join(root, 'runs', 'direct', 'result.json'), 'result')).toThrow(/leads outside/);
    expect(() => confinedPath(root, 'runs/chain/x', 'p')).toThrow(/leads outside/);
  });

  it('finds a link out anywhere below a folder', () => {
    const root = fresh();
    const run = join(root, 'runs', '000-x');
    mkdirSync(join(run, 'build', 'src'), { recursive: true });
    expect(findLinkOut(run, root)).toBeUndefined();
    symlinkSync('../src', join(run, 'build', 'inner')); // inside: allowed
    expect(findLinkOut(run, root)).toBeUndefined();
    symlinkSync(fresh(), join(run, 'build', 'src', 'out'));
    expect(findLinkOut(run, root)).toBe(join(run, 'build', 'src', 'out'));
  });

  it('refuses system folders for writing, pseudo file systems even for reading', () => {
    for (const p of ['/', '/etc', '/etc/mlbench', '/proc/self', '/sys', '/dev/shm/x', '/usr/lib']) {
      expect(() => refuseSystemFolder(p, 'paths.sessions')).toThrow(MlbenchError);
    }
    const link = join(fresh(), 'etc-link');
    symlinkSync('/etc', link);
    expect(() => refuseSystemFolder(join(link, 'x'), 'paths.cache')).toThrow(/in the system folder \/etc \(it resolves to \/etc\/x\)/);
    expect(() => refuseSystemFolder(fresh(), 'paths.cache')).not.toThrow();
    expect(() => refuseSystemFolder('/usr/share/models', 'model folder', { readOnly: true })).not.toThrow();
    expect(() => refuseSystemFolder('/proc/self', 'model folder', { readOnly: true })).toThrow(/in the system folder \/proc/);
  });
});
