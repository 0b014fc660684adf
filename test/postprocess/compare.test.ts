import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { toCsv, type ReportRow } from '../../src/flow/report.js';
import { compareReports, parseThreshold } from '../../src/postprocess/compare.js';
import { compareJunit, compareMarkdown, compareText } from '../../src/postprocess/compare-format.js';
import { loadReport } from '../../src/postprocess/load.js';
import { reportCompare } from '../../src/cli/report.js';
import { run, sweep } from './fixtures.js';

const COLUMNS = ['Run Instructions', 'ROM Total', 'RAM Total', 'Model'];

/** The sweep with some cells changed: `changes[runId][column] = value`. */
function changed(changes: Record<string, Partial<ReportRow>>): ReportRow[] {
  return sweep().map((r) => ({ ...r, ...(changes[String(r.Run)] ?? {}) }) as ReportRow);
}

describe('thresholds', () => {
  it('parses relative and absolute limits with a direction', () => {
    expect(parseThreshold('Run Instructions=+2%', COLUMNS)).toEqual({ column: 'Run Instructions', limit: 2, unit: '%', direction: '+', text: 'Run Instructions=+2%' });
    expect(parseThreshold(' RAM Total = +512 ', COLUMNS)).toEqual({ column: 'RAM Total', limit: 512, unit: 'abs', direction: '+', text: 'RAM Total=+512' });
    expect(parseThreshold('rom total=0.5%', COLUMNS)).toMatchObject({ column: 'ROM Total', limit: 0.5, direction: 'both' });
    expect(parseThreshold('ROM Total=-1%', COLUMNS)).toMatchObject({ direction: '-' });
  });
  it('rejects unknown columns with the closest one, and identity columns', () => {
    const e = (() => {
      try {
        parseThreshold('Run Instrucions=+2%', COLUMNS);
      } catch (x) {
        return x as MlbenchError;
      }
    })();
    expect(e?.message).toBe('threshold: unknown column "Run Instrucions"');
    expect(e?.hint).toBe('did you mean "Run Instructions"?');
    expect(() => parseThreshold('Model=+1', COLUMNS)).toThrow('unknown column "Model"');
    expect(() => parseThreshold('Run Instructions=2 percent', COLUMNS)).toThrow('cannot read threshold');
  });
});

