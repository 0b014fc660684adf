// Cross toolchains installed here (Debian packages + picolibc), shared by targets whose
// simulator or board tools are absent: their programs still compile and get memory-checked.
// Same flags on compile and link (as riscv_qemu): the platform compiles and links in separate steps.
import type { MemoryRegion, Toolchain } from '../../core/component.js';
import { PICOLIBC_SEMIHOST_FLAGS } from '../qemu/toolchain.js';

export interface MemoryMap {
  vectors?: MemoryRegion;
  flash: MemoryRegion;
  ram: MemoryRegion;
}

export function riscvToolchain(march: string, mabi: string, memory: MemoryMap, defines: Record<string, string>): Toolchain {
  return {
    cc: 'riscv64-unknown-elf-gcc',
    binutilsPrefix: 'riscv64-unknown-elf-',
    cflags: [`-march=${march}`, `-mabi=${mabi}`, ...PICOLIBC_SEMIHOST_FLAGS],
    ldflags: [`-march=${march}`, `-mabi=${mabi}`, ...PICOLIBC_SEMIHOST_FLAGS],
    memory,
    defines,
  };
}

export function armToolchain(cpuFlags: string[], memory: MemoryMap, defines: Record<string, string>): Toolchain {
  return {
    cc: 'arm-none-eabi-gcc',
    binutilsPrefix: 'arm-none-eabi-',
    cflags: [...cpuFlags, ...PICOLIBC_SEMIHOST_FLAGS],
    ldflags: [...cpuFlags, ...PICOLIBC_SEMIHOST_FLAGS],
    memory,
    defines,
  };
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
