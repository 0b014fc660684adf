// Charts for the HTML report, drawn as inline SVG here so the page needs no script library and
// no network. Horizontal grouped bars: one block per model (plus the dimensions that vary
// besides the grouped one), one bar per value of the grouped dimension.
import type { ReportRow } from '../flow/report.js';
import { counterpartColumns, ratio } from './compare-rows.js';
import { cellText, distinctValues, keyOf, metricValue, varyingDimensions } from './rows.js';

export interface BarChart {
  title: string;
  metric: string;
  categories: string[];
  series: { name: string; values: (number | undefined)[] }[];
  /** Draws a reference line, e.g. at 1 for charts relative to a baseline. */
  reference?: number;
  /** Formats a value for its label. */
  relative: boolean;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function formatValue(v: number, relative: boolean): string {
  if (relative) return `${v.toFixed(3)}×`;
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The rows as a chart of one metric grouped by `dimension`; relative to `baseline` when given. */
export function chartOf(rows: ReportRow[], metric: string, dimension: string, baseline?: string): BarChart {
  // Label by the counterpart columns that vary, so one category holds exactly the rows to compare.
  const varying = new Set(varyingDimensions(rows));
  const labelDims = counterpartColumns(dimension).filter((c) => c === 'Model' || varying.has(c));
  // Blocks of one model stay together even when the sweep listed them apart.
  const models = distinctValues(rows, 'Model');
  const modelOf = new Map(rows.map((r) => [keyOf(r, labelDims), models.indexOf(cellText(r, 'Model'))]));
  const categories = [...modelOf.keys()].sort((a, b) => (modelOf.get(a) ?? 0) - (modelOf.get(b) ?? 0));
  const seriesNames = distinctValues(rows, dimension);
  const cell = new Map<string, ReportRow>();
  for (const r of rows) {
    const k = `${keyOf(r, labelDims)}\n${cellText(r, dimension)}`;
    if (!cell.has(k)) cell.set(k, r);
  }
  const value = (category: string, series: string): number | undefined => {
    const row = cell.get(`${category}\n${series}`);
    if (!row) return undefined;
    const v = metricValue(row, metric);
    if (baseline === undefined) return v;
    const base = cell.get(`${category}\n${baseline}`);
    return base ? ratio(v, metricValue(base, metric)) : undefined;
  };
  return {
    title: baseline === undefined ? `${metric} by ${dimension}` : `${metric} relative to ${dimension} ${baseline}`,
    metric,
    categories: categories.map((c) => c.split('\t').filter((p) => p !== '').join(' / ')),
    series: seriesNames.map((s) => ({ name: s === '' ? '(none)' : s, values: categories.map((c) => value(c, s)) })),
    reference: baseline === undefined ? undefined : 1,
    relative: baseline !== undefined,
  };
}

const BAR = 14;
const GAP = 10;
const LABEL_W = 220;
const PLOT_W = 420;
const VALUE_W = 110;
const LEGEND_H = 22;
const TITLE_H = 24;

export function renderBarChart(c: BarChart): string {
  const blockH = Math.max(1, c.series.length) * BAR + GAP;
  const top = TITLE_H + LEGEND_H;
  const height = top + c.categories.length * blockH + 10;
  const width = LABEL_W + PLOT_W + VALUE_W;
  const all = c.series.flatMap((s) => s.values).filter((v): v is number => v !== undefined);
  const max = Math.max(...all.map((v) => Math.abs(v)), c.reference ?? 0, 1e-9);
  const scale = PLOT_W / max;
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(c.title)}" data-metric="${escapeXml(c.metric)}">`,
    `<text class="chart-title" x="0" y="16">${escapeXml(c.title)}</text>`,
  ];
  let lx = LABEL_W;
  c.series.forEach((s, i) => {
    parts.push(`<rect class="legend" x="${lx}" y="${TITLE_H}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${TITLE_H + 9}">${escapeXml(s.name)}</text>`);
    lx += 24 + s.name.length * 7;
  });
  c.categories.forEach((cat, ci) => {
    const y0 = top + ci * blockH;
    parts.push(`<text class="category" x="${LABEL_W - 6}" y="${y0 + (blockH - GAP) / 2 + 4}" text-anchor="end">${escapeXml(cat)}</text>`);
    c.series.forEach((s, si) => {
      const v = s.values[ci];
      const y = y0 + si * BAR;
      if (v === undefined) {
        parts.push(`<text class="na" x="${LABEL_W + 4}" y="${y + BAR - 3}">n/a</text>`);
        return;
      }
      const w = Math.max(1, Math.abs(v) * scale);
      const label = `${s.name}: ${formatValue(v, c.relative)}`;
      parts.push(
        `<rect class="bar" x="${LABEL_W}" y="${y + 1}" width="${w.toFixed(1)}" height="${BAR - 2}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${cat} — ${label}`)}</title></rect>`,
      );
      parts.push(`<text class="value" x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR - 3}">${escapeXml(formatValue(v, c.relative))}</text>`);
    });
  });
  if (c.reference !== undefined) {
    const x = (LABEL_W + c.reference * scale).toFixed(1);
    parts.push(`<line class="reference" x1="${x}" x2="${x}" y1="${top - 4}" y2="${height - 6}" stroke="#333" stroke-dasharray="4 3"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
