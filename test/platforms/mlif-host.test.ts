import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostX86Target } from '../../src/targets/host_x86.js';
import { compileAndRun, contexts } from './pipeline.js';
import { mlifPlatform } from '../../src/platforms/mlif/index.js';
import { MlbenchError } from '../../src/core/errors.js';
import { liveGroups } from '../../src/core/process-group.js';

describe('mlif on host_x86 (callgrind)', () => {
  it('validates the fixture; the same binary gives the same counts twice', async () => {
    const c = contexts(hostX86Target, { config: { 'mlif.num_runs': 4 } });
    const compiled = await mlifPlatform.compile(c.compileCtx, c.build, hostX86Target, c.load);
    const first = await mlifPlatform.run(c.runCtx, compiled, hostX86Target, c.load);
    const second = await mlifPlatform.run(c.runCtx, compiled, hostX86Target, c.load);
    expect(first.metrics.Validation).toBe('pass 3/3');
    expect(first.metrics['Run Instructions']).toBeGreaterThan(16);
    expect(first.metrics['Setup Instructions']).toBeGreaterThan(0);
    expect(second.metrics).toEqual(first.metrics);
    expect(readFileSync(first.stdoutFile, 'utf8')).toContain('MLONMCU EXIT: 0');
  });

  it('setup does not depend on num_runs, the run region grows with it', async () => {
    const one = await compileAndRun(hostX86Target, { config: { 'mlif.num_runs': 1 } });
    const four = await compileAndRun(hostX86Target, { config: { 'mlif.num_runs': 4 } });
    const r1 = one.ran.metrics['Run Instructions'] as number;
    const r4 = (four.ran.metrics['Run Instructions'] as number) * 4;
    expect(four.ran.metrics['Setup Instructions']).toBe(one.ran.metrics['Setup Instructions']);
    expect(r4).toBeGreaterThan(3 * r1);
  });

  it('reports a mismatching vector as a validation failure', async () => {
    const { ran } = await compileAndRun(hostX86Target, { wrongVectors: [0, 2], off: 1 });
    expect(ran.exitCode).toBe(0x12);
    expect(ran.metrics.Validation).toBe('fail 1/3 (max 2 LSB)');
    const stdout = readFileSync(ran.stdoutFile, 'utf8');
    expect(stdout).toContain('MLIF MISMATCH vector=0 output=0 index=5 got=');
    expect(stdout).toContain('MLIF MISMATCH vector=2 output=0 index=5 got=');
  });
});

describe('mlif on host_x86: failures', () => {
  it('reports a trapping program as a crash with the signal', async () => {
    const err = await compileAndRun(hostX86Target, { defines: { ADD_ONE_CRASH: '1' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('crash');
    expect((err as MlbenchError).message).toMatch(/^program crashed on host_x86: signal 4 \(SIGILL\)/);
  });

  it('stops a runaway program at mlif.timeout', async () => {
    const err = await compileAndRun(hostX86Target, {
      defines: { ADD_ONE_RUNAWAY: '1' },
      config: { 'mlif.timeout': 1 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).kind).toBe('timeout');
    expect((err as MlbenchError).message).toBe('no result after 1 s (mlif.timeout)');
    // valgrind and the program were ended with their process group.
    expect(liveGroups()).toEqual([]);
  });

  it('profiles layer functions by their inclusive callgrind cost in the run region', async () => {
    const { ran } = await compileAndRun(hostX86Target, { features: ['validate', 'profile'], config: { 'mlif.num_runs': 2 } });
    // Per inference: the inclusive cost of invoke plus what the run region spends outside it.
    expect(ran.profile!.map((p) => p.name)).toEqual(['mlb_model_invoke', '(invoke outside layers)']);
    const [layer] = ran.profile!;
    expect(layer.instructions).toBeGreaterThan(16);
    expect(ran.profile!.reduce((a, p) => a + p.instructions, 0)).toBe(ran.metrics['Run Instructions']);
  });
});
