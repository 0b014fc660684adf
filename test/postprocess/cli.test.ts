// `mlbench report show|compare` through yargs, the way main.ts mounts the command.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { toCsv } from '../../src/flow/report.js';
import { reportCommand, reportShow } from '../../src/cli/report.js';
import { mlbench } from '../e2e/cli-helpers.js';
import { sweep } from './fixtures.js';

const home = mkdtempSync(join(tmpdir(), 'mlbench-report-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// A finished session as the scheduler leaves it: sessions/<id>/session.json and the reports.
const sessionDir = join(home, 'sessions', '7');
mkdirSync(join(sessionDir, 'runs'), { recursive: true });
writeFileSync(join(sessionDir, 'session.json'), '{}');
writeFileSync(join(sessionDir, 'report.json'), JSON.stringify(sweep()));
writeFileSync(join(sessionDir, 'report.csv'), toCsv(sweep()));
const slower = sweep().map((r) => (r.Run === '1' ? { ...r, 'Run Instructions': 1600 } : r));
const currentCsv = join(home, 'current.csv');
writeFileSync(currentCsv, toCsv(slower));

/** Runs `mlbench report ...` like main.ts does; returns exit code and stdout. */
async function cli(args: string[], config: string[] = []): Promise<{ code: number; out: string }> {
  let code = 0;
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => {
    out += String(s);
    return true;
  }) as typeof process.stdout.write;
  try {
    await yargs(['report', ...args, '--home', home])
      .option('home', { type: 'string', global: true })
      .option('json', { type: 'boolean', default: false, global: true })
      .command(reportCommand({ config, setCode: (c) => (code = c) }))
      .strict()
      .fail((msg, err) => {
        throw err ?? new MlbenchError('config', msg);
      })
      .parseAsync();
  } finally {
    process.stdout.write = write;
  }
  return { code, out };
}

describe('mlbench report show', () => {
  it('pretty-prints chosen columns of a session, numbers right-aligned', async () => {
    const { code, out } = await cli(['show', '7', '--columns', 'Model,Backend', '-C', 'Run Instructions']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Model  Backend  Run Instructions',
        '-----  -------  ----------------',
        'aww    mlbaot               1000',
        'aww    tflmi                1500',
        'vww    mlbaot               4000',
        'vww    tflmi',
        '',
        '1 of 4 runs not ok:',
        '  3 / vww / tflmi / host_x86: failed in compile — does not fit: RAM 300000 > 262144 (log: runs/3/compile/log.txt)',
        '',
      ].join('\n'),
    );
  });
  it('applies postprocesses configured with -c and prints JSON', async () => {
    const { out } = await cli(
      ['show', 'latest', '--postprocess', 'filter_rows', '-p', 'compare_rows', '--columns', 'Run,Run Instructions (rel. mlbaot)', '--json'],
      ['filter_rows.where=Model=aww'],
    );
    expect(JSON.parse(out)).toEqual([
      { Run: '0', 'Run Instructions (rel. mlbaot)': 1 },
      { Run: '1', 'Run Instructions (rel. mlbaot)': 1.5 },
    ]);
  });
  it('writes report.html into the session with visualize', async () => {
    await cli(['show', '7', '-p', 'visualize']);
    expect(readFileSync(join(sessionDir, 'report.html'), 'utf8')).toContain('<title>mlbench session 7</title>');
  });
  it('rejects component config and unknown columns with suggestions', async () => {
    await expect(reportShow({ report: currentCsv, columns: [], postprocess: ['filter_rows'], format: 'table', config: ['filter_row.where=Model=aww'] })).rejects.toThrow(
      'unknown postprocess config key filter_row.where',
    );
    const e = await cli(['show', '7', '--columns', 'Modle']).catch((x: unknown) => x as MlbenchError);
    expect(e).toBeInstanceOf(MlbenchError);
    expect((e as MlbenchError).hint).toBe('did you mean "Model"?');
  });
  it('names the closest session id', async () => {
    const e = await cli(['show', '8']).catch((x: unknown) => x as MlbenchError);
    expect((e as MlbenchError).message).toBe(`no session 8 in ${join(home, 'sessions')}`);
    expect((e as MlbenchError).hint).toBe('did you mean 7?');
  });
});

describe('mlbench report postprocesses', () => {
  it('lists every postprocess with its keys', async () => {
    const { code, out } = await cli(['postprocesses']);
    expect(code).toBe(0);
    expect(out).toContain('compare_rows: add columns relative to a baseline value of a dimension');
    expect(out).toContain('  export.artifacts (list, default ["result.json","run.json"]): ');
  });
});

describe('mlbench report compare', () => {
  it('exits 1 when a threshold is exceeded, 0 when it is not', async () => {
    const fail = await cli(['compare', '7', currentCsv, '--threshold', 'Run Instructions=+2%']);
    expect(fail.code).toBe(1);
    expect(fail.out).toContain('    ✗ Run Instructions 1500 → 1600 (+6.67%) exceeds +2%');
    const pass = await cli(['compare', sessionDir, currentCsv, '-T', 'Run Instructions=+10%', '-T', 'RAM Total=+512']);
    expect(pass.code).toBe(0);
    expect(pass.out.split('\n')[0]).toBe('PASS: 4 runs: 3 ok, 0 regressed, 0 new, 0 fixed, 1 not ok in both');
  });
  it('prints the comparison as JSON', async () => {
    const { code, out } = await cli(['compare', '7', join(sessionDir, 'report.csv'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ passed: true, regressions: 0, metrics: ['Run Instructions', 'ROM Total', 'RAM Total'] });
  });
  it('refuses a baseline or current report with no runs (0 bytes or header only), exit 2, unless --allow-empty', async () => {
    const empty = join(home, 'empty.csv');
    const headerOnly = join(home, 'header-only.csv');
    writeFileSync(empty, '');
    writeFileSync(headerOnly, `${toCsv(sweep()).split('\n')[0]}\n`);
    for (const [base, cur] of [[empty, currentCsv], [currentCsv, headerOnly], [sessionDir, empty]]) {
      const r = await mlbench(home, ['report', 'compare', base, cur, '-T', 'Run Instructions=+2%']);
      expect(r.exitCode).toBe(2);
      const which = cur === currentCsv ? `baseline report ${base}` : `current report ${cur}`;
      expect(r.stderr.trim()).toBe(
        `mlbench: ${which} holds no runs (empty or header only), so the gate would pass on nothing (check that the benchmark ran and wrote its report; --allow-empty compares anyway)`,
      );
      expect(r.stdout).not.toContain('PASS');
    }
    const allowed = await mlbench(home, ['report', 'compare', headerOnly, currentCsv, '--allow-empty']);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout.split('\n')[0]).toBe('PASS: 4 runs: 0 ok, 0 regressed, 4 new, 0 fixed, 0 not ok in both');
  });
});
