import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { BIN, cliEnv, mlbench, readCsv, tempHome } from './cli-helpers.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping interrupt/resume tests: shared models not found (set MLBENCH_MODELS)');

const MODELS = ['sine_model', 'toycar', 'aww', 'tests/model_with_add', 'tests/model_with_multiple_outputs'];

function finishedResults(home: string): Map<string, string> {
  const runs = join(home, 'sessions', '1', 'runs');
  const out = new Map<string, string>();
  if (!existsSync(runs)) return out;
  for (const r of readdirSync(runs)) {
    const f = join(runs, r, 'result.json');
    if (existsSync(f)) out.set(r, readFileSync(f, 'utf8'));
  }
  return out;
}

async function interruptAfterFirstResult(home: string, signal: 'SIGINT' | 'SIGKILL') {
  const child = execa('node', [BIN, 'flow', 'run', ...MODELS, '-t', 'host_x86', '-j1'], { reject: false, env: cliEnv(home) });
  for (let i = 0; i < 1200 && finishedResults(home).size === 0; i++) await new Promise((r) => setTimeout(r, 100));
  child.kill(signal);
  return child;
}

describe.skipIf(!shared)('interrupted sessions lose nothing that finished', () => {
  it('Ctrl-C keeps finished results and writes the report; resume completes it', async () => {
    const home = tempHome();
    const r = await interruptAfterFirstResult(home, 'SIGINT');
    expect(r.exitCode).toBe(130);
    const kept = finishedResults(home);
    expect(kept.size).toBeGreaterThanOrEqual(1);
    expect(kept.size).toBeLessThan(MODELS.length);
    const partial = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(partial).toHaveLength(MODELS.length);
    expect(partial.filter((x) => x.Status === 'ok').length).toBe(kept.size);
    expect(partial.some((x) => x.Status === 'missing')).toBe(true);
    const resumed = await mlbench(home, ['flow', 'resume', '1']);
    expect(resumed.exitCode).toBe(0);
    const after = finishedResults(home);
    for (const [run, text] of kept) expect(after.get(run)).toBe(text);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((x) => x.Status)).toEqual(MODELS.map(() => 'ok'));
  });

  it('SIGKILL of the whole process; resume runs only what is missing', async () => {
    const home = tempHome();
    await interruptAfterFirstResult(home, 'SIGKILL');
    const kept = finishedResults(home);
    expect(kept.size).toBeGreaterThanOrEqual(1);
    const resumed = await mlbench(home, ['flow', 'resume', 'latest']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain(`${MODELS.length - kept.size} of ${MODELS.length} runs to do`);
    const after = finishedResults(home);
    for (const [run, text] of kept) expect(after.get(run)).toBe(text);
    expect(readCsv(join(home, 'sessions', '1', 'report.csv')).every((x) => x.Status === 'ok')).toBe(true);
  });
});
