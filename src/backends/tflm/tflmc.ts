// tflmc (tflm-compiler): mlbench's own equivalent of tflite_micro_compiler. TFLM's interpreter
// runs the model once on the host (tflmc-record.ts), and model.cc fixes what it found: tensors at
// the planner's arena offsets, each node's inputs, outputs and builtin options, the kernels'
// registrations (tflmc-emit.ts). On the device TFLM's kernels run without the interpreter, the
// flatbuffer parser or the memory planner.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { builtinRegistrations } from '../../frameworks/tflm/sources.js';
import { modelFileOf, refuseIncompatible } from '../tvm/build.js';
import { modelApiHeader } from '../tvm/model-api.js';
import { modelDefinitionSetting, runTarget } from '../tvm/run-target.js';
import { requireTflmDir, TFLM_STACK_BYTES, TFLM_TOLERANCE_LSB, tflmLibraryFor } from './common.js';
import { CXX_SUPPORT_CC } from './model-cc.js';
import { resolverMethods } from './op-resolver.js';
import { generateTflmcModelCc, plannedBytes } from './tflmc-emit.js';
import { recordOnHost, type TflmcRecording } from './tflmc-record.js';

/** What produced the code, for the build log and build.json (the report's row says tflmc). */
export const TFLMC_PRODUCER = "mlbench tflmc (TFLM's interpreter recorded on the host, kernels called directly)";

/**
 * The arena: `tflmc.arena_size`, else the model definition's, else what the host run used in
 * all (planned tensors plus the interpreter's and kernels' persistent data, which on the host's
 * 64-bit pointers exceeds what the device needs without the interpreter), rounded to 16. The
 * host runs TFLM's reference kernels; CMSIS-NN's kernels ask for scratch buffers whose size
 * depends on the core (MVE needs more than DSP), so with `cmsisnn` the activations' size again
 * (at least 8 kB) is added. The report's Model Arena is what the device then used.
 */
export function tflmcArenaSize(configured: number | null, fromDefinition: unknown, r: TflmcRecording, cmsisnn = false): { bytes: number; source: string } {
  if (configured !== null) return { bytes: configured, source: 'tflmc.arena_size' };
  if (typeof fromDefinition === 'number' && Number.isInteger(fromDefinition) && fromDefinition > 0) {
    return { bytes: fromDefinition, source: 'definition.yml backends.tflmc.arena_size' };
  }
  const host = Math.max(r.arenaUsed, plannedBytes(r));
  const scratch = cmsisnn ? Math.max(8192, plannedBytes(r)) : 0;
  return { bytes: Math.ceil((host + scratch) / 16) * 16, source: cmsisnn ? 'the host run of TFLM + room for CMSIS-NN scratch' : 'the host run of TFLM' };
}

export async function buildTflmc(ctx: StageContext, load: LoadArtifact): Promise<BuildArtifact> {
  refuseIncompatible(ctx, 'tflmc', await runTarget(ctx));
  const tflmDir = requireTflmDir(ctx);
  const opcodes = load.summary.ops.map((o) => o.opcode);
  const { methods, unsupported } = resolverMethods(opcodes);
  if (unsupported.length) {
    throw new MlbenchError('unsupported', `tflmc cannot build ${load.summary.name}: no TFLM kernel for ${unsupported.join(', ')}`);
  }
  const model = join(ctx.dir, 'model.tflite');
  copyFileSync(modelFileOf(ctx, load), model);
  const recording = await recordOnHost(ctx, tflmDir, model, methods, opcodes);
  writeFileSync(join(ctx.dir, 'tflmc_recording.json'), `${JSON.stringify(recording)}\n`);
  const configured = ctx.config.get('tflmc.arena_size');
  const arena = tflmcArenaSize(typeof configured === 'number' ? configured : null, modelDefinitionSetting(ctx.runDir, 'tflmc', 'arena_size'), recording, ctx.features.has('cmsisnn'));
  const lib = await tflmLibraryFor(ctx, tflmDir, methods);
  writeFileSync(join(ctx.dir, 'mlb_model.h'), modelApiHeader('tflmc'));
  writeFileSync(
    join(ctx.dir, 'model.cc'),
    generateTflmcModelCc({
      recording,
      modelBytes: readFileSync(model),
      registrations: builtinRegistrations(tflmDir),
      arenaBytes: arena.bytes,
      inputs: load.summary.inputs,
      outputs: load.summary.outputs,
    }),
  );
  writeFileSync(join(ctx.dir, 'mlb_cxx_support.cc'), CXX_SUPPORT_CC);
  ctx.log(
    `tflmc: ${TFLMC_PRODUCER}; ${recording.nodes.length} nodes, ${recording.tensors.length} tensors; host arena ${recording.arenaUsed} B ` +
      `(${plannedBytes(recording)} B planned tensors); device arena ${arena.bytes} B from ${arena.source}`,
  );
  const artifact: BuildArtifact = {
    backend: 'tflmc',
    framework: 'tflm',
    sources: ['model.cc', 'mlb_cxx_support.cc'],
    includeDirs: [ctx.dir, ...lib.includeDirs],
    defines: lib.defines,
    cflags: lib.cflags,
    arenaBytes: arena.bytes,
    inputs: load.summary.inputs,
    outputs: load.summary.outputs,
    layerFunctions: [],
    library: lib.library,
    validationToleranceLsb: TFLM_TOLERANCE_LSB,
    stackBytes: TFLM_STACK_BYTES,
  };
  writeFileSync(join(ctx.dir, 'build.json'), `${JSON.stringify({ ...artifact, producer: TFLMC_PRODUCER }, null, 2)}\n`);
  return artifact;
}
