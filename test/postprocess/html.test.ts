import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chartOf, renderBarChart } from '../../src/postprocess/charts.js';
import { renderHtmlReport } from '../../src/postprocess/html.js';
import { applyPostprocesses } from '../../src/postprocess/index.js';
import { postprocessSessionReport } from '../../src/postprocess/session-report.js';
import { run, sweep } from './fixtures.js';

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

describe('charts', () => {
  it('groups bars per model by backend and leaves unmeasured values out', () => {
    const c = chartOf(sweep(), 'Run Instructions', 'Backend');
    expect(c.categories).toEqual(['aww', 'vww']);
    expect(c.series).toEqual([
      { name: 'mlbaot', values: [1000, 4000] },
      { name: 'tflmi', values: [1500, undefined] },
    ]);
    const svg = renderBarChart(c);
    expect(count(svg, /<rect class="bar"/g)).toBe(3);
    expect(count(svg, /class="na"/g)).toBe(1);
  });
  it('divides by the baseline of the same model', () => {
    const c = chartOf(sweep(), 'ROM Total', 'Backend', 'mlbaot');
    expect(c.series.map((s) => s.values)).toEqual([
      [1, 1],
      [1.8, undefined],
    ]);
    expect(renderBarChart(c)).toContain('<line class="reference"');
  });
  it('labels categories by the other dimensions that vary', () => {
    const rows = [...sweep(), run('4', 'aww', 'mlbaot', { 'Run Instructions': 1100 }, { Target: 'etiss' })];
    expect(chartOf(rows, 'Run Instructions', 'Backend').categories).toEqual(['aww / host_x86', 'aww / etiss', 'vww / host_x86']);
    expect(chartOf(rows, 'Run Instructions', 'Target', 'host_x86').series).toEqual([
      { name: 'host_x86', values: [1, 1, 1, undefined] },
      { name: 'etiss', values: [1.1, undefined, undefined, undefined] },
    ]);
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
  it('has a chart per metric, absolute and per baseline, and the whole table', () => {
    expect(count(html, /<svg class="chart"/g)).toBe(9); // 3 metrics x (absolute + 2 baselines)
    expect(count(html, /data-mode="absolute"/g)).toBe(3);
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
    expect(count(page, /<svg class="chart"/g)).toBe(3);
    expect(page).toContain('<option value="tflmi" selected>tflmi</option>');
    expect(page).toContain('<title>mlbench session 7</title>');
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
  it('is written for every session by the scheduler hook, unless visualize writes its own', async () => {
    const dir = tempDir();
    const rows = await postprocessSessionReport(dir, '12', sweep());
    expect(rows).toEqual(sweep());
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<title>mlbench session 12</title>');
    const filtered = await postprocessSessionReport(dir, '12', sweep(), {
      names: ['filter_rows', 'visualize'],
      config: { 'filter_rows.where': 'Status=ok', 'visualize.file': 'custom.html' },
    });
    expect(filtered).toHaveLength(3);
    expect(count(readFileSync(join(dir, 'custom.html'), 'utf8'), /<tr class="status-/g)).toBe(3);
    expect(count(readFileSync(join(dir, 'report.html'), 'utf8'), /<tr class="status-/g)).toBe(4); // untouched
  });
});
