// Renderings of a comparison: plain text for the terminal, Markdown for a GitHub job summary,
// JUnit XML for CI test reporters. All three list the same regressions in the same order.
import { escapeXml } from './charts.js';
import { describeChange, formatPercent, type CompareResult, type RunComparison } from './compare.js';
import { cellText } from './rows.js';

const KEY_METRICS = ['Run Instructions', 'ROM Total', 'RAM Total'];

function statusOf(r: RunComparison): string {
  const b = r.baseline ? cellText(r.baseline, 'Status') || '?' : '—';
  const c = r.current ? cellText(r.current, 'Status') || '?' : '—';
  return b === c ? c : `${b} → ${c}`;
}

function counts(res: CompareResult): string {
  const n = (v: RunComparison['verdict']): number => res.runs.filter((r) => r.verdict === v).length;
  return `${res.runs.length} runs: ${n('ok')} ok, ${res.regressions} regressed, ${n('new')} new, ${n('fixed')} fixed, ${n('still-not-ok')} not ok in both`;
}

/** Metrics shown per run: the gated ones, then instructions/ROM/RAM, when compared at all. */
function shownMetrics(res: CompareResult): string[] {
  return [...new Set([...res.thresholds.map((t) => t.column), ...KEY_METRICS])].filter((m) => res.metrics.includes(m));
}

export function compareText(res: CompareResult): string {
  const lines = [`${res.passed ? 'PASS' : 'FAIL'}: ${counts(res)}`];
  if (res.thresholds.length) lines.push(`thresholds: ${res.thresholds.map((t) => t.text).join(', ')}`);
  for (const r of res.runs) {
    const changed = r.changes.filter((c) => (c.delta !== undefined && c.delta !== 0) || c.exceeded);
    if (r.verdict === 'ok' && changed.length === 0) continue;
    lines.push(`${r.verdict.toUpperCase().padEnd(12)} ${r.label} [${statusOf(r)}]`);
    for (const p of r.problems) lines.push(`    ✗ ${p}`);
    for (const c of changed) if (!c.exceeded) lines.push(`      ${c.metric}: ${describeChange(c)}`);
  }
  return `${lines.join('\n')}\n`;
}

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function compareMarkdown(res: CompareResult, o: { baseline: string; current: string }): string {
  const out = [
    `## mlbench regression check: ${res.passed ? '✅ passed' : `❌ ${res.regressions} regression(s)`}`,
    '',
    `Baseline \`${o.baseline}\`, current \`${o.current}\` — ${counts(res)}.`,
  ];
  if (res.thresholds.length) out.push('', `Thresholds: ${res.thresholds.map((t) => `\`${t.text}\``).join(', ')}`);
  const regressed = res.runs.filter((r) => r.verdict === 'regressed');
  if (regressed.length) {
    out.push('', '### Regressions', '', '| Run | Status | Problem |', '| --- | --- | --- |');
    for (const r of regressed) for (const p of r.problems) out.push(`| ${mdEscape(r.label)} | ${mdEscape(statusOf(r))} | ${mdEscape(p)} |`);
  }
  const metrics = shownMetrics(res);
  if (res.runs.length) {
    out.push('', '### All runs', '', `| Run | Verdict | Status | ${metrics.map(mdEscape).join(' | ')} |`, `| --- | --- | --- |${metrics.map(() => ' ---: |').join('')}`);
    for (const r of res.runs) {
      const cells = metrics.map((m) => {
        const c = r.changes.find((x) => x.metric === m);
        if (!c || c.current === undefined) return '';
        const pct = c.percent === 0 ? '' : formatPercent(c.percent);
        return `${c.current}${pct ? ` (${pct})` : ''}${c.exceeded ? ' ❌' : ''}`;
      });
      out.push(`| ${mdEscape(r.label)} | ${r.verdict} | ${mdEscape(statusOf(r))} | ${cells.map(mdEscape).join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function compareJunit(res: CompareResult): string {
  const failures = res.regressions;
  const cases = res.runs.map((r) => {
    const name = escapeXml(r.label);
    const cls = escapeXml(`mlbench.${r.model || 'run'}`);
    const changes = r.changes.filter((c) => c.baseline !== undefined || c.current !== undefined).map((c) => `${c.metric}: ${describeChange(c)}`);
    const out = changes.length ? `<system-out>${escapeXml(changes.join('\n'))}</system-out>` : '';
    if (r.verdict !== 'regressed') return `    <testcase classname="${cls}" name="${name}">${out}</testcase>`;
    const msg = escapeXml(r.problems.join('; '));
    return `    <testcase classname="${cls}" name="${name}"><failure message="${msg}" type="regression">${escapeXml(r.problems.join('\n'))}</failure>${out}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlbench" tests="${res.runs.length}" failures="${failures}">`,
    `  <testsuite name="mlbench report compare" tests="${res.runs.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
