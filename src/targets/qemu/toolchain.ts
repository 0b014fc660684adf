// Flags every bare-metal mlif build with picolibc needs, on compile and link alike: without the
// specs riscv64-unknown-elf-gcc finds no libc headers; --oslib=semihost sends output and exit
// through semihosting. --crt0=hosted, not =semihost: the semihost crt0 only adds command-line
// parsing (a 1.3 kB RAM buffer, unused) and the fault handlers, which the mlif harness provides
// itself (c/mlif_main.c: `_trap` on RISC-V, `arm_fault` on Arm, same "<ARCH> fault" dump, exit 1).
export const PICOLIBC_SEMIHOST_FLAGS: readonly string[] = ['--specs=picolibc.specs', '--oslib=semihost', '--crt0=hosted'];

/** Availability check helper: is a program on PATH (or an absolute path that exists)? */
import { whichSync } from '../../core/which.js';

export function onPath(program: string): boolean {
  return whichSync(program) !== undefined;
}
