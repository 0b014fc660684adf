// Which Python runs TVM. TVM 0.17 predates numpy 2, and the first python3 on PATH is often a
// pyenv/venv one with numpy 2 and without TVM's other imports, so mlbench probes candidates
// (the `tvm.python` setting alone when given) and keeps the first that imports tvm with numpy < 2.
import { realpathSync } from 'node:fs';
import { runTool } from '../../core/exec.js';
import { whichSync } from '../../core/which.js';

// Importing tvm loads libtvm.so (~100 MB); on a loaded 2-core machine that took over a minute.
const PROBE_TIMEOUT_MS = 300_000;

/** Prints numpy's version, stops early on numpy >= 2 (importing tvm then is pointless), then tvm's. */
const PROBE = [
  'import sys',
  'import numpy',
  'print("numpy", numpy.__version__)',
  'sys.stdout.flush()',
  'int(numpy.__version__.split(".")[0]) < 2 or sys.exit(3)',
  'import tvm',
  'print("tvm", tvm.__version__)',
].join('\n');

export interface PythonProbe {
  python: string;
  numpy?: string;
  tvm?: string;
  /** Why this python cannot run TVM, or undefined when it can. */
  problem?: string;
}

export interface PythonChoice {
  /** The chosen interpreter, when one can run TVM. */
  python?: string;
  tvmVersion?: string;
  /** One line per candidate: what was tried and why it was taken or skipped (for `mlbench env`). */
  reasons: string[];
}

/** Runs the probe with the TVM environment (PYTHONPATH etc.) and reads what it printed. */
export async function probePython(python: string, env: Record<string, string>): Promise<PythonProbe> {
  let r;
  try {
    r = await runTool(python, ['-c', PROBE], { env: { ...(process.env as Record<string, string>), ...env }, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (e) {
    return { python, problem: `cannot start: ${(e as Error).message.split('\n')[0]}` };
  }
  const numpy = /^numpy (\S+)$/m.exec(r.stdout)?.[1];
  const tvm = /^tvm (\S+)$/m.exec(r.stdout)?.[1];
  if (r.exitCode === 0 && tvm) return { python, numpy, tvm };
  if (r.timedOut) return { python, numpy, problem: `import did not finish within ${PROBE_TIMEOUT_MS / 1000} s` };
  const lastError = r.stderr.trim().split('\n').pop() ?? '';
  if (!numpy) return { python, problem: `cannot import numpy${lastError ? ` (${lastError})` : ''}` };
  if (r.exitCode === 3) return { python, numpy, problem: `has numpy ${numpy}; TVM 0.17 needs numpy < 2` };
  return { python, numpy, problem: `cannot import tvm${lastError ? ` (${lastError})` : ''}` };
}

/** The interpreters tried in order: the configured one only (when executable), else python3 on PATH and Debian's. */
export function pythonCandidates(configured: string | undefined): string[] {
  if (configured) return whichSync(configured) ? [configured] : [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of [whichSync('python3'), '/usr/bin/python3', '/usr/local/bin/python3']) {
    if (!c || !whichSync(c)) continue;
    let real = c;
    try {
      real = realpathSync(c);
    } catch {
      /* a dangling link is tried as given */
    }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(c);
  }
  return out;
}

/** Probes the candidates in order and keeps the first that imports tvm with numpy < 2. */
export async function choosePython(configured: string | undefined, env: Record<string, string>): Promise<PythonChoice> {
  const reasons: string[] = [];
  const candidates = pythonCandidates(configured);
  if (candidates.length === 0) {
    return { reasons: [configured ? `tvm.python ${configured} is not an executable` : 'no python3 found on PATH or in /usr/bin'] };
  }
  const origin = configured ? ' (tvm.python)' : '';
  for (const python of candidates) {
    const p = await probePython(python, env);
    if (!p.problem) {
      reasons.push(`python ${python}${origin}: imports tvm ${p.tvm} with numpy ${p.numpy}`);
      return { python, tvmVersion: p.tvm, reasons };
    }
    reasons.push(`python ${python}${origin} skipped: ${p.problem}`);
  }
  return { reasons };
}
