// The mission's must-show: on a machine without TFLM and TVM, `flow run tinymlperf -b tvmaot
// -t esp32c3` and `-b tflmi -t riscv_qemu` are refused by the flow's own preflight, before any
// work, saying what to install and where to point mlbench. Uses the real registry with these
// backends and frameworks added (the lead wires them into the default registry).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/index.js';
import { tflmBackends } from '../../src/backends/tflm/index.js';
import { tvmBackends } from '../../src/backends/tvm/index.js';
import { MlbenchError } from '../../src/core/errors.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { frameworks } from '../../src/frameworks/index.js';
import { tflmFramework } from '../../src/frameworks/tflm/index.js';
import { tvmFramework } from '../../src/frameworks/tvm/index.js';
import { loadEnvironment } from '../../src/flow/environment.js';
import { expandRuns, type FlowRequest } from '../../src/flow/matrix.js';
import { preflight } from '../../src/flow/preflight.js';
import { Registry } from '../../src/flow/registry.js';

const models = sharedModelsDir();
// CI points MLBENCH_TVM_DIR / MLBENCH_TFLM_DIR at real trees; these tests hide them.
const TOOL_VARS = ['MLBENCH_TVM_DIR', 'MLBENCH_TFLM_DIR'];
if (!models) console.log('flow-refusal: skipped, no shared model zoo (set MLBENCH_MODELS)');

const withoutDuplicates = <T extends { name: string }>(list: T[]): T[] => list.filter((c, i) => list.findIndex((x) => x.name === c.name) === i);
const registry = new Registry({
  backend: withoutDuplicates([...backends, ...tvmBackends, ...tflmBackends]),
  framework: withoutDuplicates([...frameworks, tvmFramework, tflmFramework]),
});

const request = (backend: string, target: string): FlowRequest => ({
  until: 'run',
  models: ['tinymlperf'],
  backends: [backend],
  targets: [target],
  platforms: [],
  features: [],
  config: [],
  featureGen: [],
  configGen: [],
});

let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(['MLBENCH_MODELS', ...TOOL_VARS].map((v) => [v, process.env[v]]));
  if (models) process.env.MLBENCH_MODELS = models;
  for (const v of TOOL_VARS) delete process.env[v];
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe.skipIf(!models)('refused before any work without the tools', () => {
  it.each([
    ['tvmaot', 'esp32c3', 'framework tvm: TVM: MLBENCH_TVM_DIR not set', 'MLBENCH_TVM_DIR'],
    ['tflm-interp', 'riscv_qemu', 'framework tflm: TensorFlow Lite Micro sources: MLBENCH_TFLM_DIR not set', 'export MLBENCH_TFLM_DIR='],
  ])('-b %s -t %s', async (backend, target, missing, pointer) => {
    const home = mkdtempSync(join(tmpdir(), 'mlbench-home-'));
    const env = loadEnvironment(home);
    const runs = expandRuns(request(backend, target), env, registry);
    expect(runs.length).toBeGreaterThan(1);
    const err = await preflight(runs, env, registry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    const text = (err as MlbenchError).describe();
    expect(text).toContain('not usable on this machine');
    expect(text).toContain(missing);
    expect(text).toContain(pointer);
    expect(text).toContain('nothing was run');
    expect(existsSync(join(home, 'sessions'))).toBe(false);
  }, 60_000);
});
