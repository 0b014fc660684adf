#!/usr/bin/env node
// A 10,000-run session of a tiny model (build stage of tests/model_with_add, one config variant
// per run: mlif.num_runs=1..N, which the build ignores, so every run is real flow work on a warm
// build cache). Prints wall time, runs/s over the first and the last 10% of the runs, peak RSS of
// the mlbench process, and the size of every report. Usage:
//   node bench/big-session.mjs [RUNS=10000] [-j N]        (needs a built dist/: npm run build)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const jAt = args.indexOf('-j');
const parallel = jAt >= 0 ? Number(args.splice(jAt, 2)[1]) : 2;
const runs = Number(args[0] ?? 10000);
const models = process.env.MLBENCH_MODELS ?? [join(root, '..', 'shared', 'models'), join(root, '..', '..', 'shared', 'models')].find((d) => existsSync(d));
const home = mkdtempSync(join(tmpdir(), 'mlbench-big-'));
const timeFile = join(home, 'time.txt');
const variants = Array.from({ length: runs }, (_, i) => ['--config-gen', `mlif.num_runs=${i + 1}`]).flat();
const argv = [join(root, 'bin', 'mlbench.js'), 'flow', 'build', 'tests/model_with_add', ...variants, `-j${parallel}`, '--progress'];

const started = performance.now();
// GNU time reports the peak RSS of the mlbench process (its children are not counted).
const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, 'node', ...argv], {
  env: { ...process.env, MLBENCH_HOME: home, MLBENCH_MODELS: models },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const finishedAt = [];
let lastLine = '';
createInterface({ input: child.stderr }).on('line', (line) => {
  // --progress without a terminal prints "[done/total] RUN: ok" when a run ends.
  if (/^\[\d+\/\d+\] \S+: (ok|failed|skipped)/.test(line)) finishedAt.push(performance.now());
  else lastLine = line;
});
const code = await new Promise((resolve) => child.on('close', resolve));
const wall = (performance.now() - started) / 1000;

if (!existsSync(join(home, 'sessions', '1', 'session.json'))) {
  console.log(`mlbench exited ${code} without a session: ${lastLine}`);
  process.exit(1);
}
const tenth = Math.max(1, Math.floor(finishedAt.length / 10));
const rate = (from, to) => (to - from) / ((finishedAt[to - 1] - finishedAt[from - 1 < 0 ? 0 : from - 1]) / 1000);
const startRate = rate(1, tenth);
const endRate = rate(finishedAt.length - tenth, finishedAt.length);
const session = join(home, 'sessions', '1');
const record = JSON.parse(readFileSync(join(session, 'session.json'), 'utf8'));
const sizes = {};
for (const f of ['report.csv', 'report.json', 'report.md', 'report.html']) sizes[f] = existsSync(join(session, f)) ? statSync(join(session, f)).size : 0;
const jsonRows = JSON.parse(readFileSync(join(session, 'report.json'), 'utf8'));
const csvLines = readFileSync(join(session, 'report.csv'), 'utf8').trim().split('\n').length - 1;
const htmlRows = (readFileSync(join(session, 'report.html'), 'utf8').match(/<tr class="status-/g) ?? []).length;
const peakMb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024;
const mb = (b) => (b / 1024 / 1024).toFixed(2);

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`exit ${code}; session state ${record.state}; ${finishedAt.length} of ${runs} runs ended (${jsonRows.filter((r) => r.Status === 'ok').length} ok) with -j${parallel}`);
if (code !== 0) console.log(`last line: ${lastLine}`);
console.log(`wall ${wall.toFixed(1)} s; runs/s first 10%: ${startRate.toFixed(1)}, last 10%: ${endRate.toFixed(1)} (end/start ${(endRate / startRate).toFixed(2)})`);
const deciles = Array.from({ length: 10 }, (_, d) => rate(Math.max(1, d * tenth), (d + 1) * tenth).toFixed(1));
console.log(`runs/s per tenth of the runs: ${deciles.join(' ')}`);
console.log(`peak RSS of mlbench: ${peakMb.toFixed(0)} MB`);
console.log(`reports: ${Object.entries(sizes).map(([f, s]) => `${f} ${mb(s)} MB (${(s / runs).toFixed(0)} B/run)`).join(', ')}`);
console.log(`rows: csv ${csvLines}, json ${jsonRows.length}, html table ${htmlRows}`);
const ok = code === 0 && record.state === 'done' && csvLines === runs && jsonRows.length === runs && htmlRows === runs && peakMb < 500 && endRate >= 0.8 * startRate;
console.log(`target (every report written, peak RSS < 500 MB, end rate within 20% of start): ${ok ? 'MET' : 'NOT MET'}`);
if (!process.env.KEEP) rmSync(home, { recursive: true, force: true });
else console.log(`home kept: ${home}`);
process.exit(ok ? 0 : 1);
