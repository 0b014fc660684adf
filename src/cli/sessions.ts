// `mlbench sessions list | show ID | clean`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '../flow/environment.js';
import { listSessions, openSession, removeSession } from '../flow/session.js';

export async function sessionsCommand(
  action: string,
  id: string | undefined,
  o: { home?: string; json: boolean; keep: number },
): Promise<number> {
  const env = loadEnvironment(o.home);
  const root = env.sessionsDir;
  if (action === 'show') {
    const s = openSession(root, id ?? 'latest');
    const file = join(s.dir, o.json ? 'report.json' : 'report.md');
    process.stdout.write(readFileSync(file, 'utf8'));
    return 0;
  }
  const ids = listSessions(root);
  if (action === 'clean') {
    const drop = ids.slice(0, Math.max(0, ids.length - o.keep));
    for (const d of drop) removeSession(root, d);
    process.stdout.write(`removed ${drop.length} session(s), kept ${ids.length - drop.length}\n`);
    return 0;
  }
  const rows = ids.map((sid) => {
    const session = openSession(root, sid);
    const r = session.read();
    const results = session.finishedResults(r);
    return {
      id: sid,
      label: r.label,
      created: r.created,
      state: r.state,
      runs: r.runs.length,
      ok: results.filter((x) => x.status === 'ok').length,
      failed: results.filter((x) => x.status === 'failed').length,
    };
  });
  if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    process.stdout.write(`sessions in ${root}:\n`);
    for (const r of rows) {
      process.stdout.write(`  ${r.id.padStart(4)}  ${r.created}  ${r.state.padEnd(11)} ${r.ok}/${r.runs} ok, ${r.failed} failed  ${r.label}\n`);
    }
  }
  return 0;
}
