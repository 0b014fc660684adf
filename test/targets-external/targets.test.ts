import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProgramToRun, Target } from '../../src/core/component.js';
import { MlbenchError } from '../../src/core/errors.js';
import { boardTargets, esp32Target, esp32c3Target, stm32f4Target, stm32f7Target } from '../../src/targets/boards/index.js';
import { captureSerial } from '../../src/targets/external/serial.js';
import { etissTarget, externalTargets, spikeTarget } from '../../src/targets/external/index.js';
import { testContext } from '../helpers/context.js';

const program: ProgramToRun = { elf: '/nonexistent/prog.elf', markers: {}, timeoutMs: 1000, instructionLimit: 1e9 };

async function executeError(target: Target, config: Record<string, unknown> = {}): Promise<MlbenchError> {
  const ctx = testContext({ stage: 'run', components: [target], config });
  const err = await target.execute(ctx, program).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MlbenchError);
  return err as MlbenchError;
}

describe('targets whose tools are absent here', () => {
  beforeEach(() => {
    for (const v of ['ETISS_DIR', 'IDF_PATH', 'ZEPHYR_BASE']) delete process.env[v];
  });

  it('say exactly what is missing and how to get it', async () => {
    const etiss = await executeError(etissTarget);
    expect(etiss.kind).toBe('tool-missing');
    expect(etiss.message).toBe('ETISS not found: neither etiss.install_dir nor ETISS_DIR is set');
    expect(etiss.hint).toMatch(/build tum-ei-eda\/etiss/);
    const etissAt = await executeError(etissTarget, { 'etiss.install_dir': '/opt/none' });
    expect(etissAt.message).toBe('ETISS not found: /opt/none/bin/bare_etiss_processor does not exist');

    const spike = await executeError(spikeTarget);
    expect(spike.message).toBe('spike not found on PATH or in spike.exe; pk (riscv-pk proxy kernel) not found on PATH or in spike.pk');

    const esp = await executeError(esp32c3Target, { 'esp32c3.port': '/dev/ttyUSB0' });
    expect(esp.kind).toBe('tool-missing');
    expect(esp.message).toBe('ESP-IDF not found: neither esp32c3.idf_path nor IDF_PATH points to an ESP-IDF checkout');

    const zephyr = await executeError(stm32f7Target);
    expect(zephyr.kind).toBe('tool-missing');
    expect(zephyr.message).toMatch(/west not found on PATH; Zephyr not found/);

    for (const t of [...externalTargets, ...boardTargets.filter((b) => b.name !== 'stm32f103')]) {
      const a = await t.availability!({ home: '/', modelPaths: [], tools: {}, cacheDir: '/' });
      expect(a.usable, t.name).toBe(false);
      expect(a.missing.length, t.name).toBeGreaterThan(0);
      expect(a.howToGet, t.name).toBeTruthy();
    }
  });

  it('esp32 has no Xtensa toolchain here; esp32c3 compiles for rv32imc with its real memories', () => {
    const ctx = testContext({ stage: 'compile', components: [esp32Target, esp32c3Target] });
    expect(() => esp32Target.toolchain(ctx.config)).toThrow(/xtensa-esp32-elf-gcc not found on PATH/);
    const tc = esp32c3Target.toolchain(ctx.config);
    expect(tc.cflags.slice(0, 2)).toEqual(['-march=rv32imc', '-mabi=ilp32']);
    expect(tc.memory).toEqual({ flash: { origin: 0x42000000, length: 2 * 1024 * 1024 }, ram: { origin: 0x3fc80000, length: 384 * 1024 } });
    expect(esp32c3Target.descriptor).toMatchObject({ flashBytes: 2097152, ramBytes: 393216, clockHz: 160e6 });
    expect(esp32Target.descriptor).toMatchObject({ arch: 'xtensa', flashBytes: 448 * 1024, ramBytes: 328 * 1024, clockHz: 240e6 });
    expect(stm32f4Target.descriptor).toMatchObject({ board: 'NUCLEO-F413ZH', flashBytes: 1536 * 1024, ramBytes: 320 * 1024 });
    expect(stm32f7Target.descriptor).toMatchObject({ board: 'STM32F746G-DISCO', flashBytes: 1024 * 1024, ramBytes: 320 * 1024, clockHz: 216e6 });
  });

  it('esp32c3 toolchain really compiles C for rv32imc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-esp-'));
    const ctx = testContext({ stage: 'compile', components: [esp32c3Target] });
    const tc = esp32c3Target.toolchain(ctx.config);
    const src = join(dir, 'a.c');
    execFileSync('sh', ['-c', `printf 'int f(int a,int b){return a*b;}\\n' > ${src}`]);
    execFileSync(tc.cc, [...tc.cflags, '-O2', '-c', src, '-o', join(dir, 'a.o')]);
    const header = execFileSync(`${tc.binutilsPrefix}readelf`, ['-h', join(dir, 'a.o')]).toString();
    expect(header).toMatch(/Class:\s+ELF32/);
    expect(header).toMatch(/Flags:\s+0x1, RVC, soft-float ABI/);
  });
});

describe('serial capture', () => {
  it('stops at the exit line and keeps everything read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-serial-'));
    const fifo = join(dir, 'tty');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf 'boot\\nProgram start.\\n# Run Cycles: 42\\nProgram finish.\\nMLONMCU EXIT: 0\\n' > ${fifo}; sleep 5`]);
    const capture = await captureSerial(fifo, { timeoutMs: 4000 });
    writer.kill();
    expect(capture.timedOut).toBe(false);
    expect(capture.text).toBe('boot\nProgram start.\n# Run Cycles: 42\nProgram finish.\nMLONMCU EXIT: 0\n');
  });
});

describe('esp32c3 compile stage without ESP-IDF', () => {
  it('links the mlif program for rv32imc at the chip’s flash/SRAM addresses', async () => {
    const { copyFileSync, readFileSync } = await import('node:fs');
    const { buildProgram } = await import('../../src/platforms/mlif/build.js');
    const { readElf, EM_RISCV } = await import('../../src/targets/elf.js');
    const addOne = join(import.meta.dirname, '..', 'platforms', 'fixtures', 'add_one');
    const buildDir = mkdtempSync(join(tmpdir(), 'mlbench-c3-'));
    for (const f of ['model.c', 'mlb_model.h']) copyFileSync(join(addOne, f), join(buildDir, f));
    const ctx = testContext({ stage: 'compile', components: [esp32c3Target] });
    const built = await buildProgram(ctx, {
      toolchain: esp32c3Target.toolchain(ctx.config),
      build: { backend: 'fixture', framework: 'fixture', sources: ['model.c'], includeDirs: [], defines: {}, cflags: [], arenaBytes: 0, inputs: [], outputs: [], layerFunctions: [] },
      buildDir,
      dataSource: readFileSync(join(import.meta.dirname, '..', 'targets-arm', 'fixtures', 'no_vectors.c'), 'utf8'),
      optimize: 's',
      debug: false,
      numRuns: 1,
      stackBytes: 2048,
      heapBytes: 0,
    });
    const elf = readElf(built.elf);
    expect(elf.machine).toBe(EM_RISCV);
    const section = (name: string) => elf.sections.find((s) => s.name === name)!;
    expect(section('.init').addr).toBe(0x42000000);
    expect(section('.stack').addr).toBeGreaterThanOrEqual(0x3fc80000);
    expect(section('.stack').addr + section('.stack').size).toBeLessThanOrEqual(0x3fc80000 + 384 * 1024);
  });
});
