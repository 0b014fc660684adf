import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgramToRun, Target } from '../../src/core/component.js';
import { MlbenchError } from '../../src/core/errors.js';
import { parseRegionOverflows } from '../../src/platforms/mlif/linker.js';
import { corstone300Target, cortexM4QemuTarget, cortexM7QemuTarget } from '../../src/targets/arm/index.js';
import { chooseSimulator } from '../../src/targets/arm/corstone300.js';
import { stm32f103Target } from '../../src/targets/boards/index.js';
import { testContext } from '../helpers/context.js';
import { buildFixture } from './build.js';

function context(target: Target, config: Record<string, unknown> = {}) {
  return testContext({ stage: 'run', components: [target], config });
}

// Exact plugin counts for the add_one fixture at -O2 with GCC 12.2 / picolibc 1.8 (Debian 12).
const EXPECTED: [Target, Record<string, number>][] = [
  [corstone300Target, { total: 186, setup: 13, run: 146 }],
  [cortexM4QemuTarget, { total: 184, setup: 13, run: 144 }],
  [cortexM7QemuTarget, { total: 184, setup: 13, run: 144 }],
  [stm32f103Target, { total: 184, setup: 13, run: 144 }],
];

describe.each(EXPECTED.map(([t, e]) => [t.name, t, e] as const))('%s on qemu-system-arm', (_name, target, expected) => {
  it('runs the add_one fixture with exact, repeatable instruction counts', async () => {
    const { program, linkError } = buildFixture(target);
    expect(linkError).toBeUndefined();
    const config = target === corstone300Target ? { 'corstone300.simulator': 'qemu' } : {};
    const first = await target.execute(context(target, config), program!);
    const second = await target.execute(context(target, config), program!);
    expect(first.crash).toBeUndefined();
    expect(first.exitCode).toBe(0);
    expect(first.timedOut || first.limitHit).toBe(false);
    expect(first.stdout).toContain('Program start.');
    expect(first.stdout).toContain('MLONMCU EXIT: 0');
    expect(first.regions).toEqual(expected);
    expect(second.regions).toEqual(expected);
  });
});

describe('plugin counts on Thumb code', () => {
  it.each([cortexM4QemuTarget, corstone300Target].map((t) => [t.name, t] as const))('%s: a 2N+1 loop adds exactly 2 per iteration', async (_name, target) => {
    const loop = join(import.meta.dirname, 'fixtures', 'counted_loop.c');
    const config = target === corstone300Target ? { 'corstone300.simulator': 'qemu' } : {};
    const runs: number[] = [];
    for (const n of [100, 2100]) {
      const { program } = buildFixture(target, loop, [`-DLOOP_N=${n}`]);
      runs.push((await target.execute(context(target, config), program!)).regions.run);
    }
    expect(runs[1] - runs[0]).toBe(4000);
  });
});

describe('Arm targets: limits and missing tools', () => {
  it('stm32f103 links with the Blue Pill’s 64 KiB flash, so 100 KiB of weights are refused', () => {
    const { program, linkError } = buildFixture(stm32f103Target, join(import.meta.dirname, 'fixtures', 'big_weights.c'));
    expect(program).toBeUndefined();
    const overflow = parseRegionOverflows(linkError!);
    expect(overflow.map((o) => o.region)).toEqual(['flash']);
    expect(overflow[0].bytes).toBeGreaterThan(100 * 1024 - 64 * 1024);
    // The same program fits the Cortex-M3 machine's own 4 MiB.
    expect(stm32f103Target.toolchain(context(stm32f103Target).config).memory).toEqual({
      flash: { origin: 0, length: 65536 },
      ram: { origin: 0x20000000, length: 20480 },
    });
  });

  it('corstone300 puts the vector table in ITCM at 0x0 and code in DDR', () => {
    const tc = corstone300Target.toolchain(context(corstone300Target).config);
    expect(tc.memory?.vectors).toEqual({ origin: 0, length: 512 * 1024 });
    expect(tc.memory?.flash.origin).toBe(0x70000000);
    expect(tc.cflags.slice(0, 3)).toEqual(['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard']);
  });

  it('reports a missing qemu-system-arm and a missing FVP clearly', async () => {
    const program: ProgramToRun = { elf: '/nonexistent.elf', markers: {}, timeoutMs: 1000, instructionLimit: 0 };
    const ctx = context(cortexM4QemuTarget);
    ctx.env.tools.qemu_arm = '/opt/none/qemu-system-arm';
    const err = (await cortexM4QemuTarget.execute(ctx, program).catch((e: unknown) => e)) as MlbenchError;
    expect(err).toBeInstanceOf(MlbenchError);
    expect(err.kind).toBe('tool-missing');
    expect(err.message).toBe('/opt/none/qemu-system-arm not found on PATH');
    expect((await cortexM4QemuTarget.availability!(ctx.env)).missing).toEqual(['/opt/none/qemu-system-arm not found on PATH']);

    const fvpCtx = context(corstone300Target, { 'corstone300.simulator': 'fvp' });
    const fvpErr = (await corstone300Target.execute(fvpCtx, program).catch((e: unknown) => e)) as MlbenchError;
    expect(fvpErr.kind).toBe('tool-missing');
    expect(fvpErr.message).toBe('FVP_Corstone_SSE-300_Ethos-U55 not found on PATH or in corstone300.fvp_path');
    expect(fvpErr.hint).toMatch(/developer\.arm\.com/);
    expect(chooseSimulator(context(corstone300Target).config)).toBe('qemu');
  });
});

describe('stm32f103 through the mlif program build', () => {
  it('refuses a model larger than the Blue Pill with "needs X kB flash of 64 kB"', async () => {
    const { mkdtempSync, copyFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { buildProgram } = await import('../../src/platforms/mlif/build.js');
    const fixtures = join(import.meta.dirname, 'fixtures');
    const buildDir = mkdtempSync(join(tmpdir(), 'mlbench-f103-'));
    copyFileSync(join(fixtures, 'big_weights.c'), join(buildDir, 'big_weights.c'));
    copyFileSync(join(import.meta.dirname, '..', 'platforms', 'fixtures', 'add_one', 'mlb_model.h'), join(buildDir, 'mlb_model.h'));
    const ctx = testContext({ stage: 'compile', components: [stm32f103Target] });
    const err = (await buildProgram(ctx, {
      toolchain: stm32f103Target.toolchain(ctx.config),
      build: { backend: 'fixture', framework: 'fixture', sources: ['big_weights.c'], includeDirs: [], defines: {}, cflags: [], arenaBytes: 0, inputs: [], outputs: [], layerFunctions: [] },
      buildDir,
      dataSource: readFileSync(join(fixtures, 'no_vectors.c'), 'utf8'),
      optimize: 's',
      debug: false,
      numRuns: 1,
      stackBytes: 2048,
      heapBytes: 0,
    }).catch((e: unknown) => e)) as MlbenchError;
    expect(err).toBeInstanceOf(MlbenchError);
    expect(err.kind).toBe('memory');
    expect(err.message).toMatch(/^program does not fit the target: needs 1\d\d(\.\d)? kB flash of 64 kB$/);
  });
});
