// Every target mlbench knows: ours (host, RISC-V QEMU) and each folder's list.
import type { Target } from '../core/component.js';
import { armTargets } from './arm/index.js';
import { boardTargets } from './boards/index.js';
import { externalTargets } from './external/index.js';
import { hostX86Target } from './host_x86.js';
import { riscvQemuTarget } from './riscv_qemu.js';

export const targets: Target[] = [hostX86Target, riscvQemuTarget, ...armTargets, ...boardTargets, ...externalTargets];
