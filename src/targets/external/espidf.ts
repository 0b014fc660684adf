// ESP-IDF build/flash commands and device output, written to EXTERNAL-TOOLS.md §7.1.
// Every idf.py call runs as `bash -c ". <idf>/export.sh && <idf>/tools/idf.py <args>"`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { quoteArg } from '../../core/exec.js';
import { resolveSdkDir } from './tools.js';

export interface ShellCommand {
  cmd: string;
  args: string[];
}

export function idfCommand(idfPath: string, idfArgs: string[]): ShellCommand {
  const idf = quoteArg(idfPath);
  return { cmd: 'bash', args: ['-c', `. ${idf}/export.sh && ${idf}/tools/idf.py ${idfArgs.map(quoteArg).join(' ')}`] };
}

export function idfSetTarget(idfPath: string, project: string, chip: string): ShellCommand {
  return idfCommand(idfPath, ['-C', project, 'set-target', chip]);
}

export function idfBuild(idfPath: string, project: string): ShellCommand {
  return idfCommand(idfPath, ['-C', project, '-DCMAKE_BUILD_TYPE=Release', 'build']);
}

export function idfFlash(idfPath: string, project: string, port?: string, baud?: number): ShellCommand {
  const args = ['-C', project, '-DCMAKE_BUILD_TYPE=Release', 'flash'];
  if (port) args.push('-p', port);
  if (baud !== undefined) args.push('-b', String(baud));
  return idfCommand(idfPath, args);
}

/** idf_monitor's baud flag is `-B` before IDF 5.0 and `-b` from 5.0 on. */
export function idfMonitor(idfPath: string, project: string, port: string, baud: number, idfMajor: number): ShellCommand {
  return idfCommand(idfPath, ['-C', project, '-DCMAKE_BUILD_TYPE=Release', 'monitor', '-p', port, idfMajor < 5 ? '-B' : '-b', String(baud)]);
}

/** `idf.py --version` prints e.g. `ESP-IDF v4.4.6-dirty`. */
export function parseIdfVersion(text: string): { major: number; minor: number } | undefined {
  const m = /v(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const OPTIMIZATION: Record<string, string> = { s: 'SIZE', z: 'SIZE', '2': 'PERF', '3': 'PERF', '0': 'NONE', g: 'DEBUG' };

export interface SdkconfigOptions {
  codegenDir: string;
  optimize: string;
  release: boolean;
  /** Platform definitions: true/false → y/n, strings are quoted. */
  definitions: Record<string, string | boolean>;
}

/** `<proj>/sdkconfig.defaults` as MLonMCU writes it (§7.1 step 2). */
export function sdkconfigDefaults(o: SdkconfigOptions): string {
  const lines = [
    'CONFIG_PARTITION_TABLE_SINGLE_APP_LARGE=y',
    'CONFIG_ESP_TASK_WDT_TIMEOUT_S=60',
    `CONFIG_MLONMCU_CODEGEN_DIR="${o.codegenDir}"`,
  ];
  if (o.release) {
    lines.push(
      'CONFIG_LOG_DEFAULT_LEVEL_NONE=y',
      'CONFIG_COMPILER_OPTIMIZATION_ASSERTIONS_DISABLE=y',
      'CONFIG_NEWLIB_NANO_FORMAT=y',
    );
  }
  lines.push(`CONFIG_COMPILER_OPTIMIZATION_${OPTIMIZATION[o.optimize] ?? 'SIZE'}=y`);
  for (const [key, value] of Object.entries(o.definitions)) {
    lines.push(`CONFIG_${key}=${typeof value === 'boolean' ? (value ? 'y' : 'n') : JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** ESP-IDF from a config key or IDF_PATH, when it holds tools/idf.py and export.sh. */
export function findIdf(explicit: string | undefined): string | undefined {
  const dir = resolveSdkDir(explicit, 'IDF_PATH');
  return dir && existsSync(join(dir, 'tools', 'idf.py')) && existsSync(join(dir, 'export.sh')) ? dir : undefined;
}

/** An ESP-IDF project's ELF is `<proj>/build/app.elf` (template `project(app)`). */
export function idfProjectOf(elf: string): string | undefined {
  const m = /^(.*)\/build\/app\.elf$/.exec(elf);
  return m && existsSync(join(m[1], 'CMakeLists.txt')) ? m[1] : undefined;
}
