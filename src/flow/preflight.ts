// Refuses a session before any work when a component it needs is not usable here, saying
// exactly what is missing and how to get it.
import type { Availability, ComponentBase } from '../core/component.js';
import { ConfigView } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { checkModelFile, DEFAULT_MODEL_MAX_BYTES } from '../core/model-file.js';
import { checkCacheRoot } from '../core/cache.js';
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
  checkCacheRoot(env.cacheDir);
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
  checkTargetConfig(runs, registry);
  // A backend is often unusable only because its framework is: say each missing thing once,
  // naming every component it stops.
  const byProblem = new Map<string, string[]>();
  for (const c of needed.values()) {
    const a = await availabilityOf(c, env);
    if (!a.usable) {
      const what = `${a.missing.join('; ')}${a.howToGet ? ` — ${a.howToGet}` : ''}`;
      byProblem.set(what, [...(byProblem.get(what) ?? []), `${c.kind} ${c.name}`]);
    }
  }
  const problems = [...byProblem].map(([what, who]) => `${who.join(', ')}: ${what}`);
  if (problems.length) {
    throw new MlbenchError('tool-missing', `not usable on this machine:\n  ${problems.join('\n  ')}`, {
      hint: 'nothing was run; see `mlbench env` for every component',
    });
  }
}

/**
 * A value a target cannot take (an ISA extension QEMU or the compiler lacks, a bad ABI) is
 * refused before the first run, not at every run's compile: deriving the toolchain checks it.
 */
function checkTargetConfig(runs: RunSpec[], registry: Registry): void {
  const schema = registry.schema();
  const seen = new Set<string>();
  for (const r of runs) {
    if (STAGES.indexOf(r.until) < STAGES.indexOf('compile')) continue;
    const key = `${r.target}\0${JSON.stringify(r.config)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    registry.get('target', r.target).toolchain(new ConfigView(r.config, schema));
  }
}
