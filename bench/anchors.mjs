#!/usr/bin/env node
// Prints model × target × {instructions, ROM, RAM} for mlbaot next to the MLonMCU paper's best
// published figures (ANCHORS.md) as ratios. Usage: node bench/anchors.mjs [--no-validate] [-t riscv_qemu ...] [extra flow args]
// Goals are about the program without embedded validation vectors: use --no-validate for ROM/RAM.
// --tuned: mlbaot's tune stage first (`flow tune`), then each model built from its tune/tune.json
// (`-c mlbaot.tuning_records=...`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Best anchor per model: invoke instructions (M), ROM kB, RAM kB, and who set it.
const ANCHORS = {
  aww: { instr: [29.819, 'tvmaot'], rom: [107, 'tflmc'], ram: [28, 'tflmc'], goal: [15, 40, 20] },
  vww: { instr: [87.46, 'tvmaot+'], rom: [342, 'tflmc'], ram: [274, 'tflmc'], goal: [44, 230, 58] },
  resnet: { instr: [114.802, 'tvmaot'], rom: [160, 'tflmc'], ram: [58, 'tflmc'], goal: [57, 93, 52] },
  toycar: { instr: [2.441, 'tvmaot'], rom: [330, 'tflmc'], ram: [7, 'tflmc'], goal: [1.2, 280, 5] },
};
const noValidate = process.argv.includes('--no-validate');
const tuned = process.argv.includes('--tuned');
const args = process.argv.slice(2).filter((a) => a !== '--no-validate' && a !== '--tuned');
const targets = args.length ? args : ['-t', 'riscv_qemu'];
const home = process.env.MLBENCH_HOME ?? mkdtempSync(join(tmpdir(), 'mlbench-bench-'));
const mlbench = (cmd) =>
  execFileSync('node', [join(root, 'bin', 'mlbench.js'), ...cmd], {
    env: { ...process.env, MLBENCH_HOME: home },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
const validate = noValidate ? [] : ['-f', 'validate'];
let rows;
if (!tuned) rows = JSON.parse(mlbench(['flow', 'run', 'tinymlperf', ...validate, '--json', ...targets]));
else {
  const tunedRuns = JSON.parse(mlbench(['flow', 'tune', 'tinymlperf', '--json', ...targets]));
  const session = realpathSync(join(home, 'sessions', 'latest'));
  rows = [];
  for (const dir of readdirSync(join(session, 'runs'))) {
    const r = tunedRuns.find((t) => dir.includes(`-${t.Model}-`) && dir.endsWith(`-${t.Target}`));
    if (!r) continue;
    const records = join(session, 'runs', dir, 'tune', 'tune.json');
    rows.push(...JSON.parse(mlbench(['flow', 'run', r.Model, '-t', r.Target, ...validate, '-c', `mlbaot.tuning_records=${records}`, '--json'])));
  }
}
// kB as ANCHORS.md counts them (1024 bytes: e.g. aww's 24,376 constant bytes are its 23.8 kB).
const kB = (b) => (b === undefined || b === '' ? NaN : Number(b) / 1024);
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`| model | target | instr (M) | vs anchor | goal | ROM kB | vs anchor | goal | RAM kB | vs anchor | goal | validation | stack peak |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  const a = ANCHORS[r.Model];
  if (!a) continue;
  const instr = Number(r['Run Instructions']) / 1e6;
  const rom = kB(r['ROM Total']);
  const ram = kB(r['RAM Total']);
  console.log(
    `| ${r.Model} | ${r.Target} | ${f(instr, 3)} | ${f(instr / a.instr[0])}× ${a.instr[1]} | ≤${a.goal[0]} | ${f(rom, 1)} | ${f(rom / a.rom[0])}× ${a.rom[1]} | ≤${a.goal[1]} | ${f(ram, 1)} | ${f(ram / a.ram[0])}× ${a.ram[1]} | ≤${a.goal[2]} | ${r.Validation ?? ''} | ${r['RAM Stack Peak'] ?? ''} |`,
  );
}
