// Hostile and busy session folders through the real CLI: session ids that are paths, session.json
// with `../` run ids, run folders that are links out, a report that is a link, a session in use
// (a live lock) and one whose owner died (a stale lock), `sessions clean` and `latest`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, tempHome } from '../e2e/cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping hostile-session tests: shared models not found (set MLBENCH_MODELS)');

const RUN = '000-sine_model-mlbaot-host_x86';

describe.skipIf(!shared)('session folders are foreign input', () => {
  let home: string;
  let sessions: string;
  /** A copy of session 1 as session `id`, edited by `edit` (paths relative to the copy). */
  const copySession = (id: string, edit: (dir: string, record: { runs: { id: string }[] }) => void): string => {
    const dir = join(sessions, id);
    cpSync(join(sessions, '1'), dir, { recursive: true });
    const record = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { runs: { id: string }[] };
    edit(dir, record);
    writeFileSync(join(dir, 'session.json'), JSON.stringify(record));
    return dir;
  };

  beforeAll(async () => {
    home = tempHome();
    sessions = join(home, 'sessions');
    const r = await mlbench(home, ['flow', 'load', 'sine_model']);
    expect(r.exitCode).toBe(0);
    // The lock lives only while the flow runs.
    expect(existsSync(join(sessions, '1', 'session.lock'))).toBe(false);
  });

  it('a session id that is a path is refused (resume, show); nothing is written there', async () => {
    const outside = join(home, '..', `outside-${process.pid}`, 'x');
    mkdirSync(outside, { recursive: true });
    cpSync(join(sessions, '1'), outside, { recursive: true });
    rmSync(join(outside, 'runs', RUN, 'result.json'));
    const before = readdirSync(outside).sort();
    for (const args of [['flow', 'resume', '../../x'], ['sessions', 'show', '../../x'], ['flow', 'resume', outside]]) {
      const r = await mlbench(home, args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/mlbench: session id ".*" contains a path separator/);
    }
    expect(readdirSync(outside).sort()).toEqual(before);
    expect(existsSync(join(outside, 'runs', RUN, 'result.json'))).toBe(false);
  });

  it('session.json with a ../ run id is refused before anything runs', async () => {
    const escape = join(home, '..', `y-${process.pid}`);
    copySession('2', (dir, record) => {
      record.runs[0].id = `../../../../y-${process.pid}/run`;
      rmSync(join(dir, 'runs', RUN, 'result.json'));
    });
    const r = await mlbench(home, ['flow', 'resume', '2']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`run 0 id "../../../../y-${process.pid}/run" contains a path separator`);
    expect(existsSync(escape)).toBe(false);
    // The other commands say what is wrong with it instead of crashing.
    const list = await mlbench(home, ['sessions', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/ 2 .*unreadable .*contains a path separator/);
    rmSync(join(sessions, '2'), { recursive: true });
  });

  it('a run folder that is a link out, or holds one, is refused; the target is untouched', async () => {
    const target = join(tmpdir(), `mlb-target-${process.pid}`);
    mkdirSync(target, { recursive: true });
    const d3 = copySession('3', (dir) => {
      rmSync(join(dir, 'runs', RUN), { recursive: true });
      symlinkSync(target, join(dir, 'runs', RUN));
    });
    const r3 = await mlbench(home, ['flow', 'resume', '3']);
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr).toContain(`run id in session 3: ${join(d3, 'runs', RUN)} leads outside`);
    const d4 = copySession('4', (dir) => {
      rmSync(join(dir, 'runs', RUN, 'result.json'));
      rmSync(join(dir, 'runs', RUN, 'load'), { recursive: true });
      symlinkSync(target, join(dir, 'runs', RUN, 'load'));
    });
    const r4 = await mlbench(home, ['flow', 'resume', '4']);
    expect(r4.exitCode).toBe(2);
    expect(r4.stderr).toContain(`${join(d4, 'runs', RUN, 'load')} is a link leading out of the session`);
    expect(readdirSync(target)).toEqual([]);
    for (const id of ['3', '4']) rmSync(join(sessions, id), { recursive: true });
  });

  it('a report that is a link out is not shown', async () => {
    copySession('5', (dir) => {
      rmSync(join(dir, 'report.md'));
      symlinkSync('/etc/hostname', join(dir, 'report.md'));
    });
    const r = await mlbench(home, ['sessions', 'show', '5']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('leads outside');
    expect(r.stdout).toBe('');
    rmSync(join(sessions, '5'), { recursive: true });
  });

  it('sessions clean never removes a session in use, takes over a dead owner, and keeps latest valid', async () => {
    for (const id of ['6', '7', '8']) copySession(id, () => undefined);
    const lock = (id: string, pid: number): void =>
      writeFileSync(join(sessions, id, 'session.lock'), JSON.stringify({ pid, host: hostname(), since: 'test' }));
    lock('1', process.pid); // alive: this test process
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    lock('7', dead);
    lock('8', process.pid);

    const resume = await mlbench(home, ['flow', 'resume', '1']);
    expect(resume.exitCode).toBe(2);
    expect(resume.stderr).toContain(`session 1 is in use by pid ${process.pid} on ${hostname()}`);

    for (const keep of ['-1', '1.5']) {
      const bad = await mlbench(home, ['sessions', 'clean', '--keep', keep]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toMatch(/invalid value .* for --keep: expected a whole number >= 0/);
    }
    expect(readdirSync(sessions).sort()).toEqual(['1', '6', '7', '8', 'latest']);

    const clean = await mlbench(home, ['sessions', 'clean', '--keep', '0']);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain(`removed 2 session(s), kept 2; in use, not removed: 1 (pid ${process.pid}`);
    expect(readdirSync(sessions).sort()).toEqual(['1', '8', 'latest']);
    expect(readlinkSync(join(sessions, 'latest'))).toBe('8');

    rmSync(join(sessions, '1', 'session.lock'));
    rmSync(join(sessions, '8', 'session.lock'));
    const all = await mlbench(home, ['sessions', 'clean', '--keep', '0']);
    expect(all.stdout).toContain('removed 2 session(s), kept 0');
    expect(() => lstatSync(join(sessions, 'latest'))).toThrow(/ENOENT/);
  });
});
