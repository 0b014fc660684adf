// visualize: writes the self-contained HTML report (charts, table, failures) next to the report.
import { isAbsolute, resolve, basename } from 'node:path';
import { writeHtmlReport } from './html.js';
import { sessionFacts } from './session-facts.js';
import type { Postprocess } from './postprocess.js';
import { DEFAULT_COMPARED_METRICS } from './compare-rows.js';
import { cellText, presentColumns, requireColumn, DIMENSION_COLUMNS } from './rows.js';

export const visualize: Postprocess = {
  name: 'visualize',
  description: 'write report.html: charts of instructions, ROM and RAM per model, a sortable table, failed runs',
  config: [
    { key: 'file', type: 'path', default: 'report.html', help: 'output file (relative to the session folder)' },
    { key: 'metrics', type: 'list', default: [], help: `metrics to chart (default: ${DEFAULT_COMPARED_METRICS.join(', ')})` },
    { key: 'group_by', type: 'list', default: [], help: 'dimensions offered for grouping (default: Backend/Target/Features/Config that vary)' },
    { key: 'baseline', type: 'string', default: '', help: 'preselected baseline value for relative charts' },
  ],
  async apply(rows, ctx) {
    const columns = presentColumns(rows);
    const metrics = ctx.config.list('metrics').map((m) => requireColumn(m, columns, 'visualize.metrics'));
    const dims = ctx.config.list('group_by').map((d) => requireColumn(d, [...DIMENSION_COLUMNS], 'visualize.group_by'));
    const file = ctx.config.str('file');
    const session = rows.length ? cellText(rows[0], 'Session') : '';
    await writeHtmlReport(isAbsolute(file) ? file : resolve(ctx.sessionDir, file), rows, {
      title: `mlbench session ${session || basename(ctx.sessionDir)}`,
      metrics,
      dimensions: dims,
      baseline: ctx.config.str('baseline') || undefined,
      facts: sessionFacts(ctx.sessionDir, rows),
    });
    return rows;
  },
};
