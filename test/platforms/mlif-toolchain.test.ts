// mlif's compiler knobs: the clang/lld variant of a target's toolchain, refusals, lld's linker script.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigView, schemaOf } from '../../src/core/config.js';
import { MlbenchError } from '../../src/core/errors.js';
import { mlifPlatform } from '../../src/platforms/mlif/index.js';
import { linkerScript } from '../../src/platforms/mlif/linker.js';
import { cortexM4QemuTarget } from '../../src/targets/arm/cortexm.js';
import { riscvQemuTarget } from '../../src/targets/riscv_qemu.js';
import { CLANG, LLD } from '../../src/targets/llvm-toolchain.js';
import { onPath } from '../../src/targets/qemu/toolchain.js';
import type { Target } from '../../src/core/component.js';
import { compileAndRun } from './pipeline.js';

const toolchainOf = (target: Target, values: Record<string, unknown>) =>
  mlifPlatform.toolchain!(target, new ConfigView(values as never, schemaOf([mlifPlatform, target])));

const haveLlvm = onPath(CLANG) && existsSync(LLD) && onPath('riscv64-unknown-elf-gcc') && onPath('arm-none-eabi-gcc');
if (!haveLlvm) console.log(`skipping llvm toolchain cases: ${CLANG}, ${LLD} or a cross gcc missing (mlbench setup)`);

describe('mlif.toolchain', () => {
  it('gcc by default: the target toolchain unchanged', () => {
    expect(toolchainOf(riscvQemuTarget, {}).cc).toBe('riscv64-unknown-elf-gcc');
  });

  it.skipIf(!haveLlvm)('llvm on RV32: clang for riscv32 with the same -march and picolibc of the same multilib', () => {
    const tc = toolchainOf(riscvQemuTarget, { 'mlif.toolchain': 'llvm', 'riscv_qemu.arch': 'rv32gc' });
    expect(tc.cc).toBe(CLANG);
    expect(tc.lld).toBe(true);
    expect(tc.cflags).toEqual(expect.arrayContaining(['--target=riscv32-unknown-elf', '-march=rv32imafdc', '-mabi=ilp32d']));
    expect(tc.ldflags).toContain('/usr/lib/picolibc/riscv64-unknown-elf/lib/rv32imafdc/ilp32d/crt0-hosted.o');
    expect(tc.memory).toEqual(riscvQemuTarget.toolchain(new ConfigView({}, schemaOf([riscvQemuTarget]))).memory);
  });

  it.skipIf(!haveLlvm)('llvm on Cortex-M4: arm-none-eabi with the hard-float multilib', () => {
    const tc = toolchainOf(cortexM4QemuTarget, { 'mlif.toolchain': 'llvm' });
    expect(tc.cflags).toEqual(expect.arrayContaining(['--target=arm-none-eabi', '-mcpu=cortex-m4', '-mfloat-abi=hard']));
    expect(tc.ldflags).toContain('/usr/lib/picolibc/arm-none-eabi/lib/thumb/v7e-m+fp/hard/crt0-hosted.o');
  });

  it('llvm is refused where clang cannot replace the compiler', () => {
    const xtensa: Target = {
      ...riscvQemuTarget,
      name: 'xtensa_board',
      config: [],
      toolchain: () => ({ cc: 'xtensa-esp32-elf-gcc', binutilsPrefix: 'xtensa-esp32-elf-', cflags: [], ldflags: [], defines: {}, memory: { flash: { origin: 0, length: 1 }, ram: { origin: 1, length: 1 } } }),
    };
    expect(() => toolchainOf(xtensa, { 'mlif.toolchain': 'llvm' })).toThrow(/not supported on target xtensa_board/);
  });
});

describe('mlif.extra_cflags', () => {
  it('passes tuning flags, refuses what would change what is measured', () => {
    expect(() => toolchainOf(riscvQemuTarget, { 'mlif.extra_cflags': ['-fno-unroll-loops', '-mno-relax'] })).not.toThrow();
    for (const bad of ['-O2', '-DMLIF_NUM_RUNS=5', '-o', 'evil.c', '--specs=nano.specs', '-T', '-include']) {
      const err = (() => {
        try {
          toolchainOf(riscvQemuTarget, { 'mlif.extra_cflags': [bad] });
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(MlbenchError);
      expect((err as MlbenchError).message).toContain(`mlif.extra_cflags ${JSON.stringify(bad)} is refused`);
    }
  });
});

describe('linker script for lld', () => {
  it('drops ALIGN_WITH_INPUT, which lld does not know, and the .got that would make .rodata writable', () => {
    const o = { flash: { origin: 0, length: 4096 }, ram: { origin: 8192, length: 4096 }, stackBytes: 512, heapBytes: 0 };
    expect(linkerScript(o)).toContain('.data : ALIGN_WITH_INPUT {');
    expect(linkerScript(o)).toContain('*(.got .got.*)');
    expect(linkerScript({ ...o, lld: true })).not.toContain('ALIGN_WITH_INPUT');
    expect(linkerScript({ ...o, lld: true })).not.toContain('.got');
  });
});

describe('programs built with the knobs run and validate', () => {
  const haveQemu = onPath('qemu-system-riscv32') && onPath('qemu-system-arm');
  it.skipIf(!haveLlvm || !haveQemu)('clang + lld with LTO on rv32gc and Cortex-M4; read-only data stays out of RAM', async () => {
    for (const [target, config] of [
      [riscvQemuTarget, { 'mlif.toolchain': 'llvm', 'mlif.lto': true, 'riscv_qemu.arch': 'rv32gc' }],
      [cortexM4QemuTarget, { 'mlif.toolchain': 'llvm', 'mlif.optimize': 'z' }],
    ] as const) {
      const { compiled, ran } = await compileAndRun(target, { config });
      expect(ran.metrics.Validation, target.name).toBe('pass 3/3');
      expect(Object.keys(compiled.toolVersions ?? {})).toEqual([CLANG]);
      expect(Object.values(compiled.toolVersions ?? {})[0]).toMatch(/clang version 15/);
      expect(compiled.memory['RAM Data'], target.name).toBeLessThan(256);
    }
  });

  it.skipIf(!haveQemu)('gcc on rv32imafc with -Oz, LTO, no section garbage collection and an extra flag', async () => {
    const config = { 'riscv_qemu.arch': 'rv32imafc', 'mlif.optimize': 'z', 'mlif.lto': true, 'mlif.garbage_collect': false, 'mlif.extra_cflags': ['-fno-unroll-loops'] };
    const { compiled, ran } = await compileAndRun(riscvQemuTarget, { config });
    expect(ran.metrics.Validation).toBe('pass 3/3');
    expect(compiled.toolVersions).toHaveProperty(['riscv64-unknown-elf-gcc']);
    // Without LTO (which drops unreferenced code itself) collecting sections shrinks the program.
    const plain = { 'mlif.lto': false, 'mlif.garbage_collect': false };
    const uncollected = await compileAndRun(riscvQemuTarget, { config: plain });
    const collected = await compileAndRun(riscvQemuTarget, { config: { ...plain, 'mlif.garbage_collect': true } });
    expect(collected.compiled.memory['ROM Total']).toBeLessThan(uncollected.compiled.memory['ROM Total']);
  });
});
