// The MVE building blocks of mlbaot's kernels (mlb_simd.h, mlb_elementwise.h) against their scalar
// references on QEMU's Cortex-M55 (mps3-an547): 800k lanes each (test/backends/c/mve_vector_check.c).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { whichSync } from '../../src/core/which.js';

const ROOT = join(import.meta.dirname, '..', '..');
const missing = ['arm-none-eabi-gcc', 'qemu-system-arm'].filter((t) => !whichSync(t));
if (missing.length) console.warn(`MVE kernel check skipped: ${missing.join(', ')} not found`);

test.skipIf(missing.length > 0)('MVE vector requantization and ADD rescaling equal the scalar kernels bit for bit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlbench-mve-check-'));
  try {
    const elf = join(dir, 'check.elf');
    execFileSync('arm-none-eabi-gcc', [
      '--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost', '-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard', '-O2',
      `-I${join(ROOT, 'src/frameworks/mlbench/kernels')}`, join(ROOT, 'test/backends/c/mve_vector_check.c'), '-o', elf,
      // picolibc.ld's regions: vectors must sit at 0x0 (ITCM) on this machine.
      '-Wl,--defsym=__flash=0x0', '-Wl,--defsym=__flash_size=0x80000', '-Wl,--defsym=__ram=0x20000000', '-Wl,--defsym=__ram_size=0x80000',
    ]);
    const out = execFileSync('qemu-system-arm', [
      '-M', 'mps3-an547', '-display', 'none', '-serial', 'none', '-monitor', 'none', '-chardev', 'stdio,id=sh0',
      '-semihosting-config', 'enable=on,target=native,chardev=sh0', '-kernel', elf,
    ], { input: '', timeout: 120_000 }).toString();
    expect(out).toContain('mbqm4 vs mbqm: 0 of 800000 differ');
    expect(out).toContain('requant4 vs requant_s8 (fp32): 0 of 800000 differ');
    expect(out).toContain('requant_px4 vs requant_s8 (fp32): 0 of 800000 differ');
    expect(out).toContain('requant4/requant_px4 (fp32b) vs requant_s8 (fp32): 0 of 1600000 differ');
    expect(out).toContain('add_s8_xnn (vector) vs 64-bit reference: 0 of 800000 differ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