describe('compareReports', () => {
  it('passes an identical report and matches every run', () => {
    const res = compareReports(sweep(), sweep(), ['Run Instructions=+2%']);
    expect(res.passed).toBe(true);
    expect(res.runs.map((r) => r.verdict)).toEqual(['ok', 'ok', 'ok', 'still-not-ok']);
    expect(res.runs.map((r) => r.label)).toEqual(['aww / mlbaot / host_x86', 'aww / tflmi / host_x86', 'vww / mlbaot / host_x86', 'vww / tflmi / host_x86']);
  });
  it('fails when a relative threshold is exceeded, not when it is met exactly', () => {
    const atLimit = compareReports(sweep(), changed({ '0': { 'Run Instructions': 1020 } }), ['Run Instructions=+2%']);
    expect(atLimit.passed).toBe(true);
    const over = compareReports(sweep(), changed({ '0': { 'Run Instructions': 1031 } }), ['Run Instructions=+2%']);
    expect(over.passed).toBe(false);
    expect(over.regressions).toBe(1);
    expect(over.runs[0].problems).toEqual(['Run Instructions 1000 → 1031 (+3.10%) exceeds +2%']);
    const ch = over.runs[0].changes.find((c) => c.metric === 'Run Instructions');
    expect(ch).toMatchObject({ baseline: 1000, current: 1031, delta: 31 });
    expect(ch?.percent).toBeCloseTo(3.1, 10);
  });
  it('an improvement passes a + threshold', () => {
    expect(compareReports(sweep(), changed({ '0': { 'Run Instructions': 500 } }), ['Run Instructions=+2%']).passed).toBe(true);
    expect(compareReports(sweep(), changed({ '0': { 'Run Instructions': 500 } }), ['Run Instructions=2%']).passed).toBe(false);
  });
  it('applies absolute thresholds', () => {
    expect(compareReports(sweep(), changed({ '2': { 'RAM Total': 8512 } }), ['RAM Total=+512']).passed).toBe(true);
    const res = compareReports(sweep(), changed({ '2': { 'RAM Total': 8513 } }), ['RAM Total=+512']);
    expect(res.runs[2].problems).toEqual(['RAM Total 8000 → 8513 (+6.41%) exceeds +512']);
  });
  it('fails when an ok run fails or disappears, and names the reason', () => {
    const failed = compareReports(sweep(), changed({ '1': { Status: 'failed', 'Failed Stage': 'run', Reason: 'timeout after 60 s', 'Run Instructions': '' } }));
    expect(failed.passed).toBe(false);
    expect(failed.runs[1].problems).toEqual(['was ok in the baseline, now failed in run: timeout after 60 s']);
    const gone = compareReports(sweep(), sweep().filter((r) => r.Run !== '2'));
    expect(gone.runs[2]).toMatchObject({ verdict: 'regressed', problems: ['was ok in the baseline and is missing from the current report'] });
  });
  it('does not fail on runs that failed before, new runs or fixed runs', () => {
    const current = [...sweep().filter((r) => r.Run !== '3'), run('3', 'vww', 'tflmi', { 'Run Instructions': 6000 }), run('4', 'kws', 'mlbaot', { 'Run Instructions': 10 })];
    const res = compareReports(sweep(), current, ['Run Instructions=+2%']);
    expect(res.passed).toBe(true);
    expect(res.runs.map((r) => r.verdict)).toEqual(['ok', 'ok', 'ok', 'fixed', 'new']);
    expect(compareReports(sweep().slice(0, 3), sweep()).runs[3].verdict).toBe('new');
  });
  it('fails when validation newly fails', () => {
    const res = compareReports(sweep(), changed({ '2': { Validation: 'false' } }));
    expect(res.runs[2].problems).toEqual(['validation newly fails (true → false)']);
    expect(compareReports(changed({ '2': { Validation: '3/10' } }), changed({ '2': { Validation: '2/10' } })).passed).toBe(true);
    expect(compareReports(sweep(), changed({ '2': { Validation: '9/10' } })).passed).toBe(false);
    // The form the mlif platform writes.
    const real = compareReports(changed({ '2': { Validation: 'pass 4/4' } }), changed({ '2': { Validation: 'fail 3/4' } }));
    expect(real.runs[2].problems).toEqual(['validation newly fails (pass 4/4 → fail 3/4)']);
    expect(compareReports(changed({ '2': { Validation: 'fail 8/10' } }), changed({ '2': { Validation: 'fail 7/10' } })).passed).toBe(true);
  });
  it('treats empty cells as not measured, never as 0', () => {
    const res = compareReports(sweep(), changed({ '0': { 'ROM Total': '' } }), ['ROM Total=+1%']);
    const rom = res.runs[0].changes.find((c) => c.metric === 'ROM Total');
    expect(rom).toEqual({ metric: 'ROM Total', baseline: 5000, current: undefined, delta: undefined, percent: undefined, exceeded: undefined });
    // Gated and no longer measured: the gate must not pass vacuously.
    expect(res.runs[0].problems).toEqual(['ROM Total was measured in the baseline and is not measured now']);
    const ungated = compareReports(sweep(), changed({ '0': { 'ROM Total': '' } }), ['Run Instructions=+1%']);
    expect(ungated.passed).toBe(true);
  });
  it('matches by model, backend, target, features and config, not by run id', () => {
    const reordered = [...sweep()].reverse().map((r, i) => ({ ...r, Run: String(i), Session: '9' }));
    const res = compareReports(sweep(), reordered, ['Run Instructions=+0%']);
    expect(res.passed).toBe(true);
    const otherConfig = changed({ '0': { Config: 'mlif.optimize=s' } });
    const split = compareReports(sweep(), otherConfig);
    expect(split.runs.map((r) => r.verdict)).toEqual(['regressed', 'ok', 'ok', 'still-not-ok', 'new']);
  });
});

