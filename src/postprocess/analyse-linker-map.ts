// analyse_linker_map (MLonMCU's name): ROM and RAM per symbol or object file of every run, from the
// linker map mlif writes (compile/program.map). Adds the largest ones to the report and writes the
// whole breakdown to linker_map.csv beside the report.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import writeFileAtomic from 'write-file-atomic';
import { confinedChild, confinedPath } from '../core/confine.js';
import type { ReportRow } from '../flow/report.js';
import { footprint, parseLinkerMap, type MapEntry } from './linker-map.js';
import type { Postprocess } from './postprocess.js';
import { cellText } from './rows.js';

/** Larger maps are not read: a map of a microcontroller program is a few hundred kB. */
const MAX_MAP_BYTES = 64 * 1024 * 1024;

function readMap(sessionDir: string, run: string): MapEntry[] | undefined {
  const runs = join(sessionDir, 'runs');
  if (!run || !existsSync(runs)) return undefined;
  const file = join(confinedChild(runs, run, 'analyse_linker_map: the report’s Run cell'), 'compile', 'program.map');
  if (!existsSync(file)) return undefined;
  const st = lstatSync(file);
  if (!st.isFile() || st.size > MAX_MAP_BYTES) return undefined;
  return parseLinkerMap(readFileSync(file, 'utf8'));
}

export const analyseLinkerMap: Postprocess = {
  name: 'analyse_linker_map',
  description: 'ROM/RAM per symbol or object file from each run’s linker map: the largest in the report, all in linker_map.csv',
  config: [
    { key: 'by', type: 'enum', default: 'symbol', choices: ['symbol', 'object'], help: 'what the report columns name: symbols (e.g. a layer’s weights) or object files' },
    { key: 'top', type: 'int', default: 3, min: 1, max: 50, help: 'how many to name in the report columns' },
    { key: 'file', type: 'path', default: 'linker_map.csv', help: 'the full breakdown (relative to the session folder; empty: not written)' },
  ],
  async apply(rows, ctx) {
    const by = ctx.config.str('by') as 'symbol' | 'object';
    const top = Number(ctx.config.get('top'));
    const all: (string | number)[][] = [];
    const label = by === 'symbol' ? 'Symbols' : 'Objects';
    const out = rows.map((r) => {
      const run = cellText(r, 'Run');
      const entries = readMap(ctx.sessionDir, run);
      if (!entries) return r;
      for (const e of entries) all.push([run, e.object, e.symbol, e.section, e.output, e.memory, e.bytes]);
      const name = (memory: 'ROM' | 'RAM'): string =>
        footprint(entries, memory, by)
          .slice(0, top)
          .map(([k, n]) => `${k}=${n}`)
          .join(' ');
      return { ...r, [`Top ROM ${label}`]: name('ROM'), [`Top RAM ${label}`]: name('RAM') } as ReportRow;
    });
    const file = ctx.config.str('file');
    if (file) {
      all.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(b[6]) - Number(a[6]));
      const csv = stringify(all, { header: true, columns: ['Run', 'Object', 'Symbol', 'Section', 'Output Section', 'Memory', 'Bytes'] });
      await writeFileAtomic(confinedPath(ctx.sessionDir, file, 'analyse_linker_map.file'), csv);
    }
    return out;
  },
};
