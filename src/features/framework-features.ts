// Features that belong to the TFLM and TVM backends, and the combinations refused before any
// run starts. Which backend accepts which feature is each backend's `features` list; what
// depends on the target (CMSIS-NN is Arm code) is `incompatibility`.
import type { Feature } from '../core/component.js';

export const usmpFeature: Feature = {
  name: 'usmp',
  kind: 'feature',
  description: "TVM's Unified Static Memory Planner (tir.usmp.enable; tvmaotplus always has it)",
  appliesTo: ['backend'],
  config: [],
};

export const unpackedApiFeature: Feature = {
  name: 'unpacked_api',
  kind: 'feature',
  description: 'TVM AOT unpacked C interface (--executor-aot-unpacked-api 1 --executor-aot-interface-api c)',
  appliesTo: ['backend'],
  config: [],
};

export const cmsisnnFeature: Feature = {
  name: 'cmsisnn',
  kind: 'feature',
  description: "Arm CMSIS-NN kernels: TFLM's optimized kernels (OPTIMIZED_KERNEL_DIR=cmsis_nn) or TVM's cmsis-nn BYOC; Arm targets only",
  appliesTo: ['framework', 'backend'],
  config: [],
};

export const autotuneFeature: Feature = {
  name: 'autotune',
  kind: 'feature',
  description:
    'run the tune stage: TVM backends run tvmc tune (AutoTVM); mlbaot measures its per-layer code variants on the target. ' +
    'Records stay in the run directory (tune/), reusable via <backend>.tuning_records',
  appliesTo: ['backend'],
  config: [],
};

export const debugFeature: Feature = {
  name: 'debug',
  kind: 'feature',
  description: 'debug build: TFLM keeps error strings, wrappers print "# Arena Usage"',
  appliesTo: ['backend', 'platform'],
  config: [],
};

export const frameworkFeatures: Feature[] = [usmpFeature, unpackedApiFeature, cmsisnnFeature, autotuneFeature, debugFeature];

const ARM_NAME = /cortex|corstone|stm32|fvp|arm|nucleo|nrf/i;

/** Whether a target runs Arm code: its descriptor's arch when known, else its name. */
export function isArmTarget(targetName: string, targetArch?: string): boolean {
  return targetArch !== undefined ? targetArch === 'arm' : ARM_NAME.test(targetName);
}

/**
 * Why this backend cannot run these features on this target, or undefined when it can.
 * The flow calls it while expanding the run matrix, so nothing starts for a refused run.
 */
export function incompatibility(
  backend: string,
  features: readonly string[],
  targetName: string,
  targetArch?: string,
): string | undefined {
  const has = (f: string): boolean => features.includes(f);
  if (has('cmsisnn') && !isArmTarget(targetName, targetArch)) {
    return `feature cmsisnn needs an Arm target (CMSIS-NN is Arm code), and ${targetName} is ${targetArch ?? 'not Arm'}`;
  }
  if (backend === 'tvmrt' && (has('usmp') || has('unpacked_api'))) {
    return `features usmp and unpacked_api apply to TVM's AOT executor; ${backend} uses the graph executor`;
  }
  if (has('autotune') && !backend.startsWith('tvm') && backend !== 'mlbaot') {
    return `feature autotune tunes TVM schedules or mlbaot's code variants; ${backend} has nothing to tune`;
  }
  return undefined;
}
