// A postprocess turns the rows of a session report into other rows (and may write files next to
// the report, e.g. report.html or an export archive). Postprocesses run in the order named, after
// the session's runs ended or later on a finished session (`mlbench report show --postprocess`).
import type { ConfigKeySpec, ConfigValue } from '../core/config.js';
import type { ReportRow } from '../flow/report.js';

/** A postprocess's own config values, keys without the `NAME.` prefix, defaults filled in. */
export class PostprocessConfig {
  constructor(
    readonly postprocess: string,
    private readonly values: Record<string, ConfigValue>,
  ) {}

  get(key: string): ConfigValue {
    if (!(key in this.values)) throw new Error(`${this.postprocess}.${key} is not declared by the postprocess`);
    return this.values[key];
  }

  str(key: string): string {
    const v = this.get(key);
    return v === null ? '' : Array.isArray(v) ? v.join(',') : String(v);
  }

  list(key: string): string[] {
    const v = this.get(key);
    if (Array.isArray(v)) return v.filter((x) => x !== '');
    return v === null || v === '' ? [] : [String(v)];
  }

  bool(key: string): boolean {
    return this.get(key) === true;
  }
}

export interface PostprocessContext {
  /** Folder of the session (or of the report file) — where written files go, and where runs/ is. */
  sessionDir: string;
  config: PostprocessConfig;
}

export interface Postprocess {
  name: string;
  description: string;
  config: ConfigKeySpec[];
  /** Returns the new rows; must not mutate the rows it receives. */
  apply(rows: ReportRow[], ctx: PostprocessContext): ReportRow[] | Promise<ReportRow[]>;
}
