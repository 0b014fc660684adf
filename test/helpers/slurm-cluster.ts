// A real single-node Slurm cluster for tests, started in a temporary folder: a private munged
// (own key and socket), slurmctld and slurmd of Debian's packages, with a slurm.conf that every
// client reaches through SLURM_CONF (see ../shared/docs/SLURM-HERE.md). Slurm's ports are fixed,
// so one cluster runs at a time on a machine: a lock serializes test processes, and daemons a
// killed test process left behind are stopped before a new cluster starts. stop() is safe to
// call twice and also runs when the process exits.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { acquireLock, type HeldLock } from '../../src/core/entry-lock.js';
import { whichSync } from '../../src/core/which.js';

const TOOLS = ['mungekey', 'munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo'];
const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
const STATE = join(tmpdir(), 'mlbench-slurm-test');
/** Tasks of the test cluster: more than the cores, so a long task does not hold up the others. */
export const TEST_CPUS = Math.max(4, availableParallelism());

/** Why no test cluster can start here (printed when the tests skip), or undefined. */
export function slurmUnavailable(): string | undefined {
  const missing = TOOLS.filter((t) => !whichSync(t, SBIN_PATH));
  if (missing.length) return `Slurm test cluster: ${missing.join(', ')} not installed (mlbench setup --dev installs slurmctld slurmd slurm-client munge)`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'Slurm test cluster: the daemons need root';
  return undefined;
}

export interface TestCluster {
  dir: string;
  /** What every client command (and mlbench) needs: SLURM_CONF. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pidsOf(dir: string): number[] {
  return ['slurmd.pid', 'slurmctld.pid', join('munge', 'pid')]
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => Number(readFileSync(f, 'utf8').trim()))
    .filter((p) => Number.isInteger(p) && p > 0);
}

/** Only the daemons themselves: a recycled pid of an unrelated process is left alone. */
function isDaemon(pid: number): boolean {
  try {
    return ['slurmd', 'slurmctld', 'munged'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
}

function signalDaemons(dir: string, signal: NodeJS.Signals): number[] {
  const live = pidsOf(dir).filter(isDaemon);
  for (const pid of live) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return live;
}

async function stopDaemons(dir: string): Promise<void> {
  signalDaemons(dir, 'SIGTERM');
  for (let i = 0; i < 100 && pidsOf(dir).some(isDaemon); i++) await sleep(100);
  signalDaemons(dir, 'SIGKILL');
}

function slurmConf(dir: string): string {
  const mem = Math.floor((totalmem() / 2 ** 20) * 0.5);
  return `ClusterName=mlbenchtest
SlurmctldHost=${hostname()}
AuthType=auth/munge
AuthInfo=socket=${dir}/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
DefMemPerCPU=256
SchedulerParameters=batch_sched_delay=0
MinJobAge=3600
MaxArraySize=16
MailProg=/bin/true
ReturnToService=2
NodeName=${hostname()} CPUs=${TEST_CPUS} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

export async function startCluster(): Promise<TestCluster> {
  mkdirSync(STATE, { recursive: true });
  const lock: HeldLock = await acquireLock(join(STATE, 'cluster.lock'), { pollMs: 500 });
  // A test process killed outright leaves its daemons: they hold the ports.
  const last = join(STATE, 'current');
  if (existsSync(last)) await stopDaemons(readFileSync(last, 'utf8').trim());
  const dir = mkdtempSync(join(tmpdir(), 'mlbench-slurm-'));
  writeFileSync(last, dir);
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d));
  // munged wants its socket folder searchable by everyone and writable by no one else.
  chmodSync(dir, 0o711);
  chmodSync(join(dir, 'munge'), 0o711);
  const env = { SLURM_CONF: join(dir, 'slurm.conf') };
  let stopped = false;
  const onExit = (): void => {
    signalDaemons(dir, 'SIGKILL');
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    await stopDaemons(dir);
    rmSync(dir, { recursive: true, force: true });
    rmSync(last, { force: true });
    await lock.release();
  };
  process.on('exit', onExit);
  try {
    const run = (cmd: string, args: string[]): void => {
      execFileSync(cmd, args, { env: { ...process.env, ...env, PATH: SBIN_PATH }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    };
    run('mungekey', ['--create', `--keyfile=${dir}/munge/munge.key`]);
    run('munged', [`--socket=${dir}/munge/sock`, `--key-file=${dir}/munge/munge.key`, `--pid-file=${dir}/munge/pid`, `--log-file=${dir}/munge/log`, `--seed-file=${dir}/munge/seed`]);
    writeFileSync(env.SLURM_CONF, slurmConf(dir));
    run('slurmctld', ['-f', env.SLURM_CONF]);
    run('slurmd', ['-f', env.SLURM_CONF]);
    for (let i = 0; ; i++) {
      const state = execFileSync('sinfo', ['-h', '-o', '%T'], { env: { ...process.env, ...env }, timeout: 30_000 }).toString().trim();
      if (state === 'idle') break;
      if (i > 300) throw new Error(`the test cluster's node is ${state}, not idle (see ${dir}/log)`);
      await sleep(100);
    }
  } catch (e) {
    const log = join(dir, 'log', 'slurmctld.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-5).join('\n') : '';
    await stop();
    throw new Error(`cannot start the test cluster: ${e instanceof Error ? e.message : String(e)}\n${tail}`);
  }
  return { dir, env, stop };
}
