// Arm Corstone-300 FVP runner, written to EXTERNAL-TOOLS.md §6 (MLonMCU's command line, the
// retarget.c exit line and the `--stat` block). The corstone300 target picks it when the FVP exists.
import type { ConfigView } from '../../core/config.js';
import { parseBenchOutput, type BenchOutput } from './benchOutput.js';
import { resolveTool } from './tools.js';

export const FVP_BINARY = 'FVP_Corstone_SSE-300_Ethos-U55';

export const FVP_HOW_TO_GET =
  "download Arm's Corstone-300 FVP (FVP_Corstone_SSE-300_11.16_26) from developer.arm.com, install it with FVP_Corstone_SSE-300.sh --i-agree-to-the-contained-eula --no-interactive -d <dir>, and put <dir>/models/Linux64_GCC-6.4 on PATH or set corstone300.fvp_path";

export interface FvpOptions {
  fvp: string;
  elf: string;
  fpu: boolean;
  /** 2 = integer + float MVE, 1 = integer only, 0 = none. */
  mve: 0 | 1 | 2;
  /** Ethos-U55 MACs when the NPU is used. */
  ethosuMacs?: number;
  /** Wall-clock limit in seconds: a program that exits without the shutdown tag hangs the FVP (mlonmcu#55). */
  timelimitS?: number;
  extraArgs: string[];
}

/** The argv MLonMCU passes; the quotes in "-" and "EXITTHESIM" are literal argv characters. */
export function fvpCommand(o: FvpOptions): { cmd: string; args: string[] } {
  const args = [
    '-C', 'mps3_board.visualisation.disable-visualisation=1',
    '-C', 'mps3_board.telnetterminal0.start_telnet=0',
    '-C', 'mps3_board.uart0.out_file="-"',
    '-C', 'mps3_board.uart0.unbuffered_output=1',
    '-C', 'mps3_board.uart0.shutdown_tag="EXITTHESIM"',
    '-C', 'cpu0.CFGDTCMSZ=15',
    '-C', 'cpu0.CFGITCMSZ=15',
    '-C', `cpu0.FPU=${o.fpu ? 1 : 0}`,
    '-C', `cpu0.MVE=${o.mve}`,
  ];
  if (o.ethosuMacs !== undefined) args.push('-C', `ethosu.num_macs=${o.ethosuMacs}`, '-C', 'ethosu.extra_args="--fast"');
  if (o.timelimitS !== undefined) args.push('--timelimit', String(o.timelimitS));
  args.push(...o.extraArgs, o.elf);
  return { cmd: o.fvp, args };
}

export interface FvpOutput {
  bench: BenchOutput;
  /** `Application exit code: N.` from ethos-u-core-platform's retarget.c `_exit`. */
  applicationExitCode?: number;
  /** The UART printed the shutdown tag, so the FVP stopped by itself. */
  shutdownTagSeen: boolean;
  /** `--stat`: instructions executed by cpu0 over the whole simulation. */
  cpu0Instructions?: number;
  cpu0Mips?: number;
  simulatedTimeS?: number;
}

export function parseFvpOutput(stdout: string): FvpOutput {
  const exit = /Application exit code: (-?\d+)\./.exec(stdout);
  const stat = /cpu0\s*:\s*([\d.]+) MIPS \(\s*(\d+) Inst\)/.exec(stdout);
  const simTime = /Simulated time\s*:\s*([\d.]+)s/.exec(stdout);
  return {
    bench: parseBenchOutput(stdout),
    applicationExitCode: exit ? Number(exit[1]) : undefined,
    shutdownTagSeen: stdout.includes('EXITTHESIM'),
    cpu0Instructions: stat ? Number(stat[2]) : undefined,
    cpu0Mips: stat ? Number(stat[1]) : undefined,
    simulatedTimeS: simTime ? Number(simTime[1]) : undefined,
  };
}

/** The FVP binary from `corstone300.fvp_path` (file or directory) or PATH. */
export function findFvp(config: ConfigView | undefined): string | undefined {
  return resolveTool(FVP_BINARY, config?.optStr('corstone300.fvp_path'));
}

export function fvpMissingText(config: ConfigView | undefined): string {
  const explicit = config?.optStr('corstone300.fvp_path');
  return explicit
    ? `${FVP_BINARY} not found at corstone300.fvp_path=${explicit}`
    : `${FVP_BINARY} not found on PATH or in corstone300.fvp_path`;
}
