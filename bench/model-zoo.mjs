#!/usr/bin/env node
// The model-zoo table: every test model built with the project's TFLite writer (zoo modules under
// src/frameworks/litert/, each exporting ZooModel objects) written with LiteRT's reference outputs
// into a temporary models folder, then
//   mlbench flow run <models> -b mlbaot -t riscv_qemu -t cortexm4_qemu -t host_x86 -f validate
// and one row per model × target: status, validation, instructions.
// Usage (after `npm run build` or `npx tsc -p tsconfig.json`, which compile src/ to dist/):
//   node bench/model-zoo.mjs [--only NAME,NAME] [-t TARGET ...] [-b BACKEND] [extra flow args]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (m) => import(join(root, 'dist', 'frameworks', 'litert', m));
// One line per zoo module; every ZooModel it exports joins the table.
const MODULES = await Promise.all([
  dist('zoo-float-cnn.js'),
  dist('zoo-float-nets.js'),
  dist('zoo-ssd-uint8.js'),
  dist('zoo-sequences.js'),
  dist('zoo-fused-lstm.js'),
]);
const isZooModel = (x) => x && typeof x === 'object' && typeof x.name === 'string' && typeof x.build === 'function' && typeof x.inputs === 'function';
const allArgs = process.argv.slice(2);
const onlyAt = allArgs.indexOf('--only');
const only = onlyAt >= 0 ? new Set(allArgs.splice(onlyAt, 2)[1]?.split(',') ?? []) : undefined;
const zoo = MODULES.flatMap((m) => Object.values(m).filter(isZooModel)).filter((z) => !only || only.has(z.name));
if (zoo.length === 0) throw new Error(`no zoo model named ${[...(only ?? [])].join(', ')}`);

const { loadOracle } = await dist('oracle.js');
const { writeZooModel } = await dist('zoo-model.js');

const args = allArgs;
const hasTarget = args.includes('-t') || args.includes('--target');
const hasBackend = args.includes('-b') || args.includes('--backend');
const flowArgs = [
  ...(hasBackend ? [] : ['-b', 'mlbaot']),
  ...(hasTarget ? [] : ['-t', 'riscv_qemu', '-t', 'cortexm4_qemu', '-t', 'host_x86']),
  '-f', 'validate',
  ...args,
];

const models = mkdtempSync(join(tmpdir(), 'mlbench-zoo-models-'));
const oracle = await loadOracle();
for (const z of zoo) await writeZooModel(z, models, oracle);
oracle.dispose();

const home = process.env.MLBENCH_HOME ?? mkdtempSync(join(tmpdir(), 'mlbench-zoo-'));
let stdout;
try {
  stdout = execFileSync('node', [join(root, 'bin', 'mlbench.js'), 'flow', 'run', ...zoo.map((z) => z.name), ...flowArgs, '--json'], {
    env: { ...process.env, MLBENCH_HOME: home, MLBENCH_MODELS: models },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
} catch (e) {
  // A failed run makes the exit code non-zero; its rows are still in the JSON.
  stdout = e.stdout?.toString() ?? '[]';
}
const rows = JSON.parse(stdout);
console.log(`models: ${models}\nsession: ${home}/sessions/latest\n`);
console.log('| model | target | status | validation | instructions | what |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const z = zoo.find((m) => m.name === r.Model);
  const status = r.Status === 'ok' ? 'ok' : `${r.Status}: ${r.Reason ?? ''}`;
  console.log(`| ${r.Model} | ${r.Target} | ${status} | ${r.Validation ?? ''} | ${r['Run Instructions'] ?? ''} | ${z?.description ?? ''} |`);
}
