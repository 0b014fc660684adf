// Flags every bare-metal mlif build with picolibc needs, on compile and link alike: without the
// specs riscv64-unknown-elf-gcc finds no libc headers, and --crt0=semihost makes a CPU fault
// print a register dump and exit 1 instead of hanging.
export const PICOLIBC_SEMIHOST_FLAGS: readonly string[] = ['--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost'];

/** Availability check helper: is a program on PATH (or an absolute path that exists)? */
import { whichSync } from '../../core/which.js';

export function onPath(program: string): boolean {
  return whichSync(program) !== undefined;
}
