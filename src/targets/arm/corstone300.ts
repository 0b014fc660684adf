// Arm Corstone-300 (Cortex-M55 with MVE/Helium). Runs on Arm's FVP when it is installed
// (EXTERNAL-TOOLS.md §6), otherwise on QEMU's mps3-an547, the FPGA image of the same subsystem.
// One ELF serves both: vectors in ITCM at 0x0, code in DDR, data in SRAM; output and exit go
// through semihosting, which the FVP's Cortex-M55 model also implements, so the program exits
// the FVP itself instead of relying on the UART shutdown tag.
import type { Availability, EnvironmentInfo, ProgramToRun, StageContext, Target, TargetRunResult } from '../../core/component.js';
import type { ConfigView } from '../../core/config.js';
import { cycleRegions, instructionRegions } from '../external/benchOutput.js';
import { findFvp, FVP_HOW_TO_GET, fvpCommand, fvpMissingText, parseFvpOutput } from '../external/fvp.js';
import { toolMissing } from '../external/tools.js';
import { MiB } from '../external/toolchains.js';
import { ARM_HOW_TO_GET, armQemuMissing, armQemuToolchain, runOnArmQemu } from './qemuTarget.js';

export type Corstone300Simulator = 'qemu' | 'fvp';

/** `auto` takes the FVP when it is found, QEMU otherwise; an explicit choice is never replaced. */
export function chooseSimulator(config: ConfigView): Corstone300Simulator {
  const wanted = config.str('corstone300.simulator');
  if (wanted === 'qemu' || wanted === 'fvp') return wanted;
  return findFvp(config) ? 'fvp' : 'qemu';
}

async function runOnFvp(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
  const fvp = findFvp(ctx.config);
  if (!fvp) throw toolMissing(fvpMissingText(ctx.config), FVP_HOW_TO_GET);
  const { cmd, args } = fvpCommand({
    fvp,
    elf: program.elf,
    fpu: true,
    mve: ctx.config.bool('corstone300.mve') ? 2 : 0,
    // The FVP hangs when a program exits without the shutdown tag (mlonmcu#55): bound it.
    timelimitS: Math.max(1, Math.ceil(program.timeoutMs / 1000)),
    extraArgs: ['--stat', ...ctx.config.list('corstone300.fvp_args')],
  });
  const r = await ctx.exec(cmd, args, { cwd: ctx.dir, timeoutMs: program.timeoutMs + 10_000, allowFailure: true });
  const stdout = r.stdout + r.stderr;
  const parsed = parseFvpOutput(stdout);
  const regions = instructionRegions(parsed.bench.metrics);
  // Whole simulation, startup included: the FVP has no marker-bounded counter.
  if (parsed.cpu0Instructions !== undefined) regions.simulator = parsed.cpu0Instructions;
  // The FVP's own exit status does not carry the program's; the printed lines do.
  const exitCode = parsed.bench.exitCode ?? parsed.applicationExitCode ?? null;
  return { stdout, exitCode, timedOut: r.timedOut, limitHit: false, regions, cycles: cycleRegions(parsed.bench.metrics) };
}

export const corstone300Target: Target = {
  name: 'corstone300',
  kind: 'target',
  aliases: ['cortexm55', 'corstone300_qemu'],
  description: 'Arm Corstone-300 (Cortex-M55 + MVE): Arm FVP when installed, else qemu-system-arm -M mps3-an547 with exact plugin counts',
  descriptor: {
    arch: 'arm',
    cpu: 'cortex-m55',
    isa: 'armv8.1-m.main+mve.fp',
    flashBytes: 16 * MiB,
    ramBytes: 4 * MiB,
    clockHz: 25_000_000,
    board: 'Corstone-300 (MPS3 AN547 / FVP)',
    counter: 'QEMU mps3-an547 + TCG plugin, exact instructions between markers; FVP: --stat whole-program instructions',
  },
  config: [
    { key: 'simulator', type: 'enum', default: 'auto', choices: ['auto', 'qemu', 'fvp'], help: 'auto: the FVP when found, else QEMU mps3-an547' },
    { key: 'fvp_path', type: 'path', default: null, help: 'FVP_Corstone_SSE-300_Ethos-U55 binary or its directory (default: PATH)' },
    { key: 'fvp_args', type: 'list', default: [], help: 'extra FVP arguments, e.g. -C ethosu.num_macs=256' },
    { key: 'mve', type: 'bool', default: true, help: 'FVP cpu0.MVE=2 (integer+float Helium); false: MVE=0' },
  ],
  async availability(env: EnvironmentInfo): Promise<Availability> {
    const missing = armQemuMissing(env);
    if (missing.length === 0) return { usable: true, missing: [], version: findFvp(undefined) ? 'fvp' : 'qemu mps3-an547' };
    return { usable: false, missing, howToGet: `${ARM_HOW_TO_GET} (or ${FVP_HOW_TO_GET})` };
  },
  toolchain() {
    return armQemuToolchain({ machine: 'mps3-an547', defines: { MLIF_TARGET_CORSTONE300: '1' } });
  },
  async execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
    const simulator = chooseSimulator(ctx.config);
    ctx.log(`corstone300: simulator ${simulator}`);
    if (simulator === 'fvp') return runOnFvp(ctx, program);
    return runOnArmQemu(ctx, 'mps3-an547', program);
  },
};

