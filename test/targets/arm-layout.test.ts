// The linker script, ELF reader and QEMU runner on an Arm machine with a separate vector-table
// region (Corstone-300 / MPS3 AN547: vectors in ITCM at 0x0, code in SRAM, data in DTCM).
// The Arm targets themselves live elsewhere; this checks the shared pieces they rely on.
import { DEFAULT_STACK_BYTES } from '../../src/platforms/mlif/index.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/core/component.js';
import { EM_ARM, findSymbol, readElf } from '../../src/targets/elf.js';
import { runQemu } from '../../src/targets/qemu/runner.js';
import { PICOLIBC_SEMIHOST_FLAGS, onPath } from '../../src/targets/qemu/toolchain.js';
import { compileAndRun } from '../platforms/pipeline.js';

const cpu = ['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard'];
const an547: Target = {
  name: 'an547_layout_check',
  kind: 'target',
  description: 'test-only Arm layout',
  config: [],
  descriptor: { arch: 'arm', cpu: 'cortex-m55', isa: 'armv8.1-m', flashBytes: 2 << 20, ramBytes: 512 << 10, counter: 'plugin' },
  toolchain: () => ({
    cc: 'arm-none-eabi-gcc',
    binutilsPrefix: 'arm-none-eabi-',
    cflags: [...cpu, ...PICOLIBC_SEMIHOST_FLAGS],
    ldflags: [...cpu, ...PICOLIBC_SEMIHOST_FLAGS],
    memory: {
      vectors: { origin: 0x0, length: 512 << 10 },
      flash: { origin: 0x01000000, length: 2 << 20 },
      ram: { origin: 0x20000000, length: 512 << 10 },
    },
    defines: {},
  }),
  execute: (ctx, program) => runQemu(ctx, { binary: 'qemu-system-arm', machineArgs: ['-M', 'mps3-an547'], program }),
};

const usable = onPath('arm-none-eabi-gcc') && onPath('qemu-system-arm');
if (!usable) console.warn('skipping Arm layout test: arm-none-eabi-gcc or qemu-system-arm missing');

describe.skipIf(!usable)('Arm layout with a vector region (mps3-an547)', () => {
  it('links, runs, validates and counts with Thumb marker addresses', async () => {
    const { compiled, ran } = await compileAndRun(an547, { config: { 'mlif.num_runs': 2 } });
    const elf = readElf(compiled.elf);
    expect(elf.machine).toBe(EM_ARM);
    // Thumb function symbols have bit 0 set; markers hold the instruction address.
    const sym = findSymbol(elf, 'mlif_marker_run_begin')!;
    expect(sym.value & 1).toBe(1);
    expect(compiled.markers.run_begin).toBe(sym.value - 1);
    const init = elf.sections.find((s) => s.name === '.init')!;
    expect(init.addr).toBe(0);
    expect(ran.metrics.Validation).toBe('pass 3/3');
    expect(ran.metrics['Run Instructions']).toBeGreaterThan(16);
    expect(ran.metrics['RAM Stack Peak']).toBeGreaterThan(0);
    expect(readFileSync(ran.stdoutFile, 'utf8')).toContain('MLONMCU EXIT: 0');

    // Memory figures reconcile with arm-none-eabi-size -A, section by section.
    const size = new Map<string, number>();
    for (const line of execFileSync('arm-none-eabi-size', ['-A', '-d', compiled.elf], { encoding: 'utf8' }).split('\n')) {
      const f = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
      if (f) size.set(f[1], Number(f[2]));
    }
    const sum = (names: string[]): number => names.reduce((a, n) => a + (size.get(n) ?? 0), 0);
    const m = compiled.memory;
    expect(m['ROM Code']).toBe(sum(['.init', '.text']));
    expect(m['ROM Read-only']).toBe(sum(['.rodata', '.init_array']));
    expect(m['ROM Total']).toBe(sum(['.init', '.text', '.rodata', '.init_array', '.data', '.tdata']));
    expect(m['RAM Total']).toBe(sum(['.data', '.tdata', '.tbss_space', '.bss', '.heap', '.stack']));
    expect(m['RAM Stack']).toBe(DEFAULT_STACK_BYTES);
  });
});

describe.skipIf(!usable)('Arm faults (mps3-an547)', () => {
  it("reports a HardFault with picolibc's fault description", async () => {
    const err = await compileAndRun(an547, { defines: { ADD_ONE_CRASH: '1' } }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^program crashed on an547_layout_check: ARM fault: hardfault, PC 0x010[0-9a-f]{5}, LR 0x0/);
  });
});
