import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportRow } from '../../src/flow/report.js';
import { dimensionChartData, type ChartData, type DimensionChartData } from '../../src/postprocess/charts.js';
import { writeReports } from '../../src/flow/report.js';
import { renderHtmlReport } from '../../src/postprocess/html.js';
import { applyPostprocesses } from '../../src/postprocess/index.js';
import { postprocessSessionReport } from '../../src/postprocess/session-report.js';
import { run, sweep } from './fixtures.js';

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

/** The chart data a page embeds (drawn by its script; test/postprocess/browser.test.ts draws it). */
const embedded = (page: string): ChartData => JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(page)![1]) as ChartData;

/** Triples [category, series, value] of one metric as `category/series=value`. */
const cellsOf = (d: DimensionChartData, metric: string): string[] => {
  const out: string[] = [];
  for (let i = 0; i < d.cells[metric].length; i += 3) out.push(`${d.categories[d.cells[metric][i]]}/${d.series[d.cells[metric][i + 1]]}=${d.cells[metric][i + 2]}`);
  return out;
};

describe('chart data', () => {
  it('groups runs per model by backend and leaves unmeasured values out', () => {
    const d = dimensionChartData(sweep(), ['Run Instructions'], 'Backend');
    expect(d.categories).toEqual(['aww', 'vww']);
    expect(d.series).toEqual(['mlbaot', 'tflmi']);
    expect(cellsOf(d, 'Run Instructions')).toEqual(['aww/mlbaot=1000', 'aww/tflmi=1500', 'vww/mlbaot=4000']);
  });
  it('labels categories by the other dimensions that vary', () => {
    const rows = [...sweep(), run('4', 'aww', 'mlbaot', { 'Run Instructions': 1100 }, { Target: 'etiss' })];
    expect(dimensionChartData(rows, ['Run Instructions'], 'Backend').categories).toEqual(['aww / host_x86', 'aww / etiss', 'vww / host_x86']);
    const byTarget = dimensionChartData(rows, ['Run Instructions'], 'Target');
    expect(byTarget.series).toEqual(['host_x86', 'etiss']);
    expect(cellsOf(byTarget, 'Run Instructions')).toEqual(['aww / mlbaot/host_x86=1000', 'aww / tflmi/host_x86=1500', 'vww / mlbaot/host_x86=4000', 'aww / mlbaot/etiss=1100']);
  });
});

describe('the HTML report', () => {
  const scratch: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'mlbench-html-'));
    scratch.push(d);
    return d;
  };
  afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const html = renderHtmlReport(sweep(), { title: 'mlbench session 7' });

  it('is self-contained: nothing is fetched', () => {
    expect(html).not.toMatch(/\s(src|href)=["'](?!data:)/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  });
  it('embeds the chart data once and the whole table', () => {
    const data = embedded(html);
    expect(data.metrics).toEqual(['Run Instructions', 'ROM Total', 'RAM Total']);
    expect(data.dims).toEqual(['Backend']);
    expect(data.baseline).toBe('mlbaot');
    expect(cellsOf(data.groups.Backend, 'ROM Total')).toEqual(['aww/mlbaot=5000', 'aww/tflmi=9000', 'vww/mlbaot=20000']);
    expect(count(html, /<tr class="status-/g)).toBe(4);
    expect(html).toContain('<option value="mlbaot" selected>mlbaot</option>');
    expect(html).toContain('<p id="summary">4 runs: 3 ok, 1 not ok.</p>');
  });
  it('lists failed runs with their reasons', () => {
    expect(html).toContain(
      '<li><strong>3 / vww / tflmi / host_x86</strong>: failed in compile — <span class="reason">does not fit: RAM 300000 &gt; 262144 (log: runs/3/compile/log.txt)</span></li>',
    );
  });
  it('escapes cell text', () => {
    const page = renderHtmlReport([run('0', '<script>alert(1)</script>', 'mlbaot', { 'Run Instructions': 5 })], { title: 't' });
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  it('is written by the visualize postprocess', async () => {
    const dir = tempDir();
    await applyPostprocesses(sweep(), ['visualize'], { 'visualize.metrics': 'Run Instructions', 'visualize.baseline': 'tflmi' }, dir);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(embedded(page).metrics).toEqual(['Run Instructions']);
    expect(page).toContain('<option value="tflmi" selected>tflmi</option>');
    expect(page).toContain('<title>mlbench session 7</title>');
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
  it('is written for every session by the scheduler hook, unless visualize writes its own', async () => {
    const dir = tempDir();
    const { rows, more } = await postprocessSessionReport(dir, '12', sweep());
    expect(rows).toEqual(sweep());
    expect(more.map((f) => f.file)).toEqual(['report.html']);
    await writeReports(dir, rows, more);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<title>mlbench session 12</title>');
    const filtered = await postprocessSessionReport(dir, '12', sweep(), {
      names: ['filter_rows', 'visualize'],
      config: { 'filter_rows.where': 'Status=ok', 'visualize.file': 'custom.html' },
    });
    expect(filtered.rows).toHaveLength(3);
    expect(filtered.more).toEqual([]);
    expect(count(readFileSync(join(dir, 'custom.html'), 'utf8'), /<tr class="status-/g)).toBe(3);
    expect(count(readFileSync(join(dir, 'report.html'), 'utf8'), /<tr class="status-/g)).toBe(4); // untouched
  });
});

/** A sweep of n runs in which every varying dimension has many values: the case that grew quadratically. */
function bigSweep(n: number): ReportRow[] {
  return Array.from({ length: n }, (_, i) =>
    run(String(i), `m${i % 7}`, i % 2 ? 'tflmi' : 'mlbaot', { 'Run Instructions': 1000 + i, 'ROM Total': 5000 + i, 'RAM Total': 2000 + (i % 13) }, {
      Target: `t${i % 5}`,
      Config: `mlif.optimize=${i % 3} label=${Math.floor(i / 3)}`,
    }),
  );
}

describe('report sizes', () => {
  it('grow linearly with the runs: bytes per run stay roughly constant (every format)', async () => {
    const perRun: Record<string, number[]> = {};
    for (const n of [100, 400]) {
      const dir = mkdtempSync(join(tmpdir(), 'mlbench-size-'));
      try {
        const rows = bigSweep(n);
        const { more } = await postprocessSessionReport(dir, '7', rows);
        await writeReports(dir, rows, more);
        for (const f of ['report.csv', 'report.json', 'report.md', 'report.html']) (perRun[f] ??= []).push(statSync(join(dir, f)).size / n);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    for (const [f, [small, big]] of Object.entries(perRun)) {
      // Quadratic growth would make the 400-run report 4x bigger per run than the 100-run one.
      expect(big / small, `${f}: ${small.toFixed(0)} vs ${big.toFixed(0)} bytes per run`).toBeLessThan(1.25);
    }
  });
});
