// Loads the HTML report in headless Chromium (Debian's `chromium`) and checks that the table and
// charts rendered and the controls work. Skips, saying why, when Chromium is not installed.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/postprocess/html.js';
import { run, sweep } from './fixtures.js';

/** MLBENCH_CHROMIUM points elsewhere (or at nothing, to check the skip). */
const CHROMIUM = process.env.MLBENCH_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`skipping the browser test of report.html: ${CHROMIUM} is not installed (apt-get install -y --no-install-recommends chromium)`);

/** Where the screenshot goes: test-results/ (git-ignored) beside vitest.json, which CI uploads. */
const ARTIFACTS = process.env.MLBENCH_TEST_ARTIFACTS ?? fileURLToPath(new URL('../../test-results/postprocess/', import.meta.url));

describe.skipIf(!haveChromium)('report.html in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlbench-browser-'));
    const file = join(dir, 'report.html');
    // Two backends on two targets: both dimensions vary, so both are offered for grouping.
    const rows = [
      ...sweep(),
      run('4', 'aww', 'mlbaot', { 'Run Instructions': 1100, 'ROM Total': 5200, 'RAM Total': 2100 }, { Target: 'etiss' }),
      run('5', 'aww', 'tflmi', { 'Run Instructions': 1700, 'ROM Total': 9400, 'RAM Total': 3100 }, { Target: 'etiss' }),
    ];
    await writeHtmlReport(file, rows, { title: 'mlbench session 7' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in a container with no network: without these Chromium hangs on connection attempts.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // launch() gives a fresh temporary profile (user-data-dir) per browser.
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) consoleErrors.push(`unexpected request ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The Run cell of every visible row, top to bottom. */
  const visibleRuns = async (): Promise<string[]> => {
    const headers = await page.$$eval('#report thead th', (ths) => ths.map((th) => th.textContent?.replace(/[ ▲▼]+$/, '') ?? ''));
    const col = headers.indexOf('Run');
    return page.$$eval('#report tbody tr:not([hidden])', (trs, c) => trs.map((tr) => (tr as HTMLTableRowElement).cells[c].textContent ?? ''), col);
  };

  it('renders the table, the charts of the first grouping and the failures, without console errors', async () => {
    expect(await page.locator('#report tbody tr').count()).toBe(6);
    expect(await page.locator('.chart-box:visible').count()).toBe(6); // 3 metrics, absolute + relative to mlbaot
    expect(await page.locator('.chart-box:visible svg rect.bar').count()).toBe(30); // 5 measured runs x 6 charts
    expect(await page.locator('#failures li').count()).toBe(1);
    expect(await page.$$eval('#group-by option', (os) => os.map((o) => o.textContent))).toEqual(['Backend', 'Target']);
    const box = await page.locator('.chart-box:visible svg').first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report-html.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot of report.html: ${shot}`);
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(consoleErrors).toEqual([]);
  });

  it('sorts by a column, numbers numerically and unmeasured cells last', async () => {
    const header = page.locator('#report th', { hasText: /^Run Instructions$/ });
    await header.click();
    expect(await visibleRuns()).toEqual(['0', '4', '1', '5', '2', '3']);
    await header.click();
    expect(await visibleRuns()).toEqual(['2', '5', '1', '4', '0', '3']);
  });

  it('filters rows by text', async () => {
    await page.fill('#filter', 'etiss');
    expect((await visibleRuns()).sort()).toEqual(['4', '5']);
    expect(await page.textContent('#shown')).toBe('2');
    await page.fill('#filter', '');
    expect(await visibleRuns()).toHaveLength(6);
  });

  it('switches grouping and baseline', async () => {
    await page.selectOption('#group-by', 'Target');
    expect(await page.$$eval('#baseline option', (os) => os.map((o) => o.textContent))).toEqual(['host_x86', 'etiss']);
    await page.selectOption('#baseline', 'etiss');
    const shown = await page.$$eval('.chart-box:not([hidden])', (bs) => bs.map((b) => `${b.getAttribute('data-dim')}:${b.getAttribute('data-baseline') ?? 'abs'}`));
    expect(shown).toEqual(['Target:abs', 'Target:etiss', 'Target:abs', 'Target:etiss', 'Target:abs', 'Target:etiss']);
    expect(consoleErrors).toEqual([]);
  });

  it('shows units, provenance, per-layer profiles and the target’s memory limit (screenshot)', async () => {
    const file = join(dir, 'facts.html');
    // A Blue Pill (64 kB flash, 20 kB RAM) next to a simulator whose 32 MiB are far off scale.
    const rows = [
      run('0', 'aww', 'mlbaot', { 'Run Instructions': 966715, 'ROM Total': 52000, 'RAM Total': 9000 }, { Target: 'stm32f103', Features: 'profile' }),
      run('1', 'aww', 'mlbaot', { 'Run Instructions': 900000, 'ROM Total': 52000, 'RAM Total': 9000 }, { Target: 'riscv_qemu', Features: 'profile' }),
    ];
    await writeHtmlReport(file, rows, {
      title: 'mlbench session 8',
      facts: {
        provenance: { command: "mlbench flow run aww -t stm32f103 -f profile --label 'a b'", created: '2026-12-01T04:00:00.000Z', mlbench: '0.1.0', tools: { 'arm-none-eabi-gcc': ['arm-none-eabi-gcc 12.2.1'] } },
        profiles: [{ run: '0', label: 'aww / mlbaot / stm32f103', layers: [['mlb_layer_0_conv_2d', 600000], ['mlb_layer_1_fully_connected', 366715]] }],
        limits: { stm32f103: { rom: 65536, ram: 20480 }, riscv_qemu: { rom: 33554432, ram: 33554432 } },
      },
    });
    const p = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(pathToFileURL(file).href);
    await p.selectOption('#group-by', 'Target');
    const titles = await p.$$eval('.chart-box svg .chart-title', (ts) => ts.map((t) => t.textContent));
    expect(titles).toEqual([
      'Run Instructions [instructions] by Target',
      'Run Instructions relative to Target stm32f103 [× baseline]',
      'ROM Total [bytes] by Target',
      'ROM Total relative to Target stm32f103 [× baseline]',
      'RAM Total [bytes] by Target',
      'RAM Total relative to Target stm32f103 [× baseline]',
      'Instructions per layer [instructions] — aww / mlbaot / stm32f103',
    ]);
    // One limit line per chart (the Blue Pill's bar); the simulator's 32 MiB are said to be off scale.
    const rom = p.locator('.chart-box[data-mode="absolute"]').nth(1);
    expect(await rom.locator('line.limit').count()).toBe(1);
    expect(await rom.locator('text.value').allTextContents()).toEqual(['52,000 of 65,536', '52,000']);
    expect(await rom.locator('text.limit-note').textContent()).toBe('red line: the target’s flash size (1 off scale)');
    expect(await p.locator('.chart-box[data-mode="absolute"]').nth(2).locator('text.limit-note').textContent()).toBe('red line: the target’s RAM size (1 off scale)');
    expect(await p.locator('.chart-box[data-mode="absolute"]').first().locator('line.limit').count()).toBe(0);
    expect(await p.locator('#profiles svg rect.bar').count()).toBe(2);
    expect(await p.locator('#profiles svg text.category').allTextContents()).toEqual(['mlb_layer_0_conv_2d', 'mlb_layer_1_fully_connected']);
    expect(await p.textContent('#provenance')).toContain("mlbench flow run aww -t stm32f103 -f profile --label 'a b'");
    expect(await p.textContent('#provenance')).toContain('arm-none-eabi-gcc: arm-none-eabi-gcc 12.2.1');
    mkdirSync(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: join(ARTIFACTS, 'report-html-facts.png'), fullPage: true });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('draws a run that does not fit as an outlined bar of what it needed, against the limit', async () => {
    const file = join(dir, 'over.html');
    const rows = [
      run('0', 'aww', 'mlbaot', { 'Run Instructions': 966715, 'ROM Total': 52000, 'RAM Total': 9000 }, { Target: 'stm32f103' }),
      run('1', 'vww', 'mlbaot', { 'RAM Needed': 30000 }, { Target: 'stm32f103', Status: 'failed', 'Failed Stage': 'compile', Reason: 'program does not fit the target: needs 29.3 kB RAM of 20 kB' }),
    ];
    await writeHtmlReport(file, rows, { title: 'over', facts: { profiles: [], limits: { stm32f103: { rom: 65536, ram: 20480 } } } });
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(pathToFileURL(file).href);
    const ram = p.locator('.chart-box[data-mode="absolute"] svg[data-metric="RAM Total"]');
    expect(await ram.locator('rect.bar').count()).toBe(2);
    expect(await ram.locator('rect.bar.over').count()).toBe(1);
    expect(await ram.locator('text.value').allTextContents()).toEqual(['9,000 of 20,480', 'does not fit: needs 30,000 of 20,480']);
    // ROM: the failed run has no figure and needed nothing it could say: n/a, not a bar.
    const rom = p.locator('.chart-box[data-mode="absolute"] svg[data-metric="ROM Total"]');
    expect(await rom.locator('rect.bar').count()).toBe(1);
    expect(await rom.locator('text.na').count()).toBe(1);
    expect(errors).toEqual([]);
    await p.close();
  });

  it('draws a 2000-run sweep with many groups capped, saying what it left out', async () => {
    const file = join(dir, 'big.html');
    // 2000 distinct configs on 4 targets: far more groups and values than a chart can show.
    const rows = Array.from({ length: 2000 }, (_, i) =>
      run(String(i), `m${i % 3}`, 'mlbaot', { 'Run Instructions': 1000 + i, 'ROM Total': 5000 + i, 'RAM Total': 2000 }, { Target: `t${i % 4}`, Config: `x=${i}` }),
    );
    await writeHtmlReport(file, rows, { title: 'big' });
    const big = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    big.on('pageerror', (e) => errors.push(e.message));
    await big.goto(pathToFileURL(file).href);
    expect(await big.locator('#report tbody tr').count()).toBe(2000);
    expect(await big.$$eval('#group-by option', (os) => os.map((o) => o.textContent))).toEqual(['Target', 'Config']);
    expect(await big.locator('.chart-box').count()).toBe(6);
    // By Target: one group per model and config (2000), 60 drawn; 4 targets, each run in one of them.
    expect(await big.locator('.chart-box').first().locator('rect.bar').count()).toBe(60);
    expect(await big.locator('.chart-box').first().locator('.capped').textContent()).toBe('1940 more groups not drawn (filter or sort the table below for every run)');
    await big.selectOption('#group-by', 'Config');
    expect(await big.locator('#baseline option').count()).toBe(2000);
    expect(await big.locator('.chart-box').first().locator('.capped').textContent()).toBe('1988 more values not drawn (filter or sort the table below for every run)');
    expect(errors).toEqual([]);
    await big.close();
  });
});
