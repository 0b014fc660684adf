// The TVM framework: Apache TVM's tvmc emitting Model Library Format for the C runtime.
// Not bundled: found in the environment (see locate.ts), version <= 0.18.
import type { Framework } from '../../core/component.js';
import { tvmAvailability } from './locate.js';

export const tvmFramework: Framework = {
  name: 'tvm',
  kind: 'framework',
  description: 'Apache TVM (tvmc compile -f mlf, C runtime), v0.17 as MLonMCU pins; found via MLBENCH_TVM_DIR, tools.tvm.src_dir or tvmc',
  config: [
    { key: 'src_dir', type: 'path', default: null, help: 'TVM source tree (v0.17/v0.18); same as MLBENCH_TVM_DIR or tools.tvm.src_dir' },
    { key: 'build_dir', type: 'path', default: null, help: 'TVM build directory holding libtvm.so; default <src_dir>/build' },
    {
      key: 'python',
      type: 'path',
      default: null,
      help: 'Python that runs tvmc; default: the first of python3 on PATH, /usr/bin/python3 that imports tvm with numpy < 2 (`mlbench env` says which)',
    },
  ],
  backends: ['tvmaot', 'tvmaotplus', 'tvmrt'],
  availability: tvmAvailability,
};

export { fetchFrameworkSources, PINNED_SOURCES } from './sources.js';
