// The TFLM framework: TensorFlow Lite Micro built from its sources with each target's
// toolchain. Not bundled: found through MLBENCH_TFLM_DIR or the environment (locate.ts).
import type { Framework } from '../../core/component.js';
import { tflmAvailability } from './locate.js';

export const tflmFramework: Framework = {
  name: 'tflm',
  kind: 'framework',
  description: 'TensorFlow Lite Micro (interpreter and kernels, built per target); found via MLBENCH_TFLM_DIR or tools.tflm.src_dir',
  config: [
    { key: 'src_dir', type: 'path', default: null, help: 'tflite-micro source tree; same as MLBENCH_TFLM_DIR or tools.tflm.src_dir' },
    {
      key: 'cxx_include_dirs',
      type: 'list',
      default: [],
      help: 'C++ standard headers for the cross compiler (e.g. from libstdc++-arm-none-eabi-picolibc), added with -isystem',
    },
  ],
  backends: ['tflmi', 'tflmc'],
  async availability(env) {
    return tflmAvailability(env);
  },
};
