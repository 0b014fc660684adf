// Which float arithmetic a program was compiled for, from the flags that compiled it: the report's
// `Float` column. float32 layers run on the FPU under a hardware float ABI (Arm -mfloat-abi=hard or
// softfp, RISC-V -mabi=ilp32f/ilp32d, the host), otherwise through libgcc's soft-float routines.
import type { TargetDescriptor } from '../../core/component.js';

export type FloatArithmetic = 'FPU' | 'soft-float';

/** The last -mfloat-abi / -mabi among the flags decides, as it does for the compiler. */
export function floatArithmetic(descriptor: Pick<TargetDescriptor, 'arch'>, flags: readonly string[]): FloatArithmetic {
  if (descriptor.arch === 'x86_64') return 'FPU';
  const abi = flags.filter((f) => f.startsWith('-mfloat-abi=') || f.startsWith('-mabi=')).at(-1) ?? '';
  return /^-mfloat-abi=(hard|softfp)$/.test(abi) || /^-mabi=(ilp32|lp64)[fd]$/.test(abi) ? 'FPU' : 'soft-float';
}
