// filter_rows: keep the rows whose columns match conditions such as `Backend=mlbaot|tflmi`,
// `Status!=failed` or `RAM Total<65536`. All conditions must hold.
import { MlbenchError } from '../core/errors.js';
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { cellText, metricValue, presentColumns, requireColumn } from './rows.js';

export interface RowCondition {
  column: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  /** Alternatives for = and != (`a|b`); a single number for the comparisons. */
  values: string[];
}

const CONDITION = /^(.+?)\s*(!=|<=|>=|=|<|>)\s*(.*)$/;

export function parseCondition(text: string, columns: readonly string[]): RowCondition {
  const m = CONDITION.exec(text);
  if (!m) {
    throw new MlbenchError('config', `filter_rows.where: cannot read condition "${text}"`, {
      hint: 'use COLUMN=VALUE, COLUMN!=VALUE (alternatives with |) or COLUMN<NUMBER, COLUMN>=NUMBER',
    });
  }
  const op = m[2] as RowCondition['op'];
  const column = requireColumn(m[1].trim(), columns, 'filter_rows.where');
  const values = op === '=' || op === '!=' ? m[3].split('|').map((v) => v.trim()) : [m[3].trim()];
  if (op !== '=' && op !== '!=' && !Number.isFinite(Number(values[0]))) {
    throw new MlbenchError('config', `filter_rows.where: "${text}" compares with a non-number`, {
      hint: `${op} needs a number, e.g. "${column}${op}1000"`,
    });
  }
  return { column, op, values };
}

export function rowMatches(row: ReportRow, c: RowCondition): boolean {
  if (c.op === '=') return c.values.includes(cellText(row, c.column));
  if (c.op === '!=') return !c.values.includes(cellText(row, c.column));
  // An unmeasured cell satisfies no numeric comparison: "not measured" is not "small".
  const v = metricValue(row, c.column);
  if (v === undefined) return false;
  const limit = Number(c.values[0]);
  switch (c.op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
  }
}

export const filterRows: Postprocess = {
  name: 'filter_rows',
  description: 'keep rows matching conditions (COLUMN=A|B, COLUMN!=X, COLUMN<N ...)',
  config: [{ key: 'where', type: 'list', default: [], help: 'conditions, comma-separated; all must hold' }],
  apply(rows, ctx) {
    const columns = presentColumns(rows);
    const conditions = ctx.config.list('where').map((t) => parseCondition(t, columns));
    return rows.filter((r) => conditions.every((c) => rowMatches(r, c)));
  },
};
