// Blue Pill (STM32F103C8: Cortex-M3, 72 MHz, 64 KiB flash, 20 KiB SRAM). No board here, so it
// runs on QEMU's mps2-an385 (also a Cortex-M3) linked with the real chip's memory sizes: a
// model that would not fit the chip is refused by the linker, as it would be for the board.
import { armQemuTarget } from '../arm/qemuTarget.js';
import { KiB } from '../external/toolchains.js';

export const stm32f103Target = armQemuTarget({
  name: 'stm32f103',
  aliases: ['bluepill'],
  description: 'STM32F103C8 Blue Pill (Cortex-M3, 64 KiB flash, 20 KiB RAM) on qemu-system-arm -M mps2-an385 with the chip\'s memory limits',
  machine: 'mps2-an385',
  descriptor: { cpu: 'cortex-m3', isa: 'armv7-m', flashBytes: 64 * KiB, ramBytes: 20 * KiB, clockHz: 72_000_000, board: 'Blue Pill (STM32F103C8)' },
  // Same sizes as the chip, at AN385's addresses (the chip's flash at 0x08000000 is aliased to
  // 0x0 at boot; AN385 has memory only at 0x0).
  memory: { flash: { origin: 0x0, length: 64 * KiB }, ram: { origin: 0x20000000, length: 20 * KiB } },
  defines: { MLIF_TARGET_STM32F103: '1' },
});
