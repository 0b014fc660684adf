// The slurm.* keys, checked and turned into sbatch arguments. Every value becomes exactly one
// argv element of sbatch (never a shell string), and what mlbench sets itself (--array,
// --output, --chdir, ...) cannot be overridden through slurm.extra_args.
import { ConfigView, type ConfigRecord } from '../../../core/config.js';
import { MlbenchError } from '../../../core/errors.js';
import { schemaOf } from '../../../core/config.js';
import { SLURM_KEYS } from '../keys.js';

export interface SlurmSettings {
  partition?: string;
  time?: string;
  cpus: number;
  mem?: string;
  /** 0: no throttle. */
  maxParallel: number;
  extraArgs: string[];
  checkHome: boolean;
}

const PARTITION = /^\w[\w.-]*(,\w[\w.-]*)*$/;
// Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or no limit.
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
const MEM = /^\d+[KMGT]?$/i;
const EXTRA = /^--([a-z][a-z0-9-]*)(=[^\n\r\0]*)?$/;

/** Options mlbench sets itself, or that would change what sbatch prints or how the job runs its command. */
const RESERVED = new Set([
  'array',
  'output',
  'error',
  'input',
  'chdir',
  'parsable',
  'wrap',
  'wait',
  'test-only',
  'help',
  'usage',
  'version',
  'partition',
  'time',
  'cpus-per-task',
  'mem',
  'job-name',
]);

const KEY_FOR: Record<string, string> = { partition: 'slurm.partition', time: 'slurm.time', 'cpus-per-task': 'slurm.cpus', mem: 'slurm.mem' };

function bad(key: string, value: unknown, why: string): never {
  throw new MlbenchError('config', `invalid value ${JSON.stringify(value)} for ${key}: ${why}`);
}

/** The checked settings of a session's executor config (keys absent take their defaults). */
export function slurmSettings(config: ConfigRecord): SlurmSettings {
  const view = new ConfigView(config, schemaOf([SLURM_KEYS]));
  const partition = view.optStr('slurm.partition');
  if (partition !== undefined && !PARTITION.test(partition)) bad('slurm.partition', partition, 'expected partition names (letters, digits, _ . -; not starting with -), comma-separated');
  const time = view.optStr('slurm.time');
  if (time !== undefined && !TIME.test(time)) bad('slurm.time', time, 'expected a Slurm time: minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S');
  const mem = view.optStr('slurm.mem');
  if (mem !== undefined && !MEM.test(mem)) bad('slurm.mem', mem, 'expected a size such as 512M or 2G');
  const extraArgs = view.list('slurm.extra_args');
  for (const arg of extraArgs) {
    const m = EXTRA.exec(arg);
    if (!m) bad('slurm.extra_args', arg, 'each element must be one long sbatch option: --name or --name=value');
    if (RESERVED.has(m[1])) {
      bad('slurm.extra_args', arg, KEY_FOR[m[1]] ? `use ${KEY_FOR[m[1]]}` : `mlbench sets --${m[1]} itself`);
    }
  }
  return { partition, time, cpus: view.int('slurm.cpus'), mem, maxParallel: view.int('slurm.max_parallel'), extraArgs, checkHome: view.bool('slurm.check_home') };
}

/** The sbatch options every job of the session gets (resources and the user's extra options). */
export function resourceArgs(s: SlurmSettings): string[] {
  return [
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.time ? [`--time=${s.time}`] : []),
    `--cpus-per-task=${s.cpus}`,
    ...(s.mem ? [`--mem=${s.mem}`] : []),
    ...s.extraArgs,
  ];
}

/** `--array=0-N` with the throttle, for `count` tasks. */
export function arrayArg(count: number, s: SlurmSettings): string {
  return `--array=0-${count - 1}${s.maxParallel > 0 ? `%${s.maxParallel}` : ''}`;
}
