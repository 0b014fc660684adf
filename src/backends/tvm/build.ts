// The build stage shared by tvmaot, tvmaotplus and tvmrt: run `tvmc compile`, unpack the MLF
// into the build folder, read metadata.json, write the wrapper and list what mlif compiles.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { cmsisNnIncludeDirs, cmsisNnSources, findCmsisNn, CMSISNN_HOW_TO_GET } from '../../frameworks/tflm/cmsisnn.js';
import { configuredTflmDir } from '../../frameworks/tflm/locate.js';
import { crtBuild, crtConfigFor } from '../../frameworks/tvm/crt.js';
import { findTvmOnce, TVM_HOW_TO_GET, type TvmInstallation } from '../../frameworks/tvm/locate.js';
import { extractMlf, readMlfMetadata, tvmFieldNames, type MlfMetadata } from '../../frameworks/tvm/mlf.js';
import { tvmTargetDetails, type TvmBackendName, type TvmcCompileOptions } from '../../frameworks/tvm/tvmc-args.js';
import { incompatibility } from '../../features/framework-features.js';
import { generateAotWrapper } from './aot-wrapper.js';
import { compileToMlf, crtConfigDir } from './compile-cache.js';
import { tvmBackendDefaults } from './defaults.js';
import { graphArenaSizing, type GraphArenaSizing } from './graph-arena.js';
import { generateGraphWrapper } from './graph-wrapper.js';
import { modelApiHeader } from './model-api.js';
import { modelDefinitionSetting, runTarget, type RunTarget } from './run-target.js';

export async function requireTvm(ctx: StageContext): Promise<TvmInstallation> {
  // A -c tvm.src_dir given for this session counts like the environment's setting.
  const tools = { ...ctx.env.tools };
  for (const key of ['tvm.src_dir', 'tvm.build_dir', 'tvm.python']) {
    const v = ctx.config.has(key) ? ctx.config.optStr(key) : undefined;
    if (v) tools[key] = v;
  }
  const found = await findTvmOnce({ ...ctx.env, tools });
  if (!found.found) throw new MlbenchError('tool-missing', found.missing.join('; '), { hint: TVM_HOW_TO_GET });
  return found.installation;
}

/** The matrix refuses these first; checked again here so a direct build cannot slip through. */
export function refuseIncompatible(ctx: StageContext, backend: string, target: RunTarget | undefined): void {
  if (!target) return;
  const why = incompatibility(backend, [...ctx.features], target.name, target.descriptor.arch);
  if (why) throw new MlbenchError('unsupported', why);
}

export function modelFileOf(ctx: StageContext, load: LoadArtifact): string {
  return load.modelFile.startsWith('/') ? load.modelFile : join(ctx.runDir, 'load', load.modelFile);
}

/** Records from `tvmaot.tuning_records`, else from this run's tune stage when autotune is on. */
export function tuningRecordsFor(ctx: StageContext, backend: TvmBackendName): string | undefined {
  const explicit = ctx.config.optStr(`${backend}.tuning_records`);
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new MlbenchError('config', `${backend}.tuning_records: ${explicit} does not exist`, {
        hint: 'give a records file kept from an earlier run (tune/tuning_records.log in its run directory)',
      });
    }
    return explicit;
  }
  const fromTune = join(ctx.runDir, 'tune', 'tuning_records.log');
  return ctx.features.has('autotune') && existsSync(fromTune) ? fromTune : undefined;
}

