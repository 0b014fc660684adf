// Runs an mlif program under qemu-system-* with mlbench's counting plugin. Shared by every QEMU
// target (riscv_qemu here; the Arm machines in their own files): the target only supplies the
// binary and machine arguments (-M, -cpu, -icount ...).
import { toolVersion } from '../../core/tool-version.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramToRun, StageContext, TargetRunResult } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { functionAddress, readElf } from '../elf.js';
import { parsePluginResults, pluginSafeName, PLUGIN_LIMIT_EXIT_STATUS, qemuPluginPath } from './plugin.js';

export interface QemuRunOptions {
  /** qemu-system-riscv32, qemu-system-arm, ... (or a path from the environment's tools). */
  binary: string;
  /** Machine selection and CPU options, e.g. ['-M', 'virt', '-bios', 'none', '-cpu', 'rv32,...']. */
  machineArgs: string[];
  program: ProgramToRun;
  /** The guest ISA whose stack-pointer stores the plugin decodes for the stack peak (RISC-V only so far). */
  spStores?: 'riscv';
  /**
   * Fault-handler entry symbols; entering one twice stops QEMU (a handler that faults itself
   * would loop forever). Default: `_trap` (RISC-V) and `arm_fault` (Arm), the names of the mlif
   * harness's fault handlers (and of picolibc's semihost crt0 handlers they replace).
   */
  faultSymbols?: string[];
}

export const DEFAULT_FAULT_SYMBOLS = ['_trap', 'arm_fault'];
/**
 * Wall-clock ms without a completed instruction after which the CPU counts as stuck. Generous
 * so a starved QEMU on a busy machine is not mistaken for a fault loop.
 */
export const STALL_MS = 5000;

/**
 * Semihosting console on an explicit chardev: without it guest output lands on QEMU's stdout
 * or stderr unpredictably. stdin is closed (runTool passes 'ignore') so QEMU never waits on it.
 */
export function qemuIoArgs(): string[] {
  return [
    '-display', 'none',
    '-serial', 'none',
    '-monitor', 'none',
    '-chardev', 'stdio,id=sh0',
    '-semihosting-config', 'enable=on,target=native,chardev=sh0',
  ];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** `-plugin` value: regions from `<name>_begin`/`<name>_end` marker pairs. */
/** `spStores`: the guest ISA whose stack-pointer stores the plugin decodes (stack overflow seen past the reservation). */
export function pluginArgument(pluginPath: string, outFile: string, program: ProgramToRun, faultAddresses: number[] = [], spStores?: 'riscv'): string {
  const parts = [pluginPath, `out=${outFile}`];
  for (const a of faultAddresses) parts.push(`fault=${hex(a)}`);
  for (const [key, begin] of Object.entries(program.markers)) {
    const m = /^(.+)_begin$/.exec(key);
    const end = m ? program.markers[`${m[1]}_end`] : undefined;
    if (m && end !== undefined) parts.push(`region=${pluginSafeName(m[1])}:${hex(begin)}:${hex(end)}`);
  }
  if (program.instructionLimit > 0) parts.push(`limit=${Math.floor(program.instructionLimit)}`);
  parts.push(`stall_ms=${STALL_MS}`);
  if (program.stack) parts.push(`stack=${hex(program.stack.low)}:${hex(program.stack.high)}`);
  if (program.stack && spStores) parts.push(`sp_stores=${spStores}`);
  for (const l of program.layerRanges ?? []) parts.push(`layer=${pluginSafeName(l.name)}:${hex(l.start)}:${hex(l.end)}`);
  return parts.join(',');
}

const RISCV_CAUSES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store address misaligned',
  7: 'store access fault',
  8: 'environment call',
};

/**
 * The mlif harness's fault handlers (like picolibc's semihost crt0) print "<ARCH> fault" and a
 * register dump, then exit 1. Returns a one-line description, or undefined when the output shows
 * no fault.
 */
