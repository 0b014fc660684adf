#!/usr/bin/env node
// The seed's Experiment A shape with real frameworks: models × backends on riscv_qemu
// (instructions, setup instructions, ROM, RAM, validation), then the Arm table: mlbaot vs TFLM
// reference kernels vs TFLM + CMSIS-NN on cortexm4_qemu, cortexm7_qemu and corstone300.
// Needs MLBENCH_TFLM_DIR (tflmi, and tflmc: mlbench's own TFLM compiler) and MLBENCH_TVM_DIR
// for the TVM rows. Usage:
//   node bench/experiment-a.mjs [--riscv-only | --arm-only] [-j2] [model ...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const home = process.env.MLBENCH_HOME ?? mkdtempSync(join(tmpdir(), 'mlbench-expa-'));
const argv = process.argv.slice(2);
const jobs = argv.filter((a) => /^-j\d+$/.test(a));
const models = argv.filter((a) => !a.startsWith('-'));
const mlbench = (args) =>
  execFileSync('node', [join(root, 'bin', 'mlbench.js'), ...args], {
    env: { ...process.env, MLBENCH_HOME: home },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();

/** Backends `mlbench env` calls usable, in the table's order. */
function usableBackends(wanted) {
  const env = mlbench(['env']);
  return wanted.filter((b) => new RegExp(`^\\s+${b}\\b[^\\n]*\\susable\\s`, 'm').test(env));
}

const M = (v) => (v === '' || v === undefined ? '—' : (Number(v) / 1e6).toFixed(2));
const kB = (v) => (v === '' || v === undefined ? '—' : (Number(v) / 1024).toFixed(1));
const flow = (args) => JSON.parse(mlbench(['flow', 'run', ...(models.length ? models : ['tinymlperf']), '-f', 'validate', '--json', ...jobs, ...args]));

if (!argv.includes('--arm-only')) {
  const backends = usableBackends(['tflmi', 'tflmc', 'mlbaot', 'tvmaot', 'tvmaotplus', 'tvmrt']);
  const rows = flow(['-t', 'riscv_qemu', ...backends.flatMap((b) => ['-b', b])]);
  console.log(`\n### riscv_qemu (rv32imac), home ${home}\n`);
  console.log('| Model | Backend | Status | Run Instr. (M) | Setup Instr. (M) | ROM (kB) | RAM (kB) | Model Arena (kB) | Validation |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const status = r.Status === 'ok' ? 'ok' : `${r.Status}: ${String(r.Reason ?? '').slice(0, 80)}`;
    console.log(`| ${r.Model} | ${r.Backend} | ${status} | ${M(r['Run Instructions'])} | ${M(r['Setup Instructions'])} | ${kB(r['ROM Total'])} | ${kB(r['RAM Total'])} | ${kB(r['Model Arena'])} | ${r.Validation ?? ''} |`);
  }
}

if (!argv.includes('--riscv-only')) {
  const targets = ['cortexm4_qemu', 'cortexm7_qemu', 'corstone300'];
  const t = targets.flatMap((x) => ['-t', x]);
  const tflm = usableBackends(['tflmi', 'tflmc']);
  const ref = flow([...t, '-b', 'mlbaot', ...tflm.flatMap((b) => ['-b', b])]);
  const nn = flow([...t, ...tflm.flatMap((b) => ['-b', b]), '-f', 'cmsisnn']);
  console.log('\n### Arm: Run Instructions (M), mlbaot vs TFLM reference kernels vs TFLM + CMSIS-NN\n');
  console.log(`| Model | Target | mlbaot | ${tflm.map((b) => `${b} | ${b} + cmsisnn`).join(' | ')} | validation (${tflm.map((b) => `${b} / +cmsisnn`).join(', ')}) |`);
  console.log(`|---|---|---|${tflm.map(() => '---|---|').join('')}---|`);
  for (const row of ref.filter((r) => r.Backend === 'mlbaot')) {
    const same = (b) => (r) => r.Model === row.Model && r.Target === row.Target && r.Backend === b;
    const cells = tflm.map((b) => [ref.find(same(b)) ?? {}, nn.find(same(b)) ?? {}]);
    const instr = cells.map(([a, c]) => `${M(a['Run Instructions'])} | ${M(c['Run Instructions'])}`).join(' | ');
    const valid = cells.map(([a, c]) => `${a.Validation ?? a.Status} / ${c.Validation ?? c.Status}`).join(', ');
    console.log(`| ${row.Model} | ${row.Target} | ${M(row['Run Instructions'])} | ${instr} | ${valid} |`);
  }
}
