// The clang/lld variant of a target's GNU toolchain (`mlif.toolchain=llvm`). Debian's clang and
// lld target RV32 and Cortex-M, but bring no C library: picolibc's headers, crt0 and libraries
// and gcc's libgcc are taken from the cross-gcc installation, picked for the same -march/-mcpu
// by asking that gcc for its multilib folder, so both compilers link the same libc.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Toolchain } from '../core/component.js';
import { MlbenchError } from '../core/errors.js';
import { PICOLIBC_SEMIHOST_FLAGS } from './qemu/toolchain.js';

export const CLANG = 'clang-15';
// lld 16: the first lld that implements RISC-V linker relaxation, which gcc-built picolibc
// (R_RISCV_ALIGN) needs; it reads clang 15's bitcode for -flto.
export const LLD = '/usr/lib/llvm-16/bin/ld.lld';

/** GNU cross drivers clang can stand in for, with the clang target triple each needs. */
const CROSS: Record<string, { triple: string; picolibc: string }> = {
  'riscv64-unknown-elf-gcc': { triple: 'riscv32-unknown-elf', picolibc: '/usr/lib/picolibc/riscv64-unknown-elf' },
  'arm-none-eabi-gcc': { triple: 'arm-none-eabi', picolibc: '/usr/lib/picolibc/arm-none-eabi' },
};

const asked = new Map<string, string>();
/** One answer of the gcc driver (multilib folder, libgcc path); synchronous as toolchain() is. */
function askGcc(gcc: string, args: string[]): string {
  const key = JSON.stringify([gcc, args]);
  let answer = asked.get(key);
  if (answer === undefined) {
    try {
      answer = execFileSync(gcc, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch {
      throw new MlbenchError('tool-missing', `mlif.toolchain=llvm takes picolibc and libgcc from ${gcc}, which did not answer`, {
        hint: 'run `mlbench setup` (installs the cross gcc with picolibc, clang and lld)',
      });
    }
    asked.set(key, answer);
  }
  return answer;
}

/**
 * Same ISA/ABI/CPU flags, memory map and defines as the GNU toolchain; the compiler is clang
 * and the linker lld. Refused ('unsupported') for toolchains clang cannot replace here.
 */
export function llvmToolchain(gnu: Toolchain, targetName: string): Toolchain {
  if (!gnu.memory && gnu.cc === 'gcc') return { ...gnu, cc: CLANG, ldflags: [...gnu.ldflags, '-fuse-ld=lld', `--ld-path=${LLD}`], lld: true };
  const cross = CROSS[gnu.cc];
  if (!cross || !gnu.memory) {
    throw new MlbenchError('unsupported', `mlif.toolchain=llvm is not supported on target ${targetName} (its compiler is ${gnu.cc})`, {
      hint: 'use mlif.toolchain=gcc on this target',
    });
  }
  const cpuFlags = gnu.cflags.filter((f) => !PICOLIBC_SEMIHOST_FLAGS.includes(f));
  const multilib = askGcc(gnu.cc, [...cpuFlags, '-print-multi-directory']);
  const libDir = join(cross.picolibc, 'lib', multilib === '.' ? '' : multilib);
  const libgcc = askGcc(gnu.cc, [...cpuFlags, '-print-libgcc-file-name']);
  const crt0 = join(libDir, 'crt0-hosted.o');
  if (!existsSync(crt0)) {
    throw new MlbenchError('unsupported', `mlif.toolchain=llvm on ${targetName}: picolibc has no ${crt0} for ${cpuFlags.join(' ')}`);
  }
  const common = [`--target=${cross.triple}`, ...cpuFlags];
  return {
    ...gnu,
    cc: CLANG,
    // -nostdlibinc keeps clang's own headers (stddef.h, stdarg.h) and drops the host's.
    cflags: [...common, '-nostdlibinc', '-isystem', join(cross.picolibc, 'include'), '-ftls-model=local-exec'],
    // lld resolves archives in any order, so the libraries can precede the objects.
    ldflags: [...common, '-fuse-ld=lld', `--ld-path=${LLD}`, '-nostdlib', crt0, `-L${libDir}`, '-lc', '-lsemihost', libgcc],
    lld: true,
  };
}
