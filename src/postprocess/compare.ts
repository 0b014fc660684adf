// `mlbench report compare`: matches the runs of two reports by what they benchmark (model,
// backend, target, features, config), computes the change of every metric and decides whether
// the current report regressed: a threshold exceeded, a run that was ok failed or disappeared,
// or validation newly failing. Unmeasured (empty) values are never compared as 0.
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import type { ReportRow } from '../flow/report.js';
import {
  IDENTITY_COLUMNS,
  MATCH_COLUMNS,
  cellText,
  describeKey,
  isOk,
  keyOf,
  metricColumns,
  metricValue,
  presentColumns,
  requireColumn,
  validationVerdict,
} from './rows.js';

export interface Threshold {
  column: string;
  limit: number;
  /** '%' compares the relative change, 'abs' the difference in the metric's own unit. */
  unit: '%' | 'abs';
  /** '+' watches increases, '-' decreases, 'both' either. */
  direction: '+' | '-' | 'both';
  text: string;
}

const THRESHOLD = /^(.+?)\s*=\s*([+-]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/;

/** Parses `Run Instructions=+2%` or `RAM Total=+512`; the column must occur in one of the reports. */
export function parseThreshold(text: string, columns: readonly string[]): Threshold {
  const m = THRESHOLD.exec(text.trim());
  if (!m) {
    throw new MlbenchError('config', `cannot read threshold "${text}"`, {
      hint: "use 'COLUMN=+2%' (relative) or 'COLUMN=+512' (absolute); + watches increases, - decreases, no sign both",
    });
  }
  const measurable = columns.filter((c) => !(IDENTITY_COLUMNS as readonly string[]).includes(c));
  const column = requireColumn(m[1].trim(), measurable, 'threshold');
  return {
    column,
    limit: Number(m[3]),
    unit: m[4] === '%' ? '%' : 'abs',
    direction: m[2] === '+' ? '+' : m[2] === '-' ? '-' : 'both',
    text: `${column}=${m[2]}${m[3]}${m[4]}`,
  };
}

export interface MetricChange {
  metric: string;
  baseline?: number;
  current?: number;
  /** current - baseline, when both were measured. */
  delta?: number;
  /** Relative change in %; ±Infinity when the baseline was 0 and the current value is not. */
  percent?: number;
  /** The threshold this change exceeds. */
  exceeded?: Threshold;
}

export type RunVerdict = 'ok' | 'regressed' | 'new' | 'fixed' | 'still-not-ok';

export interface RunComparison {
  label: string;
  model: string;
  baseline?: ReportRow;
  current?: ReportRow;
  verdict: RunVerdict;
  changes: MetricChange[];
  /** Why the run regressed; empty unless verdict is 'regressed'. */
  problems: string[];
}

export interface CompareResult {
  runs: RunComparison[];
  metrics: string[];
  thresholds: Threshold[];
  regressions: number;
  passed: boolean;
}

/** Relative change in %; undefined when either side was not measured. */
export function percentChange(base: number | undefined, cur: number | undefined): number | undefined {
  if (base === undefined || cur === undefined) return undefined;
  if (base === 0) return cur === 0 ? 0 : cur > 0 ? Infinity : -Infinity;
  return ((cur - base) / Math.abs(base)) * 100;
}

export function exceeds(t: Threshold, change: MetricChange): boolean {
  const v = t.unit === '%' ? change.percent : change.delta;
  if (v === undefined) return false;
  if (t.direction === '+') return v > t.limit;
  if (t.direction === '-') return v < -t.limit;
  return Math.abs(v) > t.limit;
}

/** Pairs rows by match key; the n-th duplicate of a key in one report pairs with the n-th in the other. */
function pairRows(baseline: ReportRow[], current: ReportRow[], match: readonly string[]): { key: string; b?: ReportRow; c?: ReportRow }[] {
  const index = (rows: ReportRow[]): Map<string, ReportRow> => {
    const seen = new Map<string, number>();
    const out = new Map<string, ReportRow>();
    for (const r of rows) {
      const k = keyOf(r, match);
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      out.set(n === 1 ? k : `${k}\t#${n}`, r);
    }
    return out;
  };
  const b = index(baseline);
  const c = index(current);
  const keys = [...b.keys(), ...[...c.keys()].filter((k) => !b.has(k))];
  return keys.map((key) => ({ key, b: b.get(key), c: c.get(key) }));
}

function statusText(r: ReportRow): string {
  const stage = cellText(r, 'Failed Stage');
  const reason = cellText(r, 'Reason');
  return `${cellText(r, 'Status') || 'unknown'}${stage ? ` in ${stage}` : ''}${reason ? `: ${reason}` : ''}`;
}

function compareRun(
  key: string,
  b: ReportRow | undefined,
  c: ReportRow | undefined,
  metrics: string[],
  thresholds: Threshold[],
  match: readonly string[],
): RunComparison {
  const any = (b ?? c) as ReportRow;
  const dup = key.split('\t').at(-1)?.startsWith('#') ? ` ${key.split('\t').at(-1)}` : '';
  const label = `${describeKey(any, match)}${dup}`;
  const base = { label, model: cellText(any, 'Model'), baseline: b, current: c };
  if (!b) return { ...base, verdict: 'new', changes: [], problems: [] };
  const problems: string[] = [];
  if (!c) {
    if (isOk(b)) problems.push('was ok in the baseline and is missing from the current report');
    return { ...base, verdict: problems.length ? 'regressed' : 'still-not-ok', changes: [], problems };
  }
  if (isOk(b) && !isOk(c)) problems.push(`was ok in the baseline, now ${statusText(c)}`);
  const vb = validationVerdict(b.Validation);
  const vc = validationVerdict(c.Validation);
  if (vc === 'fail' && vb !== 'fail') problems.push(`validation newly fails (${cellText(b, 'Validation') || 'not run'} → ${cellText(c, 'Validation')})`);
  const changes = metrics.map((metric): MetricChange => {
    const bv = metricValue(b, metric);
    const cv = metricValue(c, metric);
    const change: MetricChange = { metric, baseline: bv, current: cv, delta: bv !== undefined && cv !== undefined ? cv - bv : undefined, percent: percentChange(bv, cv) };
    change.exceeded = thresholds.find((t) => t.column === metric && exceeds(t, change));
    return change;
  });
  for (const ch of changes) if (ch.exceeded) problems.push(`${ch.metric} ${describeChange(ch)} exceeds ${ch.exceeded.text.slice(ch.metric.length + 1)}`);
  // A gated metric that silently stops being measured would make the gate pass vacuously.
  if (isOk(c)) {
    for (const t of thresholds) {
      if (metricValue(b, t.column) !== undefined && metricValue(c, t.column) === undefined) problems.push(`${t.column} was measured in the baseline and is not measured now`);
    }
  }
  const verdict: RunVerdict = problems.length ? 'regressed' : !isOk(b) && isOk(c) ? 'fixed' : !isOk(c) ? 'still-not-ok' : 'ok';
  return { ...base, verdict, changes, problems };
}

export function formatPercent(p: number | undefined): string {
  if (p === undefined) return '';
  if (!Number.isFinite(p)) return p > 0 ? '+∞%' : '-∞%';
  return `${p > 0 ? '+' : ''}${p.toFixed(2)}%`;
}

/** `1000 → 1031 (+3.10%)`; `1000 → not measured` when one side is empty. */
export function describeChange(ch: MetricChange): string {
  const show = (v: number | undefined): string => (v === undefined ? 'not measured' : String(v));
  const pct = formatPercent(ch.percent);
  return `${show(ch.baseline)} → ${show(ch.current)}${pct ? ` (${pct})` : ''}`;
}

/**
 * `match` names the columns that pair runs (default: what a run benchmarks). Leaving a dimension
 * out compares across it, e.g. without Config: the same models at -O2 (baseline) and -Os (current).
 */
export function compareReports(
  baseline: ReportRow[],
  current: ReportRow[],
  thresholdTexts: readonly string[] = [],
  match: readonly string[] = MATCH_COLUMNS,
): CompareResult {
  const columns = [...new Set([...presentColumns(baseline), ...presentColumns(current)])];
  for (const m of match) {
    if (!columns.includes(m)) {
      const near = closest(m, columns);
      throw new MlbenchError('config', `unknown column ${m} in --match`, { hint: near ? `did you mean ${near}?` : `columns: ${columns.join(', ')}` });
    }
  }
  const thresholds = thresholdTexts.map((t) => parseThreshold(t, columns));
  // Timing columns are left out by default but compared when a threshold names them.
  const metrics = [...new Set([...metricColumns(baseline), ...metricColumns(current), ...thresholds.map((t) => t.column)])];
  const runs = pairRows(baseline, current, match).map(({ key, b, c }) => compareRun(key, b, c, metrics, thresholds, match));
  const regressions = runs.filter((r) => r.verdict === 'regressed').length;
  return { runs, metrics, thresholds, regressions, passed: regressions === 0 };
}
