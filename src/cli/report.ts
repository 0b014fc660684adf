// `mlbench report show REPORT` and `mlbench report compare BASELINE CURRENT`. A report is a
// session id (or `latest`), a session folder, or a report.csv/report.json file.
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { MlbenchError } from '../core/errors.js';
import { loadEnvironment } from '../flow/environment.js';
import { toCsv, type ReportRow } from '../flow/report.js';
import { compareReports } from '../postprocess/compare.js';
import { compareJunit, compareMarkdown, compareText } from '../postprocess/compare-format.js';
import { applyPostprocesses, describePostprocesses, splitPostprocessConfig } from '../postprocess/index.js';
import { loadReport } from '../postprocess/load.js';
import { formatFailures, formatTable, shownColumns } from '../postprocess/table.js';

export interface ReportCommandHooks {
  /** The `-c/--config` assignments main.ts lifted out of argv (postprocess keys are `NAME.key`). */
  config: readonly string[];
  setCode: (code: number) => void;
}

interface ReportGlobals {
  home?: string;
  json?: boolean;
}

/** Values of a repeatable option that may also be comma-separated. */
const listOption = (v: readonly string[] | undefined): string[] => (v ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

function sessionsRoot(home: string | undefined): string | undefined {
  try {
    return loadEnvironment(home).sessionsDir;
  } catch {
    // Without a usable home only report files and folders can be named; loadReport says so.
    return undefined;
  }
}

export interface ShowOptions extends ReportGlobals {
  report: string;
  columns: string[];
  postprocess: string[];
  format: 'table' | 'csv' | 'markdown';
  config: readonly string[];
}

export async function reportShow(o: ShowOptions, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const loaded = loadReport(o.report, sessionsRoot(o.home));
  const { postprocess, rest } = splitPostprocessConfig(o.config);
  // Component keys are meaningless here; hand them on so the unknown-key error names the closest postprocess key.
  const raw: Record<string, string> = { ...postprocess };
  for (const a of rest) raw[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  const rows: ReportRow[] = await applyPostprocesses(loaded.rows, o.postprocess, raw, loaded.dir);
  const columns = shownColumns(rows, o.columns);
  const picked = rows.map((r) => Object.fromEntries(columns.filter((c) => c in r).map((c) => [c, r[c]])));
  if (o.json) write(`${JSON.stringify(picked, null, 2)}\n`);
  else if (o.format === 'csv') write(toCsv(picked, columns));
  else if (o.format === 'markdown') write(markdownTable(picked, columns));
  else write(formatTable(rows, columns) + formatFailures(rows));
  return 0;
}

function markdownTable(rows: ReportRow[], columns: string[]): string {
  const esc = (v: unknown): string => String(v ?? '').replace(/\|/g, '\\|');
  return `${[`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${columns.map((c) => esc(r[c])).join(' | ')} |`)].join('\n')}\n`;
}

export interface CompareOptions extends ReportGlobals {
  baseline: string;
  current: string;
  threshold: string[];
  markdown?: string;
  junit?: string;
  /** Columns that pair runs; default Model, Backend, Target, Features, Config. */
  match?: string[];
  /** Compare even when a report holds no runs (refused by default: a gate over nothing passes). */
  allowEmpty?: boolean;
}

/** Exit code 1 when the current report regressed against the baseline, 0 otherwise. */
export function reportCompare(o: CompareOptions, write: (s: string) => void = (s) => process.stdout.write(s)): number {
  const root = sessionsRoot(o.home);
  const baseline = loadReport(o.baseline, root);
  const current = loadReport(o.current, root);
  for (const [what, r] of [['baseline', baseline], ['current', current]] as const) {
    if (r.rows.length === 0 && !o.allowEmpty) {
      throw new MlbenchError('config', `${what} report ${r.source} holds no runs (empty or header only), so the gate would pass on nothing`, {
        hint: 'check that the benchmark ran and wrote its report; --allow-empty compares anyway',
      });
    }
  }
  const res = compareReports(baseline.rows, current.rows, o.threshold, o.match?.length ? o.match : undefined);
  if (o.markdown) writeFileSync(o.markdown, compareMarkdown(res, { baseline: baseline.source, current: current.source }), { flag: 'a' });
  if (o.junit) writeFileSync(o.junit, compareJunit(res));
  if (o.json) write(`${JSON.stringify(res, null, 2)}\n`);
  else write(compareText(res));
  return res.passed ? 0 : 1;
}

export function reportCommand(hooks: ReportCommandHooks): CommandModule<ReportGlobals, ReportGlobals> {
  return {
    command: 'report',
    describe: 'show a session report (with postprocesses) or compare two reports as a regression gate',
    builder: (y: Argv<ReportGlobals>) =>
      y
        .command(
          'show [report]',
          'pretty-print a report: a session id (default latest), a session folder or a report.csv/.json',
          (yy) =>
            yy
              .positional('report', { type: 'string', default: 'latest' })
              .option('columns', { alias: 'C', type: 'string', array: true, describe: 'columns to show (names or * patterns; repeatable or comma-separated)' })
              .option('postprocess', { alias: 'p', type: 'string', array: true, describe: 'postprocess to apply, in order (repeatable); configure with -c NAME.key=value' })
              .option('format', { choices: ['table', 'csv', 'markdown'] as const, default: 'table' as const, describe: 'output format (--json for JSON)' }),
          async (a) => {
            hooks.setCode(
              await reportShow({
                report: String(a.report),
                columns: listOption(a.columns),
                postprocess: listOption(a.postprocess),
                format: a.format,
                config: hooks.config,
                home: a.home,
                json: a.json === true,
              }),
            );
          },
        )
        .command(
          'compare <baseline> <current>',
          'compare two reports (files, folders or session ids); exit 1 on a regression',
          (yy) =>
            yy
              .positional('baseline', { type: 'string', demandOption: true })
              .positional('current', { type: 'string', demandOption: true })
              .option('threshold', { alias: 'T', type: 'string', array: true, describe: "allowed change, e.g. 'Run Instructions=+2%' or 'RAM Total=+512' (repeatable)" })
              .option('markdown', { type: 'string', describe: 'append a Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)' })
              .option('junit', { type: 'string', describe: 'write JUnit XML to FILE' })
              .option('allow-empty', { type: 'boolean', default: false, describe: 'compare even when a report holds no runs (refused by default, exit 2)' })
              .option('match', {
                type: 'string',
                array: true,
                describe: 'columns that pair runs (default Model,Backend,Target,Features,Config); leave one out to compare across it',
              }),
          (a) => {
            hooks.setCode(
              reportCompare({
                baseline: String(a.baseline),
                current: String(a.current),
                threshold: a.threshold ?? [],
                markdown: a.markdown,
                junit: a.junit,
                match: listOption(a.match),
                allowEmpty: a['allow-empty'],
                home: a.home,
                json: a.json === true,
              }),
            );
          },
        )
        .command(
          'postprocesses',
          'list the postprocesses and their config keys',
          (yy) => yy,
          () => {
            process.stdout.write(describePostprocesses());
            hooks.setCode(0);
          },
        )
        .demandCommand(1, 'name a report command: show, compare or postprocesses'),
    handler: () => undefined,
  };
}