/** The tvmc options for this run: backend, features and `<backend>.*` config. */
export function compileOptionsFor(
  ctx: StageContext,
  backend: TvmBackendName,
  load: LoadArtifact,
  target: RunTarget | undefined,
): TvmcCompileOptions {
  const cfg = (k: string): string | undefined => ctx.config.optStr(`${backend}.${k}`);
  return {
    backend,
    modelFile: modelFileOf(ctx, load),
    outDir: ctx.dir,
    inputShapes: load.summary.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    target: target ? tvmTargetDetails(target) : { c: [] },
    usmp: backend === 'tvmaot' && ctx.features.has('usmp'),
    // The graph executor has no USMP, so tvmrt declares no usmp_algorithm key.
    usmpAlgorithm: backend === 'tvmrt' ? undefined : cfg('usmp_algorithm'),
    unpackedApi: backend === 'tvmaot' && ctx.features.has('unpacked_api'),
    desiredLayout: cfg('desired_layout'),
    targetDevice: cfg('target_device'),
    tuningRecords: tuningRecordsFor(ctx, backend),
    cmsisnn: ctx.features.has('cmsisnn'),
    optLevel: ctx.config.int(`${backend}.opt_level`),
  };
}

/** Model sources tvmc generated (codegen/host/src/*_lib*.c|cc), relative to the build folder. */
export function mlfModelSources(buildDir: string, mlfDir: string): string[] {
  const srcDir = join(mlfDir, 'codegen', 'host', 'src');
  if (!existsSync(srcDir)) {
    throw new MlbenchError('tool-failed', `${srcDir} missing: the MLF has no C sources (was the target 'c'?)`);
  }
  return readdirSync(srcDir)
    .filter((f) => /_lib\d+\.(c|cc|cpp)$/.test(f))
    .sort((a, b) => Number(/(\d+)\./.exec(a)?.[1]) - Number(/(\d+)\./.exec(b)?.[1]))
    .map((f) => relative(buildDir, join(srcDir, f)));
}

/** The arena (Model Arena figure) and the workspace the wrapper reserves for this backend. */
export function arenaFor(
  backend: TvmBackendName,
  meta: MlfMetadata,
  configured: number | null,
  graphArenaBytes = 0,
): { arenaBytes: number; workspaceBytes: number } {
  switch (backend) {
    case 'tvmaot': {
      const ws = configured ?? meta.workspaceBytes;
      return { arenaBytes: ws, workspaceBytes: ws };
    }
    case 'tvmaotplus':
      // USMP places every buffer in a pool inside the generated code; the report counts it.
      return { arenaBytes: meta.workspaceBytes, workspaceBytes: configured ?? 0 };
    case 'tvmrt': {
      // The page arena computed from the graph (graph-arena.ts) unless the user sets one.
      const ws = configured ?? graphArenaBytes;
      return { arenaBytes: ws, workspaceBytes: ws };
    }
  }
}

/** The graph executor's JSON and parameters from the MLF, and the page arena they need. */
function readGraph(buildDir: string, mlfDir: string): { json: string; params: Uint8Array; sizing: GraphArenaSizing } {
  const json = readFileSync(join(mlfDir, 'executor-config', 'graph', 'default.graph'), 'utf8');
  const paramsFile = join(mlfDir, 'parameters', 'default.params');
  const params = existsSync(paramsFile) ? readFileSync(paramsFile) : new Uint8Array();
  const sources = mlfModelSources(buildDir, mlfDir).map((f) => readFileSync(join(buildDir, f), 'utf8'));
  return { json, params, sizing: graphArenaSizing(json, params, sources) };
}

