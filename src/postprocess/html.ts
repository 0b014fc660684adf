// The HTML report: one self-contained file per session (inline CSS and script; nothing is
// fetched), with a sortable, filterable table, charts per metric grouped by a dimension
// (absolute and relative to a chosen baseline) and the failed runs with their reasons. The
// chart data is embedded once as JSON and drawn by the page's script, so the page grows
// linearly with the runs (one relative chart per baseline, drawn here, grew with their square).
import writeFileAtomic from 'write-file-atomic';
import type { ReportRow } from '../flow/report.js';
import { chartData, escapeXml, type LimitOf } from './charts.js';
import { DEFAULT_COMPARED_METRICS } from './compare-rows.js';
import { REPORT_SCRIPT } from './html-script.js';
import type { SessionFacts } from './session-facts.js';
import { cellText, describeKey, isOk, metricColumns, presentColumns, varyingDimensions } from './rows.js';

type ChartPageData = ReturnType<typeof chartData> & { profiles: SessionFacts['profiles'] };

export interface HtmlReportOptions {
  title: string;
  /** Metrics to chart; default instructions, ROM and RAM (those measured). */
  metrics?: string[];
  /** Dimensions offered for grouping; default the ones that vary (Backend when none does). */
  dimensions?: string[];
  /** Preselected baseline of the first dimension. */
  baseline?: string;
  /** Provenance, layer profiles and memory limits read from the session folder. */
  facts?: SessionFacts;
}

/** The limit a ROM/RAM total is held against: the flash or RAM of the run's target. */
function limitOfFacts(facts: SessionFacts | undefined): LimitOf | undefined {
  if (!facts || Object.keys(facts.limits).length === 0) return undefined;
  return (row, metric) => {
    const limit = facts.limits[cellText(row, 'Target')];
    if (!limit) return undefined;
    return metric === 'ROM Total' ? limit.rom : metric === 'RAM Total' ? limit.ram : undefined;
  };
}

function provenanceHtml(p: SessionFacts['provenance']): string {
  if (!p) return '';
  const tools = Object.entries(p.tools)
    .map(([tool, versions]) => `<li><code>${escapeXml(tool)}</code>: ${versions.map(escapeXml).join('; ')}</li>`)
    .join('');
  return `<h2>Provenance</h2>
<dl id="provenance"><dt>Command</dt><dd><code>${escapeXml(p.command)}</code></dd>
<dt>Started</dt><dd>${escapeXml(p.created)}</dd><dt>mlbench</dt><dd>${escapeXml(p.mlbench)}</dd>
<dt>Tools</dt><dd>${tools ? `<ul>${tools}</ul>` : 'none recorded'}</dd></dl>`;
}

