// Exactness of both instruction counters on a region whose length is known statically:
// 2N+3 (RISC-V) / 2N+2 (x86-64) instructions from loop_begin's entry to loop_end's entry.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linkerScript } from '../../src/platforms/mlif/linker.js';
import { runCallgrind } from '../../src/targets/callgrind.js';
import { findSymbol, readElf } from '../../src/targets/elf.js';
import { runQemu } from '../../src/targets/qemu/runner.js';
import { PICOLIBC_SEMIHOST_FLAGS } from '../../src/targets/qemu/toolchain.js';
import { RISCV_VIRT_FLASH, RISCV_VIRT_RAM } from '../../src/targets/riscv_qemu.js';
import { testContext } from '../helpers/context.js';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'counted_loop.c');
const N = 1_000_000;

function markersOf(elf: string): Record<string, number> {
  const e = readElf(elf);
  return { loop_begin: findSymbol(e, 'loop_begin')!.value, loop_end: findSymbol(e, 'loop_end')!.value };
}

describe('exact counts of a counted loop', () => {
  it('QEMU plugin counts 2N+3 on riscv32 and stops at the limit', async () => {
    const ctx = testContext({ stage: 'run', components: [] });
    const script = join(ctx.dir, 'link.ld');
    writeFileSync(script, linkerScript({ flash: RISCV_VIRT_FLASH, ram: RISCV_VIRT_RAM, stackBytes: 4096, heapBytes: 0 }));
    const elf = join(ctx.dir, 'loop.elf');
    const flags = ['-march=rv32imac', '-mabi=ilp32', ...PICOLIBC_SEMIHOST_FLAGS];
    execFileSync('riscv64-unknown-elf-gcc', [...flags, '-O2', `-DLOOP_N=${N}`, `-T${script}`, SOURCE, '-o', elf]);
    const program = { elf, markers: markersOf(elf), timeoutMs: 60_000, instructionLimit: 0 };
    const r = await runQemu(ctx, { binary: 'qemu-system-riscv32', machineArgs: ['-M', 'virt', '-bios', 'none'], program });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Program finish.');
    expect(r.regions).toEqual({ loop: 2 * N + 3 });

    const limited = await runQemu(ctx, {
      binary: 'qemu-system-riscv32',
      machineArgs: ['-M', 'virt', '-bios', 'none'],
      program: { ...program, instructionLimit: N },
    });
    expect(limited.limitHit).toBe(true);
    expect(limited.stdout).not.toContain('Program finish.');
    expect(limited.regions).toEqual({});
  });

  it('callgrind counts 2N+2 on the host', async () => {
    const ctx = testContext({ stage: 'run', components: [] });
    const elf = join(ctx.dir, 'loop');
    execFileSync('gcc', ['-O2', `-DLOOP_N=${N}`, SOURCE, '-o', elf]);
    const program = { elf, markers: markersOf(elf), timeoutMs: 60_000, instructionLimit: 0 };
    const r = await runCallgrind(ctx, { program, markerSymbols: { loop_begin: 'loop_begin', loop_end: 'loop_end' } });
    expect(r.exitCode).toBe(0);
    expect(r.regions).toEqual({ loop: 2 * N + 2 });
  });
});
