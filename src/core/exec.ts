// Runs external tools. Never trusts an exit status alone: timeouts and signals are reported
// separately because QEMU killed by SIGTERM exits 0. Every tool runs in its own process group
// with a wall-clock limit that holds even if mlbench is killed (see process-group.ts).
import { execa } from 'execa';
import { resolve } from 'node:path';
import { boundedArgv, endGroup, trackGroup, untrackGroup, WRAPPER_TIMEOUT_STATUS, wrapperLimitMs } from './process-group.js';
import { whichSync } from './which.js';

/** Limit of a tool that names none: long enough for any build, short of forever. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60 * 60_000;

export interface ExecOptions {
  cwd?: string;
  /** Wall-clock limit; DEFAULT_TOOL_TIMEOUT_MS when not given. */
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

/** Runs a tool, its output as text. A missing executable throws an ENOENT error, as spawn does. */
export async function runTool(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await runBounded(cmd, args, opts);
  return { ...r, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Like runTool, with stdout as bytes (programs that write binary results). */
export async function runToolBytes(cmd: string, args: string[], opts: ExecOptions = {}): Promise<Omit<ExecResult, 'stdout'> & { stdout: Uint8Array }> {
  const r = await runBounded(cmd, args, opts);
  // A plain copy: a small Buffer is a view into a shared pool, and callers slice its .buffer.
  return { ...r, stdout: new Uint8Array(r.stdout), stderr: r.stderr.toString() };
}

type Raw = Omit<ExecResult, 'stdout' | 'stderr'> & { stdout: Buffer; stderr: Buffer };

async function runBounded(cmd: string, args: string[], opts: ExecOptions): Promise<Raw> {
  // The wrappers would report a missing tool as exit 127; say it the way spawn does.
  const probe = cmd.includes('/') ? resolve(opts.cwd ?? '.', cmd) : cmd;
  if (!whichSync(probe, opts.env?.PATH ?? process.env.PATH)) {
    throw Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT', path: cmd });
  }
  const limitMs = opts.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const bounded = boundedArgv(cmd, args, limitMs);
  const started = Date.now();
  const child = execa(bounded.file, bounded.args, {
    cwd: opts.cwd,
    input: opts.input,
    env: opts.env,
    reject: false,
    stripFinalNewline: false,
    encoding: 'buffer',
    detached: true,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
  const pgid = child.pid;
  let timedOut = false;
  const end = (): void => {
    if (pgid !== undefined) endGroup(pgid);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    end();
  }, limitMs);
  if (pgid !== undefined) trackGroup(pgid);
  if (opts.signal?.aborted) end();
  opts.signal?.addEventListener('abort', end, { once: true });
  try {
    const r = await child;
    // mlbench's event loop may have been too busy for its timer; the wrapper's limit then acted.
    const wrapperFired = bounded.wrapped && r.exitCode === WRAPPER_TIMEOUT_STATUS && Date.now() - started >= wrapperLimitMs(limitMs);
    return {
      command: [cmd, ...args].map(quoteArg).join(' '),
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? undefined,
      timedOut: timedOut || wrapperFired,
      stdout: Buffer.from(r.stdout ?? []),
      stderr: Buffer.from(r.stderr ?? []),
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', end);
    if (pgid !== undefined) untrackGroup(pgid);
  }
}

export function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

