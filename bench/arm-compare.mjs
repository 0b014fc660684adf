#!/usr/bin/env node
// mlbaot against TensorFlow Lite Micro with CMSIS-NN (`-b tflmi -f cmsisnn`) and with TFLM's
// reference kernels (`-b tflmi`) on the Arm QEMU targets, for the MLPerf Tiny four: instructions
// per inference, ROM and RAM of each, and mlbaot's ratios to both. Everything goes through the
// CLI in one private home; a backend that cannot run here (TFLM sources missing, build failing)
// gets "n/a (tflmi not usable)" cells instead of stopping the table.
// Usage: node bench/arm-compare.mjs [--validate] [--timeout-min N] [-t target ...] [-m model ...]
// Default: --no-validate figures (ROM/RAM without the embedded reference vectors), targets
// cortexm4_qemu cortexm7_qemu corstone300, models aww vww resnet toycar. TFLM needs
// MLBENCH_TFLM_DIR (or tools.tflm.src_dir); its first build takes several minutes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const validate = argv.includes('--validate');
const pick = (flag) => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]] : []));
const timeoutMin = Number(pick('--timeout-min')[0] ?? 60);
const targets = pick('-t').length ? pick('-t') : ['cortexm4_qemu', 'cortexm7_qemu', 'corstone300'];
const models = pick('-m').length ? pick('-m') : ['aww', 'vww', 'resnet', 'toycar'];
const home = process.env.MLBENCH_HOME ?? mkdtempSync(join(tmpdir(), 'mlbench-arm-compare-'));

const SETUPS = [
  { key: 'mlbaot', args: ['-b', 'mlbaot'] },
  { key: 'cmsisnn', args: ['-b', 'tflmi', '-f', 'cmsisnn'] },
  { key: 'tflmref', args: ['-b', 'tflmi'] },
];

/** Rows of one `flow run --json` (successful runs only), keyed model/target; {} when it fails. */
function runSetup(setup) {
  const args = ['flow', 'run', ...models, ...targets.flatMap((t) => ['-t', t]), ...setup.args, ...(validate ? ['-f', 'validate'] : []), '--json'];
  const r = spawnSync('node', [join(root, 'bin', 'mlbench.js'), ...args], {
    env: { ...process.env, MLBENCH_HOME: home },
    maxBuffer: 64 << 20,
    timeout: timeoutMin * 60_000,
    encoding: 'utf8',
  });
  const out = {};
  let rows = [];
  try {
    rows = JSON.parse(r.stdout);
  } catch {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-1)[0];
    console.error(`${setup.key}: no results (${why})`);
    return out;
  }
  for (const row of rows) {
    if (row.Status !== 'ok') {
      console.error(`${setup.key} ${row.Model} ${row.Target}: ${row.Status} ${row['Failed Stage'] ?? ''} ${row.Reason ?? ''}`.trim());
      continue;
    }
    out[`${row.Model}/${row.Target}`] = row;
  }
  return out;
}

const results = Object.fromEntries(SETUPS.map((s) => [s.key, runSetup(s)]));
const M = (row) => Number(row['Run Instructions']) / 1e6;
const kB = (row, col) => Number(row[col]) / 1024;
const cell = (row, f, d) => (row ? f(row).toFixed(d) : 'n/a (tflmi not usable)');
const ratio = (a, b, f) => (a && b ? `${(f(a) / f(b)).toFixed(2)}×` : 'n/a');

console.log(`mlbaot vs TFLM+CMSIS-NN vs TFLM reference kernels (${validate ? 'with' : 'without'} validation vectors; instructions per inference in M, ROM/RAM in kB = 1024 B)\n`);
console.log('| model | target | mlbaot instr | CMSIS-NN instr | TFLM ref instr | mlbaot/CMSIS-NN | mlbaot/ref | mlbaot ROM | CMSIS-NN ROM | ROM ratio | mlbaot RAM | CMSIS-NN RAM | RAM ratio | TFLM ref ROM / RAM | goal |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
/** Issue 16's goal: at most 0.8x the instructions of TFLM+CMSIS-NN, ROM and RAM no larger. */
const goal = (a, c) => {
  if (!a || !c) return 'n/a';
  const misses = [];
  if (M(a) > 0.8 * M(c)) misses.push('instr');
  if (Number(a['ROM Total']) > Number(c['ROM Total'])) misses.push('ROM');
  if (Number(a['RAM Total']) > Number(c['RAM Total'])) misses.push('RAM');
  return misses.length ? `missed (${misses.join(', ')})` : '**met**';
};
for (const model of models) {
  for (const target of targets) {
    const k = `${model}/${target}`;
    const [a, c, r] = [results.mlbaot[k], results.cmsisnn[k], results.tflmref[k]];
    const rom = (x) => kB(x, 'ROM Total');
    const ram = (x) => kB(x, 'RAM Total');
    console.log(
      `| ${model} | ${target} | ${cell(a, M, 3)} | ${cell(c, M, 3)} | ${cell(r, M, 3)} | ${ratio(a, c, M)} | ${ratio(a, r, M)} | ` +
        `${cell(a, rom, 1)} | ${cell(c, rom, 1)} | ${ratio(a, c, rom)} | ${cell(a, ram, 1)} | ${cell(c, ram, 1)} | ${ratio(a, c, ram)} | ` +
        `${r ? `${rom(r).toFixed(1)} / ${ram(r).toFixed(1)}` : 'n/a (tflmi not usable)'} | ${goal(a, c)} |`,
    );
  }
}
