// The executors, by name (`--executor`, `-c executor=...`, `executor:` in environment.yml).
// Adding one is adding its module and listing it here and in keys.ts's EXECUTOR_NAMES.
import { parseAssignment, validateConfig, type ConfigRecord } from '../../core/config.js';
import type { Environment } from '../environment.js';
import type { Registry } from '../registry.js';
import type { Executor } from './executor.js';
import { EXECUTOR_KEY, splitExecutorConfig, type ExecutorName } from './keys.js';
import { localExecutor } from './local.js';
import { slurmExecutor } from './slurm/index.js';

const EXECUTORS: Record<ExecutorName, Executor> = { local: localExecutor, slurm: slurmExecutor };

export function executorNamed(name: string): Executor {
  return EXECUTORS[name as ExecutorName] ?? localExecutor;
}

export interface SessionExecutor {
  name: ExecutorName;
  /** Its keys as set (environment.yml, then -c), validated. */
  config: ConfigRecord;
}

/**
 * The session's executor from environment.yml's config, then `-c` assignments, then
 * `--executor` (the last word wins). `stored` is what a resumed session recorded (foreign
 * input: checked like the rest); it replaces environment.yml's keys.
 */
export function sessionExecutor(
  env: Environment,
  registry: Registry,
  assignments: string[],
  flag?: string,
  stored?: { name: string; config: ConfigRecord },
): SessionExecutor {
  const given: Record<string, unknown> = stored ? { ...stored.config, [EXECUTOR_KEY.key]: stored.name } : { ...(env.settings.config ?? {}) };
  for (const a of assignments) {
    const [k, v] = parseAssignment(a);
    given[k] = v;
  }
  if (flag !== undefined) given[EXECUTOR_KEY.key] = flag;
  const { executor } = splitExecutorConfig(validateConfig(registry.schema(), given));
  const { [EXECUTOR_KEY.key]: name, ...config } = executor;
  return { name: (name ?? EXECUTOR_KEY.default) as ExecutorName, config };
}
