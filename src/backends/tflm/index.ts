// The TFLM backends: tflmi (interpreter) and tflmc (mlbench's own TFLM compiler, the
// equivalent of tflite_micro_compiler), named tflm-interp and tflm-compiler in the mission.
import type { Backend } from '../../core/component.js';
import { tflmAvailability, tflmcAvailability } from '../../frameworks/tflm/locate.js';
import { buildTflmc } from './tflmc.js';
import { buildTflmi, tflmUnsupportedReasons } from './tflmi.js';

export const tflmiBackend: Backend = {
  name: 'tflmi',
  kind: 'backend',
  aliases: ['tflm-interp'],
  framework: 'tflm',
  description: "TFLite Micro interpreter: model as a C array, MicroMutableOpResolver with exactly the model's ops",
  config: [
    {
      key: 'arena_size',
      type: 'int',
      default: null,
      min: 1,
      help: 'tensor arena bytes; default: backends.tflmi.arena_size of the model definition.yml, else a bound from the model (all activations + bookkeeping)',
    },
  ],
  features: ['validate', 'debug', 'cmsisnn'],
  availability: async (env) => tflmAvailability(env),
  check: async (load) => tflmUnsupportedReasons(load),
  build: buildTflmi,
};

export const tflmcBackend: Backend = {
  name: 'tflmc',
  kind: 'backend',
  aliases: ['tflm-compiler'],
  framework: 'tflm',
  description: "mlbench's TFLM compiler: TFLM's allocation and node setup recorded on the host, emitted as C++ calling TFLM's kernels without the interpreter",
  config: [
    {
      key: 'arena_size',
      type: 'int',
      default: null,
      min: 1,
      help: 'tensor arena bytes; default: backends.tflmc.arena_size of the model definition.yml, else what the host run of TFLM used',
    },
  ],
  features: ['validate', 'debug', 'cmsisnn'],
  availability: async (env) => tflmcAvailability(env),
  check: async (load) => tflmUnsupportedReasons(load),
  build: buildTflmc,
};

export const tflmBackends: Backend[] = [tflmiBackend, tflmcBackend];