describe('CSV round trip and outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlbench-compare-'));
  const base = join(dir, 'baseline.csv');
  const cur = join(dir, 'current.csv');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(base, toCsv(sweep()));
  writeFileSync(cur, toCsv(changed({ '0': { 'Run Instructions': 1031 }, '2': { 'RAM Total': 7000 } })));

  it('reads CSV reports back with numbers as numbers and empty cells as empty', () => {
    const rows = loadReport(base).rows;
    expect(rows[0]['Run Instructions']).toBe(1000);
    expect(rows[0].Run).toBe('0');
    expect(rows[3]['Run Instructions']).toBe('');
    expect(rows[0].Validation).toBe('true');
  });
  it('writes markdown and JUnit and exits 1 on a regression', () => {
    const md = join(dir, 'summary.md');
    const junit = join(dir, 'junit.xml');
    let out = '';
    const code = reportCompare({ baseline: base, current: cur, threshold: ['Run Instructions=+2%', 'RAM Total=+512'], markdown: md, junit }, (s) => (out += s));
    expect(code).toBe(1);
    expect(out.split('\n').slice(0, 4)).toEqual([
      'FAIL: 4 runs: 2 ok, 1 regressed, 0 new, 0 fixed, 1 not ok in both',
      'thresholds: Run Instructions=+2%, RAM Total=+512',
      'REGRESSED    aww / mlbaot / host_x86 [ok]',
      '    ✗ Run Instructions 1000 → 1031 (+3.10%) exceeds +2%',
    ]);
    const summary = readFileSync(md, 'utf8');
    expect(summary).toContain('## mlbench regression check: ❌ 1 regression(s)');
    expect(summary).toContain('| aww / mlbaot / host_x86 | ok | Run Instructions 1000 → 1031 (+3.10%) exceeds +2% |');
    expect(summary).toContain('| vww / mlbaot / host_x86 | ok | ok | 4000 | 7000 (-12.50%) | 20000 |');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="mlbench report compare" tests="4" failures="1" errors="0" skipped="0">');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(4);
    expect(xml).toContain('<failure message="Run Instructions 1000 → 1031 (+3.10%) exceeds +2%" type="regression">');
  });
  it('exits 0 when nothing regressed and compares JSON with CSV', () => {
    const json = join(dir, 'report.json');
    writeFileSync(json, JSON.stringify(sweep()));
    expect(reportCompare({ baseline: json, current: base, threshold: ['Run Instructions=+0%'] }, () => undefined)).toBe(0);
  });
  it('markdown and text agree on a passing comparison', () => {
    const res = compareReports(sweep(), sweep());
    expect(compareText(res)).toBe('PASS: 4 runs: 3 ok, 0 regressed, 0 new, 0 fixed, 1 not ok in both\nSTILL-NOT-OK vww / tflmi / host_x86 [failed]\n');
    expect(compareMarkdown(res, { baseline: 'a', current: 'b' }).split('\n')[0]).toBe('## mlbench regression check: ✅ passed');
    expect(compareJunit(res)).not.toContain('<failure');
  });
});

describe('matching across a dimension', () => {
  const at = (config: string, instr: number): ReportRow[] =>
    sweep().map((r) => ({ ...r, Config: config, 'Run Instructions': r['Run Instructions'] === '' ? '' : instr }) as ReportRow);

  it('by default a different config is a different run', () => {
    const res = compareReports(at('mlif.optimize=2', 1000), at('mlif.optimize=s', 1200), ['Run Instructions=+0%']);
    expect(res.runs.some((r) => r.verdict === 'new')).toBe(true);
  });

  it('--match without Config pairs -O2 with -Os and names the regressed rows', () => {
    const res = compareReports(at('mlif.optimize=2', 1000), at('mlif.optimize=s', 1200), ['Run Instructions=+0%'], ['Model', 'Backend', 'Target', 'Features']);
    expect(res.passed).toBe(false);
    expect(res.runs.filter((r) => r.verdict === 'new')).toEqual([]);
    expect(res.runs.filter((r) => r.verdict === 'regressed').length).toBeGreaterThan(0);
  });

  it('an unknown match column names the closest one', () => {
    expect(() => compareReports(sweep(), sweep(), [], ['Modle'])).toThrow(/unknown column Modle in --match/);
  });
});
