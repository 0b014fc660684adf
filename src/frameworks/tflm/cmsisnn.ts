// CMSIS-NN sources (Arm's int8 kernels), used by TFLM's optimized kernels and TVM's
// cmsis-nn BYOC path. Found through MLBENCH_CMSISNN_DIR / tools.cmsisnn, or inside a TFLM
// tree where `make third_party_downloads OPTIMIZED_KERNEL_DIR=cmsis_nn` put it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentInfo } from '../../core/component.js';
import { environmentSetting } from '../tvm/locate.js';

export const CMSISNN_HOW_TO_GET =
  'git clone --branch v6.0.0 https://github.com/ARM-software/CMSIS-NN and export MLBENCH_CMSISNN_DIR=<that dir> ' +
  '(or tools.cmsisnn in environment.yml)';

export function findCmsisNn(env: EnvironmentInfo, tflmDir?: string): string | undefined {
  const explicit = process.env.MLBENCH_CMSISNN_DIR ?? environmentSetting(env, ['cmsisnn', 'cmsisnn.dir', 'cmsisnn_dir']);
  const candidates = [explicit, tflmDir && join(tflmDir, 'tensorflow/lite/micro/tools/make/downloads/cmsis_nn')];
  return candidates.find((d): d is string => !!d && existsSync(join(d, 'Include', 'arm_nnfunctions.h')));
}

/** Every C source of the library (Source/**\/*.c), sorted so the cache key is stable. */
export function cmsisNnSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.c')) out.push(p);
    }
  };
  walk(join(dir, 'Source'));
  return out.sort();
}

export function cmsisNnIncludeDirs(dir: string): string[] {
  return [dir, join(dir, 'Include')];
}
