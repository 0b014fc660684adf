// tflmc (tflm-compiler): tflite_micro_compiler records TFLM's allocation on the host and
// emits C++ with the tensors, nodes and kernel registrations fixed: no interpreter on device.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { StageContext } from '../../core/component.js';
import { isCIdentifier } from '../../core/c-text.js';
import { MlbenchError } from '../../core/errors.js';
import { findTflmc, TFLMC_HOW_TO_GET } from '../../frameworks/tflm/locate.js';
import { modelFileOf, refuseIncompatible } from '../tvm/build.js';
import { runTarget } from '../tvm/run-target.js';
import { modelApiHeader, quantizationAccessors } from '../tvm/model-api.js';
import type { TensorInfo } from '../../core/artifacts.js';
import { requireTflmDir, TFLM_STACK_BYTES, TFLM_TOLERANCE_LSB, tflmLibraryFor } from './common.js';
import { resolverMethods } from './op-resolver.js';
import { CXX_SUPPORT_CC } from './model-cc.js';

/** The prefix MLonMCU passes, giving model_init(), model_invoke(), model_input_ptr(), … */
export const TFLMC_PREFIX = 'model_';

export function tflmcArgs(modelFile: string, outCc: string): string[] {
  return [modelFile, outCc, TFLMC_PREFIX];
}

/** Arena bytes of the generated code (`tensor_arena[N]`), undefined when the form differs. */
export function tflmcArenaBytes(generated: string): number | undefined {
  const m = /tensor_arena\s*\[\s*(\d+)\s*\]/.exec(generated);
  return m ? Number(m[1]) : undefined;
}

export function generateTflmcWrapper(inputs: TensorInfo[], outputs: TensorInfo[]): string {
  const io = (kind: 'input' | 'output', t: TensorInfo[]): string => `size_t mlb_model_num_${kind}s(void) { return ${TFLMC_PREFIX}${kind}s(); }
void *mlb_model_${kind}_ptr(size_t i) { return i < ${TFLMC_PREFIX}${kind}s() ? ${TFLMC_PREFIX}${kind}_ptr((int)i) : nullptr; }
size_t mlb_model_${kind}_size(size_t i) { return i < ${TFLMC_PREFIX}${kind}s() ? ${TFLMC_PREFIX}${kind}_size((int)i) : 0; }
${quantizationAccessors(kind, t)}`;
  return `// tflmc_wrapper.cc: mlb_model.h on code from tflite_micro_compiler, written by mlbench.
#include <stddef.h>
#include <stdint.h>
#include "model.cc.h"
#include "mlb_model.h"

int mlb_model_init(void) { return ${TFLMC_PREFIX}init() == kTfLiteOk ? 0 : 1; }
int mlb_model_invoke(void) { return ${TFLMC_PREFIX}invoke() == kTfLiteOk ? 0 : 1; }

${io('input', inputs)}
${io('output', outputs)}`;
}

/**
 * tflite_micro_compiler writes a custom operator's code into C++ as part of identifiers
 * (`Register_<code>`, `OP_<code>`): a code that is not an identifier is refused before it runs.
 */
export function refuseUnsafeCustomCodes(opcodes: string[]): void {
  for (const op of opcodes) {
    const code = op.startsWith('CUSTOM:') ? op.slice('CUSTOM:'.length) : undefined;
    if (code !== undefined && !isCIdentifier(code)) {
      throw new MlbenchError('model', `tflmc cannot build a model whose custom operator code ${JSON.stringify(code.slice(0, 60))} is not a C identifier`, {
        hint: 'tflite_micro_compiler pastes the code into C++ names; use tflmi',
      });
    }
  }
}

export async function buildTflmc(ctx: StageContext, load: LoadArtifact): Promise<BuildArtifact> {
  refuseIncompatible(ctx, 'tflmc', await runTarget(ctx));
  refuseUnsafeCustomCodes(load.summary.ops.map((o) => o.opcode));
  const tflmDir = requireTflmDir(ctx);
  const compiler = findTflmc(ctx.env);
  if (!compiler) throw new MlbenchError('tool-missing', 'tflite_micro_compiler not found', { hint: TFLMC_HOW_TO_GET });
  const model = join(ctx.dir, 'model.tflite');
  copyFileSync(modelFileOf(ctx, load), model);
  await ctx.exec(compiler, tflmcArgs(model, join(ctx.dir, 'model.cc')), { cwd: ctx.dir, timeoutMs: 10 * 60_000 });
  const generated = readFileSync(join(ctx.dir, 'model.cc'), 'utf8');
  const arena = tflmcArenaBytes(generated);
  if (arena === undefined) ctx.log('tflmc: no tensor_arena[N] in model.cc; Model Arena reported as 0');
  const lib = await tflmLibraryFor(ctx, tflmDir, resolverMethods(load.summary.ops.map((o) => o.opcode)).methods);
  writeFileSync(join(ctx.dir, 'mlb_model.h'), modelApiHeader('tflmc'));
  writeFileSync(join(ctx.dir, 'tflmc_wrapper.cc'), generateTflmcWrapper(load.summary.inputs, load.summary.outputs));
  writeFileSync(join(ctx.dir, 'mlb_cxx_support.cc'), CXX_SUPPORT_CC);
  const artifact: BuildArtifact = {
    backend: 'tflmc',
    framework: 'tflm',
    sources: ['model.cc', 'tflmc_wrapper.cc', 'mlb_cxx_support.cc'],
    includeDirs: [ctx.dir, ...lib.includeDirs],
    defines: lib.defines,
    cflags: lib.cflags,
    arenaBytes: arena ?? 0,
    inputs: load.summary.inputs,
    outputs: load.summary.outputs,
    layerFunctions: [],
    library: lib.library,
    validationToleranceLsb: TFLM_TOLERANCE_LSB,
    stackBytes: TFLM_STACK_BYTES,
  };
  writeFileSync(join(ctx.dir, 'build.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}
