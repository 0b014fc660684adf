import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/core/component.js';
import { MlbenchError } from '../../src/core/errors.js';
import { parseRegionOverflows } from '../../src/platforms/mlif/linker.js';
import { riscvQemuTarget } from '../../src/targets/riscv_qemu.js';
import { compileOnly } from './pipeline.js';

/** riscv_qemu with a device-sized memory map: 8 KiB RAM, 64 KiB flash. */
const tinyRiscv: Target = {
  ...riscvQemuTarget,
  name: 'tiny_riscv',
  toolchain(config) {
    const tc = riscvQemuTarget.toolchain(config);
    return {
      ...tc,
      memory: { flash: { origin: 0x80000000, length: 64 * 1024 }, ram: { origin: 0x80010000, length: 8 * 1024 } },
    };
  },
};

describe('memory limits enforced by the linker', () => {
  it('parses ld region overflow messages', () => {
    const text = [
      "ld: prog.elf section `.stack' will not fit in region `ram'",
      "ld: region `ram' overflowed by 9664 bytes",
      "ld: region `flash' overflowed by 12 bytes",
    ].join('\n');
    expect(parseRegionOverflows(text)).toEqual([
      { region: 'ram', bytes: 9664 },
      { region: 'flash', bytes: 12 },
    ]);
  });

  it('refuses a program whose stack does not fit 8 KiB of RAM', async () => {
    const err = await compileOnly(tinyRiscv, { config: { 'mlif.stack_size': 16384 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('memory');
    expect((err as MlbenchError).message).toMatch(/^program does not fit the target: needs \d+(\.\d)? kB RAM of 8 kB$/);
  });

  it('fits once the stack is small enough; what a program that does not fit needs is what ld placed', async () => {
    const compiled = await compileOnly(tinyRiscv, { config: { 'mlif.stack_size': 2048, 'mlif.heap_size': 0 } });
    expect(compiled.memory['RAM Total']).toBeLessThanOrEqual(8 * 1024);
    expect(compiled.memory['RAM Stack']).toBe(2048);
    // 14 KiB more stack: ld's region length plus its overflow is the same program's RAM Total plus
    // 14 KiB, and the padding ld puts before the 16-byte aligned stack (RAM Total counts sections).
    const err = (await compileOnly(tinyRiscv, { config: { 'mlif.stack_size': 16384, 'mlif.heap_size': 0 } }).catch((e: unknown) => e)) as MlbenchError;
    expect(Object.keys(err.measured ?? {})).toEqual(['RAM Needed']);
    const needed = Number(err.measured?.['RAM Needed']) - Number(compiled.memory['RAM Total']) - 14336;
    expect(needed).toBeGreaterThanOrEqual(0);
    expect(needed).toBeLessThan(16);
  });
});
