// RV32 bare metal on `qemu-system-riscv32 -M virt -bios none`, code linked at 0x80000000
// (-bios none jumps there). The CPU is restricted to the ISA the program was built for, so a
// wrong-ISA build traps instead of silently running.
import type { Availability, EnvironmentInfo, ProgramToRun, StageContext, Target, TargetRunResult, Toolchain } from '../core/component.js';
import type { ConfigView } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { runQemu } from './qemu/runner.js';
import { onPath, PICOLIBC_SEMIHOST_FLAGS } from './qemu/toolchain.js';

export interface RiscvIsa {
  /** Normalised -march, e.g. rv32imac. */
  march: string;
  extensions: Set<string>;
  abi: string;
}

const KNOWN = 'imafdc';

/** Parses `riscv_qemu.arch` (rv32imac, rv32gc, ...) and derives the ABI unless given. */
export function parseRiscvIsa(arch: string, abi?: string): RiscvIsa {
  const m = /^rv32([a-z]+)$/.exec(arch.trim().toLowerCase());
  const bad = (why: string): never => {
    throw new MlbenchError('config', `invalid riscv_qemu.arch ${JSON.stringify(arch)}: ${why}`, {
      hint: 'use e.g. rv32im, rv32imc, rv32imac, rv32imafc, rv32gc',
    });
  };
  if (!m) return bad('expected rv32 followed by extension letters');
  const letters = m[1].replace('g', 'imafd');
  const ext = new Set(letters.split(''));
  for (const l of ext) if (!KNOWN.includes(l)) bad(`extension ${l} is not supported here (only ${KNOWN}, g)`);
  if (!ext.has('i')) bad('the base ISA i is required');
  if (ext.has('d') && !ext.has('f')) bad('d needs f');
  const march = `rv32${[...KNOWN].filter((l) => ext.has(l)).join('')}`;
  const derived = ext.has('d') ? 'ilp32d' : ext.has('f') ? 'ilp32f' : 'ilp32';
  return { march, extensions: ext, abi: abi || derived };
}

/** `-cpu rv32,...` with every extension the build may not use switched off. */
export function riscvCpuOption(isa: RiscvIsa): string {
  const flags = ['m', 'a', 'f', 'd', 'c'].map((l) => `${l}=${isa.extensions.has(l) ? 'true' : 'false'}`);
  return ['rv32', ...flags].join(',');
}

/** Half of virt's 128 MiB DRAM for code/constants, a quarter for RAM; the FDT sits at the top. */
export const RISCV_VIRT_FLASH = { origin: 0x80000000, length: 32 * 1024 * 1024 };
export const RISCV_VIRT_RAM = { origin: 0x82000000, length: 32 * 1024 * 1024 };

function isaOf(config: ConfigView): RiscvIsa {
  return parseRiscvIsa(config.str('riscv_qemu.arch'), config.optStr('riscv_qemu.abi'));
}

const QEMU = 'qemu-system-riscv32';
const CC = 'riscv64-unknown-elf-gcc';

export const riscvQemuTarget: Target = {
  name: 'riscv_qemu',
  kind: 'target',
  aliases: ['qemu_riscv32', 'rv32_qemu'],
  description: 'RV32 bare metal on qemu-system-riscv32 -M virt; exact instruction counts by TCG plugin (rdinstret with icount)',
  config: [
    { key: 'arch', type: 'string', default: 'rv32imac', help: 'RISC-V ISA (-march), e.g. rv32im, rv32imc, rv32imac, rv32imafc, rv32gc' },
    { key: 'abi', type: 'string', default: null, help: 'RISC-V ABI (-mabi); default derived from arch: ilp32d with d, ilp32f with f, else ilp32' },
    { key: 'icount', type: 'bool', default: false, help: 'run with -icount shift=0 so rdinstret/rdcycle are exact; the program then prints its own counts' },
  ],
  descriptor: {
    arch: 'riscv32',
    cpu: 'qemu rv32',
    isa: 'rv32imac',
    flashBytes: RISCV_VIRT_FLASH.length,
    ramBytes: RISCV_VIRT_RAM.length,
    counter: 'QEMU TCG plugin, exact instructions between marker functions (rdinstret under riscv_qemu.icount)',
  },
  async availability(env: EnvironmentInfo): Promise<Availability> {
    const missing: string[] = [];
    const qemu = env.tools.qemu_riscv32 ?? QEMU;
    if (!onPath(qemu)) missing.push(`${qemu} not on PATH`);
    if (!onPath(CC)) missing.push(`${CC} not on PATH`);
    return {
      usable: missing.length === 0,
      missing,
      howToGet: 'apt-get install qemu-system-misc gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf',
    };
  },
  toolchain(config: ConfigView): Toolchain {
    const isa = isaOf(config);
    const flags = [`-march=${isa.march}`, `-mabi=${isa.abi}`, ...PICOLIBC_SEMIHOST_FLAGS];
    const defines: Record<string, string> = { MLIF_TARGET_RISCV_QEMU: '1' };
    // Without icount rdinstret returns host time; only print the program's own counts when exact.
    if (config.bool('riscv_qemu.icount')) defines.MLIF_COUNTER_INSTRET = '1';
    return {
      cc: CC,
      binutilsPrefix: 'riscv64-unknown-elf-',
      cflags: flags,
      ldflags: flags,
      memory: { flash: RISCV_VIRT_FLASH, ram: RISCV_VIRT_RAM },
      defines,
    };
  },
  async execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
    const isa = isaOf(ctx.config);
    const machineArgs = ['-M', 'virt', '-bios', 'none', '-cpu', riscvCpuOption(isa)];
    if (ctx.config.bool('riscv_qemu.icount')) machineArgs.push('-icount', 'shift=0');
    return runQemu(ctx, { binary: ctx.env.tools.qemu_riscv32 ?? QEMU, machineArgs, program, spStores: 'riscv' });
  },
};
