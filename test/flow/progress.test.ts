// The progress output: elapsed time, an estimate of the time left, every run in flight, and a
// bar that clears itself on Ctrl-C. The clock is the test's own, so the lines are exact.
import { describe, expect, it } from 'vitest';
import { createProgress, estimateLeft, formatDuration } from '../../src/flow/progress.js';
import type { RunResult } from '../../src/flow/run.js';

const result = (run: string, status: RunResult['status'], reason?: string): RunResult =>
  ({ run, status, reason, failedStage: reason ? 'compile' : undefined, metrics: {}, stageSeconds: {}, nonDefaultConfig: {} }) as unknown as RunResult;

describe('progress', () => {
  it('formats durations and estimates the time left from the finished runs', () => {
    expect([formatDuration(4400), formatDuration(125_000), formatDuration(3_720_000)]).toEqual(['4s', '2m05s', '1h02m']);
    expect(estimateLeft(10_000, 0, 4)).toBeUndefined();
    expect(estimateLeft(30_000, 1, 4)).toBe(90_000);
  });

  it('plain lines (not a terminal) carry elapsed time and the estimate', () => {
    let t = 0;
    const lines: string[] = [];
    const p = createProgress(3, { enabled: true, tty: false, write: (s) => lines.push(s), now: () => t });
    p.started('000-a', 'load');
    t = 20_000;
    p.finished(result('000-a', 'ok'));
    t = 45_000;
    p.finished(result('001-b', 'failed', 'does not fit'));
    t = 61_000;
    p.finished(result('002-c', 'ok'));
    expect(lines).toEqual([
      '[0/3 0s] 000-a: load\n',
      '[1/3 20s elapsed, ~40s left] 000-a: ok\n',
      '[2/3 45s elapsed, ~23s left] 001-b: failed (compile: does not fit)\n',
      '[3/3 1m01s elapsed] 002-c: ok\n',
    ]);
  });

  it('the live bar names the runs in flight and clears itself when the session is aborted', () => {
    let out = '';
    // A 200-column terminal that records what is drawn.
    const stream = {
      isTTY: true,
      columns: 200,
      write: (s: string) => ((out += s), true),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    } as unknown as NodeJS.WriteStream;
    {
      const abort = new AbortController();
      let t = 0;
      const p = createProgress(4, { enabled: true, tty: true, write: () => undefined, signal: abort.signal, now: () => t, stream });
      p.started('000-a', 'compile');
      p.started('001-b', 'run');
      t = 10_000;
      p.finished(result('000-a', 'ok'));
      expect(out).toContain('1/4 | failed 0 | 10s elapsed, ~30s left | 001-b: run');
      p.started('002-c', 'load');
      expect(out).toContain('002-c: load (+1 more running)');
      abort.abort();
      const after = out.length;
      p.finished(result('001-b', 'ok')); // nothing is drawn after the bar was cleared
      p.stop();
      expect(out.length).toBe(after);
    }
  });
});
