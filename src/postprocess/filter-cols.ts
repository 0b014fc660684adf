// filter_cols: keep or drop columns by name or `*` pattern.
import { MlbenchError } from '../core/errors.js';
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { presentColumns, selectColumns } from './rows.js';

export const filterCols: Postprocess = {
  name: 'filter_cols',
  description: 'keep or drop report columns by name or pattern (e.g. "RAM *")',
  config: [
    { key: 'keep', type: 'list', default: [], help: 'columns to keep (names or * patterns, comma-separated); others are dropped' },
    { key: 'drop', type: 'list', default: [], help: 'columns to drop (names or * patterns, comma-separated)' },
  ],
  apply(rows, ctx) {
    const keepSpecs = ctx.config.list('keep');
    const dropSpecs = ctx.config.list('drop');
    if (keepSpecs.length === 0 && dropSpecs.length === 0) {
      throw new MlbenchError('config', 'filter_cols needs filter_cols.keep or filter_cols.drop', {
        hint: "e.g. -c 'filter_cols.keep=Model,Backend,Run Instructions'",
      });
    }
    const columns = presentColumns(rows);
    const keep = keepSpecs.length ? new Set(selectColumns(keepSpecs, columns, 'filter_cols.keep')) : new Set(columns);
    for (const d of selectColumns(dropSpecs, columns, 'filter_cols.drop')) keep.delete(d);
    return rows.map((r) => {
      const out: ReportRow = {};
      for (const [k, v] of Object.entries(r)) if (keep.has(k)) out[k] = v;
      return out;
    });
  },
};
