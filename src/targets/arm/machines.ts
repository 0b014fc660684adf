// The Arm machines QEMU 7.2 emulates that stand in for Cortex-M boards (TARGETS-HERE.md).
// Each machine boots from the vector table at 0x0: picolibc's Arm crt0 provides it as
// `__interrupt_vector` in .data.init.enter, which the mlif linker script places first in
// `vectors` (when given) or at the start of `flash`.
import type { MemoryRegion } from '../../core/component.js';
import { KiB, MiB, type MemoryMap } from '../external/toolchains.js';

export type ArmQemuMachineName = 'mps3-an547' | 'mps2-an386' | 'mps2-an500' | 'mps2-an385';

export interface ArmQemuMachine {
  machine: ArmQemuMachineName;
  /** Compiler CPU/FPU flags for the core the machine emulates. */
  cpuFlags: string[];
  /** The machine's own memories; a board may link with smaller regions inside them. */
  memory: MemoryMap;
}

/** MPS2 FPGA images: 4 MiB SSRAM at 0x0 (code, vectors first), 4 MiB at 0x20000000 (data). */
const MPS2_MEMORY: MemoryMap = {
  flash: { origin: 0x0, length: 4 * MiB },
  ram: { origin: 0x20000000, length: 4 * MiB },
};

const ITCM: MemoryRegion = { origin: 0x0, length: 512 * KiB };

export const ARM_QEMU_MACHINES: Record<ArmQemuMachineName, ArmQemuMachine> = {
  // Corstone-300 (SSE-300) FPGA image. The vector table must sit in ITCM at 0x0 (elsewhere QEMU
  // locks up at once); code and weights go to DDR's secure alias so models above 512 KiB fit.
  'mps3-an547': {
    machine: 'mps3-an547',
    cpuFlags: ['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard'],
    memory: {
      vectors: ITCM,
      flash: { origin: 0x70000000, length: 16 * MiB },
      ram: { origin: 0x21000000, length: 4 * MiB },
    },
  },
  'mps2-an386': {
    machine: 'mps2-an386',
    cpuFlags: ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'],
    memory: MPS2_MEMORY,
  },
  'mps2-an500': {
    machine: 'mps2-an500',
    cpuFlags: ['-mcpu=cortex-m7', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv5-d16'],
    memory: MPS2_MEMORY,
  },
  'mps2-an385': {
    machine: 'mps2-an385',
    cpuFlags: ['-mcpu=cortex-m3', '-mthumb'],
    memory: MPS2_MEMORY,
  },
};
