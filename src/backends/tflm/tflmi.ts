// tflmi (tflm-interp): the model runs on TFLM's MicroInterpreter.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { modelFileOf, refuseIncompatible } from '../tvm/build.js';
import { modelApiHeader } from '../tvm/model-api.js';
import { modelDefinitionSetting, runTarget } from '../tvm/run-target.js';
import { requireTflmDir, TFLM_STACK_BYTES, TFLM_TOLERANCE_LSB, tflmLibraryFor } from './common.js';
import { CXX_SUPPORT_CC, generateTflmiModelCc, tflmArenaEstimate, tflmiArenaSize } from './model-cc.js';
import { resolverMethods } from './op-resolver.js';

export function tflmUnsupportedReasons(load: LoadArtifact): string[] {
  const { unsupported } = resolverMethods(load.summary.ops.map((o) => o.opcode));
  return unsupported.map((op) => `TFLM has no kernel registration for operator ${op}`);
}

export async function buildTflmi(ctx: StageContext, load: LoadArtifact): Promise<BuildArtifact> {
  refuseIncompatible(ctx, 'tflmi', await runTarget(ctx));
  const tflmDir = requireTflmDir(ctx);
  const { methods, unsupported } = resolverMethods(load.summary.ops.map((o) => o.opcode));
  if (unsupported.length) {
    throw new MlbenchError('unsupported', `tflmi cannot build ${load.summary.name}: no TFLM kernel for ${unsupported.join(', ')}`);
  }
  const configured = ctx.config.get('tflmi.arena_size');
  const arena = tflmiArenaSize(typeof configured === 'number' ? configured : null, modelDefinitionSetting(ctx.runDir, 'tflmi', 'arena_size'), tflmArenaEstimate(load.summary));
  const lib = await tflmLibraryFor(ctx, tflmDir, methods);
  writeFileSync(join(ctx.dir, 'mlb_model.h'), modelApiHeader('tflmi'));
  writeFileSync(
    join(ctx.dir, 'model.cc'),
    generateTflmiModelCc({
      modelBytes: readFileSync(modelFileOf(ctx, load)),
      resolverMethods: methods,
      arenaBytes: arena.bytes,
      // Operators that keep state in variable tensors between invokes.
      resetVariables: load.summary.ops.some((o) => /SEQUENCE_(LSTM|RNN)$|^SVDF$/.test(o.opcode)),
      inputs: load.summary.inputs,
      outputs: load.summary.outputs,
    }),
  );
  writeFileSync(join(ctx.dir, 'mlb_cxx_support.cc'), CXX_SUPPORT_CC);
  const artifact: BuildArtifact = {
    backend: 'tflmi',
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
  ctx.log(`tflmi: ops ${methods.join(', ')}; arena ${arena.bytes} B from ${arena.source}; TFLM ${lib.core.length} core + ${lib.kernels.length} kernel sources`);
  writeFileSync(join(ctx.dir, 'build.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}
