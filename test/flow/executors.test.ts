// The executor's settings, squeue's output and where the executor keys go: no cluster needed.
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { loadEnvironment } from '../../src/flow/environment.js';
import { sessionExecutor } from '../../src/flow/executors/index.js';
import { expandTaskIds, parseMaxArraySize, parseSqueue } from '../../src/flow/executors/slurm/client.js';
import { arrayArg, resourceArgs, slurmSettings } from '../../src/flow/executors/slurm/settings.js';
import { TASK_SCRIPT } from '../../src/flow/executors/slurm/submissions.js';
import { expandRuns, type FlowRequest } from '../../src/flow/matrix.js';
import { Registry } from '../../src/flow/registry.js';
import { coresGranted } from '../../src/core/cores.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { tempHome } from '../e2e/cli-helpers.js';

describe('slurm.* settings', () => {
  it('become sbatch arguments, one argv element each', () => {
    const s = slurmSettings({ 'slurm.partition': 'short,long', 'slurm.time': '1:30:00', 'slurm.cpus': 2, 'slurm.mem': '2G', 'slurm.max_parallel': 8, 'slurm.extra_args': ['--qos=x y', '--exclusive'] });
    expect(resourceArgs(s)).toEqual(['--partition=short,long', '--time=1:30:00', '--cpus-per-task=2', '--mem=2G', '--qos=x y', '--exclusive']);
    expect(arrayArg(20, s)).toBe('--array=0-19%8');
    expect(arrayArg(3, slurmSettings({}))).toBe('--array=0-2');
    expect(resourceArgs(slurmSettings({}))).toEqual(['--cpus-per-task=1']);
  });

  it.each([
    [{ 'slurm.time': '1h' }, /slurm.time/],
    [{ 'slurm.time': '--wrap=rm' }, /slurm.time/],
    [{ 'slurm.partition': 'a;b' }, /slurm.partition/],
    [{ 'slurm.partition': '-p' }, /slurm.partition/],
    [{ 'slurm.mem': '2 GB' }, /slurm.mem/],
    [{ 'slurm.extra_args': ['-p', 'x'] }, /one long sbatch option/],
    [{ 'slurm.extra_args': ['qos=x'] }, /one long sbatch option/],
    [{ 'slurm.extra_args': ['--wrap=rm -rf ~'] }, /mlbench sets --wrap itself/],
    [{ 'slurm.extra_args': ['--array=0-9'] }, /mlbench sets --array itself/],
    [{ 'slurm.extra_args': ['--output=/etc/x'] }, /mlbench sets --output itself/],
    [{ 'slurm.extra_args': ['--time=5'] }, /use slurm.time/],
    [{ 'slurm.extra_args': ['--qos=a\nb'] }, /one long sbatch option/],
  ])('refuses %j', (config, message) => {
    expect(() => slurmSettings(config)).toThrow(message);
  });

  it('accepts every time format Slurm has', () => {
    for (const t of ['30', '5:00', '1:30:00', '2-0', '2-12:00', '1-00:00:00', 'UNLIMITED']) expect(slurmSettings({ 'slurm.time': t }).time).toBe(t);
  });
});

describe('scontrol show config', () => {
  it('gives MaxArraySize, the largest array a submission may be', () => {
    expect(parseMaxArraySize('Configuration data as of 2026-12-01T07:00:00\nMaxArraySize            = 16\nMaxJobCount             = 10000\n')).toBe(16);
    expect(parseMaxArraySize('MaxJobCount = 10000\n')).toBeUndefined();
  });
});

describe('squeue output', () => {
  it('expands array task ranges and throttles', () => {
    expect(expandTaskIds('3')).toEqual([3]);
    expect(expandTaskIds('2-5')).toEqual([2, 3, 4, 5]);
    expect(expandTaskIds('0-3%2')).toEqual([0, 1, 2, 3]);
    expect(expandTaskIds('1,4-5')).toEqual([1, 4, 5]);
    expect(expandTaskIds('N/A')).toEqual([]);
  });

  it('reads the fields of each line', () => {
    // As printed by Slurm 22.05 for a cancelled array (exit_code is a raw wait status).
    const lines = parseSqueue('7|2-5|CANCELLED|Resources|0|||\n7|1|FAILED|NonZeroExitCode|1792|vm|\n7|0|TIMEOUT|TimeLimit|15|vm|\n');
    expect(lines).toEqual([
      { arrayJobId: '7', tasks: [2, 3, 4, 5], state: 'CANCELLED', reason: 'Resources', exitStatus: 0, node: '' },
      { arrayJobId: '7', tasks: [1], state: 'FAILED', reason: 'NonZeroExitCode', exitStatus: 1792, node: 'vm' },
      { arrayJobId: '7', tasks: [0], state: 'TIMEOUT', reason: 'TimeLimit', exitStatus: 15, node: 'vm' },
    ]);
  });

  it('the batch script runs its arguments and nothing else', () => {
    expect(TASK_SCRIPT.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['exec "$@"']);
  });
});

const shared = sharedModelsDir();
describe.skipIf(!shared)('executor keys belong to the session', () => {
  const request = (config: string[], configGen: string[][][] = []): FlowRequest => ({
    until: 'compile',
    models: ['sine_model'],
    backends: [],
    targets: ['riscv_qemu'],
    platforms: [],
    features: [],
    config,
    featureGen: [],
    configGen,
  });

  it('a run is the same whichever executor runs it', () => {
    const env = loadEnvironment(tempHome());
    const registry = new Registry();
    const plain = expandRuns(request(['mlif.optimize=2']), env, registry);
    const slurm = expandRuns(request(['mlif.optimize=2', 'executor=slurm', 'slurm.time=5']), env, registry);
    expect(slurm).toEqual(plain);
    expect(() => expandRuns(request([], [[['slurm.time=1'], ['slurm.time=2']]]), env, registry)).toThrow(/slurm.time cannot vary within a sweep/);
  });

  it('--executor wins over -c, -c over environment.yml; a resumed session keeps what it had', () => {
    const env = loadEnvironment(tempHome());
    env.settings.config = { executor: 'slurm', 'slurm.time': '10' };
    const registry = new Registry();
    expect(sessionExecutor(env, registry, [])).toEqual({ name: 'slurm', config: { 'slurm.time': '10' } });
    expect(sessionExecutor(env, registry, ['executor=local', 'slurm.cpus=2'])).toEqual({ name: 'local', config: { 'slurm.time': '10', 'slurm.cpus': 2 } });
    expect(sessionExecutor(env, registry, ['executor=local'], 'slurm').name).toBe('slurm');
    const stored = { name: 'slurm', config: { 'slurm.time': '3' } };
    expect(sessionExecutor(env, registry, ['slurm.mem=1G'], undefined, stored)).toEqual({ name: 'slurm', config: { 'slurm.time': '3', 'slurm.mem': '1G' } });
    expect(() => sessionExecutor(env, registry, [], undefined, { name: 'pbs', config: {} })).toThrow(/executor/);
  });
});

describe('cores a Slurm task may use for its compile jobs', () => {
  it('is the grant of slurm.cpus (SLURM_CPUS_PER_TASK), never more than the machine has', () => {
    const machine = availableParallelism();
    expect(coresGranted({})).toBe(machine);
    expect(coresGranted({ SLURM_CPUS_PER_TASK: '1' })).toBe(1);
    expect(coresGranted({ SLURM_CPUS_PER_TASK: String(machine + 64) })).toBe(machine);
    expect(coresGranted({ SLURM_CPUS_PER_TASK: 'x' })).toBe(machine);
  });
});
