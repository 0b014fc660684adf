// ETISS (tum-ei-eda/etiss) runner, written to EXTERNAL-TOOLS.md §4: MLonMCU's custom.ini,
// run_helper.sh (or bare_etiss_processor in direct mode), and ETISS's own summary lines.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability, StageContext, Target, TargetRunResult, ProgramToRun } from '../../core/component.js';
import type { ConfigView } from '../../core/config.js';
import { MlbenchError } from '../../core/errors.js';
import { cycleRegions, instructionRegions, parseBenchOutput, type BenchOutput } from './benchOutput.js';
import { resolveSdkDir, toolMissing } from './tools.js';
import { MiB, riscvToolchain } from './toolchains.js';

export interface EtissSettings {
  romStart: number;
  romSize: number;
  ramStart: number;
  ramSize: number;
  cycleTimePs: number;
  /** ETISS architecture, e.g. RV32IMACFD (the pinned ETISS ships only RV32IMACFD/RV64IMACFD). */
  cpuArch: string;
  jit?: 'GCC' | 'LLVM' | 'TCC';
  maxBlockSize?: number;
  /** Direct mode (no run_helper.sh) needs the ELF inside the ini. */
  elfFile?: string;
}

/** A value that stays one ini value: a newline or `[` would add keys or sections of its own. */
function iniValue(key: string, v: string, pattern: RegExp): string {
  if (!pattern.test(v)) {
    throw new MlbenchError('config', `${key}: ${JSON.stringify(v.slice(0, 80))} cannot be written into ETISS's custom.ini`, {
      hint: key === 'etiss.cpu_arch' ? 'give an architecture name such as RV32IMACFD' : 'use a run directory path without control characters',
    });
  }
  return v;
}

/** custom.ini exactly as MLonMCU writes it (§4.2 step 1). */
export function etissIni(s: EtissSettings): string {
  const lines = [
    '[BoolConfigurations]',
    'arch.enable_semihosting=true',
    'simple_mem_system.error_on_invalid_access=true',
    'jit.verify=false',
    'jit.debug=false',
    'etiss.load_integrated_libraries=true',
    '[StringConfigurations]',
    `arch.cpu=${iniValue('etiss.cpu_arch', s.cpuArch, /^[A-Za-z0-9_]{1,64}$/)}`,
    'etiss.output_path_prefix=',
  ];
  if (s.jit) lines.push(`jit.type=${s.jit}JIT`);
  if (s.elfFile) lines.push(`vp.elf_file=${iniValue('the program path', s.elfFile, /^[^\x00-\x1f\x7f]+$/)}`);
  lines.push(
    '[IntConfigurations]',
    `simple_mem_system.memseg_origin_00=${s.romStart}`,
    `simple_mem_system.memseg_length_00=${s.romSize}`,
    `simple_mem_system.memseg_origin_01=${s.ramStart}`,
    `simple_mem_system.memseg_length_01=${s.ramSize}`,
    `arch.cpu_cycle_time_ps=${s.cycleTimePs}`,
  );
  if (s.maxBlockSize !== undefined) lines.push(`etiss.max_block_size=${s.maxBlockSize}`);
  return `${lines.join('\n')}\n`;
}

export interface EtissCommandOptions {
  installDir: string;
  elf: string;
  iniPath: string;
  useRunHelper: boolean;
  exitOnLoop: boolean;
}

/** §4.2 step 2 (run_helper.sh, always `nodmi`) or step 5 (direct bare_etiss_processor). */
export function etissCommand(o: EtissCommandOptions): { cmd: string; args: string[] } {
  if (!o.useRunHelper) return { cmd: join(o.installDir, 'bin', 'bare_etiss_processor'), args: [`-i${o.iniPath}`] };
  const args = [o.elf, 'nodmi'];
  if (o.exitOnLoop) args.push('noloop');
  args.push(`-i${o.iniPath}`);
  return { cmd: join(o.installDir, 'bin', 'run_helper.sh'), args };
}

export interface EtissOutput {
  bench: BenchOutput;
  /** `CPU Cycles (estimated)` (6 significant digits: lossy; MLonMCU's "Simulated Instructions"). */
  cpuCyclesEstimated?: number;
  mips?: number;
  /** `ETISS: Error: …` lines. */
  errors: string[];
}

export function parseEtissOutput(stdout: string): EtissOutput {
  const cycles = /CPU Cycles \(estimated\): (\S+)/.exec(stdout);
  const mips = /MIPS \(estimated\): (\S+)/.exec(stdout);
  const cyclesValue = cycles ? Math.trunc(Number(cycles[1])) : undefined;
  const mipsValue = mips ? Number(mips[1]) : undefined;
  return {
    bench: parseBenchOutput(stdout),
    cpuCyclesEstimated: Number.isFinite(cyclesValue) ? cyclesValue : undefined,
    mips: Number.isFinite(mipsValue) ? mipsValue : undefined,
    errors: [...stdout.matchAll(/ETISS: Error: (.*)/g)].map((m) => m[1].trim()),
  };
}

const HOW_TO_GET =
  'ETISS is not packaged: build tum-ei-eda/etiss (cmake <src> -DCMAKE_INSTALL_PREFIX=<dir> && make install, needs Boost) and set etiss.install_dir=<dir> or ETISS_DIR';

function installDir(config: ConfigView | undefined): string | undefined {
  const dir = resolveSdkDir(config?.optStr('etiss.install_dir'), 'ETISS_DIR');
  return dir && existsSync(join(dir, 'bin', 'bare_etiss_processor')) ? dir : undefined;
}

