import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import type { Target } from '../../src/core/component.js';
import { runQemu } from '../../src/targets/qemu/runner.js';
import { riscvQemuTarget } from '../../src/targets/riscv_qemu.js';
import { compileAndRun } from './pipeline.js';

describe('mlif on riscv_qemu', () => {
  it('validates the fixture and counts the run region per inference', async () => {
    const { compiled, ran } = await compileAndRun(riscvQemuTarget, { config: { 'mlif.num_runs': 3 } });
    expect(compiled.validationVectors).toBe(3);
    expect(ran.exitCode).toBe(0);
    expect(ran.metrics.Validation).toBe('pass 3/3');
    const run = ran.metrics['Run Instructions'] as number;
    // Per inference = region / num_runs; the region also holds the loop and the marker call.
    expect(Number.isInteger(run * 3)).toBe(true);
    expect(run).toBeGreaterThan(16); // 16 elements, at least one instruction each
    expect(ran.metrics['Setup Instructions']).toBeGreaterThan(0);
    expect(ran.metrics['Total Instructions']).toBeGreaterThan(3 * run);
    expect(ran.metrics['RAM Stack Peak']).toBeGreaterThan(0);
    expect(ran.metrics['RAM Stack Peak']).toBeLessThan(compiled.stack!.high - compiled.stack!.low);
    const stdout = readFileSync(ran.stdoutFile, 'utf8');
    expect(stdout).toContain('Program start.');
    expect(stdout).toContain('# Validation Passed: 3');
    expect(stdout).toContain('MLONMCU EXIT: 0');
  });

  it('plugin counts equal rdinstret under -icount shift=0, run after run', async () => {
    const config = { 'riscv_qemu.icount': true, 'mlif.num_runs': 2 };
    const a = await compileAndRun(riscvQemuTarget, { config });
    const stdout = readFileSync(a.ran.stdoutFile, 'utf8');
    const printed = (name: string): number => Number(new RegExp(`# ${name}: (\\d+)`).exec(stdout)![1]);
    // Plugin's region counts are what the metrics hold; the program printed its own rdinstret.
    expect(a.ran.metrics['Run Instructions']).toBe(printed('Run Instructions') / 2);
    expect(a.ran.metrics['Setup Instructions']).toBe(printed('Setup Instructions'));
    expect(a.ran.metrics['Total Instructions']).toBe(printed('Total Instructions'));
    const b = await compileAndRun(riscvQemuTarget, { config });
    expect(b.ran.metrics).toEqual(a.ran.metrics);
  });

  it('reports a wrong reference vector as a validation failure (exit 0x12)', async () => {
    const { ran } = await compileAndRun(riscvQemuTarget, { wrongVectors: [1], off: 0.5 });
    expect(ran.exitCode).toBe(0x12);
    expect(ran.metrics.Validation).toBe('fail 2/3 (max 1 LSB)');
    const stdout = readFileSync(ran.stdoutFile, 'utf8');
    expect(stdout).toContain('MLIF MISMATCH vector=1 output=0 index=5 got=');
  });

  it('accepts a 1 LSB difference with validate.tolerance=1', async () => {
    const { ran } = await compileAndRun(riscvQemuTarget, {
      wrongVectors: [1],
      off: 0.5,
      config: { 'validate.tolerance': 1 },
    });
    expect(ran.metrics.Validation).toBe('pass 3/3 (max 1 LSB)');
  });

  it('stops a runaway program at the instruction limit', async () => {
    const err = await compileAndRun(riscvQemuTarget, {
      defines: { ADD_ONE_RUNAWAY: '1' },
      config: { 'mlif.instruction_limit': 2_000_000 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('timeout');
    expect((err as MlbenchError).message).toContain('stopped after 2000000 instructions');
  });

  it('reports an illegal instruction as a crash with the fault description', async () => {
    const err = await compileAndRun(riscvQemuTarget, { defines: { ADD_ONE_CRASH: '1' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('crash');
    expect((err as MlbenchError).message).toMatch(/RISCV fault: mcause 0x00000002 \(illegal instruction\), mepc 0x8/);
  });

  it('reports a wrong-ISA build (F instructions on a CPU without F) as a crash', async () => {
    // Built for rv32imafc, run on a CPU restricted to rv32imac.
    const noFpu: Target = {
      ...riscvQemuTarget,
      execute: (ctx, program) =>
        runQemu(ctx, {
          binary: 'qemu-system-riscv32',
          machineArgs: ['-M', 'virt', '-bios', 'none', '-cpu', 'rv32,m=true,a=true,f=false,d=false,c=true'],
          program,
        }),
    };
    const err = await compileAndRun(noFpu, {
      defines: { ADD_ONE_FLOAT: '1' },
      config: { 'riscv_qemu.arch': 'rv32imafc' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('crash');
    // crt0 touches fcsr before it installs its trap vector: the CPU then faults on every fetch
    // at mtvec=0 and completes no instruction, which the plugin's stall watch reports.
    expect((err as MlbenchError).message).toMatch(/^program crashed on riscv_qemu: the CPU stopped completing instructions after \d+ \(a fault before any trap handler was set up/);
  });

  it('the same float build runs on the matching CPU', async () => {
    const { ran } = await compileAndRun(riscvQemuTarget, {
      defines: { ADD_ONE_FLOAT: '1' },
      config: { 'riscv_qemu.arch': 'rv32imafc' },
    });
    expect(ran.metrics.Validation).toBe('pass 3/3');
  });

  it('profiles layer functions inside the run region', async () => {
    const { ran } = await compileAndRun(riscvQemuTarget, { features: ['validate', 'profile'] });
    // The fixture's one "layer" is invoke itself; the call into it is counted outside layers.
    expect(ran.profile!.map((p) => p.name)).toEqual(['mlb_model_invoke', '(invoke outside layers)']);
    const [layer] = ran.profile!;
    expect(layer.instructions).toBeGreaterThan(16);
    expect(ran.profile!.reduce((a, p) => a + p.instructions, 0)).toBe(ran.metrics['Run Instructions']);
  });

  it.each(['rv32im', 'rv32imc', 'rv32gc'])('builds and runs for %s on a CPU restricted to it', async (arch) => {
    const { ran } = await compileAndRun(riscvQemuTarget, { config: { 'riscv_qemu.arch': arch } });
    expect(ran.metrics.Validation).toBe('pass 3/3');
  });
});
