import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSessionDir, listSessions, openSession } from '../../src/flow/session.js';
import { rowOf, toCsv } from '../../src/flow/report.js';
import type { RunSpec } from '../../src/flow/matrix.js';
import type { RunResult } from '../../src/flow/run.js';

describe('sessions', () => {
  it('never hand out one id twice, even when allocated concurrently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlb-sessions-'));
    const ids = await Promise.all(Array.from({ length: 20 }, async () => createSessionDir(root).id));
    expect(new Set(ids).size).toBe(20);
  });

  it('opens by id or latest, and suggests a near id', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlb-sessions-'));
    const s = createSessionDir(root);
    await s.write({ id: s.id, label: 'x', created: '', argv: [], request: {} as never, runs: [], state: 'done' });
    expect(listSessions(root)).toEqual([s.id]);
    expect(openSession(root, 'latest').id).toBe(s.id);
    expect(() => openSession(root, '7')).toThrow(/no session 7/);
  });
});

describe('report rows', () => {
  const spec: RunSpec = {
    index: 0,
    id: '000-aww-mlbaot-host_x86',
    model: { name: 'aww', file: '/m/aww.tflite', dir: '/m' },
    frontend: 'tflite',
    framework: 'mlbench',
    backend: 'mlbaot',
    platform: 'mlif',
    target: 'host_x86',
    features: ['validate'],
    config: {},
    until: 'run',
  };

  it('leaves unmeasured metrics empty, never 0', () => {
    const result: RunResult = {
      session: '1',
      run: spec.id,
      spec,
      status: 'failed',
      failedStage: 'compile',
      reason: 'needs 300 kB RAM of 20 kB',
      logPath: '/x/compile/stage.log',
      metrics: { 'Model Arena': 1024 },
      stageSeconds: { load: 0.1, build: 0.2, compile: 0.3 },
      nonDefaultConfig: { 'mlif.optimize': 's' },
    };
    const row = rowOf('1', spec, result);
    expect(row['Run Instructions']).toBeUndefined();
    expect(row['Model Arena']).toBe(1024);
    expect(row.Config).toBe('mlif.optimize=s');
    expect(row.Reason).toBe('needs 300 kB RAM of 20 kB (log: /x/compile/stage.log)');
    const csv = toCsv([row]).split('\n');
    const header = csv[0].split(',');
    const values = csv[1].split(',');
    expect(values[header.indexOf('Run Instructions')]).toBe('');
    expect(values[header.indexOf('Status')]).toBe('failed');
  });

  it('marks runs without a result as missing', () => {
    expect(rowOf('1', spec, undefined).Status).toBe('missing');
  });
});