const CHART_DIMENSIONS = ['Backend', 'Target', 'Features', 'Config'];

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;font-size:12px}
th,td{border:1px solid #ccc;padding:2px 6px;white-space:nowrap}
th{background:#f0f0f0;cursor:pointer;position:sticky;top:0}
th[data-sort=asc]::after{content:" ▲"}th[data-sort=desc]::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.wrap{white-space:normal;min-width:20em;max-width:40em}
tr.status-failed td,tr.status-missing td{background:#fde8e8}tr.status-skipped td{background:#f6f6e0}
.controls{margin:.6em 0}.controls label{margin-right:1em}
.charts{display:flex;flex-wrap:wrap;gap:1em}
.chart text{font:11px system-ui,sans-serif}.chart .chart-title{font-weight:600;font-size:13px}.chart .na{fill:#999}
.capped{color:#666;font-size:12px;margin:0 0 .5em}.chart{max-width:100%;height:auto}.chart .limit{stroke:#c00;stroke-width:2}.chart .over{stroke-width:2;stroke-dasharray:4 2}
#provenance dt{font-weight:600}#provenance dd{margin:0 0 .4em 1em}#provenance ul{margin:0;padding-left:1.2em}
#failures li{margin:.3em 0}.reason{font-family:monospace;white-space:pre-wrap}
`;

function chartDimensions(rows: ReportRow[], wanted?: string[]): string[] {
  if (wanted?.length) return wanted;
  const varying = varyingDimensions(rows).filter((d) => CHART_DIMENSIONS.includes(d));
  return varying.length ? varying : ['Backend'];
}

function tableHtml(rows: ReportRow[]): string {
  const columns = presentColumns(rows).filter((c) => rows.some((r) => cellText(r, c) !== ''));
  const numeric = new Set(metricColumns(rows));
  const head = columns.map((c) => `<th scope="col">${escapeXml(c)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cls = (c: string): string => (numeric.has(c) ? ' class="num"' : c === 'Reason' ? ' class="wrap"' : '');
      const cells = columns.map((c) => `<td${cls(c)}>${escapeXml(cellText(r, c))}</td>`).join('');
      return `<tr class="status-${escapeXml(cellText(r, 'Status') || 'unknown')}">${cells}</tr>`;
    })
    .join('\n');
  return `<table id="report"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function failuresHtml(rows: ReportRow[]): string {
  const bad = rows.filter((r) => !isOk(r));
  if (bad.length === 0) return '<p id="no-failures">Every run succeeded.</p>';
  const items = bad.map((r) => {
    const what = describeKey(r, ['Run', 'Model', 'Backend', 'Target', 'Features', 'Config']);
    const stage = cellText(r, 'Failed Stage');
    const status = `${cellText(r, 'Status') || 'unknown'}${stage ? ` in ${stage}` : ''}`;
    const reason = cellText(r, 'Reason') || 'no reason recorded';
    return `<li><strong>${escapeXml(what)}</strong>: ${escapeXml(status)} — <span class="reason">${escapeXml(reason)}</span></li>`;
  });
  return `<ul id="failures">\n${items.join('\n')}\n</ul>`;
}

/** The complete page. Deterministic for the same rows and options (no timestamps). */
export function renderHtmlReport(rows: ReportRow[], o: HtmlReportOptions): string {
  const measured = metricColumns(rows);
  const metrics = (o.metrics?.length ? o.metrics : DEFAULT_COMPARED_METRICS).filter((m) => measured.includes(m));
  const dims = chartDimensions(rows, o.dimensions);
  const data: ChartPageData = { ...chartData(rows, metrics, dims, undefined, limitOfFacts(o.facts)), profiles: o.facts?.profiles ?? [] };
  const firstValues = data.groups[dims[0]]?.series ?? [];
  // Default baseline: the first group with an ok run (a target whose runs all failed would make every relative chart n/a).
  const withOk = firstValues.find((v) => rows.some((r) => isOk(r) && cellText(r, dims[0]) === v));
  const baseline = o.baseline !== undefined && firstValues.includes(o.baseline) ? o.baseline : (withOk ?? firstValues[0]);
  data.baseline = baseline;
  const ok = rows.filter(isOk).length;
  // JSON inside <script>: escaping "<" keeps "</script>" in a value from ending the element.
  const dataJson = JSON.stringify(data).replace(/</g, '\\u003c');
  const dimOptions = dims.map((d) => `<option value="${escapeXml(d)}">${escapeXml(d)}</option>`).join('');
  const baseOptions = firstValues
    .map((v) => `<option value="${escapeXml(v)}"${v === baseline ? ' selected' : ''}>${escapeXml(v === '' ? '(none)' : v)}</option>`)
    .join('');
  const charts =
    metrics.length && rows.length
      ? '<div class="charts" id="charts"></div>'
      : '<p id="no-charts">No instructions, ROM or RAM were measured, so there is nothing to chart.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeXml(o.title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${escapeXml(o.title)}</h1>
<p id="summary">${rows.length} runs: ${ok} ok, ${rows.length - ok} not ok.</p>
<h2>Charts</h2>
<div class="controls"><label>Group by <select id="group-by">${dimOptions}</select></label>
<label>Baseline for relative charts <select id="baseline">${baseOptions}</select></label></div>
${charts}
${data.profiles.length ? '<h2>Instructions per layer (profile)</h2>\n<div class="charts" id="profiles"></div>' : ''}
<h2>Failed runs</h2>
${failuresHtml(rows)}
<h2>Runs</h2>
<div class="controls"><label>Filter <input id="filter" type="search" placeholder="text in any cell"></label>
<span><span id="shown">${rows.length}</span> of ${rows.length} rows shown</span></div>
${tableHtml(rows)}
${provenanceHtml(o.facts?.provenance)}
<script type="application/json" id="chart-data">${dataJson}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

export async function writeHtmlReport(file: string, rows: ReportRow[], o: HtmlReportOptions): Promise<void> {
  await writeFileAtomic(file, renderHtmlReport(rows, o));
}
