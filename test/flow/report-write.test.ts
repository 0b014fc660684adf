// How a session's reports reach the disk: report.csv first and on its own, a failing later
// format (or postprocess) never costs the others, and nothing is written in place.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReports, toCsv } from '../../src/flow/report.js';
import { writeSessionReport } from '../../src/flow/scheduler.js';
import type { SessionDir, SessionRecord } from '../../src/flow/session.js';
import { sweep } from '../postprocess/fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mlbench-report-write-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeReports', () => {
  it('writes report.csv and the other formats even when one later format fails, then reports the failure', async () => {
    const dir = tempDir();
    const broken = { file: 'report.html', write: () => Promise.reject(new RangeError('Invalid string length')) };
    await expect(writeReports(dir, sweep(), [broken])).rejects.toThrow('Invalid string length');
    expect(readFileSync(join(dir, 'report.csv'), 'utf8')).toBe(toCsv(sweep()));
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(sweep());
    expect(readFileSync(join(dir, 'report.md'), 'utf8').trim().split('\n')).toHaveLength(6);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    // Atomic writes leave no temporary copies behind when they succeed.
    expect(readdirSync(dir).sort()).toEqual(['report.csv', 'report.json', 'report.md']);
  });

  it('a failing postprocess still leaves report.csv of the measured rows', async () => {
    const dir = tempDir();
    const spec = { id: '000-aww-mlbaot-host_x86', model: { name: 'aww' }, frontend: 'tflite', framework: 'mlbench', backend: 'mlbaot', platform: 'mlif', target: 'host_x86', features: [] };
    const session = { dir, result: () => undefined } as unknown as SessionDir;
    const record = { id: '7', runs: [spec] } as unknown as SessionRecord;
    const finish = (): Promise<never> => Promise.reject(new Error('filter_rows: unknown column'));
    await expect(writeSessionReport(session, record, finish, true)).rejects.toThrow('filter_rows: unknown column');
    const csv = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^7,000-aww-mlbaot-host_x86,aww,tflite,mlbench,mlbaot,mlif,host_x86,,,missing,/);
  });
});
