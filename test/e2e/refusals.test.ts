import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mlbench, tempHome } from './cli-helpers.js';

describe('refused before any work', () => {
  it('an unknown model names the closest one', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'awv']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown model awv (did you mean aww?)');
    expect(existsSync(join(home, 'sessions', '1'))).toBe(false);
  });

  it('a mistyped config key names the closest one', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'aww', '-c', 'mlif.optimise=2']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown config key mlif.optimise (did you mean mlif.optimize?)');
    expect(existsSync(join(home, 'sessions', '1'))).toBe(false);
  });

  it('unknown components and bad values', async () => {
    const home = tempHome();
    const t = await mlbench(home, ['flow', 'run', 'aww', '-t', 'riscv_qem']);
    expect(t.stderr).toContain('unknown target riscv_qem (did you mean riscv_qemu?)');
    const f = await mlbench(home, ['flow', 'run', 'aww', '-f', 'validat']);
    expect(f.stderr).toContain('unknown feature validat (did you mean validate?)');
    const v = await mlbench(home, ['flow', 'run', 'aww', '-c', 'mlif.optimize=4']);
    expect(v.stderr).toMatch(/invalid value "4" for mlif.optimize: expected one of 0, 1, 2, 3, s/);
    expect(existsSync(join(home, 'sessions', '1'))).toBe(false);
  });

  it('a config key without a value is refused in one line, with no stack trace', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', 'aww', '-c', 'mlif.optimize']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('mlbench: expected key=value, got "mlif.optimize"');
    expect(existsSync(join(home, 'sessions', '1'))).toBe(false);
  });

  it('no model: our own message, and JSON on stdout with --json', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no models given (e.g. mlbench flow run aww)');
    expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'config', message: 'no models given', hint: 'e.g. mlbench flow run aww' }, exitCode: 2 });
  });

  it('a value the target cannot take is refused before any run', async () => {
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'compile', 'aww', '-t', 'riscv_qemu', '-c', 'riscv_qemu.arch=rv32gcv']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('invalid riscv_qemu.arch "rv32gcv": extension v is not supported here');
    expect(existsSync(join(home, 'sessions', '1'))).toBe(false);
  });

  it('env --config lists every config key (text and JSON)', async () => {
    const home = tempHome();
    const text = await mlbench(home, ['env', '--config']);
    expect(text.stdout).toContain('config keys (set with -c key=value):');
    expect(text.stdout).toMatch(/mlif\.optimize\s+enum \[0\|1\|2\|3\|s\]/);
    const json = await mlbench(home, ['env', '--config', '--json']);
    const keys = (JSON.parse(json.stdout) as { config: { key: string }[] }).config.map((k) => k.key);
    expect(keys).toContain('mlif.optimize');
    expect(keys).toContain('validate.tolerance');
  });

  it('--help explains the flow options', async () => {
    const r = await mlbench(tempHome(), ['flow', 'run', '--help']);
    expect(r.stdout).toContain('--feature-gen');
    expect(r.stdout).toContain('--config-gen');
    expect(r.stdout).toContain('--parallel');
  });
});
