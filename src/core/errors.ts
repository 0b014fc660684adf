// Errors a user is meant to read. Each says what went wrong and, where we know, what to do.

export type ErrorKind =
  | 'config' // unknown key, bad value, unknown component or model
  | 'model' // corrupt, truncated or unsupported model
  | 'unsupported' // a combination a component refuses
  | 'tool-missing' // an external tool is not installed
  | 'tool-failed' // an external tool ran and failed
  | 'timeout'
  | 'crash' // the program under test faulted
  | 'validation'
  | 'memory' // does not fit the target's flash/RAM
  | 'fault' // the machine failed the session: disk full, no permission, read-only, a tool vanished
  | 'interrupted';

export class MlbenchError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;
  /** Path of a log with details, when one exists. */
  readonly logPath?: string;
  /** Figures the failing step did measure (e.g. what a program that does not fit needs); they go into the report. */
  readonly measured?: Record<string, number>;

  constructor(kind: ErrorKind, message: string, opts: { hint?: string; logPath?: string; cause?: unknown; measured?: Record<string, number> } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MlbenchError';
    this.kind = kind;
    this.hint = opts.hint;
    this.logPath = opts.logPath;
    if (opts.measured) this.measured = opts.measured;
  }

  /** One line for reports: message plus hint. */
  describe(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

export class ToolMissingError extends MlbenchError {
  constructor(tool: string, howToGet: string) {
    super('tool-missing', `${tool} is not installed`, { hint: howToGet });
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof MlbenchError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
