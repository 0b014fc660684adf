// Every target mlbench knows. Targets in other files append themselves here.
import type { Target } from '../core/component.js';
import { hostX86Target } from './host_x86.js';
import { riscvQemuTarget } from './riscv_qemu.js';

export const targets: Target[] = [hostX86Target, riscvQemuTarget];
