// config2cols and features2cols (MLonMCU's names): one column per config key or feature, so a
// notebook or spreadsheet can filter and pivot on them instead of parsing one text cell.
import type { ReportRow } from '../flow/report.js';
import type { Postprocess, PostprocessConfig } from './postprocess.js';
import { cellText } from './rows.js';

/**
 * `a.x=1 b.y=2,3` → {a.x: '1', b.y: '2,3'}. Config cells join list values with ',' and pairs with
 * ' '; a token without '=' continues the previous value (a list value that held a space).
 */
export function parseConfigCell(cell: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const token of cell.split(' ').filter(Boolean)) {
    const eq = token.indexOf('=');
    if (eq > 0) {
      last = token.slice(0, eq);
      out.set(last, token.slice(eq + 1));
    } else if (last !== undefined) out.set(last, `${out.get(last)} ${token}`);
  }
  return out;
}

/** Adds `<prefix><name>` columns after the source column; drops the source when asked. */
function explode(rows: ReportRow[], column: string, prefix: string, config: PostprocessConfig, cellsOf: (row: ReportRow) => Map<string, string>, absent: string): ReportRow[] {
  const parsed = rows.map(cellsOf);
  const limit = config.list('limit');
  const names = [...new Set(parsed.flatMap((m) => [...m.keys()]))].filter((n) => limit.length === 0 || limit.includes(n)).sort();
  const drop = config.bool('drop');
  return rows.map((r, i) => {
    const out: ReportRow = {};
    for (const [k, v] of Object.entries(r)) {
      if (!(drop && k === column)) out[k] = v;
      if (k === column) for (const n of names) out[`${prefix}${n}`] = parsed[i].get(n) ?? absent;
    }
    return out;
  });
}

export const config2cols: Postprocess = {
  name: 'config2cols',
  description: 'one config_<key> column per config key in the Config cells (empty: the key’s default)',
  config: [
    { key: 'limit', type: 'list', default: [], help: 'only these keys (comma-separated; default all that occur)' },
    { key: 'drop', type: 'bool', default: false, help: 'drop the Config column afterwards' },
  ],
  apply: (rows, ctx) => explode(rows, 'Config', 'config_', ctx.config, (r) => parseConfigCell(cellText(r, 'Config')), ''),
};

export const features2cols: Postprocess = {
  name: 'features2cols',
  description: 'one feature_<name> column (true/false) per feature in the Features cells',
  config: [
    { key: 'limit', type: 'list', default: [], help: 'only these features (comma-separated; default all that occur)' },
    { key: 'drop', type: 'bool', default: false, help: 'drop the Features column afterwards' },
  ],
  apply: (rows, ctx) =>
    explode(rows, 'Features', 'feature_', ctx.config, (r) => new Map(cellText(r, 'Features').split(' ').filter(Boolean).map((f) => [f, 'true'])), 'false'),
};
