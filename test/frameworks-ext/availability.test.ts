// Availability with an empty environment (none of the tools here), version rules, the
// refused combinations, and setup's clone step reporting instead of failing.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnvironmentInfo } from '../../src/core/component.js';
import type { ExecResult } from '../../src/core/exec.js';
import { tflmBackends } from '../../src/backends/tflm/index.js';
import { tvmBackends } from '../../src/backends/tvm/index.js';
import { frameworkFeatures, incompatibility } from '../../src/features/framework-features.js';
import { tflmFramework } from '../../src/frameworks/tflm/index.js';
import { tflmAvailability } from '../../src/frameworks/tflm/locate.js';
import { fetchFrameworkSources } from '../../src/frameworks/tvm/sources.js';
import { tvmFramework } from '../../src/frameworks/tvm/index.js';
import { findTvm, tvmVersionProblem } from '../../src/frameworks/tvm/locate.js';

const VARS = ['MLBENCH_TVM_DIR', 'MLBENCH_TFLM_DIR', 'MLBENCH_TFLMC', 'PATH'];
let saved: Record<string, string | undefined> = {};
const emptyEnv = (tools: Record<string, string> = {}): EnvironmentInfo => ({ home: '/nonexistent', modelPaths: [], tools, cacheDir: '/tmp/x' });

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  delete process.env.MLBENCH_TVM_DIR;
  delete process.env.MLBENCH_TFLM_DIR;
  delete process.env.MLBENCH_TFLMC;
  // A PATH with python3 but no tvmc, as on these machines.
  process.env.PATH = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('tvm')).join(':');
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
});

describe('availability without the tools', () => {
  it('tflm says what is missing and where to point mlbench', async () => {
    const a = await tflmFramework.availability!(emptyEnv());
    expect(a.usable).toBe(false);
    expect(a.missing).toEqual(['TensorFlow Lite Micro sources: MLBENCH_TFLM_DIR not set and no tools.tflm.src_dir']);
    expect(a.howToGet).toContain('export MLBENCH_TFLM_DIR=');
    expect(a.howToGet).toContain('third_party_downloads');
  });

  it('tflmc also names the compiler executable', async () => {
    const a = await tflmBackends[1].availability!(emptyEnv());
    expect(a.missing).toContain('tflite_micro_compiler: MLBENCH_TFLMC not set, no tools.tflmc, none on PATH');
  });

  it('tvm and its three backends say what is missing', async () => {
    for (const c of [tvmFramework, ...tvmBackends]) {
      const a = await c.availability!(emptyEnv());
      expect(a.usable).toBe(false);
      expect(a.missing).toEqual(['TVM: MLBENCH_TVM_DIR not set, no tools.tvm.src_dir, no tvmc on PATH, python3 cannot import tvm']);
      expect(a.howToGet).toContain('MLBENCH_TVM_DIR');
      expect(a.howToGet).toContain('<= 0.18');
    }
  }, 30_000);

  it('a configured directory that is not a TVM tree is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-tvm-'));
    const r = await findTvm(emptyEnv({ 'tvm.src_dir': dir }));
    expect(r).toEqual({ found: false, missing: [`${dir} (from tools.tvm.src_dir) is not a TVM source tree: python/tvm/__init__.py missing`] });
  });

  it('an unbuilt TVM tree is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tvm-src-'));
    mkdirSync(join(dir, 'python', 'tvm'), { recursive: true });
    writeFileSync(join(dir, 'python', 'tvm', '__init__.py'), '');
    process.env.MLBENCH_TVM_DIR = dir;
    const r = await findTvm(emptyEnv());
    expect(r).toEqual({ found: false, missing: [`TVM at ${dir} is not built: ${join(dir, 'build', 'libtvm.so')} missing`] });
  });

  it('a TFLM tree without its downloads lists each missing third-party package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tflm-'));
    mkdirSync(join(dir, 'tensorflow/lite/micro'), { recursive: true });
    writeFileSync(join(dir, 'tensorflow/lite/micro/micro_interpreter.h'), '');
    const a = tflmAvailability(emptyEnv({ 'tflm.src_dir': dir }));
    expect(a.usable).toBe(false);
    expect(a.missing.map((m) => m.split(' ')[0])).toEqual(['flatbuffers', 'gemmlowp', 'ruy']);
  });
});

describe('TVM version rule', () => {
  it('accepts 0.17 and 0.18, refuses newer with the reason', () => {
    expect(tvmVersionProblem('0.17.0')).toBeUndefined();
    expect(tvmVersionProblem('0.18.dev0')).toBeUndefined();
    expect(tvmVersionProblem('0.19.0')).toContain('mlbench needs TVM <= 0.18: 0.19 removed microTVM');
    expect(tvmVersionProblem('0.21.0')).toContain('TVM 0.21.0 found');
  });
});

describe('features and refused combinations', () => {
  it('exports the five features', () => {
    expect(frameworkFeatures.map((f) => f.name)).toEqual(['usmp', 'unpacked_api', 'cmsisnn', 'autotune', 'debug']);
  });

  it('backends accept the documented features', () => {
    const byName = Object.fromEntries([...tflmBackends, ...tvmBackends].map((b) => [b.name, b.features]));
    expect(byName.tvmrt).not.toContain('usmp');
    expect(byName.tflmi).not.toContain('autotune');
    expect(byName.tvmaot).toEqual(['validate', 'debug', 'usmp', 'unpacked_api', 'cmsisnn', 'autotune']);
    expect(tflmBackends.map((b) => b.aliases)).toEqual([['tflm-interp'], ['tflm-compiler']]);
  });

  it('cmsisnn only on Arm targets', () => {
    expect(incompatibility('tflmi', ['cmsisnn'], 'riscv_qemu', 'riscv32')).toBe(
      'feature cmsisnn needs an Arm target (CMSIS-NN is Arm code), and riscv_qemu is riscv32',
    );
    expect(incompatibility('tvmaot', ['cmsisnn'], 'esp32c3')).toContain('esp32c3 is not Arm');
    expect(incompatibility('tvmaot', ['cmsisnn'], 'cortexm4_qemu', 'arm')).toBeUndefined();
    expect(incompatibility('tflmi', ['cmsisnn'], 'corstone300')).toBeUndefined();
    expect(incompatibility('tvmrt', ['usmp'], 'riscv_qemu')).toContain('graph executor');
    expect(incompatibility('tvmaot', ['usmp', 'unpacked_api'], 'riscv_qemu', 'riscv32')).toBeUndefined();
  });
});

describe('setup clone step', () => {
  it('reports a failed clone (no network) instead of throwing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mlb-home-'));
    const calls: string[][] = [];
    const offline = async (cmd: string, args: string[]): Promise<ExecResult> => {
      calls.push([cmd, ...args]);
      const fetch = args.includes('fetch');
      return { command: cmd, exitCode: fetch ? 128 : 0, timedOut: false, stdout: '', stderr: fetch ? 'fatal: unable to access: Could not resolve host: github.com' : '' };
    };
    const out = await fetchFrameworkSources(home, offline);
    expect(out.map((o) => [o.name, o.status])).toEqual([['tflite-micro', 'failed'], ['tvm', 'failed']]);
    expect(out[0].message).toContain('Could not resolve host');
    expect(calls.find((c) => c.includes('fetch') && c.includes('v0.17.0'))).toBeDefined();
    expect(calls.find((c) => c.includes('19aaea85e4679a9a2f265e07ba190ac5ea4d3766'))).toBeDefined();
  });
});
