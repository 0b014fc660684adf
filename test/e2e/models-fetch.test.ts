import { execaSync } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mlbench, tempHome } from './cli-helpers.js';

/** A local zoo repository standing in for tum-ei-eda/mlonmcu-models (same layout). */
function localZoo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'mlbench-zoo-'));
  const git = (...args: string[]) => execaSync('git', ['-C', repo, ...args]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'zoo@example.invalid');
  git('config', 'user.name', 'zoo');
  mkdirSync(join(repo, 'tiny'));
  writeFileSync(join(repo, 'tiny', 'tiny.tflite'), 'v1');
  writeFileSync(join(repo, 'modelgroups.yml'), 'tinygroup: [tiny]\n');
  git('add', '-A');
  git('commit', '-qm', 'v1');
  return repo;
}

describe('models fetch', () => {
  it('clones the zoo into the home, then updates it', async () => {
    const zoo = localZoo();
    const home = tempHome();
    expect((await mlbench(home, ['init'])).exitCode).toBe(0);
    const envFile = join(home, 'environment.yml');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/url: .*/, `url: ${zoo}`));

    const first = await mlbench(home, ['models', 'fetch']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`cloned ${zoo}`);
    expect(readFileSync(join(home, 'models', 'tiny', 'tiny.tflite'), 'utf8')).toBe('v1');

    writeFileSync(join(zoo, 'tiny', 'tiny.tflite'), 'v2');
    execaSync('git', ['-C', zoo, 'commit', '-qam', 'v2']);
    const second = await mlbench(home, ['models', 'fetch']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('updated');
    expect(readFileSync(join(home, 'models', 'tiny', 'tiny.tflite'), 'utf8')).toBe('v2');

    const list = await mlbench(home, ['models', 'list']);
    expect(list.stdout).toContain('tinygroup');
  });

  it('says what failed when the zoo cannot be reached', async () => {
    const home = tempHome();
    await mlbench(home, ['init']);
    const envFile = join(home, 'environment.yml');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/url: .*/, 'url: /nonexistent/zoo.git'));
    const r = await mlbench(home, ['models', 'fetch']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('could not fetch the model zoo from /nonexistent/zoo.git');
    expect(existsSync(join(home, 'models', 'tiny'))).toBe(false);
  });
});
