// Zephyr `west` commands and device output, written to EXTERNAL-TOOLS.md §7.2.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { quoteArg } from '../../core/exec.js';
import type { ShellCommand } from './espidf.js';
import { resolveSdkDir, whichSync } from './tools.js';

/** `west …`, or `. <venv>/bin/activate && west …` when west lives in a virtualenv. */
export function westCommand(westArgs: string[], venv?: string): ShellCommand {
  if (!venv) return { cmd: 'west', args: westArgs };
  return { cmd: 'bash', args: ['-c', `. ${quoteArg(join(venv, 'bin', 'activate'))} && west ${westArgs.map(quoteArg).join(' ')}`] };
}

export function westConfigure(project: string, board: string, venv?: string): ShellCommand {
  return westCommand(['build', '-d', join(project, 'build'), '-b', board, project, '-DCMAKE_BUILD_TYPE=Release', '-c'], venv);
}

export function westBuild(project: string, board: string, jobs: number, venv?: string): ShellCommand {
  return westCommand(['build', '-d', join(project, 'build'), '-b', board, project, `-o=-j${jobs}`], venv);
}

export function westFlash(project: string, venv?: string): ShellCommand {
  return westCommand(['flash', '-d', join(project, 'build')], venv);
}

export interface ZephyrOutput {
  totalTimeUs?: number;
  totalCycles?: number;
}

/** The project2 template prints `Total Time: <us> us` and `Total Cycles: <n>`; no bench block, no exit line. */
export function parseZephyrOutput(stdout: string): ZephyrOutput {
  const time = /Total Time: (\d+(?:\.\d+)?) us/.exec(stdout);
  const cycles = /^Total Cycles: (\d+)/m.exec(stdout);
  return { totalTimeUs: time ? Number(time[1]) : undefined, totalCycles: cycles ? Number(cycles[1]) : undefined };
}

export interface ZephyrEnvironment {
  zephyrBase?: string;
  west?: string;
  missing: string[];
}

export function findZephyr(zephyrBase: string | undefined, venv: string | undefined): ZephyrEnvironment {
  const base = resolveSdkDir(zephyrBase, 'ZEPHYR_BASE');
  const west = venv ? (existsSync(join(venv, 'bin', 'west')) ? join(venv, 'bin', 'west') : undefined) : whichSync('west');
  const missing: string[] = [];
  if (!west) missing.push(venv ? `west not found in ${venv}/bin` : 'west not found on PATH');
  if (!base) missing.push('Zephyr not found: neither <target>.zephyr_base nor ZEPHYR_BASE points to a Zephyr tree');
  return { zephyrBase: base, west, missing };
}

export const ZEPHYR_HOW_TO_GET =
  'install west (pip install west), west init -m https://github.com/zephyrproject-rtos/zephyr --mr v3.2.0 <dir> && west update, install Zephyr SDK 0.15.0, then set ZEPHYR_BASE=<dir>/zephyr (or <target>.zephyr_base)';

/** A Zephyr build's ELF is `<proj>/build/zephyr/zephyr.elf`. */
export function zephyrProjectOf(elf: string): string | undefined {
  const m = /^(.*)\/build\/zephyr\/zephyr\.elf$/.exec(elf);
  return m && existsSync(join(m[1], 'CMakeLists.txt')) ? m[1] : undefined;
}