function missingText(config: ConfigView | undefined): string {
  const where = config?.optStr('etiss.install_dir') ?? process.env.ETISS_DIR;
  return where
    ? `ETISS not found: ${where}/bin/bare_etiss_processor does not exist`
    : 'ETISS not found: neither etiss.install_dir nor ETISS_DIR is set';
}

function settings(config: ConfigView): EtissSettings {
  const jit = config.str('etiss.jit');
  return {
    romStart: config.int('etiss.rom_start'),
    romSize: config.int('etiss.rom_size'),
    ramStart: config.int('etiss.ram_start'),
    ramSize: config.int('etiss.ram_size'),
    cycleTimePs: config.int('etiss.cycle_time_ps'),
    cpuArch: config.str('etiss.cpu_arch'),
    jit: jit === 'default' ? undefined : (jit as EtissSettings['jit']),
  };
}

export const etissTarget: Target = {
  name: 'etiss',
  kind: 'target',
  description: 'ETISS instruction-set simulator (RV32IMACFD), run via run_helper.sh; counts from rdinstret',
  descriptor: {
    arch: 'riscv32',
    cpu: 'etiss-rv32',
    isa: 'rv32imac',
    flashBytes: 8 * MiB,
    ramBytes: 64 * MiB,
    clockHz: 32_000_000,
    counter: 'program reads rdinstret/rdcycle (exact); ETISS "CPU Cycles (estimated)" as a lossy cross-check',
  },
  config: [
    { key: 'install_dir', type: 'path', default: null, help: 'ETISS install prefix (holds bin/run_helper.sh); default $ETISS_DIR' },
    { key: 'use_run_helper', type: 'bool', default: true, help: 'run through bin/run_helper.sh (else bare_etiss_processor -i custom.ini)' },
    { key: 'exit_on_loop', type: 'bool', default: true, help: 'pass noloop: stop on a jump-to-self instead of hanging' },
    { key: 'rom_start', type: 'int', default: 0x1000000, min: 0, help: 'ROM origin (MLonMCU default 0x1000000)' },
    { key: 'rom_size', type: 'int', default: 8 * MiB, min: 1, help: 'ROM bytes (default 8 MiB)' },
    { key: 'ram_start', type: 'int', default: 0x1800000, min: 0, help: 'RAM origin (default rom_start + rom_size)' },
    { key: 'ram_size', type: 'int', default: 64 * MiB, min: 1, help: 'RAM bytes (default 64 MiB)' },
    { key: 'cycle_time_ps', type: 'int', default: 31250, min: 1, help: 'simulated cycle time in ps (31250 = 32 MHz)' },
    { key: 'cpu_arch', type: 'string', default: 'RV32IMACFD', help: 'ETISS arch.cpu' },
    { key: 'jit', type: 'enum', default: 'default', choices: ['default', 'GCC', 'LLVM', 'TCC'], help: 'ETISS JIT (default: run_helper.sh picks TCC)' },
    { key: 'march', type: 'string', default: 'rv32imac', help: 'compiler -march (must be within cpu_arch)' },
    { key: 'mabi', type: 'string', default: 'ilp32', help: 'compiler -mabi' },
  ],
  async availability(): Promise<Availability> {
    const dir = installDir(undefined);
    return dir ? { usable: true, missing: [] } : { usable: false, missing: [missingText(undefined)], howToGet: HOW_TO_GET };
  },
  toolchain(config) {
    const s = settings(config);
    return riscvToolchain(
      config.str('etiss.march'),
      config.str('etiss.mabi'),
      { flash: { origin: s.romStart, length: s.romSize }, ram: { origin: s.ramStart, length: s.ramSize } },
      { MLIF_TARGET_ETISS: '1', MLIF_COUNTER_INSTRET: '1' },
    );
  },
  async execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
    const dir = installDir(ctx.config);
    if (!dir) throw toolMissing(missingText(ctx.config), HOW_TO_GET);
    const useRunHelper = ctx.config.bool('etiss.use_run_helper');
    const iniPath = join(ctx.dir, 'custom.ini');
    writeFileSync(iniPath, etissIni({ ...settings(ctx.config), elfFile: useRunHelper ? undefined : program.elf }));
    const { cmd, args } = etissCommand({
      installDir: dir,
      elf: program.elf,
      iniPath,
      useRunHelper,
      exitOnLoop: ctx.config.bool('etiss.exit_on_loop'),
    });
    // ETISS can hang on traps (etiss#104): the wall-clock timeout is the only stop.
    const r = await ctx.exec(cmd, args, { cwd: ctx.dir, timeoutMs: program.timeoutMs, allowFailure: true });
    const stdout = r.stdout + r.stderr;
    const parsed = parseEtissOutput(stdout);
    // Semihosting SYS_EXIT drops the status (etiss#136): the printed exit line is authoritative.
    const exitCode = parsed.bench.exitCode ?? r.exitCode;
    const crash =
      parsed.errors.length > 0 ? parsed.errors.join('; ') : r.exitCode === 1 ? 'ETISS reported a target error (exit 1)' : undefined;
    const regions = instructionRegions(parsed.bench.metrics);
    if (parsed.cpuCyclesEstimated !== undefined) regions.simulator = parsed.cpuCyclesEstimated;
    return { stdout, exitCode, timedOut: r.timedOut, limitHit: false, crash, regions, cycles: cycleRegions(parsed.bench.metrics) };
  },
};
