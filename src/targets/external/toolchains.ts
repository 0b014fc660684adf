// Cross toolchains installed here (Debian packages + picolibc), shared by targets whose
// simulator or board tools are absent: their programs still compile and get memory-checked.
import type { MemoryRegion, Toolchain } from '../../core/component.js';

const PICOLIBC_LINK = ['--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost'];

export interface MemoryMap {
  vectors?: MemoryRegion;
  flash: MemoryRegion;
  ram: MemoryRegion;
}

export function riscvToolchain(march: string, mabi: string, memory: MemoryMap, defines: Record<string, string>): Toolchain {
  return {
    cc: 'riscv64-unknown-elf-gcc',
    binutilsPrefix: 'riscv64-unknown-elf-',
    // Without the specs on every compile riscv64-unknown-elf-gcc finds no libc headers.
    cflags: [`-march=${march}`, `-mabi=${mabi}`, '--specs=picolibc.specs'],
    ldflags: [`-march=${march}`, `-mabi=${mabi}`, ...PICOLIBC_LINK],
    memory,
    defines,
  };
}

export function armToolchain(cpuFlags: string[], memory: MemoryMap, defines: Record<string, string>): Toolchain {
  return {
    cc: 'arm-none-eabi-gcc',
    binutilsPrefix: 'arm-none-eabi-',
    cflags: [...cpuFlags, '--specs=picolibc.specs'],
    ldflags: [...cpuFlags, ...PICOLIBC_LINK],
    memory,
    defines,
  };
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
