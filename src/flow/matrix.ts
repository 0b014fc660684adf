// Turns a flow request into the list of runs: models × backends × targets × feature variants ×
// config variants, where the variants are the product of the generator axes. Everything that can be refused is refused here, before any run starts.
import { MlbenchError } from '../core/errors.js';
import { parseAssignment, validateConfig, type ConfigRecord } from '../core/config.js';
import { closest } from '../core/suggest.js';
import { incompatibility } from '../features/framework-features.js';
import type { Environment } from './environment.js';
import { resolveModels, type ModelRef } from './models.js';
import type { Registry } from './registry.js';
import { isExecutorKey, splitExecutorConfig } from './executors/keys.js';

export const STAGES = ['load', 'tune', 'build', 'compile', 'run'] as const;
export type StageName = (typeof STAGES)[number];

export interface FlowRequest {
  until: StageName;
  models: string[];
  backends: string[];
  targets: string[];
  platforms: string[];
  features: string[];
  /** `key=value` assignments applied to every run. */
  config: string[];
  /**
   * Generator axes (--feature-gen, --feature-gen2, ...), which multiply; each axis lists its
   * variants, a variant being a list of feature names ('_' alone = no feature). Sessions written
   * before there were several axes hold one axis unwrapped (a list of variants): see genAxes.
   */
  featureGen: GenAxes | string[][];
  /** As featureGen; a variant is a list of `key=value`. */
  configGen: GenAxes | string[][];
}

export type GenAxes = string[][][];

/** Axes from either shape: a legacy single axis has strings (or nothing) inside its variants. */
export function genAxes(gen: GenAxes | string[][]): GenAxes {
  if (gen.length === 0) return [];
  const first = gen[0][0];
  return first === undefined || typeof first === 'string' ? [gen as string[][]] : (gen as GenAxes);
}

/** Every combination of one variant per axis, each as the variants' values in axis order. */
function product(axes: GenAxes): string[][] {
  let combos: string[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.map((v) => [...c, ...v]));
  return combos;
}

export interface RunSpec {
  index: number;
  id: string;
  model: ModelRef;
  frontend: string;
  framework: string;
  backend: string;
  platform: string;
  target: string;
  features: string[];
  /** Validated config: environment defaults < -c < --config-gen variant (later axes win). */
  config: ConfigRecord;
  /**
   * Keys set by -c or a --config-gen variant: the report's Config shows them even when equal to
   * the default, so the variants of a sweep stay apart. Absent when none (and in old sessions).
   */
  configSet?: string[];
  until: StageName;
}

function assignments(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const [k, v] = parseAssignment(a);
    out[k] = v;
  }
  return out;
}

export function expandRuns(req: FlowRequest, env: Environment, registry: Registry): RunSpec[] {
  const schema = registry.schema();
  // The executor's keys belong to the session (see executors/keys.ts), not to its runs.
  const { run: base } = splitExecutorConfig({
    ...validateConfig(schema, env.settings.config ?? {}),
    ...validateConfig(schema, assignments(req.config)),
  });
  const configVariants: ConfigRecord[] = product(genAxes(req.configGen)).map((v) => {
    const variant = validateConfig(schema, assignments(v.filter((x) => x !== '_')));
    const sessionKey = Object.keys(variant).find(isExecutorKey);
    if (sessionKey) throw new MlbenchError('config', `${sessionKey} cannot vary within a sweep`, { hint: `give it with -c ${sessionKey}=... for the whole session` });
    return variant;
  });
  const setByRequest = Object.keys(assignments(req.config)).filter((k) => !isExecutorKey(k));
  const featureNames = registry.all('feature').map((f) => f.name);
  const checkFeature = (f: string): string => {
    if (featureNames.includes(f)) return f;
    const near = closest(f, featureNames);
    throw new MlbenchError('config', `unknown feature ${f}`, {
      hint: near ? `did you mean ${near}?` : `known features: ${featureNames.join(', ')}`,
    });
  };
  const common = req.features.map(checkFeature);
  const featureVariants = product(genAxes(req.featureGen)).map((v) => [...new Set(v.filter((f) => f !== '_').map(checkFeature))]);

  const defaults = env.settings.defaults;
  const backends = (req.backends.length ? req.backends : [defaults.backend]).map((b) => registry.get('backend', b));
  const targets = (req.targets.length ? req.targets : [defaults.target]).map((t) => registry.get('target', t));
  const platforms = (req.platforms.length ? req.platforms : [defaults.platform]).map((p) => registry.get('platform', p));
  for (const c of [...backends, ...targets, ...platforms]) {
    if (env.settings.disabled.includes(c.name)) {
      throw new MlbenchError('config', `${c.kind} ${c.name} is disabled in ${env.file ?? 'the environment'}`);
    }
  }
  const frontend = registry.get('frontend', defaults.frontend);
  const models = resolveModels(req.models, env.modelPaths);
  if (models.length === 0) throw new MlbenchError('config', 'no models given', { hint: 'e.g. mlbench flow run aww' });

  const runs: RunSpec[] = [];
  for (const model of models)
    for (const fv of featureVariants)
      for (const cv of configVariants)
        for (const backend of backends)
          for (const target of targets) {
            const features = [...new Set([...common, ...fv])];
            const refused = features.filter((f) => !backend.features.includes(f));
            if (refused.length) {
              throw new MlbenchError('unsupported', `backend ${backend.name} does not support feature ${refused.join(', ')}`, {
                hint: `${backend.name} supports: ${backend.features.join(', ') || 'no features'}`,
              });
            }
            const clash = incompatibility(backend.name, features, target.name, target.descriptor.arch);
            if (clash) throw new MlbenchError('unsupported', `${backend.name} on ${target.name}: ${clash}`);
            const platform = platforms.find((p) => p.supportsTarget(target));
            if (!platform) {
              throw new MlbenchError('unsupported', `no platform of ${platforms.map((p) => p.name).join(', ')} supports target ${target.name}`);
            }
            const index = runs.length;
            const configSet = [...new Set([...setByRequest, ...Object.keys(cv)])];
            runs.push({
              index,
              id: `${String(index).padStart(3, '0')}-${model.name.replace(/[^\w.-]+/g, '_')}-${backend.name}-${target.name}`,
              model,
              frontend: frontend.name,
              framework: backend.framework,
              backend: backend.name,
              platform: platform.name,
              target: target.name,
              features,
              config: { ...base, ...cv },
              ...(configSet.length ? { configSet } : {}),
              until: req.until,
            });
          }
  return runs;
}
