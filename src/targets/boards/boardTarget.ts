// Real boards reached through their vendors' SDKs (absent here): ESP-IDF for Espressif chips,
// Zephyr's west for STM32. The program runs on the device; the host flashes it and reads the
// serial console. Compile-time memory checks work without the SDK through toolchain().
import type { Availability, ProgramToRun, StageContext, Target, TargetDescriptor, TargetRunResult, Toolchain } from '../../core/component.js';
import type { ConfigKeySpec, ConfigView } from '../../core/config.js';
import { MlbenchError } from '../../core/errors.js';
import { cycleRegions, instructionRegions, parseBenchOutput } from '../external/benchOutput.js';
import { findIdf, idfFlash, idfProjectOf } from '../external/espidf.js';
import { captureSerial, configurePort, DEFAULT_STOP_PATTERNS } from '../external/serial.js';
import { toolMissing } from '../external/tools.js';
import { findZephyr, parseZephyrOutput, westFlash, ZEPHYR_HOW_TO_GET, zephyrProjectOf } from '../external/zephyr.js';

export interface BoardSpec {
  name: string;
  description: string;
  descriptor: TargetDescriptor;
  toolchain(config: ConfigView): Toolchain;
}

const SERIAL_KEYS: ConfigKeySpec[] = [
  { key: 'port', type: 'string', default: null, help: 'serial port of the board, e.g. /dev/ttyUSB0' },
  { key: 'baud', type: 'int', default: 115200, min: 1, help: 'serial baud rate' },
  { key: 'flash', type: 'bool', default: true, help: 'flash before capturing (false: the program is already on the board)' },
];

function requirePort(ctx: StageContext, name: string): string {
  const port = ctx.config.optStr(`${name}.port`);
  if (!port) throw new MlbenchError('config', `${name}.port is not set`, { hint: `set ${name}.port=/dev/ttyUSB0 (the board's serial port)` });
  return port;
}

async function flashAndCapture(
  ctx: StageContext,
  name: string,
  program: ProgramToRun,
  flash: { cmd: string; args: string[]; env?: Record<string, string> },
): Promise<{ text: string; timedOut: boolean }> {
  const port = requirePort(ctx, name);
  if (ctx.config.bool(`${name}.flash`)) {
    await ctx.exec(flash.cmd, flash.args, { env: flash.env, timeoutMs: 10 * 60_000 });
  }
  await configurePort(ctx, port, ctx.config.int(`${name}.baud`));
  const capture = await captureSerial(port, { stopAt: DEFAULT_STOP_PATTERNS, timeoutMs: program.timeoutMs, signal: ctx.signal });
  ctx.log(capture.text);
  return capture;
}

export const IDF_HOW_TO_GET =
  'clone ESP-IDF (release/v4.4 or v5.x), run python tools/idf_tools.py install --targets=all, then set IDF_PATH=<esp-idf> (or <target>.idf_path)';

/** A board programmed through ESP-IDF's idf.py (EXTERNAL-TOOLS.md §7.1). */
export function espIdfBoard(spec: BoardSpec & { chip: string }): Target {
  const missingText = (config: ConfigView | undefined): string => {
    const explicit = config?.optStr(`${spec.name}.idf_path`);
    return explicit
      ? `ESP-IDF not found at ${spec.name}.idf_path=${explicit} (needs tools/idf.py and export.sh)`
      : `ESP-IDF not found: neither ${spec.name}.idf_path nor IDF_PATH points to an ESP-IDF checkout`;
  };
  return {
    name: spec.name,
    kind: 'target',
    description: spec.description,
    descriptor: spec.descriptor,
    config: [{ key: 'idf_path', type: 'path', default: null, help: 'ESP-IDF checkout (default $IDF_PATH)' }, ...SERIAL_KEYS],
    async availability(): Promise<Availability> {
      return findIdf(undefined)
        ? { usable: true, missing: [] }
        : { usable: false, missing: [missingText(undefined)], howToGet: IDF_HOW_TO_GET };
    },
    toolchain: spec.toolchain,
    async execute(ctx, program): Promise<TargetRunResult> {
      const idf = findIdf(ctx.config.optStr(`${spec.name}.idf_path`));
      if (!idf) throw toolMissing(missingText(ctx.config), IDF_HOW_TO_GET);
      const project = idfProjectOf(program.elf);
      if (!project) {
        throw new MlbenchError('unsupported', `${spec.name} runs ESP-IDF projects (<project>/build/app.elf); ${program.elf} is not one`, {
          hint: 'build the program with the espidf platform',
        });
      }
      const port = requirePort(ctx, spec.name);
      const flash = idfFlash(idf, project, port, ctx.config.int(`${spec.name}.baud`));
      return boardRunResult(await flashAndCapture(ctx, spec.name, program, flash));
    },
  };
}

/** Figures from a board's serial output; `totalCycles` stands in when the program printed none. */
function boardRunResult(capture: { text: string; timedOut: boolean }, totalCycles?: number): TargetRunResult {
  const bench = parseBenchOutput(capture.text);
  const cycles = cycleRegions(bench.metrics);
  if (cycles.total === undefined && totalCycles !== undefined) cycles.total = totalCycles;
  return {
    stdout: capture.text,
    exitCode: bench.exitCode ?? null,
    timedOut: capture.timedOut,
    limitHit: false,
    regions: instructionRegions(bench.metrics),
    cycles,
  };
}

/** A board programmed through Zephyr's `west flash` (EXTERNAL-TOOLS.md §7.2). */
export function zephyrBoard(spec: BoardSpec & { zephyrBoard: string }): Target {
  const name = spec.name;
  return {
    name,
    kind: 'target',
    description: spec.description,
    descriptor: spec.descriptor,
    config: [
      { key: 'zephyr_base', type: 'path', default: null, help: 'Zephyr tree (default $ZEPHYR_BASE)' },
      { key: 'venv', type: 'path', default: null, help: 'virtualenv holding west (default: west on PATH)' },
      { key: 'board', type: 'string', default: spec.zephyrBoard, help: 'Zephyr board name for west build -b' },
      ...SERIAL_KEYS,
    ],
    async availability(): Promise<Availability> {
      const z = findZephyr(undefined, undefined);
      return z.missing.length === 0 ? { usable: true, missing: [] } : { usable: false, missing: z.missing, howToGet: ZEPHYR_HOW_TO_GET };
    },
    toolchain: spec.toolchain,
    async execute(ctx, program): Promise<TargetRunResult> {
      const venv = ctx.config.optStr(`${name}.venv`);
      const z = findZephyr(ctx.config.optStr(`${name}.zephyr_base`), venv);
      if (!z.zephyrBase || !z.west) throw toolMissing(z.missing.join('; '), ZEPHYR_HOW_TO_GET);
      const project = zephyrProjectOf(program.elf);
      if (!project) {
        throw new MlbenchError('unsupported', `${name} runs Zephyr builds (<project>/build/zephyr/zephyr.elf); ${program.elf} is not one`, {
          hint: 'build the program with the zephyr platform',
        });
      }
      const flash = { ...westFlash(project, venv), env: { ZEPHYR_BASE: z.zephyrBase } };
      const capture = await flashAndCapture(ctx, name, program, flash);
      return boardRunResult(capture, parseZephyrOutput(capture.text).totalCycles);
    },
  };
}
