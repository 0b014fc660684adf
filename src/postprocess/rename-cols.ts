// rename_cols: give columns other names, e.g. shorter ones for a paper table.
import { MlbenchError } from '../core/errors.js';
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { presentColumns, requireColumn } from './rows.js';

export function parseRenames(specs: readonly string[], columns: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const to = spec.slice(eq + 1).trim();
    if (eq <= 0 || to === '') {
      throw new MlbenchError('config', `rename_cols.mapping: expected OLD=NEW, got "${spec}"`, {
        hint: "e.g. -c 'rename_cols.mapping=Run Instructions=Instructions,ROM Total=ROM'",
      });
    }
    renames.set(requireColumn(spec.slice(0, eq).trim(), columns, 'rename_cols.mapping'), to);
  }
  return renames;
}

export const renameCols: Postprocess = {
  name: 'rename_cols',
  description: 'rename report columns (OLD=NEW pairs)',
  config: [{ key: 'mapping', type: 'list', default: [], help: 'OLD=NEW pairs, comma-separated' }],
  apply(rows, ctx) {
    const renames = parseRenames(ctx.config.list('mapping'), presentColumns(rows));
    return rows.map((r) => {
      const out: ReportRow = {};
      for (const [k, v] of Object.entries(r)) out[renames.get(k) ?? k] = v;
      return out;
    });
  },
};
