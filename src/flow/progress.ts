// Progress of a session: a live bar on a terminal, plain lines elsewhere (CI logs).
import cliProgress from 'cli-progress';
import type { RunResult } from './run.js';

export interface Progress {
  started(runId: string, stage: string): void;
  finished(result: RunResult): void;
  stop(): void;
}

export function createProgress(total: number, opts: { enabled: boolean; tty: boolean; write: (s: string) => void }): Progress {
  let done = 0;
  let failed = 0;
  if (!opts.enabled) {
    return { started() {}, finished() {}, stop() {} };
  }
  if (!opts.tty) {
    return {
      started(runId, stage) {
        opts.write(`[${done}/${total}] ${runId}: ${stage}\n`);
      },
      finished(r) {
        done++;
        if (r.status === 'failed') failed++;
        const why = r.reason ? ` (${r.failedStage}: ${r.reason})` : '';
        opts.write(`[${done}/${total}] ${r.run}: ${r.status}${why}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'runs {bar} {value}/{total} | failed {failed} | {current}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { failed: 0, current: '' });
  return {
    started(runId, stage) {
      bar.update(done, { current: `${runId}: ${stage}`, failed });
    },
    finished(r) {
      done++;
      if (r.status === 'failed') failed++;
      bar.update(done, { current: `${r.run}: ${r.status}`, failed });
    },
    stop() {
      bar.stop();
    },
  };
}
