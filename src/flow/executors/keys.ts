// The config keys that choose and configure an executor (what runs a session's runs: this
// machine, or a Slurm cluster). They are checked like every other key, but they belong to the
// session, not to a run: they never enter a run's config (so a sweep run locally and through
// Slurm has the same runs, the same report rows and the same cache keys) and cannot vary
// between the variants of one sweep. Pure data here, so matrix.ts and registry.ts can read it
// without loading the executors.
import type { ConfigKeySpec, ConfigRecord } from '../../core/config.js';

export const EXECUTOR_NAMES = ['local', 'slurm'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

/** The bare `executor` key (like the flow's `cache`). */
export const EXECUTOR_KEY: ConfigKeySpec = {
  key: 'executor',
  type: 'enum',
  default: 'local',
  choices: EXECUTOR_NAMES,
  help: 'what runs the runs: local (this machine, -j at once) or slurm (one job array on a Slurm cluster; see slurm.*)',
};

export const SLURM_KEYS: { name: 'slurm'; config: ConfigKeySpec[] } = {
  name: 'slurm',
  config: [
    { key: 'partition', type: 'string', default: '', help: 'sbatch --partition (empty: the cluster default)' },
    { key: 'time', type: 'string', default: '', help: 'time limit of each run: sbatch --time, e.g. 30, 1:30:00, 1-00 (empty: the partition default)' },
    { key: 'cpus', type: 'int', default: 1, min: 1, help: 'sbatch --cpus-per-task of each run' },
    { key: 'mem', type: 'string', default: '', help: 'memory of each run: sbatch --mem, e.g. 2G (empty: the cluster default)' },
    { key: 'max_parallel', type: 'int', default: 0, min: 0, help: 'runs at once: the array throttle --array=0-N%M (0: as many as Slurm gives)' },
    {
      key: 'extra_args',
      type: 'list',
      default: [],
      help: 'further sbatch options, each one argv element of the form --name or --name=value (never through a shell), e.g. --qos=short',
    },
    { key: 'check_home', type: 'bool', default: true, help: 'submit one small job first that checks the home is writable from the nodes' },
  ],
};

/** Every session-level key: `executor` and `slurm.*`. */
export function isExecutorKey(key: string): boolean {
  return key === EXECUTOR_KEY.key || key.startsWith(`${SLURM_KEYS.name}.`);
}

/** The session-level keys of a validated config, and the rest (the run's own config). */
export function splitExecutorConfig(config: ConfigRecord): { executor: ConfigRecord; run: ConfigRecord } {
  const executor: ConfigRecord = {};
  const run: ConfigRecord = {};
  for (const [k, v] of Object.entries(config)) (isExecutorKey(k) ? executor : run)[k] = v;
  return { executor, run };
}
