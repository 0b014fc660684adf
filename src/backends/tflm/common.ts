// What tflmi and tflmc share: the TFLM tree for this run, the library the mlif platform
// compiles with the target toolchain (only the model's kernels), the C++ headers of the
// target, and the CMSIS-NN kernels behind the `cmsisnn` feature.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { CMSISNN_HOW_TO_GET, findCmsisNn } from '../../frameworks/tflm/cmsisnn.js';
import { tflmLibrary, type TflmLibrary } from '../../frameworks/tflm/library.js';
import {
  configuredTflmDir,
  CXX_HEADERS_HOW_TO_GET,
  cxxIncludeDirsFor,
  DOWNLOADS,
  TFLM_HOW_TO_GET,
  tflmTreeProblems,
} from '../../frameworks/tflm/locate.js';
import { runTarget } from '../tvm/run-target.js';

/**
 * Defaults of the TFLM backends: validation tolerance (TFLM requantizes differently from
 * TensorFlow Lite; measured up to 9 LSB on aww, 32 on some resnet vectors per the issue) and the
 * stack (aww peaks at 892 B on riscv_qemu; 4 kB leaves room for larger models and CMSIS-NN).
 */
export const TFLM_TOLERANCE_LSB = 32;
export const TFLM_STACK_BYTES = 4096;

export function requireTflmDir(ctx: StageContext): string {
  const fromConfig = ctx.config.has('tflm.src_dir') ? ctx.config.optStr('tflm.src_dir') : undefined;
  const tree = fromConfig ? { dir: fromConfig, origin: 'tflm.src_dir' } : configuredTflmDir(ctx.env);
  if (!tree) throw new MlbenchError('tool-missing', 'TensorFlow Lite Micro sources not found', { hint: TFLM_HOW_TO_GET });
  const problems = tflmTreeProblems(tree);
  if (problems.length) throw new MlbenchError('tool-missing', problems.join('; '), { hint: TFLM_HOW_TO_GET });
  return tree.dir;
}

/** `tflm.cxx_include_dirs` when set, else the installed headers this target's compiler needs. */
async function cxxIncludeDirs(ctx: StageContext): Promise<string[]> {
  const configured = ctx.config.has('tflm.cxx_include_dirs') ? ctx.config.list('tflm.cxx_include_dirs') : [];
  if (configured.length) return configured;
  const target = await runTarget(ctx);
  const arch = target?.descriptor.arch ?? 'x86_64';
  const dirs = cxxIncludeDirsFor(arch);
  if (dirs === undefined) {
    throw new MlbenchError('tool-missing', `TFLM needs C++ standard headers for ${target?.name ?? arch}, and none are installed`, {
      hint: `${CXX_HEADERS_HOW_TO_GET}; or set tflm.cxx_include_dirs`,
    });
  }
  return dirs;
}

/** The library for this run: its features, the model's operators, the target's C++ headers. */
export async function tflmLibraryFor(ctx: StageContext, tflmDir: string, resolverMethods: string[]): Promise<TflmLibrary> {
  const cmsisnn = ctx.features.has('cmsisnn');
  let cmsisNnDir: string | undefined;
  let cmsisCoreInclude: string | undefined;
  if (cmsisnn) {
    cmsisNnDir = findCmsisNn(ctx.env, tflmDir);
    if (!cmsisNnDir) throw new MlbenchError('tool-missing', 'the cmsisnn feature needs the CMSIS-NN sources', { hint: CMSISNN_HOW_TO_GET });
    const core = join(process.env.MLBENCH_CMSIS_DIR ?? join(tflmDir, DOWNLOADS, 'cmsis'), 'CMSIS', 'Core', 'Include');
    if (existsSync(core)) cmsisCoreInclude = core;
  }
  return tflmLibrary(tflmDir, {
    cmsisnn,
    debug: ctx.features.has('debug'),
    resolverMethods,
    cmsisNnDir,
    cmsisCoreInclude,
    cxxIncludeDirs: await cxxIncludeDirs(ctx),
  });
}
