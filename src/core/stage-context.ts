// Builds the StageContext a component sees: its folder, its log, a logged exec, the cache.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildCache, EnvironmentInfo, StageContext } from './component.js';
import type { ConfigView } from './config.js';
import { MlbenchError } from './errors.js';
import { runTool, type ExecOptions, type ExecResult } from './exec.js';

export interface StageContextOptions {
  sessionId: string;
  runId: string;
  runDir: string;
  stage: string;
  config: ConfigView;
  features: Iterable<string>;
  cache: BuildCache;
  env: EnvironmentInfo;
  signal?: AbortSignal;
}

export function createStageContext(o: StageContextOptions): StageContext {
  const dir = join(o.runDir, o.stage);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'stage.log');
  const log = (line: string): void => appendFileSync(logFile, line.endsWith('\n') ? line : `${line}\n`);
  const signal = o.signal ?? new AbortController().signal;
  const exec = async (cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> => {
    log(`$ ${[cmd, ...args].join(' ')}`);
    let r: ExecResult;
    try {
      r = await runTool(cmd, args, { ...opts, signal: opts.signal ?? signal });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new MlbenchError('tool-missing', `${cmd} not found`, { logPath: logFile });
      throw e;
    }
    if (r.stdout) log(r.stdout);
    if (r.stderr) log(r.stderr);
    log(`[exit ${r.exitCode ?? 'none'}${r.signal ? `, signal ${r.signal}` : ''}${r.timedOut ? ', timed out' : ''}]`);
    if (signal.aborted) throw new MlbenchError('interrupted', 'interrupted', { logPath: logFile });
    if (!opts.allowFailure && (r.exitCode !== 0 || r.timedOut || r.signal)) {
      if (/ENOENT|not found/.test(r.stderr) && r.exitCode === null) {
        throw new MlbenchError('tool-missing', `${cmd} not found`, { logPath: logFile });
      }
      const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
      throw new MlbenchError(
        r.timedOut ? 'timeout' : 'tool-failed',
        r.timedOut ? `${cmd} timed out` : `${cmd} failed (exit ${r.exitCode ?? r.signal}): ${tail}`,
        { logPath: logFile },
      );
    }
    return r;
  };
  return {
    sessionId: o.sessionId,
    runId: o.runId,
    runDir: o.runDir,
    dir,
    config: o.config,
    features: new Set(o.features),
    log,
    logFile,
    exec,
    signal,
    cache: { directory: (key, produce, use) => o.cache.directory(key, produce, { log, signal, ...use }) },
    env: o.env,
  };
}
