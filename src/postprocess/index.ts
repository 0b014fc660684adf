// The postprocess registry and the one entry point that runs a chain of them. Names and config
// keys are all checked before the first postprocess runs, so a typo never leaves half-written files.
import { convertValue, parseAssignment, type ConfigValue } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import type { ReportRow } from '../flow/report.js';
import { analyseLinkerMap } from './analyse-linker-map.js';
import { bytes2kb } from './bytes2kb.js';
import { compareRows } from './compare-rows.js';
import { config2cols, features2cols } from './explode-cols.js';
import { exportPostprocess } from './export.js';
import { filterCols } from './filter-cols.js';
import { filterRows } from './filter-rows.js';
import { PostprocessConfig, type Postprocess } from './postprocess.js';
import { mlonmcuColumns } from './mlonmcu-columns.js';
import { renameCols } from './rename-cols.js';
import { stageTimes } from './stage-times.js';
import { visualize } from './visualize.js';

export type { Postprocess, PostprocessContext } from './postprocess.js';
export { PostprocessConfig } from './postprocess.js';

export const postprocesses: readonly Postprocess[] = [
  filterCols,
  renameCols,
  filterRows,
  compareRows,
  config2cols,
  features2cols,
  bytes2kb,
  stageTimes,
  analyseLinkerMap,
  mlonmcuColumns,
  exportPostprocess,
  visualize,
];

export const postprocessNames = (): string[] => postprocesses.map((p) => p.name);

export function getPostprocess(name: string): Postprocess {
  const p = postprocesses.find((x) => x.name === name);
  if (p) return p;
  const near = closest(name, postprocessNames());
  throw new MlbenchError('config', `unknown postprocess ${name}`, {
    hint: near ? `did you mean ${near}?` : `postprocesses are: ${postprocessNames().join(', ')}`,
  });
}

/** True when `NAME.key` belongs to a postprocess (so the CLI can tell it from component config). */
export function isPostprocessKey(fullKey: string): boolean {
  const dot = fullKey.indexOf('.');
  return dot > 0 && postprocessNames().includes(fullKey.slice(0, dot));
}

/**
 * Splits `-c KEY=VALUE` assignments into postprocess config and the rest (component config).
 * The CLI collects both with one option, as MLonMCU does.
 */
export function splitPostprocessConfig(assignments: readonly string[]): { postprocess: Record<string, string>; rest: string[] } {
  const postprocess: Record<string, string> = {};
  const rest: string[] = [];
  for (const a of assignments) {
    const [key, value] = parseAssignment(a);
    if (isPostprocessKey(key)) postprocess[key] = value;
    else rest.push(a);
  }
  return { postprocess, rest };
}

/** Checks names and keys and converts values; returns each chosen postprocess with its config. */
export function resolvePostprocesses(names: readonly string[], rawConfig: Record<string, string>): { postprocess: Postprocess; config: PostprocessConfig }[] {
  const chosen = names.map(getPostprocess);
  const values = new Map<string, Record<string, ConfigValue>>();
  for (const p of chosen) values.set(p.name, Object.fromEntries(p.config.map((s) => [s.key, s.default])));
  for (const [fullKey, raw] of Object.entries(rawConfig)) {
    const dot = fullKey.indexOf('.');
    const owner = postprocesses.find((p) => p.name === fullKey.slice(0, dot));
    const spec = owner?.config.find((s) => s.key === fullKey.slice(dot + 1));
    if (!owner || !spec) {
      const all = postprocesses.flatMap((p) => p.config.map((s) => `${p.name}.${s.key}`));
      const near = closest(fullKey, all);
      throw new MlbenchError('config', `unknown postprocess config key ${fullKey}`, {
        hint: near ? `did you mean ${near}?` : `keys are: ${all.join(', ')}`,
      });
    }
    const own = values.get(owner.name);
    if (!own) {
      throw new MlbenchError('config', `${fullKey} is set but postprocess ${owner.name} is not selected`, {
        hint: `add --postprocess ${owner.name}`,
      });
    }
    own[spec.key] = convertValue(fullKey, spec, raw);
  }
  return chosen.map((p) => ({ postprocess: p, config: new PostprocessConfig(p.name, values.get(p.name) ?? {}) }));
}

/** Every postprocess with its keys, for `mlbench report postprocesses`. */
export function describePostprocesses(): string {
  const lines: string[] = [];
  for (const p of postprocesses) {
    lines.push(`${p.name}: ${p.description}`);
    for (const s of p.config) lines.push(`  ${p.name}.${s.key} (${s.type}, default ${JSON.stringify(s.default)}): ${s.help}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the postprocesses in the order named; each sees the rows the previous one returned. */
export async function applyPostprocesses(
  rows: ReportRow[],
  names: readonly string[],
  rawConfig: Record<string, string>,
  sessionDir: string,
): Promise<ReportRow[]> {
  let current = rows;
  for (const { postprocess, config } of resolvePostprocesses(names, rawConfig)) {
    current = await postprocess.apply(current, { sessionDir, config });
  }
  return current;
}
