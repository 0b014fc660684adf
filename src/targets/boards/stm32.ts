// STM32 boards flashed through Zephyr. stm32f4 is the MLonMCU talk's 1.5 MB / 320 kB part,
// STM32F413ZH on a NUCLEO-F413ZH; stm32f7 is the STM32F746G-DISCO. Both: flash at 0x08000000,
// SRAM contiguous from 0x20000000.
import { armToolchain, KiB, MiB } from '../external/toolchains.js';
import { zephyrBoard } from './boardTarget.js';

export const stm32f4Target = zephyrBoard({
  name: 'stm32f4',
  zephyrBoard: 'nucleo_f413zh',
  description: 'STM32F413ZH (Cortex-M4F, 100 MHz, NUCLEO-F413ZH) via Zephyr west flash + serial',
  descriptor: {
    arch: 'arm',
    cpu: 'cortex-m4',
    isa: 'armv7e-m+fp',
    flashBytes: 1536 * KiB,
    ramBytes: 320 * KiB,
    clockHz: 100_000_000,
    board: 'NUCLEO-F413ZH',
    counter: 'device DWT cycle counter (Zephyr timing API); no instruction count',
  },
  toolchain: () =>
    armToolchain(
      ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'],
      { flash: { origin: 0x08000000, length: 1536 * KiB }, ram: { origin: 0x20000000, length: 320 * KiB } },
      { MLIF_TARGET_STM32F4: '1' },
    ),
});

export const stm32f7Target = zephyrBoard({
  name: 'stm32f7',
  zephyrBoard: 'stm32f746g_disco',
  description: 'STM32F746NG (Cortex-M7, 216 MHz, STM32F746G-DISCO) via Zephyr west flash + serial',
  descriptor: {
    arch: 'arm',
    cpu: 'cortex-m7',
    isa: 'armv7e-m+fp',
    flashBytes: 1 * MiB,
    ramBytes: 320 * KiB,
    clockHz: 216_000_000,
    board: 'STM32F746G-DISCO',
    counter: 'device DWT cycle counter (Zephyr timing API); no instruction count',
  },
  toolchain: () =>
    // The F746's FPU is single precision (FPv5-SP).
    armToolchain(
      ['-mcpu=cortex-m7', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv5-sp-d16'],
      { flash: { origin: 0x08000000, length: 1 * MiB }, ram: { origin: 0x20000000, length: 320 * KiB } },
      { MLIF_TARGET_STM32F7: '1' },
    ),
});
