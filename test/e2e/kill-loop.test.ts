// SIGKILL mlbench 20 times at varied moments of a sweep — while runs are in flight, right after
// a run ends (when the report is being rewritten) and when the last run has ended (the final
// report write) — resuming after each kill. After every kill: each report that exists parses
// completely, no finished result is lost or changed. At the end every run is done.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa, execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { BIN, cliEnv, tempHome } from './cli-helpers.js';
import { finishedResults, sessionState, waitFor } from './fault-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.log('skipping the kill loop: shared models not found (set MLBENCH_MODELS)');

const MODELS = ['sine_model', 'tests/model_with_add', 'tests/model_with_multiple_outputs'];
const VARIANTS = 10;
const RUNS = MODELS.length * VARIANTS;
const KILLS = 20;
/** strace delays every rename by 150 ms so a kill lands between a report's temporary copy and its rename. */
const haveStrace = execaSync('strace', ['-V'], { reject: false }).exitCode === 0;
if (!haveStrace) console.log('the kill loop kills during report writes only by chance: strace is not installed (apt-get install strace)');
const DELAY_RENAMES = ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=rename,renameat,renameat2', '-e', 'inject=rename,renameat,renameat2:delay_exit=150000'];
/** A report's temporary copy (write-file-atomic names it `report.csv.<hex>`): a report write in progress. */
const TEMP_REPORT = /^report\.\w+\.[0-9a-f]+$/;

