// Typed config keys. Every component declares its keys; values arrive as strings from the CLI
// or YAML and are converted and checked here before any run starts.
import { closest } from './suggest.js';
import { MlbenchError } from './errors.js';

export type ConfigType = 'string' | 'int' | 'float' | 'bool' | 'enum' | 'path' | 'list';
export type ConfigValue = string | number | boolean | string[] | null;

export interface ConfigKeySpec {
  /** Key without the component prefix, e.g. `optimize` for `mlif.optimize`. */
  key: string;
  type: ConfigType;
  default: ConfigValue;
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

/** Fully qualified key `component.key` → spec. */
export type ConfigSchema = Map<string, ConfigKeySpec>;

export type ConfigRecord = Record<string, ConfigValue>;

const TRUE = new Set(['1', 'true', 'yes', 'on', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'off', 'n']);

/**
 * The text a value would have on the command line. YAML (environment files) and JSON (stored
 * sessions) hand over numbers and booleans; they are checked as their text, so `timeout: true`
 * is refused for an integer key exactly as `-c mlif.timeout=true` is. Lists stay lists.
 */
function asCommandLineText(raw: unknown, type: ConfigType): string | string[] | undefined {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (type === 'list' && Array.isArray(raw) && raw.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) {
    return raw.map((x) => String(x).trim());
  }
  return undefined;
}

export function convertValue(fullKey: string, spec: ConfigKeySpec, raw: unknown): ConfigValue {
  if (raw === null || raw === undefined) return null;
  const bad = (why: string): never => {
    throw new MlbenchError('config', `invalid value ${JSON.stringify(raw)} for ${fullKey}: ${why}`, {
      hint: spec.help,
    });
  };
  const s = asCommandLineText(raw, spec.type);
  if (s === undefined) return bad(`expected ${spec.type === 'list' ? 'a list of values or comma-separated text' : 'a single value'}`);
  if (Array.isArray(s)) return s;
  switch (spec.type) {
    case 'string':
    case 'path':
      return s;
    case 'int': {
      const n = s === '' ? NaN : Number(s);
      if (!Number.isInteger(n)) bad('expected an integer');
      if (spec.min !== undefined && n < spec.min) bad(`must be >= ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) bad(`must be <= ${spec.max}`);
      return n;
    }
    case 'float': {
      const n = s === '' ? NaN : Number(s);
      if (!Number.isFinite(n)) bad('expected a number');
      if (spec.min !== undefined && n < spec.min) bad(`must be >= ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) bad(`must be <= ${spec.max}`);
      return n;
    }
    case 'bool': {
      const t = s.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return bad('expected true/false');
    }
    case 'enum': {
      const choices = spec.choices ?? [];
      if (!choices.includes(s)) {
        const near = closest(s, choices);
        bad(`expected one of ${choices.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`);
      }
      return s;
    }
    case 'list':
      return s === '' ? [] : s.split(',').map((x) => x.trim());
  }
}

export function parseAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new MlbenchError('config', `expected key=value, got ${JSON.stringify(text)}`);
  }
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

/** Checks and converts raw values; unknown keys are errors that name the closest known key. */
export function validateConfig(schema: ConfigSchema, raw: Record<string, unknown>): ConfigRecord {
  const out: ConfigRecord = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = schema.get(key);
    if (!spec) {
      const near = closest(key, [...schema.keys()]);
      throw new MlbenchError('config', `unknown config key ${key}`, {
        hint: near ? `did you mean ${near}?` : 'see `mlbench env --config` for all keys',
      });
    }
    out[key] = convertValue(key, spec, value);
  }
  return out;
}

/** Read access to a run's resolved config. */
export class ConfigView {
  constructor(
    private readonly values: ConfigRecord,
    private readonly schema: ConfigSchema,
  ) {}

  has(key: string): boolean {
    return key in this.values || this.schema.has(key);
  }

  get(key: string): ConfigValue {
    if (key in this.values) return this.values[key];
    const spec = this.schema.get(key);
    if (!spec) throw new Error(`config key ${key} is not declared by any component`);
    return spec.default;
  }

  str(key: string): string {
    const v = this.get(key);
    return v === null ? '' : String(v);
  }

  optStr(key: string): string | undefined {
    const v = this.get(key);
    return v === null || v === '' ? undefined : String(v);
  }

  int(key: string): number {
    const v = this.get(key);
    if (typeof v !== 'number') throw new Error(`config key ${key} is not a number`);
    return v;
  }

  bool(key: string): boolean {
    return this.get(key) === true;
  }

  list(key: string): string[] {
    const v = this.get(key);
    return Array.isArray(v) ? v : v === null ? [] : [String(v)];
  }

  /** Every key with its effective value (defaults included). */
  all(): ConfigRecord {
    const out: ConfigRecord = {};
    for (const [k, spec] of this.schema) out[k] = spec.default;
    return { ...out, ...this.values };
  }

  /** Only the keys set explicitly and differing from the default. */
  nonDefault(): ConfigRecord {
    const out: ConfigRecord = {};
    for (const [k, v] of Object.entries(this.values)) {
      const spec = this.schema.get(k);
      if (!spec || JSON.stringify(spec.default) !== JSON.stringify(v)) out[k] = v;
    }
    return out;
  }
}

/** The schema of a set of components: `<name>.<key>` for every key they declare. */
export function schemaOf(components: Iterable<{ name: string; config: ConfigKeySpec[] }>): ConfigSchema {
  const schema: ConfigSchema = new Map();
  for (const c of components) for (const spec of c.config) schema.set(`${c.name}.${spec.key}`, spec);
  return schema;
}
