// Runs a model through the engine under test (mlbaot's generated C, compiled for the host) with
// many input vectors in one process, the way the fuzzer and the layer comparison need it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StageContext } from '../../core/component.js';
import { ConfigView, schemaOf, validateConfig } from '../../core/config.js';
import { mlbaotBackend } from '../../backends/mlbaot/index.js';
import { runOnHost } from '../../backends/mlbaot/host-runner.js';
import { DirectoryCache } from '../../core/cache.js';
import { createStageContext } from '../../core/stage-context.js';
import { tfliteFrontend } from '../../frontends/tflite/index.js';

export interface EngineRunOptions {
  /** Folder for the model file and the load/build stage folders; a fresh temp dir by default. */
  workDir?: string;
  /** Shared build cache (compiled runtime libraries); default: one under the OS temp dir. */
  cacheDir?: string;
  /** Supplies the StageContext of a stage ('load', 'build'); default: a plain one in workDir. */
  stageContext?: (stage: string) => StageContext;
  /** Config for the default stage context, e.g. { 'mlbaot.requantize': 'tflm' }. */
  config?: Record<string, string>;
  /** Extra C macros for the host compile, e.g. { MLB_BLOCK4: '1' } to check a target's kernel path natively. */
  hostDefines?: Record<string, string>;
}

function defaultStageContext(workDir: string, cacheDir: string, values: Record<string, string> = {}): (stage: string) => StageContext {
  const schema = schemaOf([tfliteFrontend, mlbaotBackend]);
  const config = new ConfigView(validateConfig(schema, values), schema);
  const cache = new DirectoryCache(cacheDir);
  return (stage) =>
    createStageContext({
      sessionId: 'litert-compare',
      runId: 'litert-compare',
      runDir: workDir,
      stage,
      config,
      features: [],
      cache,
      env: { home: workDir, modelPaths: [], tools: {}, cacheDir },
    });
}

/** Builds `modelBytes` with mlbaot and runs every vector; returns raw output bytes per vector. */
export async function runMlbaotOnHost(modelBytes: Uint8Array, vectors: Uint8Array[][], opts: EngineRunOptions = {}): Promise<Uint8Array[][]> {
  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'mlbench-engine-'));
  mkdirSync(workDir, { recursive: true });
  const outputs = await buildAndRun(workDir, modelBytes, vectors, opts);
  // A temp dir we made is only worth keeping when something failed (it holds the logs).
  if (!opts.workDir) rmSync(workDir, { recursive: true, force: true });
  return outputs;
}

async function buildAndRun(workDir: string, modelBytes: Uint8Array, vectors: Uint8Array[][], opts: EngineRunOptions): Promise<Uint8Array[][]> {
  const contextFor = opts.stageContext ?? defaultStageContext(workDir, opts.cacheDir ?? join(tmpdir(), 'mlbench-engine-cache'), opts.config);
  const modelFile = join(workDir, 'model.tflite');
  writeFileSync(modelFile, modelBytes);
  const load = await tfliteFrontend.load(contextFor('load'), modelFile, undefined);
  const buildCtx = contextFor('build');
  const build = await mlbaotBackend.build(buildCtx, load);
  return runOnHost(buildCtx.dir, opts.hostDefines ? { ...build, defines: { ...build.defines, ...opts.hostDefines } } : build, vectors);
}
