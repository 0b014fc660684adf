// Espressif boards, figures from the MLonMCU talk: ESP32-C3 (2 MB flash, 384 kB SRAM, 160 MHz)
// and ESP32 (448 kB ROM, 328 kB SRAM, 240 MHz). Link addresses are the chips' real buses.
import type { Toolchain } from '../../core/component.js';
import { toolMissing, whichSync } from '../external/tools.js';
import { KiB, MiB, riscvToolchain } from '../external/toolchains.js';
import { espIdfBoard, IDF_HOW_TO_GET } from './boardTarget.js';

export const esp32c3Target = espIdfBoard({
  name: 'esp32c3',
  chip: 'esp32c3',
  description: 'Espressif ESP32-C3 (RISC-V rv32imc, 160 MHz) via ESP-IDF idf.py flash + serial',
  descriptor: {
    arch: 'riscv32',
    cpu: 'esp32c3',
    isa: 'rv32imc',
    flashBytes: 2 * MiB,
    ramBytes: 384 * KiB,
    clockHz: 160_000_000,
    board: 'ESP32-C3-DevKitM-1',
    counter: 'device cycle counter (esp_cpu_get_cycle_count, uint32); no instruction count',
  },
  toolchain: () =>
    // Flash is mapped for execution at 0x42000000 (IROM), SRAM for data at 0x3FC80000 (DRAM).
    riscvToolchain(
      'rv32imc',
      'ilp32',
      { flash: { origin: 0x42000000, length: 2 * MiB }, ram: { origin: 0x3fc80000, length: 384 * KiB } },
      { MLIF_TARGET_ESP32C3: '1' },
    ),
});

const XTENSA_GCC = 'xtensa-esp32-elf-gcc';

export const esp32Target = espIdfBoard({
  name: 'esp32',
  chip: 'esp32',
  description: 'Espressif ESP32 (Xtensa LX6, 240 MHz) via ESP-IDF idf.py flash + serial',
  descriptor: {
    arch: 'xtensa',
    cpu: 'esp32 (Xtensa LX6)',
    isa: 'xtensa-lx6',
    flashBytes: 448 * KiB,
    ramBytes: 328 * KiB,
    clockHz: 240_000_000,
    board: 'ESP32-DevKitC',
    counter: 'device cycle counter (esp_cpu_get_ccount, uint32); no instruction count',
  },
  toolchain(): Toolchain {
    if (!whichSync(XTENSA_GCC)) {
      throw toolMissing(`${XTENSA_GCC} not found on PATH: there is no Xtensa toolchain on this machine`, IDF_HOW_TO_GET);
    }
    return {
      cc: XTENSA_GCC,
      binutilsPrefix: 'xtensa-esp32-elf-',
      cflags: ['-mlongcalls'],
      ldflags: ['-mlongcalls'],
      memory: { flash: { origin: 0x400d0020, length: 448 * KiB }, ram: { origin: 0x3ffb0000, length: 328 * KiB } },
      defines: { MLIF_TARGET_ESP32: '1' },
    };
  },
});
