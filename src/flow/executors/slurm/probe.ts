// Before a sweep goes out: one small job with the sweep's own settings runs `mlbench flow
// exec-run SESSION --probe TOKEN` on a node, which writes into the cache and the session. If
// its answer does not appear here, the home is not on a file system the nodes share (or mlbench
// or node are not on the nodes at the same path), and nothing of the sweep is submitted.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MlbenchError } from '../../../core/errors.js';
import type { Environment } from '../../environment.js';
import { probeFile } from '../../exec-run.js';
import type { SessionDir } from '../../session.js';
import { isActive, sbatch, scancel, squeue } from './client.js';
import { resourceArgs, type SlurmSettings } from './settings.js';
import { taskScript } from './submissions.js';
import { POLL_MS, RESULT_GRACE_MS, lastLogLine } from './watch.js';
import { mlbenchCommand } from './command.js';

/** After this long pending, the user is told why the probe waits. */
const SAY_PENDING_AFTER_MS = 10_000;

/** Resolves when a job could write into the home; false when interrupted (the job is cancelled). */
export async function probeHome(session: SessionDir, env: Environment, s: SlurmSettings, signal: AbortSignal, write: (s: string) => void): Promise<boolean> {
  const token = randomUUID();
  const answer = probeFile(session, token);
  const jobId = await sbatch([
    ...resourceArgs(s),
    `--job-name=mlbench-${session.id}-probe`,
    `--chdir=${session.dir}`,
    '--output=slurm/probe-%j.out',
    taskScript(session),
    ...mlbenchCommand(env, session, ['--probe', token]),
  ]);
  write(`session ${session.id}: checking from Slurm job ${jobId} that the nodes can write into the home (slurm.check_home=false skips this)\n`);
  const started = Date.now();
  let pendingSaid = false;
  let endedAt: number | undefined;
  for (;;) {
    if (existsSync(answer)) {
      rmSync(answer, { force: true });
      return true;
    }
    if (signal.aborted) {
      await scancel(jobId);
      return false;
    }
    const lines = await squeue(jobId);
    const line = lines === 'gone' ? undefined : lines[0];
    if (line && isActive(line.state)) {
      if (line.state === 'PENDING' && !pendingSaid && Date.now() - started > SAY_PENDING_AFTER_MS) {
        pendingSaid = true;
        write(`session ${session.id}: the probe job ${jobId} is pending (${line.reason}); Ctrl-C cancels it\n`);
      }
    } else {
      endedAt ??= Date.now();
      if ((line && line.state !== 'COMPLETED') || Date.now() - endedAt > RESULT_GRACE_MS) {
        const log = lastLogLine(join(session.dir, 'slurm', `probe-${jobId}.out`));
        throw new MlbenchError(
          'tool-failed',
          `a Slurm job could not write into ${session.dir} (probe job ${jobId}: ${line ? line.state : 'ended'}${log ? `; its last output: ${log}` : ''}); nothing was submitted`,
          { hint: 'the home must be on a file system every node mounts at the same path, with node and mlbench there too (slurm.check_home=false skips this check)' },
        );
      }
    }
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}
