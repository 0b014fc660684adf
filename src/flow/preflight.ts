// Refuses a session before any work when a component it needs is not usable here, saying
// exactly what is missing and how to get it.
import type { Availability, ComponentBase } from '../core/component.js';
import { MlbenchError } from '../core/errors.js';
import { checkModelFile, DEFAULT_MODEL_MAX_BYTES } from '../core/model-file.js';
import type { Environment } from './environment.js';
import { STAGES, type RunSpec } from './matrix.js';
import type { Registry } from './registry.js';

export async function availabilityOf(c: ComponentBase, env: Environment): Promise<Availability> {
  if (!c.availability) return { usable: true, missing: [] };
  try {
    return await c.availability(env);
  } catch (e) {
    return { usable: false, missing: [e instanceof Error ? e.message : String(e)] };
  }
}

/** Refuses runs that set a config key their target cannot enforce (e.g. an instruction limit under valgrind). */
function refuseUnenforceable(runs: RunSpec[], registry: Registry): void {
  for (const r of runs) {
    if (r.until !== 'run') continue;
    const target = registry.get('target', r.target);
    for (const [key, why] of Object.entries(target.unenforceableConfig ?? {})) {
      const v = r.config[key];
      if (v !== undefined && Number(v) !== 0) {
        throw new MlbenchError('unsupported', `${key} cannot be enforced on ${target.name}: ${why}`, {
          hint: `remove ${key} (or set it to 0) for ${target.name}; nothing was run`,
        });
      }
    }
  }
}

/** Refuses model files that are not regular files or are over `<frontend>.max_bytes`, before any work. */
function refuseModelFiles(runs: RunSpec[]): void {
  for (const r of runs) {
    const max = r.config[`${r.frontend}.max_bytes`];
    checkModelFile(r.model.file, max === undefined ? DEFAULT_MODEL_MAX_BYTES : Number(max));
  }
}

export async function preflight(runs: RunSpec[], env: Environment, registry: Registry): Promise<void> {
  refuseUnenforceable(runs, registry);
  refuseModelFiles(runs);
  const needed = new Map<string, ComponentBase>();
  for (const r of runs) {
    const backend = registry.get('backend', r.backend);
    needed.set(`backend:${backend.name}`, backend);
    const fw = registry.all('framework').find((f) => f.name === backend.framework);
    if (fw) needed.set(`framework:${fw.name}`, fw);
    if (STAGES.indexOf(r.until) >= STAGES.indexOf('compile')) {
      needed.set(`platform:${r.platform}`, registry.get('platform', r.platform));
    }
    if (r.until === 'run') needed.set(`target:${r.target}`, registry.get('target', r.target));
  }
  const problems: string[] = [];
  for (const c of needed.values()) {
    const a = await availabilityOf(c, env);
    if (!a.usable) {
      problems.push(`${c.kind} ${c.name}: ${a.missing.join('; ')}${a.howToGet ? ` — ${a.howToGet}` : ''}`);
    }
  }
  if (problems.length) {
    throw new MlbenchError('tool-missing', `not usable on this machine:\n  ${problems.join('\n  ')}`, {
      hint: 'nothing was run; see `mlbench env` for every component',
    });
  }
}
