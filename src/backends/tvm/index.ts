// The TVM backends: tvmaot (AOT executor), tvmaotplus (AOT + USMP + unpacked C API) and
// tvmrt (graph executor on the CRT), all through `tvmc compile -f mlf`.
import type { LoadArtifact } from '../../core/artifacts.js';
import type { Availability, Backend, EnvironmentInfo } from '../../core/component.js';
import type { ConfigKeySpec } from '../../core/config.js';
import { findTvmOnce, TVM_HOW_TO_GET } from '../../frameworks/tvm/locate.js';
import type { TvmBackendName } from '../../frameworks/tvm/tvmc-args.js';
import { buildTvm } from './build.js';
import { tuneTvm } from './tune.js';

/** Operators TVM's TFLite frontend cannot import are reported by tvmc itself; dtypes we can check. */
const SUPPORTED_IO_DTYPES = new Set(['int8', 'uint8', 'int16', 'int32', 'float32']);

function commonConfig(backend: TvmBackendName, arenaDefault: number | null, arenaHelp: string): ConfigKeySpec[] {
  const keys: ConfigKeySpec[] = [
    { key: 'arena_size', type: 'int', default: arenaDefault, min: 0, help: arenaHelp },
    { key: 'opt_level', type: 'int', default: 3, min: 0, max: 3, help: 'tvmc --opt-level' },
    {
      key: 'desired_layout',
      type: 'enum',
      default: null,
      choices: ['NCHW', 'NHWC'],
      help: 'tvmc --desired-layout: convert the data layout of convolutions (paper Experiment B)',
    },
    {
      key: 'target_device',
      type: 'string',
      default: null,
      help: '--target-c-device, e.g. arm_cpu to use TVM schedules optimised for Arm (paper Experiment B)',
    },
    {
      key: 'tuning_records',
      type: 'path',
      default: null,
      help: 'AutoTVM records to compile with (tvmc --tuning-records), e.g. tune/tuning_records.log of an earlier run',
    },
    { key: 'tune_trials', type: 'int', default: 10, min: 1, help: 'autotune: tvmc tune --trials' },
    {
      key: 'tuner',
      type: 'enum',
      default: 'ga',
      choices: ['ga', 'gridsearch', 'random', 'xgb', 'xgb_knob', 'xgb_itervar', 'xgb_curve', 'xgb_rank'],
      help: 'autotune: AutoTVM tuner (tvmc tune --tuner)',
    },
  ];
  if (backend !== 'tvmrt') {
    keys.push({
      key: 'usmp_algorithm',
      type: 'enum',
      default: null,
      choices: ['greedy_by_size', 'greedy_by_conflicts', 'hill_climb'],
      help: `USMP algorithm (tir.usmp.algorithm); default ${backend === 'tvmaotplus' ? 'hill_climb' : 'greedy_by_size'}`,
    });
  }
  return keys;
}

async function tvmBackendAvailability(env: EnvironmentInfo, needsSourceTree: boolean): Promise<Availability> {
  const r = await findTvmOnce(env);
  if (!r.found) return { usable: false, missing: r.missing, howToGet: TVM_HOW_TO_GET };
  if (needsSourceTree && !r.installation.srcDir) {
    return {
      usable: false,
      missing: [`the graph executor's CRT sources: TVM ${r.installation.version} from ${r.installation.origin} has no source tree`],
      howToGet: 'export MLBENCH_TVM_DIR=<TVM v0.17 source tree with build/>',
      version: r.installation.version,
    };
  }
  return { usable: true, missing: [], version: r.installation.version };
}

async function checkModel(load: LoadArtifact): Promise<string[]> {
  return [...load.summary.inputs, ...load.summary.outputs]
    .filter((t) => !SUPPORTED_IO_DTYPES.has(t.dtype))
    .map((t) => `tensor ${t.name} has dtype ${t.dtype}, which the wrapper cannot pass`);
}

function tvmBackend(o: {
  name: TvmBackendName;
  aliases: string[];
  description: string;
  features: string[];
  config: ConfigKeySpec[];
  needsSourceTree: boolean;
}): Backend {
  return {
    name: o.name,
    kind: 'backend',
    aliases: o.aliases,
    framework: 'tvm',
    description: o.description,
    config: o.config,
    features: o.features,
    availability: (env) => tvmBackendAvailability(env, o.needsSourceTree),
    check: (load) => checkModel(load),
    tune: (ctx, load) => tuneTvm(ctx, o.name, load),
    build: (ctx, load) => buildTvm(ctx, o.name, load),
  };
}

export const tvmaotBackend = tvmBackend({
  name: 'tvmaot',
  aliases: ['tvm-aot'],
  description: "TVM AOT executor (tvmc compile -f mlf, packed API), workspace from the MLF's metadata",
  features: ['validate', 'debug', 'usmp', 'unpacked_api', 'cmsisnn', 'autotune'],
  config: commonConfig('tvmaot', null, 'workspace bytes for the stack allocator; default: workspace_size_bytes of metadata.json'),
  needsSourceTree: false,
});

export const tvmaotplusBackend = tvmBackend({
  name: 'tvmaotplus',
  aliases: ['tvm-aot-plus'],
  description: 'TVM AOT executor with USMP and the unpacked C interface: no run-time allocator',
  features: ['validate', 'debug', 'usmp', 'unpacked_api', 'cmsisnn', 'autotune'],
  config: commonConfig('tvmaotplus', 0, 'run-time workspace bytes (USMP plans everything statically, so 0)'),
  needsSourceTree: false,
});

export const tvmrtBackend = tvmBackend({
  name: 'tvmrt',
  aliases: ['tvm-rt', 'tvm-graph'],
  description: 'TVM graph executor on the C runtime (CRT), graph JSON and params compiled in',
  features: ['validate', 'debug', 'cmsisnn', 'autotune'],
  config: commonConfig('tvmrt', null, 'page-allocator arena bytes for the graph executor; default: computed from the graph (the CRT allocations replayed on its page allocator)'),
  needsSourceTree: true,
});

export const tvmBackends: Backend[] = [tvmaotBackend, tvmaotplusBackend, tvmrtBackend];
