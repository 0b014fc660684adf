// Progress of a session: a live bar on a terminal, plain lines elsewhere (CI logs). Both say how
// long the session has run and, once a run has finished, about how long the rest will take (the
// mean time per finished run, spread over the runs in parallel). The bar names every run in flight
// (the newest, and how many more) and clears itself when the session is interrupted, so the
// "interrupted" message and the summary table are not drawn over it.
import cliProgress from 'cli-progress';
import type { RunResult } from './run.js';

export interface Progress {
  started(runId: string, stage: string): void;
  finished(result: RunResult): void;
  stop(): void;
}

export interface ProgressOptions {
  enabled: boolean;
  tty: boolean;
  write: (s: string) => void;
  /** Aborted on Ctrl-C: the bar clears itself at once. */
  signal?: AbortSignal;
  /** Milliseconds since some fixed point; tests pass their own clock. */
  now?: () => number;
  /** Where the bar is drawn (default stderr). */
  stream?: NodeJS.WriteStream;
}

/** `4s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Time left: the mean wall time per finished run times the runs left; unknown before the first. */
export function estimateLeft(elapsedMs: number, done: number, total: number): number | undefined {
  return done > 0 ? (elapsedMs / done) * (total - done) : undefined;
}

export function createProgress(total: number, opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now;
  const t0 = now();
  let done = 0;
  let failed = 0;
  const inFlight = new Map<string, string>(); // run → its current stage, in start order
  const timing = (): string => {
    const elapsed = now() - t0;
    const left = estimateLeft(elapsed, done, total);
    return `${formatDuration(elapsed)} elapsed${left === undefined || done === total ? '' : `, ~${formatDuration(left)} left`}`;
  };
  if (!opts.enabled) {
    return { started() {}, finished() {}, stop() {} };
  }
  if (!opts.tty) {
    return {
      started(runId, stage) {
        opts.write(`[${done}/${total} ${formatDuration(now() - t0)}] ${runId}: ${stage}\n`);
      },
      finished(r) {
        done++;
        if (r.status === 'failed') failed++;
        const why = r.reason ? ` (${r.failedStage}: ${r.reason})` : '';
        opts.write(`[${done}/${total} ${timing()}] ${r.run}: ${r.status}${why}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'runs {bar} {value}/{total} | failed {failed} | {timing} | {current}',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      ...(opts.stream ? { stream: opts.stream } : {}),
    },
    cliProgress.Presets.shades_classic,
  );
  let stopped = false;
  const current = (): string => {
    const runs = [...inFlight];
    if (runs.length === 0) return '';
    const [id, stage] = runs[runs.length - 1];
    return `${id}: ${stage}${runs.length > 1 ? ` (+${runs.length - 1} more running)` : ''}`;
  };
  const redraw = (): void => {
    if (stopped) return;
    bar.update(done, { failed, timing: timing(), current: current() });
    // Drawn now, not at cli-progress's next frame: a run's change shows at once, and exactly once.
    bar.render();
  };
  // The elapsed time moves on between runs too; unref'd so it never keeps the process alive.
  const ticker = setInterval(redraw, 1000);
  ticker.unref();
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(ticker);
    bar.stop();
  };
  opts.signal?.addEventListener('abort', stop, { once: true });
  bar.start(total, 0, { failed: 0, timing: timing(), current: '' });
  return {
    started(runId, stage) {
      inFlight.delete(runId);
      inFlight.set(runId, stage);
      redraw();
    },
    finished(r) {
      done++;
      if (r.status === 'failed') failed++;
      inFlight.delete(r.run);
      redraw();
    },
    stop() {
      opts.signal?.removeEventListener('abort', stop);
      stop();
    },
  };
}
