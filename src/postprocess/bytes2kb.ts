// bytes2kb (MLonMCU's name): memory columns in kB (1000 bytes, as MLonMCU divides) with the unit
// in the column name, `ROM Total` → `ROM Total [kB]`. Empty cells stay empty (not measured).
import type { ReportRow } from '../flow/report.js';
import type { Postprocess } from './postprocess.js';
import { metricValue, presentColumns, selectColumns } from './rows.js';

export const bytes2kb: Postprocess = {
  name: 'bytes2kb',
  description: 'memory columns (ROM *, RAM *, Model Arena) in kB, renamed "<column> [kB]"',
  config: [
    { key: 'columns', type: 'list', default: ['ROM *', 'RAM *', 'Model Arena', 'Total ROM', 'Total RAM'], help: 'columns to convert (names or * patterns); ones that do not occur are skipped' },
    { key: 'divisor', type: 'enum', default: '1000', choices: ['1000', '1024'], help: '1000 (kB, as MLonMCU) or 1024 (KiB)' },
    { key: 'digits', type: 'int', default: 3, help: 'decimal places kept', min: 0, max: 6 },
  ],
  apply(rows, ctx) {
    const present = presentColumns(rows);
    const specs = ctx.config.list('columns').filter((s) => s.includes('*') || present.includes(s));
    const picked = new Set(selectColumns(specs, present, 'bytes2kb.columns').filter((c) => !c.endsWith(']')));
    const divisor = Number(ctx.config.get('divisor'));
    const scale = 10 ** Number(ctx.config.get('digits'));
    return rows.map((r) => {
      const out: ReportRow = {};
      for (const [k, v] of Object.entries(r)) {
        if (!picked.has(k)) {
          out[k] = v;
          continue;
        }
        const n = metricValue(r, k);
        out[`${k} [${divisor === 1024 ? 'KiB' : 'kB'}]`] = n === undefined ? v : Math.round((n / divisor) * scale) / scale;
      }
      return out;
    });
  },
};
