// Arm Cortex-M targets on qemu-system-arm (and the Corstone-300 FVP when installed).
import type { Target } from '../../core/component.js';
import { corstone300Target } from './corstone300.js';
import { cortexM4QemuTarget, cortexM7QemuTarget } from './cortexm.js';

export { corstone300Target, cortexM4QemuTarget, cortexM7QemuTarget };
export { armQemuTarget, armQemuToolchain, runOnArmQemu, type ArmQemuTargetSpec } from './qemuTarget.js';
export { ARM_QEMU_MACHINES, type ArmQemuMachine, type ArmQemuMachineName } from './machines.js';
export const armTargets: Target[] = [corstone300Target, cortexM4QemuTarget, cortexM7QemuTarget];
