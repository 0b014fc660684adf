#!/usr/bin/env node
// Wall time of the 20-run sweep (tinymlperf × 5 targets, -j2) with a cold and a warm build cache.
// Usage: node bench/sweep-time.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const home = mkdtempSync(join(tmpdir(), 'mlbench-sweep-'));
const targets = ['host_x86', 'riscv_qemu', 'corstone300', 'cortexm4_qemu', 'cortexm7_qemu'].flatMap((t) => ['-t', t]);
function sweep(label) {
  const t0 = process.hrtime.bigint();
  const out = execFileSync('node', [join(root, 'bin', 'mlbench.js'), 'flow', 'run', 'tinymlperf', ...targets, '-j2', '-f', 'validate', '--json'], {
    env: { ...process.env, MLBENCH_HOME: home },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = JSON.parse(out.toString());
  const ok = rows.filter((r) => r.Status === 'ok').length;
  console.log(`${label}: ${s.toFixed(1)} s for ${rows.length} runs (${ok} ok)`);
  return rows;
}
const cold = sweep('cold cache');
const warm = sweep('warm cache');
const same = cold.every((r, i) => r['Run Instructions'] === warm[i]['Run Instructions']);
console.log(`instruction counts identical across the two sweeps: ${same}`);
