// `mlbench flow exec-run SESSION [RUN]`: one run of an existing session (what a Slurm task runs).
// Exit status: 0 when the run's result is written (whatever its status: the result says it),
// 130 interrupted (scancel, a time limit: no result, `flow resume` redoes it), 4 a machine fault.
import { loadEnvironment } from '../flow/environment.js';
import { answerProbe, arrayTaskIndex, execRun, runOfTask, type ExecRunWhat } from '../flow/exec-run.js';
import { Registry } from '../flow/registry.js';
import { openSession } from '../flow/session.js';
import { MlbenchError } from '../core/errors.js';
import { checkRunsToResume } from './resume-checks.js';

export interface ExecRunCliOptions {
  home?: string;
  submission?: number;
  probe?: string;
}

export async function execRunCommand(sessionId: string, run: string | undefined, o: ExecRunCliOptions): Promise<number> {
  const env = loadEnvironment(o.home);
  const session = openSession(env.sessionsDir, sessionId);
  if (o.probe !== undefined) {
    await answerProbe(session, env, o.probe);
    return 0;
  }
  const registry = new Registry();
  const record = session.read();
  if ((run === undefined) === (o.submission === undefined)) {
    throw new MlbenchError('config', 'name the run, or give --submission N inside a Slurm array task');
  }
  const what: ExecRunWhat = run !== undefined ? { run } : { submission: o.submission!, task: arrayTaskIndex() };
  const runId = runOfTask(session, record, what);
  const spec = record.runs.find((r) => r.id === runId)!;
  // session.json is foreign input here as in `flow resume`.
  checkRunsToResume(session, [spec], registry);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const res = await execRun(session, record, runId, env, registry, controller.signal).catch((e: unknown) => {
      if (controller.signal.aborted && e instanceof MlbenchError && e.kind === 'interrupted') return undefined;
      throw e;
    });
    if (!res) return 130;
    process.stderr.write(`${runId}: ${res.status}${res.reason ? ` (${res.failedStage}: ${res.reason})` : ''}\n`);
    return res.status === 'interrupted' ? 130 : 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
