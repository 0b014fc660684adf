// Runs external tools. Never trusts an exit status alone: timeouts and signals are reported
// separately because QEMU killed by SIGTERM exits 0.
import { execa } from 'execa';

export interface ExecOptions {
  cwd?: string;
  timeoutMs?: number;
  input?: string | Uint8Array;
  env?: Record<string, string>;
  /** When false (default) a non-zero exit throws MlbenchError('tool-failed'). */
  allowFailure?: boolean;
  signal?: AbortSignal;
}

export interface ExecResult {
  command: string;
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export async function runTool(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await execa(cmd, args, {
    cwd: opts.cwd,
    timeout: opts.timeoutMs,
    input: opts.input,
    env: opts.env,
    reject: false,
    stripFinalNewline: false,
    cancelSignal: opts.signal,
    forceKillAfterDelay: 2000,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
  // A tool that is not there (or vanished mid-session) must not pass as a run with no output.
  const spawnCode = (r as { code?: string }).code;
  if (r.failed && r.exitCode === undefined && r.signal === undefined && !r.timedOut && (spawnCode === 'ENOENT' || spawnCode === 'EACCES')) {
    throw Object.assign(new Error(`spawn ${cmd} ${spawnCode}`), { code: spawnCode, path: cmd, syscall: 'spawn' });
  }
  return {
    command: [cmd, ...args].map(quoteArg).join(' '),
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? undefined,
    timedOut: r.timedOut === true,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
  };
}

export function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
