// Real boards (ESP-IDF, Zephyr) and the Blue Pill, which also runs on QEMU.
import type { Target } from '../../core/component.js';
import { esp32c3Target, esp32Target } from './espressif.js';
import { stm32f4Target, stm32f7Target } from './stm32.js';
import { stm32f103Target } from './stm32f103.js';

export { esp32c3Target, esp32Target, stm32f4Target, stm32f7Target, stm32f103Target };
export const boardTargets: Target[] = [esp32c3Target, esp32Target, stm32f4Target, stm32f7Target, stm32f103Target];
