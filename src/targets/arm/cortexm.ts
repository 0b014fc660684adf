// Generic Cortex-M cores on QEMU's MPS2 FPGA images, with the machines' full 4 MiB memories.
import { MiB } from '../external/toolchains.js';
import { armQemuTarget } from './qemuTarget.js';

export const cortexM4QemuTarget = armQemuTarget({
  name: 'cortexm4_qemu',
  description: 'Cortex-M4F on qemu-system-arm -M mps2-an386; exact instruction counts by TCG plugin',
  machine: 'mps2-an386',
  descriptor: { cpu: 'cortex-m4', isa: 'armv7e-m+fp', flashBytes: 4 * MiB, ramBytes: 4 * MiB, clockHz: 25_000_000, board: 'MPS2 AN386' },
  defines: { MLIF_TARGET_CORTEXM4_QEMU: '1' },
});

export const cortexM7QemuTarget = armQemuTarget({
  name: 'cortexm7_qemu',
  description: 'Cortex-M7 (FPv5-D16) on qemu-system-arm -M mps2-an500; exact instruction counts by TCG plugin',
  machine: 'mps2-an500',
  descriptor: { cpu: 'cortex-m7', isa: 'armv7e-m+fp.dp', flashBytes: 4 * MiB, ramBytes: 4 * MiB, clockHz: 25_000_000, board: 'MPS2 AN500' },
  defines: { MLIF_TARGET_CORTEXM7_QEMU: '1' },
});
