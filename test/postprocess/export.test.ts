import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { applyPostprocesses } from '../../src/postprocess/index.js';
import { globToRegExp } from '../../src/postprocess/export.js';
import { sweep } from './fixtures.js';

const home = mkdtempSync(join(tmpdir(), 'mlbench-export-test-'));
const sessionDir = join(home, 'sessions', '7');
for (const run of ['0', '1', '2']) {
  const dir = join(sessionDir, 'runs', run);
  mkdirSync(join(dir, 'compile'), { recursive: true });
  writeFileSync(join(dir, 'result.json'), `{"run":"${run}"}`);
  writeFileSync(join(dir, 'run.json'), '{}');
  writeFileSync(join(dir, 'compile', 'app.elf'), `ELF ${run}`);
  writeFileSync(join(dir, 'compile', 'log.txt'), 'log');
}
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function entries(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await tar.t({
    file,
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => out.set(e.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  return out;
}

describe('export', () => {
  it('globs: ** crosses folders, * does not', () => {
    expect(globToRegExp('compile/*.elf').test('compile/app.elf')).toBe(true);
    expect(globToRegExp('*.elf').test('compile/app.elf')).toBe(false);
    expect(globToRegExp('**/*.txt').test('compile/log.txt')).toBe(true);
    expect(globToRegExp('**/*.txt').test('log.txt')).toBe(true);
  });

  it('archives the postprocessed report and the chosen artifacts of the runs in it', async () => {
    const rows = await applyPostprocesses(sweep(), ['filter_rows', 'export'], { 'filter_rows.where': 'Backend=mlbaot', 'export.artifacts': 'result.json,compile/*.elf' }, sessionDir);
    expect(rows.map((r) => r.Run)).toEqual(['0', '2']);
    const got = await entries(join(sessionDir, 'export.tar.gz'));
    expect([...got.keys()].filter((k) => !k.endsWith('/')).sort()).toEqual([
      'session-7/report.csv',
      'session-7/report.json',
      'session-7/report.md',
      'session-7/runs/0/compile/app.elf',
      'session-7/runs/0/result.json',
      'session-7/runs/2/compile/app.elf',
      'session-7/runs/2/result.json',
    ]);
    expect(got.get('session-7/runs/2/compile/app.elf')).toBe('ELF 2');
    expect(JSON.parse(got.get('session-7/report.json') ?? '[]')).toHaveLength(2);
  });

  it('writes the same bytes twice (fixed mtimes) and honours export.file', async () => {
    const a = join(home, 'a.tar.gz');
    const b = join(home, 'b.tar.gz');
    await applyPostprocesses(sweep(), ['export'], { 'export.file': a }, sessionDir);
    await applyPostprocesses(sweep(), ['export'], { 'export.file': b }, sessionDir);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const got = await entries(a);
    expect(got.has('session-7/runs/1/run.json')).toBe(true); // default artifacts: result.json, run.json
    expect(got.has('session-7/runs/1/compile/log.txt')).toBe(false);
  });

  it('needs the Run column', async () => {
    const e = await applyPostprocesses(sweep(), ['filter_cols', 'export'], { 'filter_cols.drop': 'Run' }, sessionDir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlbenchError);
    expect((e as MlbenchError).hint).toBe('name export before filter_cols/rename_cols, or keep the Run column');
  });
});
