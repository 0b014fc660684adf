// Which errors are the machine's (they stop the session; the run is redone by `flow resume`)
// and which are the run's own (recorded as its failure).
import { describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { isFaultReason, machineFaultOf } from '../../src/flow/faults.js';
import type { RunResult } from '../../src/flow/run.js';
import { needsRun } from '../../src/flow/scheduler.js';

const errno = (code: string, syscall: string, path: string, dest?: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, ...(dest ? { dest } : {}) });

describe('machineFaultOf', () => {
  it('names the path and what to do for ENOSPC, EROFS and EACCES, also in a cause chain', () => {
    expect(machineFaultOf(errno('ENOSPC', 'write', '/h/sessions/1/runs/0/result.json'))?.describe()).toBe(
      'disk full: /h/sessions/1/runs/0/result.json (ENOSPC, write) (free space on that file system or point the home elsewhere)',
    );
    const wrapped = new Error('copy failed', { cause: errno('EROFS', 'copyfile', '/models/a.tflite', '/h/cache/a') });
    expect(machineFaultOf(wrapped)?.forSession('3').describe()).toBe(
      'read-only file system: /h/cache/a (EROFS, copyfile) (remount it read-write or point the home, paths.sessions or paths.cache elsewhere, then `mlbench flow resume 3`)',
    );
    expect(machineFaultOf(errno('EACCES', 'open', '/h/cache/x'))?.code).toBe('EACCES');
  });
  it('reads a tool failing on a full disk and a tool that vanished', () => {
    const gcc = new MlbenchError('tool-failed', 'gcc failed (exit 1): fatal error: error writing to /tmp/cc.s: No space left on device', { logPath: '/h/r/compile/stage.log' });
    expect(machineFaultOf(gcc)?.message).toBe('disk full under a tool writing in /h/r/compile/stage.log (ENOSPC)');
    expect(machineFaultOf(new MlbenchError('tool-missing', 'valgrind not found'))?.message).toBe('a tool vanished during the session: valgrind not found');
  });
  it('leaves the run its own failures', () => {
    expect(machineFaultOf(new MlbenchError('memory', 'needs 300 kB RAM of 20 kB'))).toBeUndefined();
    expect(machineFaultOf(errno('ENOENT', 'open', '/nowhere/model.tflite'))).toBeUndefined();
    expect(machineFaultOf(new Error('internal'))).toBeUndefined();
  });
});

describe('needsRun', () => {
  const result = (status: RunResult['status'], reason?: string): RunResult => ({ status, reason }) as RunResult;
  it('redoes missing, interrupted and disk-full failures; other failures only with --retry-failed', () => {
    expect(needsRun(undefined)).toBe(true);
    expect(needsRun(result('interrupted'))).toBe(true);
    expect(needsRun(result('ok'))).toBe(false);
    expect(needsRun(result('failed', 'needs 300 kB RAM of 20 kB'))).toBe(false);
    expect(needsRun(result('failed', 'needs 300 kB RAM of 20 kB'), true)).toBe(true);
    expect(needsRun(result('failed', "ENOSPC: no space left on device, write"))).toBe(true);
    expect(needsRun(result('skipped'), true)).toBe(false);
    expect(isFaultReason('ld: final link failed: No space left on device')).toBe(true);
  });
});
