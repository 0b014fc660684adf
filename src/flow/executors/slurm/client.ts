// Slurm's client commands (sbatch, squeue, scancel), each with a time limit of its own: with
// the controller down, squeue hangs ~18 s and sbatch ~9 s before they fail, and a busy
// controller can take longer. They run with mlbench's environment, so SLURM_CONF reaches them.
import { runTool, type ExecResult } from '../../../core/exec.js';
import { MlbenchError } from '../../../core/errors.js';
import { whichSync } from '../../../core/which.js';

/** Limit of one client call; MLBENCH_SLURM_CLIENT_TIMEOUT_MS overrides it. */
export const CLIENT_TIMEOUT_MS = Number(process.env.MLBENCH_SLURM_CLIENT_TIMEOUT_MS) || 60_000;

export const CLIENT_TOOLS = ['sbatch', 'squeue', 'scancel'] as const;

export function missingClientTools(): string[] {
  return CLIENT_TOOLS.filter((t) => whichSync(t) === undefined);
}

function failure(r: ExecResult, what: string): string {
  if (r.timedOut) return `${what} did not answer within ${CLIENT_TIMEOUT_MS / 1000} s`;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').at(-1) ?? '';
  return `${what} failed (exit ${r.exitCode ?? r.signal})${text ? `: ${text}` : ''}`;
}

/** Submits a batch job (`--parsable` is added); returns its job id. */
export async function sbatch(args: string[]): Promise<string> {
  const r = await runTool('sbatch', ['--parsable', ...args], { allowFailure: true, timeoutMs: CLIENT_TIMEOUT_MS });
  // --parsable prints "jobid" or "jobid;cluster".
  const id = r.stdout.trim().split(';')[0];
  if (r.exitCode !== 0 || r.timedOut || !/^\d+$/.test(id)) {
    throw new MlbenchError('tool-failed', failure(r, 'sbatch'), {
      hint: r.timedOut ? 'the Slurm controller may be down or busy; nothing was submitted unless `squeue` shows it' : 'check the slurm.* settings',
    });
  }
  return id;
}

/** Slurm's default MaxArraySize: array task ids run from 0 to MaxArraySize - 1. */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** MaxArraySize from `scontrol show config` output; undefined when it does not say. */
export function parseMaxArraySize(stdout: string): number | undefined {
  const m = /^\s*MaxArraySize\s*=\s*(\d+)\s*$/m.exec(stdout);
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** How many tasks one array may have on this cluster (the default when scontrol cannot tell). */
export async function maxArraySize(): Promise<number> {
  if (whichSync('scontrol') === undefined) return DEFAULT_MAX_ARRAY_SIZE;
  const r = await runTool('scontrol', ['show', 'config'], { allowFailure: true, timeoutMs: CLIENT_TIMEOUT_MS });
  return (r.exitCode === 0 && parseMaxArraySize(r.stdout)) || DEFAULT_MAX_ARRAY_SIZE;
}

/** One line of squeue: a task, or a pending range of an array (several tasks). */
export interface TaskLine {
  arrayJobId: string;
  /** Array task ids this line stands for ([] for a job that is not an array). */
  tasks: number[];
  state: string;
  reason: string;
  /** Raw wait status as squeue prints it: the exit code is status >> 8, a signal status & 0x7f. */
  exitStatus: number;
  node: string;
}

/** Expands squeue's ArrayTaskID: `3`, `2-5`, `0-19%4`, `1,3,5-7`; N/A for a plain job. */
export function expandTaskIds(field: string): number[] {
  const ids: number[] = [];
  for (const part of field.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to; i++) ids.push(i);
  }
  return ids;
}

const FORMAT = 'ArrayJobID:|,ArrayTaskID:|,State:|,Reason:|,exit_code:|,NodeList:|';

export function parseSqueue(stdout: string): TaskLine[] {
  const lines: TaskLine[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.split('|').map((x) => x.trim());
    if (f.length < 6 || !/^\d+$/.test(f[0])) continue;
    lines.push({ arrayJobId: f[0], tasks: expandTaskIds(f[1]), state: f[2], reason: f[3], exitStatus: Number(f[4]) || 0, node: f[5] });
  }
  return lines;
}

/**
 * The job's tasks as Slurm knows them, or 'gone' when it no longer knows the job (ended longer
 * than MinJobAge ago). Throws when squeue itself fails (controller down, time limit).
 */
export async function squeue(jobId: string): Promise<TaskLine[] | 'gone'> {
  const r = await runTool('squeue', ['-h', '-t', 'all', '-j', jobId, '-O', FORMAT], { allowFailure: true, timeoutMs: CLIENT_TIMEOUT_MS });
  if (r.exitCode !== 0 && /Invalid job id/i.test(r.stderr)) return 'gone';
  if (r.exitCode !== 0 || r.timedOut) throw new MlbenchError('tool-failed', failure(r, 'squeue'));
  return parseSqueue(r.stdout);
}

/** Cancels a job (all its array tasks); the failure text, or undefined when it worked. */
export async function scancel(jobId: string): Promise<string | undefined> {
  const r = await runTool('scancel', [jobId], { allowFailure: true, timeoutMs: CLIENT_TIMEOUT_MS });
  return r.exitCode === 0 && !r.timedOut ? undefined : failure(r, `scancel ${jobId}`);
}

/** States in which a task still runs or may run; everything else is final. */
const ACTIVE = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
  'SPECIAL_EXIT',
]);

export function isActive(state: string): boolean {
  return ACTIVE.has(state);
}
