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
import { adoptTflmTree, fetchTflmTree, TFLM_THIRD_PARTY } from '../../src/frameworks/tflm/setup-tree.js';
import { configuredTflmDir } from '../../src/frameworks/tflm/locate.js';
import { tvmFramework } from '../../src/frameworks/tvm/index.js';
import { findTvm, tvmVersionProblem } from '../../src/frameworks/tvm/locate.js';

/** The real tree for --frameworks-from, read before the tests clear the variable. */
const TFLM_TREE = process.env.MLBENCH_TFLM_DIR;
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

  it('tflmc needs the same tree (it is mlbench\'s own compiler, no executable)', async () => {
    const a = await tflmBackends[1].availability!(emptyEnv());
    expect(a.missing).toEqual(['TensorFlow Lite Micro sources: MLBENCH_TFLM_DIR not set and no tools.tflm.src_dir']);
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

describe('setup --frameworks', () => {
  const offline = (calls: string[][]) => async (cmd: string, args: string[]): Promise<ExecResult> => {
    calls.push([cmd, ...args]);
    const fetch = args.includes('fetch');
    return { command: cmd, exitCode: fetch ? 128 : 0, timedOut: false, stdout: '', stderr: fetch ? 'fatal: unable to access: Could not resolve host: github.com' : '' };
  };

  it('reports a failed fetch (no network) instead of throwing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mlb-home-'));
    const calls: string[][] = [];
    const out = await fetchFrameworkSources(home, offline(calls));
    expect(out.map((o) => [o.name, o.status])).toEqual([['tvm', 'failed']]);
    expect(out[0].message).toContain('Could not resolve host');
    expect(calls.find((c) => c.includes('fetch') && c.includes('v0.17.0'))).toBeDefined();
    const tflm = await fetchTflmTree(home, offline(calls));
    expect(tflm.ok).toBe(false);
    expect(tflm.lines[0]).toMatch(/^tflite-micro: failed: git fetch .*19aaea85e4679a9a2f265e07ba190ac5ea4d3766: fatal: unable to access.*--frameworks-from DIR/);
  });

  it('fetches TFLM\'s third-party code at its pins with git and applies TFLM\'s patches', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mlb-home-'));
    mkdirSync(join(home, 'deps', 'src', 'tflite-micro', 'tensorflow'), { recursive: true });
    const calls: string[][] = [];
    const ok = async (cmd: string, args: string[]): Promise<ExecResult> => {
      calls.push([cmd, ...args]);
      return { command: cmd, exitCode: 0, timedOut: false, stdout: '', stderr: '' };
    };
    const r = await fetchTflmTree(home, ok);
    expect(r.ok).toBe(true);
    expect(r.lines).toContain('  flatbuffers: fetched v23.5.26 and patched');
    const fetches = calls.filter((c) => c.includes('fetch')).map((c) => c[c.length - 1]);
    expect(fetches).toEqual(TFLM_THIRD_PARTY.map((t) => t.ref));
    expect(calls.filter((c) => c.includes('apply')).map((c) => c[c.length - 1].replace(/^.*tflite-micro\//, ''))).toEqual([
      'tensorflow/lite/micro/tools/make/flatbuffers.patch',
      'third_party/kissfft/kissfft.patch',
      'tensorflow/lite/micro/tools/make/pigweed.patch',
    ]);
  });

  it.skipIf(!TFLM_TREE)('--frameworks-from: says what a prepared tree holds and links it where mlbench looks', () => {
    const home = mkdtempSync(join(tmpdir(), 'mlb-home-'));
    const tree = TFLM_TREE!;
    const r = adoptTflmTree(home, join(tree, '..'));
    expect(r.ok).toBe(true);
    expect(r.lines[0]).toMatch(/\(19aaea85, the pinned ref\)$/);
    expect(r.lines).toContain('  cmsis_nn: present');
    expect(r.lines[r.lines.length - 1]).toMatch(/linked as .*deps\/src\/tflite-micro/);
    expect(configuredTflmDir({ home, modelPaths: [], tools: {}, cacheDir: home })).toEqual({ dir: join(home, 'deps', 'src', 'tflite-micro'), origin: 'mlbench setup --frameworks' });
    expect(adoptTflmTree(home, home).lines[0]).toContain('tflite-micro: none in');
  });
});