/** Every report file that exists parses completely and has one row per run. */
function checkReports(dir: string): string[] {
  const seen: string[] = [];
  const file = (f: string): string | undefined => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
  const csv = file('report.csv');
  if (csv !== undefined) {
    expect((parse(csv, { columns: true }) as unknown[]).length, 'report.csv rows').toBe(RUNS);
    seen.push('csv');
  }
  const json = file('report.json');
  if (json !== undefined) {
    expect((JSON.parse(json) as unknown[]).length, 'report.json rows').toBe(RUNS);
    seen.push('json');
  }
  const md = file('report.md');
  if (md !== undefined) {
    expect(md.endsWith('|\n'), 'report.md is complete').toBe(true);
    expect(md.trim().split('\n').length, 'report.md rows').toBe(RUNS + 2);
    seen.push('md');
  }
  const html = file('report.html');
  if (html !== undefined) {
    expect(html.endsWith('</html>\n'), 'report.html is complete').toBe(true);
    expect((html.match(/<tr class="status-/g) ?? []).length, 'report.html rows').toBe(RUNS);
    JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'x');
    seen.push('html');
  }
  return seen;
}

/** Processes whose command line names the home: what a killed mlbench left running. */
function leftovers(home: string): string[] {
  const r = execaSync('pgrep', ['-a', '-f', home], { reject: false });
  return r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.includes('pgrep'));
}

describe.skipIf(!shared)('SIGKILL loop', () => {
  it(`${KILLS} kills during runs and report writes: reports parse, nothing finished is lost, all runs end`, async () => {
    const home = tempHome();
    const env = { ...cliEnv(home), MLBENCH_REPORT_INTERVAL_MS: '0' }; // rewrite reports after every run: more to hit
    const session = join(home, 'sessions', '1');
    const gens = Array.from({ length: VARIANTS }, (_, i) => ['--config-gen', `mlif.num_runs=${i + 1}`]).flat();
    const kept = new Map<string, string>();
    const moments: string[] = [];
    let leftoverAfterTimeout = 0;
    for (let k = 0; k < KILLS; k++) {
      // Varied, reproducible moments: a delay into the sweep; while the report is rewritten after a
      // run ended; and at the end, while the final report is written.
      const mode = k >= KILLS - 4 ? 'final report write' : k % 2 === 0 ? 'delay' : 'report write';
      const args = k === 0 ? ['flow', 'run', ...MODELS, ...gens, '-t', 'host_x86', '-j2', '-c', 'mlif.timeout=20'] : ['flow', 'resume', 'latest', '-j2'];
      const traced = mode !== 'delay' && haveStrace;
      const child = traced
        ? execa(DELAY_RENAMES[0], [...DELAY_RENAMES.slice(1), process.execPath, BIN, ...args], { reject: false, env })
        : execa(process.execPath, [BIN, ...args], { reject: false, env });
      const exited = (): boolean => child.exitCode !== null;
      // Under strace, mlbench is strace's child.
      const mlbenchPid = async (): Promise<number> => {
        if (!traced) return child.pid!;
        await waitFor(() => exited() || execaSync('pgrep', ['-P', String(child.pid)], { reject: false }).stdout.trim() !== '', 10_000, 5);
        return Number(execaSync('pgrep', ['-P', String(child.pid)], { reject: false }).stdout.trim().split('\n')[0]);
      };
      const before = finishedResults(home).size;
      const temps = (): string[] => (existsSync(session) ? readdirSync(session).filter((f) => TEMP_REPORT.test(f)) : []);
      const tempsBefore = new Set(temps());
      const writing = (): boolean => temps().some((f) => !tempsBefore.has(f));
      const pid = await mlbenchPid();
      if (k === 0) await waitFor(() => existsSync(join(session, 'session.json')), 60_000);
      if (mode === 'delay') await new Promise((r) => setTimeout(r, 300 + ((k * 737) % 2500)));
      else if (mode === 'report write') await waitFor(() => exited() || (finishedResults(home).size > before && (writing() || !traced)), 300_000, 5);
      else await waitFor(() => exited() || (finishedResults(home).size === RUNS && (writing() || !traced)), 300_000, 5);
      const wasRunning = !exited();
      if (wasRunning && pid > 0) process.kill(pid, 'SIGKILL');
      const r = await child;
      // A temporary copy that outlived the kill: the kill cut that report write between write and rename.
      const cut = temps().filter((f) => !tempsBefore.has(f));
      moments.push(`${mode}${wasRunning ? (cut.length ? ` (cut ${cut.map((f) => f.split('.')[1]).join('+')})` : '') : ' (had exited)'}`);
      // Depends on sec-procs (children in process groups with their own wall-clock limit): nothing
      // the killed mlbench started may run past its timeout (mlif.timeout=20 s; compiles end sooner).
      const clean = await waitFor(() => leftovers(home).length === 0, 25_000);
      if (!clean) leftoverAfterTimeout++;
      expect(clean, `[sec-procs] processes left by the killed mlbench ${pid}: ${leftovers(home).join('; ')}`).toBe(true);
      checkReports(session);
      const now = finishedResults(home);
      for (const [run, text] of kept) expect(now.get(run), `result of ${run} after kill ${k + 1}`).toBe(text);
      for (const [run, text] of now) kept.set(run, text);
      expect(r.signal === 'SIGKILL' || r.exitCode === 0 || (traced && r.exitCode === 137)).toBe(true);
    }
    const last = await execa(process.execPath, [BIN, 'flow', 'resume', 'latest', '-j2'], { reject: false, env });
    expect(last.exitCode, last.stderr).toBe(0);
    expect(checkReports(session)).toEqual(['csv', 'json', 'md', 'html']);
    const rows = parse(readFileSync(join(session, 'report.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Status)).toEqual(Array(RUNS).fill('ok'));
    const final = finishedResults(home);
    for (const [run, text] of kept) expect(final.get(run)).toBe(text);
    expect(sessionState(home)).toBe('done');
    const torn = readdirSync(session).filter((f) => TEMP_REPORT.test(f));
    const hits = moments.filter((m) => m.includes('(cut ')).length;
    console.log(
      `kill loop: ${KILLS} kills (${moments.join(', ')}); ${kept.size} results kept across kills, none changed; ` +
        `${hits} kills cut a report write between its temporary copy and the rename (${torn.length} copies left behind, every report intact); leftover processes after timeout: ${leftoverAfterTimeout}`,
    );
  }, 900_000);
});
