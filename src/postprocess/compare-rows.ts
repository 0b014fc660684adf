// compare_rows: for one dimension (backend, target, ...) add "<metric> (rel. <baseline>)"
// columns: each row's metric divided by the metric of the baseline row that differs from it
// only in that dimension. Unmeasured values on either side give an empty cell, never 0 or 1.
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { DIMENSION_COLUMNS, distinctValues, keyOf, metricColumns, metricValue, presentColumns, requireColumn, selectColumns } from './rows.js';

export const DEFAULT_COMPARED_METRICS = ['Run Instructions', 'ROM Total', 'RAM Total'];

/**
 * Columns a baseline row must share with the row it is compared to. Framework and Frontend are
 * left out: they follow from the backend and model, so they differ whenever the backend does.
 */
export function counterpartColumns(dimension: string): string[] {
  const cols = ['Model', 'Backend', 'Platform', 'Target', 'Features', 'Config'].filter((c) => c !== dimension);
  return dimension === 'Framework' ? cols.filter((c) => c !== 'Backend') : cols;
}

export const relativeColumn = (metric: string, baseline: string): string => `${metric} (rel. ${baseline})`;

/** metric / baseline rounded to 4 decimals; undefined when either is unmeasured or the baseline is 0. */
export function ratio(value: number | undefined, base: number | undefined): number | undefined {
  if (value === undefined || base === undefined || base === 0) return undefined;
  return Math.round((value / base) * 10_000) / 10_000;
}

export interface RelativeOptions {
  dimension: string;
  /** A value of the dimension; undefined picks the first value in the report. */
  baseline?: string;
  metrics: string[];
}

/** Resolves the dimension, baseline and metrics against the rows, naming close matches on errors. */
export function resolveRelative(rows: ReportRow[], o: { dimension: string; baseline: string; metrics: string[] }): RelativeOptions & { baseline: string } {
  const dimension = requireColumn(o.dimension, [...DIMENSION_COLUMNS, ...presentColumns(rows)], 'compare_rows.dim');
  const values = distinctValues(rows, dimension);
  let baseline = o.baseline === '' ? values[0] ?? '' : o.baseline;
  if (rows.length > 0 && !values.includes(baseline)) {
    const near = closest(baseline, values);
    throw new MlbenchError('config', `baseline "${baseline}" does not occur in column ${dimension}`, {
      hint: near ? `did you mean "${near}"?` : `values are: ${values.join(', ')}`,
    });
  }
  baseline = baseline ?? '';
  const measured = metricColumns(rows);
  const metrics = o.metrics.length
    ? selectColumns(o.metrics, presentColumns(rows), 'compare_rows.metrics')
    : DEFAULT_COMPARED_METRICS.filter((m) => measured.includes(m));
  return { dimension, baseline, metrics };
}

/** Adds the relative columns; rows are copied, not mutated. */
export function addRelativeColumns(rows: ReportRow[], o: RelativeOptions & { baseline: string }): ReportRow[] {
  const others = counterpartColumns(o.dimension);
  const baselineRows = new Map<string, ReportRow>();
  for (const r of rows) {
    const key = keyOf(r, others);
    if (String(r[o.dimension] ?? '') === o.baseline && !baselineRows.has(key)) baselineRows.set(key, r);
  }
  return rows.map((r) => {
    const base = baselineRows.get(keyOf(r, others));
    const out: ReportRow = { ...r };
    for (const m of o.metrics) {
      const rel = base ? ratio(metricValue(r, m), metricValue(base, m)) : undefined;
      out[relativeColumn(m, o.baseline)] = rel ?? '';
    }
    return out;
  });
}

export const compareRows: Postprocess = {
  name: 'compare_rows',
  description: 'add columns relative to a baseline value of a dimension, e.g. "Run Instructions (rel. mlbaot)"',
  config: [
    { key: 'dim', type: 'string', default: 'Backend', help: 'dimension to compare along: Backend, Target, Features, Config, ...' },
    { key: 'baseline', type: 'string', default: '', help: 'value of the dimension to divide by (default: the first in the report)' },
    { key: 'metrics', type: 'list', default: [], help: `metrics to compare (default: ${DEFAULT_COMPARED_METRICS.join(', ')})` },
  ],
  apply(rows, ctx) {
    const o = resolveRelative(rows, {
      dimension: ctx.config.str('dim'),
      baseline: ctx.config.str('baseline'),
      metrics: ctx.config.list('metrics'),
    });
    return addRelativeColumns(rows, o);
  },
};
