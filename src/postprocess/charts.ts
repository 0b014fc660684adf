// The data behind the HTML report's charts, embedded once in the page as JSON; the page's
// script draws the bars (inline SVG) for the grouping and baseline the reader picks. Per
// dimension: the categories (one block per model plus the other dimensions that vary), the
// series (the dimension's values) and one [category, series, value] triple per measured run,
// so the page grows linearly with the runs however many groups a sweep has.
import type { ReportRow } from '../flow/report.js';
import { counterpartColumns } from './compare-rows.js';
import { cellText, distinctValues, keyOf, metricValue, varyingDimensions } from './rows.js';

export interface DimensionChartData {
  categories: string[];
  series: string[];
  /** Per metric, flat triples: category index, series index, value (the first run of each cell). */
  cells: Record<string, number[]>;
  /** Per metric, flat triples like cells: the most the target of that cell has (flash for ROM, RAM for RAM). */
  limits?: Record<string, number[]>;
  /** Per metric, flat pairs (category, series) of cells whose value is what a run that does not fit needed. */
  over?: Record<string, number[]>;
}

/** A total a run that did not fit has no figure for, and the column saying what it needed instead. */
const NEEDED: Record<string, string> = { 'ROM Total': 'ROM Needed', 'RAM Total': 'RAM Needed' };

/** The most a run's target can hold of a metric (e.g. its flash for ROM Total), if known. */
export type LimitOf = (row: ReportRow, metric: string) => number | undefined;

export interface ChartData {
  metrics: string[];
  dims: string[];
  baseline?: string;
  /** Metric → its unit, shown on every chart (instructions are never cycles). */
  units: Record<string, string>;
  groups: Record<string, DimensionChartData>;
}

/** The unit of a report column, from its name. */
export function unitOf(metric: string): string {
  if (/\[kB\]$/.test(metric)) return 'kB';
  if (/\[KiB\]$/.test(metric)) return 'KiB';
  if (/Instructions/i.test(metric)) return 'instructions';
  if (/Cycles/i.test(metric)) return 'cycles';
  if (/^(ROM|RAM|Total ROM|Total RAM)\b|Arena|\[B\]$/.test(metric)) return 'bytes';
  if (/ s$|\[s\]$/.test(metric)) return 'seconds';
  return '';
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The rows grouped by `dimension`, one cell per category and value of the dimension. */
export function dimensionChartData(
  rows: ReportRow[],
  metrics: string[],
  dimension: string,
  varying = new Set(varyingDimensions(rows)),
  limitOf?: LimitOf,
): DimensionChartData {
  // Label by the counterpart columns that vary, so one category holds exactly the rows to compare.
  const labelDims = counterpartColumns(dimension).filter((c) => c === 'Model' || varying.has(c));
  const models = new Map(distinctValues(rows, 'Model').map((m, i) => [m, i]));
  const seriesIndex = new Map(distinctValues(rows, dimension).map((s, i) => [s, i]));
  // Blocks of one model stay together even when the sweep listed them apart.
  const modelOf = new Map<string, number>();
  for (const r of rows) {
    const k = keyOf(r, labelDims);
    if (!modelOf.has(k)) modelOf.set(k, models.get(cellText(r, 'Model')) ?? 0);
  }
  const keys = [...modelOf.keys()].sort((a, b) => (modelOf.get(a) ?? 0) - (modelOf.get(b) ?? 0));
  const categoryIndex = new Map(keys.map((k, i) => [k, i]));
  const cells: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m, [] as number[]]));
  const limits: Record<string, number[]> = {};
  const over: Record<string, number[]> = {};
  const seen = new Set<string>();
  for (const r of rows) {
    const ci = categoryIndex.get(keyOf(r, labelDims)) ?? 0;
    const si = seriesIndex.get(cellText(r, dimension)) ?? 0;
    if (seen.has(`${ci},${si}`)) continue;
    seen.add(`${ci},${si}`);
    for (const m of metrics) {
      const v = metricValue(r, m);
      const needed = v === undefined && NEEDED[m] ? metricValue(r, NEEDED[m]) : undefined;
      if (v !== undefined) cells[m].push(ci, si, v);
      else if (needed !== undefined) {
        cells[m].push(ci, si, needed);
        (over[m] ??= []).push(ci, si);
      }
      const limit = limitOf?.(r, m);
      if (limit !== undefined) (limits[m] ??= []).push(ci, si, limit);
    }
  }
  return {
    categories: keys.map((c) => c.split('\t').filter((p) => p !== '').join(' / ')),
    series: [...seriesIndex.keys()],
    cells,
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(Object.keys(over).length ? { over } : {}),
  };
}

export function chartData(rows: ReportRow[], metrics: string[], dims: string[], baseline?: string, limitOf?: LimitOf): ChartData {
  const varying = new Set(varyingDimensions(rows));
  const units = Object.fromEntries(metrics.map((m) => [m, unitOf(m)]));
  return { metrics, dims, baseline, units, groups: Object.fromEntries(dims.map((d) => [d, dimensionChartData(rows, metrics, d, varying, limitOf)])) };
}
