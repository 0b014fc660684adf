// Cortex-M targets run on qemu-system-arm through the common QEMU runner; instructions are
// counted exactly by mlbench's TCG plugin (Cortex-M DWT reads 0 and SysTick is not exact here).
import type { Availability, EnvironmentInfo, ProgramToRun, StageContext, Target, TargetDescriptor, TargetRunResult, Toolchain } from '../../core/component.js';
import type { ConfigKeySpec, ConfigView } from '../../core/config.js';
import { toolMissing, whichSync } from '../external/tools.js';
import { armToolchain, type MemoryMap } from '../external/toolchains.js';
import { runQemu } from '../qemu/runner.js';
import { ARM_QEMU_MACHINES, type ArmQemuMachineName } from './machines.js';

export const QEMU_ARM = 'qemu-system-arm';
const CC = 'arm-none-eabi-gcc';
export const ARM_HOW_TO_GET = 'apt-get install qemu-system-arm gcc-arm-none-eabi picolibc-arm-none-eabi';

export function qemuArmBinary(env: EnvironmentInfo): string {
  return env.tools.qemu_arm ?? QEMU_ARM;
}

/** What is missing to compile and run on a qemu-system-arm machine, empty when nothing. */
export function armQemuMissing(env: EnvironmentInfo): string[] {
  const missing: string[] = [];
  const qemu = qemuArmBinary(env);
  if (!whichSync(qemu)) missing.push(`${qemu} not found on PATH`);
  if (!whichSync(CC)) missing.push(`${CC} not found on PATH`);
  return missing;
}

export function qemuMachineArgs(machine: ArmQemuMachineName): string[] {
  return ['-M', machine];
}

/** Runs `program` on an Arm QEMU machine, refusing with tool-missing when QEMU is absent. */
export async function runOnArmQemu(ctx: StageContext, machine: ArmQemuMachineName, program: ProgramToRun): Promise<TargetRunResult> {
  const binary = qemuArmBinary(ctx.env);
  if (!whichSync(binary)) throw toolMissing(`${binary} not found on PATH`, ARM_HOW_TO_GET);
  return runQemu(ctx, { binary, machineArgs: qemuMachineArgs(machine), program });
}

export interface ArmQemuTargetSpec {
  name: string;
  aliases?: string[];
  description: string;
  machine: ArmQemuMachineName;
  descriptor: Omit<TargetDescriptor, 'arch' | 'counter'>;
  /** Link-time memory; defaults to the machine's. A board's real limits go here. */
  memory?: MemoryMap;
  config?: ConfigKeySpec[];
  defines: Record<string, string>;
}

export function armQemuToolchain(spec: Pick<ArmQemuTargetSpec, 'machine' | 'memory' | 'defines'>): Toolchain {
  const m = ARM_QEMU_MACHINES[spec.machine];
  return armToolchain(m.cpuFlags, spec.memory ?? m.memory, spec.defines);
}

export function armQemuTarget(spec: ArmQemuTargetSpec): Target {
  return {
    name: spec.name,
    kind: 'target',
    aliases: spec.aliases,
    description: spec.description,
    descriptor: {
      ...spec.descriptor,
      arch: 'arm',
      counter: `QEMU ${spec.machine} + TCG plugin, exact instructions between marker functions`,
    },
    config: spec.config ?? [],
    async availability(env: EnvironmentInfo): Promise<Availability> {
      const missing = armQemuMissing(env);
      return { usable: missing.length === 0, missing, howToGet: missing.length ? ARM_HOW_TO_GET : undefined };
    },
    toolchain(_config: ConfigView): Toolchain {
      return armQemuToolchain(spec);
    },
    execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
      return runOnArmQemu(ctx, spec.machine, program);
    },
  };
}
