// `mlbench export` and `flow run --dest/--label/-q` through the real CLI on a real session.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, readCsv, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping export tests: shared models not found (set MLBENCH_MODELS)');

/** Names in a zip's central directory (PK\1\2 records): what `unzip -l` lists. */
function zipNames(file: string): string[] {
  const buf = readFileSync(file);
  const names: string[] = [];
  for (let i = buf.indexOf('PK\x01\x02'); i >= 0; i = buf.indexOf('PK\x01\x02', i + 4)) {
    const len = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + len).toString('utf8'));
  }
  return names.sort();
}

describe.skipIf(!shared)('mlbench export', () => {
  const home = tempHome();
  const out = mkdtempSync(join(tmpdir(), 'mlbench-export-out-'));

  it('flow run -q --label L --dest DIR: silent, results/L.csv and the session exported to DIR', async () => {
    const dest = join(out, 'copy');
    const r = await mlbench(home, ['flow', 'run', 'sine_model', '--config-gen', 'mlif.optimize=3', '--config-gen', 'mlif.optimize=s', '-q', '-j', '--label', 'nightly/x', '--dest', dest]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const session = join(home, 'sessions', '1');
    expect(readFileSync(join(home, 'results', 'nightly_x.csv'), 'utf8')).toBe(readFileSync(join(session, 'report.csv'), 'utf8'));
    expect(readdirSync(dest)).toEqual(['session-1']);
    expect(readdirSync(join(dest, 'session-1')).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md', 'runs', 'session.json']);
    const runs = readCsv(join(session, 'report.csv')).map((x) => x.Run);
    expect(readdirSync(join(dest, 'session-1', 'runs')).sort()).toEqual(runs);
    const elf = join('runs', runs[1], 'compile', 'program.elf');
    expect(readFileSync(join(dest, 'session-1', elf))).toEqual(readFileSync(join(session, elf)));
    // A destination that exists is refused before anything runs.
    const again = await mlbench(home, ['flow', 'run', 'sine_model', '--dest', dest]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${dest} already exists`);
    expect(existsSync(join(home, 'sessions', '2'))).toBe(false);
  });

  it('to a .zip, one run chosen by number: reports rewritten with its row only', async () => {
    const zip = join(out, 'one.zip');
    const r = await mlbench(home, ['export', zip, '-r', '1']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^exported session 1 "nightly\/x" \(1 run\): \d+ files, [\d.]+ kB to .*one\.zip$/); // execa drops the final newline
    const names = zipNames(zip);
    expect(names.filter((n) => !n.includes('/runs/'))).toEqual([
      'session-1/report.csv',
      'session-1/report.html',
      'session-1/report.json',
      'session-1/report.md',
      'session-1/session.json',
    ]);
    expect(new Set(names.filter((n) => n.includes('/runs/')).map((n) => n.split('/')[2]))).toEqual(new Set(['001-sine_model-mlbaot-host_x86']));
    expect(names).toContain('session-1/runs/001-sine_model-mlbaot-host_x86/result.json');
    expect(r.stdout).toContain(`${names.length} files`);
  });

  it('to a .tar.gz, --label selects, --json says what was written; the same session gives the same bytes', async () => {
    const first = await mlbench(home, ['export', join(out, 'a.tar.gz'), '--label', 'nightly/x', '--json']);
    expect(first.exitCode).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ kind: 'tar.gz', sessions: [{ id: '1', label: 'nightly/x' }] });
    expect(summary.bytes).toBe(statSync(join(out, 'a.tar.gz')).size);
    const listed: string[] = [];
    await tar.t({ file: join(out, 'a.tar.gz'), onReadEntry: (e) => void listed.push(e.path) });
    expect(listed.filter((p) => !p.endsWith('/')).length).toBe(summary.files);
    await mlbench(home, ['export', join(out, 'b.tar.gz')]);
    expect(readFileSync(join(out, 'b.tar.gz'))).toEqual(readFileSync(join(out, 'a.tar.gz')));
  });

  it('refuses what it cannot do, with one line and exit 2', async () => {
    const noRun = await mlbench(home, ['export', join(out, 'x.tar'), '-r', '9']);
    expect([noRun.exitCode, noRun.stderr]).toEqual([2, expect.stringContaining('no run 9 in session 1')]);
    const exists = await mlbench(home, ['export', join(out, 'one.zip')]);
    expect([exists.exitCode, exists.stderr]).toEqual([2, expect.stringContaining('already exists')]);
    expect((await mlbench(home, ['export', join(out, 'one.zip'), '--force'])).exitCode).toBe(0);
    const noLabel = await mlbench(home, ['export', '--label', 'nope']);
    expect([noLabel.exitCode, noLabel.stderr]).toEqual([2, expect.stringContaining('no session labelled "nope"')]);
    const list = await mlbench(home, ['export', '-l']);
    expect(list.stdout).toBe('session 1 "nightly/x": 2 runs\n  000-sine_model-mlbaot-host_x86\n  001-sine_model-mlbaot-host_x86');
  });
});
