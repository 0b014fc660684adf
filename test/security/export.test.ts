// The export postprocess on a crafted report: a Run cell that climbs out of the session (the
// report that made it read /etc/hostname), a run folder that is a link out, and a link planted
// where the archive is written.
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { applyPostprocesses } from '../../src/postprocess/index.js';
import { loadReport } from '../../src/postprocess/load.js';
import { mlbench, tempHome } from '../e2e/cli-helpers.js';

function sessionWith(runCell: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlb-export-'));
  mkdirSync(join(dir, 'runs', '000-ok'), { recursive: true });
  writeFileSync(join(dir, 'runs', '000-ok', 'result.json'), '{}');
  writeFileSync(join(dir, 'report.csv'), `Run,Status\n000-ok,ok\n${runCell},ok\n`);
  return dir;
}

async function exportOf(dir: string, config: Record<string, string> = {}): Promise<unknown> {
  const { rows } = loadReport(join(dir, 'report.csv'));
  return applyPostprocesses(rows, ['export'], { 'export.artifacts': '**', ...config }, dir).catch((e: unknown) => e);
}

async function members(file: string): Promise<string[]> {
  const out: string[] = [];
  await tar.t({ file, onReadEntry: (e) => out.push(e.path) });
  return out;
}

describe('export follows a report only into its own runs/', () => {
  it.each(['../../../../../../../../etc', '/etc', '..', 'a/../../../etc'])('refuses the Run cell %j and writes no archive', async (cell) => {
    const dir = sessionWith(cell);
    const err = await exportOf(dir);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message).toContain(`export: the report’s Run cell ${JSON.stringify(cell)}`);
    expect(() => readFileSync(join(dir, 'export.tar.gz'))).toThrow(/ENOENT/);
  });

  it('refuses a run folder that is a link out', async () => {
    const dir = sessionWith('001-link');
    symlinkSync('/etc', join(dir, 'runs', '001-link'));
    const err = await exportOf(dir);
    expect((err as Error).message).toMatch(/001-link leads outside .* \(to \/etc\)/);
  });

  it('refuses a link planted at the archive name instead of writing through it', async () => {
    const dir = sessionWith('000-ok');
    const victim = join(mkdtempSync(join(tmpdir(), 'mlb-victim-')), 'bashrc');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, 'export.tar.gz'));
    const err = await exportOf(dir);
    expect((err as Error).message).toMatch(/export.file .*export.tar.gz leads outside/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readlinkSync(join(dir, 'export.tar.gz'))).toBe(victim);
  });

  it('writes the archive of a clean session', async () => {
    const dir = sessionWith('000-ok');
    expect(await exportOf(dir)).toHaveLength(2);
    expect(await members(join(dir, 'export.tar.gz'))).toContain(`session-${dir.split('/').at(-1)}/runs/000-ok/result.json`);
  });

  it('keeps a relative export.file inside the session', async () => {
    const err = await exportOf(sessionWith('000-ok'), { 'export.file': '../../x.tar.gz' });
    expect((err as Error).message).toContain('export.file "../../x.tar.gz" leaves');
  });

  it('the CLI says so in one line (exit 2) for a crafted report.csv', async () => {
    const dir = sessionWith('../../../../../../../../etc');
    const r = await mlbench(tempHome(), ['report', 'show', join(dir, 'report.csv'), '-p', 'export', '-c', 'export.artifacts=hostname']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('contains a path separator');
  });
});
