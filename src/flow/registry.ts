// One registry for every component kind. Adding a target, backend or feature means adding its
// file and listing it in its folder's index; nothing here changes.
import type {
  Backend,
  Component,
  ComponentKind,
  Feature,
  Framework,
  Frontend,
  Platform,
  Target,
} from '../core/component.js';
import { schemaOf, type ConfigKeySpec, type ConfigSchema } from '../core/config.js';
import { MlbenchError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { frontends } from '../frontends/index.js';
import { frameworks } from '../frameworks/index.js';
import { backends } from '../backends/index.js';
import { platforms } from '../platforms/index.js';
import { targets } from '../targets/index.js';
import { features } from '../features/index.js';
import { EXECUTOR_KEY, SLURM_KEYS } from './executors/keys.js';

/** Keys that belong to the flow itself rather than to a component. */
export const FLOW_CONFIG: { name: string; config: ConfigKeySpec[] } = {
  name: 'flow',
  config: [
    { key: 'cache', type: 'bool', default: true, help: 'reuse compiled libraries from the shared build cache' },
  ],
};

interface KindMap {
  frontend: Frontend;
  framework: Framework;
  backend: Backend;
  platform: Platform;
  target: Target;
  feature: Feature;
}

export class Registry {
  private readonly byKind: { [K in keyof KindMap]: KindMap[K][] };

  constructor(parts?: Partial<{ [K in keyof KindMap]: KindMap[K][] }>) {
    this.byKind = {
      frontend: parts?.frontend ?? frontends,
      framework: parts?.framework ?? frameworks,
      backend: parts?.backend ?? backends,
      platform: parts?.platform ?? platforms,
      target: parts?.target ?? targets,
      feature: parts?.feature ?? features,
    };
  }

  all<K extends keyof KindMap>(kind: K): KindMap[K][] {
    return this.byKind[kind];
  }

  components(): Component[] {
    return Object.values(this.byKind).flat() as Component[];
  }

  /** Finds a component by name or alias; an unknown name is an error naming the closest one. */
  get<K extends keyof KindMap>(kind: K, name: string): KindMap[K] {
    const list = this.byKind[kind];
    const found = list.find((c) => c.name === name || (c.aliases ?? []).includes(name));
    if (found) return found;
    const names = list.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    const near = closest(name, names);
    throw new MlbenchError('config', `unknown ${kind} ${name}`, {
      hint: near ? `did you mean ${near}?` : `known ${kind}s: ${list.map((c) => c.name).join(', ')}`,
    });
  }

  /** Every config key of every component plus the flow's own (`cache`, `executor`, `slurm.*`). */
  schema(): ConfigSchema {
    const schema = schemaOf([...this.components(), SLURM_KEYS]);
    for (const spec of [...FLOW_CONFIG.config, EXECUTOR_KEY]) schema.set(spec.key, spec);
    return schema;
  }

  kindOf(c: Component): ComponentKind {
    return c.kind;
  }
}
