// The version line of a tool, for run.json: a result is only reproducible with the tools that
// made it. Asked once per tool and process.
import { runTool } from './exec.js';

const cache = new Map<string, Promise<string | undefined>>();

export function toolVersion(binary: string): Promise<string | undefined> {
  let v = cache.get(binary);
  if (!v) {
    v = runTool(binary, ['--version'], { timeoutMs: 10_000 })
      .then((r) => (r.exitCode === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() || undefined : undefined))
      .catch(() => undefined);
    cache.set(binary, v);
  }
  return v;
}
