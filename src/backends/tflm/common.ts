// What tflmi and tflmc share: the TFLM tree for this run, the library the mlif platform
// compiles with the target toolchain, and the CMSIS-NN kernels behind the `cmsisnn` feature.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import { cmsisNnIncludeDirs, cmsisNnSources, CMSISNN_HOW_TO_GET, findCmsisNn } from '../../frameworks/tflm/cmsisnn.js';
import { tflmLibrary, type TflmLibrary } from '../../frameworks/tflm/library.js';
import { configuredTflmDir, DOWNLOADS, TFLM_HOW_TO_GET, tflmTreeProblems } from '../../frameworks/tflm/locate.js';

export function requireTflmDir(ctx: StageContext): string {
  const fromConfig = ctx.config.has('tflm.src_dir') ? ctx.config.optStr('tflm.src_dir') : undefined;
  const tree = fromConfig ? { dir: fromConfig, origin: 'tflm.src_dir' } : configuredTflmDir(ctx.env);
  if (!tree) throw new MlbenchError('tool-missing', 'TensorFlow Lite Micro sources not found', { hint: TFLM_HOW_TO_GET });
  const problems = tflmTreeProblems(tree);
  if (problems.length) throw new MlbenchError('tool-missing', problems.join('; '), { hint: TFLM_HOW_TO_GET });
  return tree.dir;
}

/** The library for this run's features, with CMSIS-NN sources and the C++ header dirs added. */
export function tflmLibraryFor(ctx: StageContext, tflmDir: string): TflmLibrary {
  const cmsisnn = ctx.features.has('cmsisnn');
  const lib = tflmLibrary(tflmDir, { cmsisnn, keepErrorStrings: ctx.features.has('debug') });
  if (cmsisnn) {
    const nn = findCmsisNn(ctx.env, tflmDir);
    if (!nn) throw new MlbenchError('tool-missing', 'the cmsisnn feature needs the CMSIS-NN sources', { hint: CMSISNN_HOW_TO_GET });
    const core = process.env.MLBENCH_CMSIS_DIR ?? join(tflmDir, DOWNLOADS, 'cmsis');
    lib.sources.push(...cmsisNnSources(nn));
    lib.includeDirs.push(...cmsisNnIncludeDirs(nn));
    if (existsSync(join(core, 'CMSIS', 'Core', 'Include'))) lib.includeDirs.push(join(core, 'CMSIS', 'Core', 'Include'));
  }
  const cxx = ctx.config.has('tflm.cxx_include_dirs') ? ctx.config.list('tflm.cxx_include_dirs') : [];
  for (const d of cxx) lib.cflags.push('-isystem', d);
  return lib;
}