export async function buildTvm(ctx: StageContext, backend: TvmBackendName, load: LoadArtifact): Promise<BuildArtifact> {
  const tvm = await requireTvm(ctx);
  const target = await runTarget(ctx);
  refuseIncompatible(ctx, backend, target);
  const options = compileOptionsFor(ctx, backend, load, target);
  // The C interface names struct fields after the tensors: refuse unusable names before tvmc runs.
  if (backend === 'tvmaotplus' || options.unpackedApi) {
    tvmFieldNames('input', load.summary.inputs.map((t) => t.name));
    tvmFieldNames('output', load.summary.outputs.map((t) => t.name));
  }
  const { mlfDir } = await compileToMlf(ctx, tvm, options, load.summary.sha256);
  const meta = readMlfMetadata(mlfDir);
  // -c <backend>.arena_size, else the model definition's `backends: <backend>: arena_size`. For
  // tvmrt the definitions carry MLonMCU's round 1-4 MiB page arenas, which no small board holds:
  // the arena computed from the graph replaces them, only -c overrides it.
  const graph = meta.executor === 'graph' ? readGraph(ctx.dir, mlfDir) : undefined;
  const fromConfig = ctx.config.get(`${backend}.arena_size`);
  const fromDefinition = graph ? undefined : modelDefinitionSetting(ctx.runDir, backend, 'arena_size');
  const configuredArena = typeof fromConfig === 'number' ? fromConfig : typeof fromDefinition === 'number' ? fromDefinition : null;
  if (graph) ctx.log(`tvmrt: page arena computed from the graph: ${graph.sizing.pages} pages, ${graph.sizing.arenaBytes} B`);
  const { arenaBytes, workspaceBytes } = arenaFor(backend, meta, configuredArena, graph?.sizing.arenaBytes);
  const debugArena = ctx.features.has('debug');

  // Include paths stay the same from run to run (cached config, TVM tree), so mlif builds the
  // CRT library once per target; the model's own header sits in the build folder mlif includes.
  const configDir = await crtConfigDir(ctx, crtConfigFor(mlfDir));
  writeFileSync(join(ctx.dir, 'mlb_model.h'), modelApiHeader(backend));
  const generatedHeader = join(mlfDir, 'codegen', 'host', 'include', 'tvmgen_default.h');
  if (existsSync(generatedHeader)) copyFileSync(generatedHeader, join(ctx.dir, 'tvmgen_default.h'));
  const crt = crtBuild(meta.executor, mlfDir, tvm.srcDir, configDir);

  let wrapper: string;
  if (graph) {
    wrapper = 'rt_wrapper.c';
    writeFileSync(
      join(ctx.dir, wrapper),
      generateGraphWrapper({
        graphJson: graph.json,
        params: graph.params,
        arenaBytes: workspaceBytes,
        inputs: load.summary.inputs,
        outputs: load.summary.outputs,
        debugArena,
      }),
    );
  } else {
    wrapper = 'aot_wrapper.c';
    const interfaceApi = backend === 'tvmaotplus' || options.unpackedApi ? 'c' : 'packed';
    writeFileSync(
      join(ctx.dir, wrapper),
      generateAotWrapper({ interfaceApi, workspaceBytes, inputs: load.summary.inputs, outputs: load.summary.outputs, debugArena }),
    );
  }

  const librarySources = [...crt.sources];
  const includeDirs = [...crt.includeDirs];
  if (options.cmsisnn) {
    // CMSIS-NN from MLBENCH_CMSISNN_DIR, else the one TFLM's downloads put in a configured TFLM tree.
    const cmsis = findCmsisNn(ctx.env, configuredTflmDir(ctx.env)?.dir);
    if (!cmsis) throw new MlbenchError('tool-missing', 'the cmsisnn feature needs the CMSIS-NN sources', { hint: CMSISNN_HOW_TO_GET });
    librarySources.push(...cmsisNnSources(cmsis));
    includeDirs.push(...cmsisNnIncludeDirs(cmsis));
  }
  const artifact: BuildArtifact = {
    backend,
    framework: 'tvm',
    sources: [wrapper, ...mlfModelSources(ctx.dir, mlfDir)],
    includeDirs,
    defines: crt.defines,
    cflags: crt.cflags,
    arenaBytes,
    inputs: load.summary.inputs,
    outputs: load.summary.outputs,
    layerFunctions: [],
    librarySources,
    ...tvmBackendDefaults(backend),
  };
  ctx.log(
    `${backend}: TVM ${tvm.version}, MLF v${meta.version} ${meta.executor}, workspace ${meta.workspaceBytes} B, ` +
      `constants ${meta.constantsBytes} B, io ${meta.ioBytes} B, arena ${arenaBytes} B`,
  );
  writeFileSync(join(ctx.dir, 'build.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}
