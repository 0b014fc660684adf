// What `flow resume` checks in a session folder before it runs anything there. The folder may
// come from elsewhere (a colleague's session, an archive), so its session.json and run folders
// are foreign input: run ids were checked when session.json was read; here the runs' config is
// validated again, and links that lead out of the session are refused.
import { confinedPath, findLinkOut } from '../core/confine.js';
import { validateConfig } from '../core/config.js';
import { MlbenchError, errorMessage } from '../core/errors.js';
import { STAGES, type RunSpec } from '../flow/matrix.js';
import type { Registry } from '../flow/registry.js';
import type { SessionDir, SessionRecord } from '../flow/session.js';
import { postprocesses } from '../postprocess/index.js';

export function checkRunsToResume(session: SessionDir, runs: RunSpec[], registry: Registry): void {
  const schema = registry.schema();
  for (const run of runs) {
    const where = `${session.recordFile}: run ${run.id}`;
    try {
      if (!STAGES.includes(run.until)) throw new MlbenchError('config', `unknown stage ${JSON.stringify(run.until)}`);
      if (typeof run.model?.file !== 'string') throw new MlbenchError('config', 'no model file');
      for (const kind of ['frontend', 'backend', 'platform', 'target'] as const) registry.get(kind, run[kind]);
      validateConfig(schema, run.config ?? {});
    } catch (e) {
      throw new MlbenchError('config', `${where}: ${errorMessage(e)}`, { hint: 'the session was not written by this mlbench; nothing was run' });
    }
    const out = findLinkOut(session.runDir(run.id), session.dir);
    if (out) {
      throw new MlbenchError('config', `${where}: ${out} is a link leading out of the session`, {
        hint: 'resuming would write through it; remove the link (nothing was run)',
      });
    }
  }
}

/**
 * Postprocess settings stored in session.json are re-applied by `flow resume`; a path among them
 * (the export archive) must stay inside the session. Given on the command line, it may go anywhere.
 */
export function checkStoredPostprocess(record: SessionRecord, sessionDir: string): void {
  for (const [fullKey, value] of Object.entries(record.postprocess?.config ?? {})) {
    const dot = fullKey.indexOf('.');
    const spec = postprocesses.find((p) => p.name === fullKey.slice(0, dot))?.config.find((s) => s.key === fullKey.slice(dot + 1));
    if (spec?.type === 'path') confinedPath(sessionDir, String(value), `${fullKey} stored in ${record.id}'s session.json:`);
  }
}
