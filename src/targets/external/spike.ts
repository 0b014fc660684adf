// Spike + riscv-pk runner, written to EXTERNAL-TOOLS.md §5.1:
// `spike --isa=<isa> [extra] <pk> -s <elf>`; pk's -s prints whole-process ticks/cycles/instructions.
import type { Availability, StageContext, Target, TargetRunResult, ProgramToRun } from '../../core/component.js';
import type { ConfigView } from '../../core/config.js';
import { cycleRegions, instructionRegions, parseBenchOutput, type BenchOutput } from './benchOutput.js';
import { resolveTool, toolMissing } from './tools.js';
import { MiB, riscvToolchain } from './toolchains.js';

/** MLonMCU's ISA string: imafd merged to g; newer Spike (legacy=false) needs zicntr for rdcycle/rdinstret. */
export function spikeIsa(march: string, legacy: boolean): string {
  let isa = march.toLowerCase().replace(/^(rv(?:32|64))imafd/, '$1g');
  if (!legacy && !isa.includes('zicntr')) isa += '_zicntr';
  return isa;
}

export function spikeCommand(o: { spike: string; pk: string; isa: string; extraArgs: string[]; elf: string }): {
  cmd: string;
  args: string[];
} {
  return { cmd: o.spike, args: [`--isa=${o.isa}`, ...o.extraArgs, o.pk, '-s', o.elf] };
}

export interface SpikeOutput {
  bench: BenchOutput;
  /** pk `-s`: whole process, startup included (Spike has CPI 1, so cycles ≈ instructions). */
  pkCycles?: number;
  pkInstructions?: number;
}

export function parseSpikeOutput(stdout: string): SpikeOutput {
  const cycles = /^(\d+) cycles\s*$/m.exec(stdout);
  const instructions = /^(\d+) instructions\s*$/m.exec(stdout);
  return {
    bench: parseBenchOutput(stdout),
    pkCycles: cycles ? Number(cycles[1]) : undefined,
    pkInstructions: instructions ? Number(instructions[1]) : undefined,
  };
}

const HOW_TO_GET =
  'Spike and riscv-pk are not packaged: build riscv-software-src/riscv-isa-sim (configure --enable-misaligned) and riscv-pk (configure --host=riscv32-unknown-elf --with-arch=rv32imafdc_zifencei_zicsr --with-abi=ilp32d), then put spike on PATH or set spike.exe, and set spike.pk';

interface SpikeTools {
  spike?: string;
  pk?: string;
  missing: string[];
}

function findTools(config: ConfigView | undefined): SpikeTools {
  const explicitSpike = config?.optStr('spike.exe');
  const spike = resolveTool('spike', explicitSpike);
  const pk = resolveTool('pk', config?.optStr('spike.pk'));
  const missing: string[] = [];
  if (!spike) missing.push(explicitSpike ? `spike not found at ${explicitSpike}` : 'spike not found on PATH or in spike.exe');
  if (!pk) missing.push('pk (riscv-pk proxy kernel) not found on PATH or in spike.pk');
  return { spike, pk, missing };
}

export const spikeTarget: Target = {
  name: 'spike',
  kind: 'target',
  description: 'Spike RISC-V ISA simulator with the riscv-pk proxy kernel; counts from rdinstret',
  descriptor: {
    arch: 'riscv32',
    cpu: 'spike-rv32',
    isa: 'rv32gc',
    // pk loads the program into Spike's 2 GiB default memory; these are the link-time limits.
    flashBytes: 16 * MiB,
    ramBytes: 64 * MiB,
    counter: 'program reads rdinstret/rdcycle (exact); pk -s whole-process instructions as a cross-check',
  },
  config: [
    { key: 'exe', type: 'path', default: null, help: 'spike executable (default: spike on PATH)' },
    { key: 'pk', type: 'path', default: null, help: 'riscv-pk proxy kernel built for rv32 (default: pk on PATH)' },
    { key: 'march', type: 'string', default: 'rv32gc', help: 'compiler -march; also gives --isa' },
    { key: 'mabi', type: 'string', default: 'ilp32d', help: 'compiler -mabi' },
    { key: 'legacy', type: 'bool', default: true, help: 'Spike as pinned by MLonMCU (2022); false appends _zicntr to --isa' },
    { key: 'extra_args', type: 'list', default: [], help: 'extra Spike arguments, e.g. --ic=64:8:32' },
  ],
  async availability(): Promise<Availability> {
    const t = findTools(undefined);
    return t.missing.length === 0 ? { usable: true, missing: [] } : { usable: false, missing: t.missing, howToGet: HOW_TO_GET };
  },
  toolchain(config) {
    // pk user programs are linked at 0x10000 like newlib's default; pk maps them in Spike's DRAM.
    // Compile-stage memory checks only: picolibc's semihost oslib is not pk's syscall ABI, so a
    // real Spike run needs a newlib/libgloss toolchain (not packaged here) in place of these flags.
    return riscvToolchain(
      config.str('spike.march'),
      config.str('spike.mabi'),
      { flash: { origin: 0x10000, length: 16 * MiB }, ram: { origin: 0x10000 + 16 * MiB, length: 64 * MiB } },
      { MLIF_TARGET_SPIKE: '1', MLIF_COUNTER_INSTRET: '1' },
    );
  },
  async execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
    const t = findTools(ctx.config);
    if (!t.spike || !t.pk) throw toolMissing(t.missing.join('; '), HOW_TO_GET);
    const { cmd, args } = spikeCommand({
      spike: t.spike,
      pk: t.pk,
      isa: spikeIsa(ctx.config.str('spike.march'), ctx.config.bool('spike.legacy')),
      extraArgs: ctx.config.list('spike.extra_args'),
      elf: program.elf,
    });
    const r = await ctx.exec(cmd, args, { cwd: ctx.dir, timeoutMs: program.timeoutMs, allowFailure: true });
    const stdout = r.stdout + r.stderr;
    const parsed = parseSpikeOutput(stdout);
    const regions = instructionRegions(parsed.bench.metrics);
    if (parsed.pkInstructions !== undefined) regions.simulator = parsed.pkInstructions;
    const badSyscall = /bad syscall #\d+|assertion failed: .*/.exec(stdout);
    return {
      stdout,
      exitCode: parsed.bench.exitCode ?? r.exitCode,
      timedOut: r.timedOut,
      limitHit: false,
      crash: badSyscall ? badSyscall[0] : undefined,
      regions,
      cycles: cycleRegions(parsed.bench.metrics),
    };
  },
};