export function describeFault(output: string): string | undefined {
  // RISC-V prints "RISCV fault", Arm "ARM fault: hardfault".
  const head = /^\s*(\w+) fault(?::[ \t]*(\w+))?[ \t]*$/m.exec(output);
  if (!head) {
    const fatal = /^qemu[^\n]*: fatal: ([^\n]*)$/m.exec(output);
    return fatal ? `QEMU: ${fatal[1]}` : undefined;
  }
  const dump = output.slice(head.index);
  const field = (name: string): string | undefined => new RegExp(`\\b${name}:?\\s+(0x[0-9a-fA-F]+)`).exec(dump)?.[1];
  const details: string[] = [];
  const mcause = field('mcause');
  if (mcause !== undefined) {
    const code = Number.parseInt(mcause, 16);
    details.push(`mcause ${mcause}${RISCV_CAUSES[code] ? ` (${RISCV_CAUSES[code]})` : ''}`);
  }
  if (head[2]) details.push(head[2]);
  for (const name of ['mepc', 'mtval', 'PC', 'LR', 'CFSR', 'HFSR', 'BFAR', 'MMFAR']) {
    const v = field(name);
    if (v !== undefined) details.push(`${name} ${v}`);
  }
  return `${head[1]} fault${details.length ? `: ${details.join(', ')}` : ''}`;
}

async function versions(binary: string): Promise<Record<string, string> | undefined> {
  const v = await toolVersion(binary);
  return v ? { [binary]: v } : undefined;
}

export async function runQemu(ctx: StageContext, opts: QemuRunOptions): Promise<TargetRunResult> {
  const { program } = opts;
  if (!existsSync(program.elf)) throw new MlbenchError('tool-failed', `program ${program.elf} does not exist`);
  const plugin = await qemuPluginPath(ctx.cache);
  const resultFile = join(ctx.dir, 'qemu-plugin.txt');
  rmSync(resultFile, { force: true });
  const elf = readElf(program.elf);
  const faults = (opts.faultSymbols ?? DEFAULT_FAULT_SYMBOLS)
    .map((s) => functionAddress(elf, s))
    .filter((a): a is number => a !== undefined);
  const args = [
    ...opts.machineArgs,
    ...qemuIoArgs(),
    '-plugin', pluginArgument(plugin, resultFile, program, faults, opts.spStores),
    '-kernel', program.elf,
  ];
  const r = await ctx.exec(opts.binary, args, { allowFailure: true, timeoutMs: program.timeoutMs });
  const plugin_ = existsSync(resultFile) ? parsePluginResults(readFileSync(resultFile, 'utf8')) : undefined;
  const limitHit = plugin_?.limitHit === true || (r.exitCode === PLUGIN_LIMIT_EXIT_STATUS && /instruction limit/.test(r.stderr));
  // stdout and stderr merged, as MLonMCU does: QEMU's own complaints go to stderr.
  const output = r.stderr ? `${r.stdout}${r.stdout.endsWith('\n') || !r.stdout ? '' : '\n'}${r.stderr}` : r.stdout;
  const faultLoop =
    plugin_?.faultLoop !== undefined
      ? `the program faulted and its fault handler at 0x${plugin_.faultLoop.toString(16)} faulted again ` +
        '(instructions the CPU does not have, e.g. a build for another ISA?)'
      : undefined;
  const stalled = plugin_?.stalled
    ? `the CPU stopped completing instructions after ${plugin_.instructions} ` +
      '(a fault before any trap handler was set up, e.g. a build for an ISA the CPU lacks)'
    : undefined;
  const crash = r.timedOut || limitHit ? undefined : (faultLoop ?? stalled ?? describeFault(output));
  const stackPeak =
    program.stack && plugin_?.stackLowest !== undefined ? program.stack.high - plugin_.stackLowest : undefined;
  return {
    stdout: output,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    limitHit,
    crash,
    regions: plugin_?.regions ?? {},
    stackPeak,
    layerCounts: plugin_ && plugin_.layers.length ? plugin_.layers : undefined,
    toolVersions: await versions(opts.binary),
  };
}
