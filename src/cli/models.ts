// `mlbench models` and `mlbench init`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { MlbenchError } from '../core/errors.js';
import { initHome, loadEnvironment } from '../flow/environment.js';
import { listModels, loadGroups, resolveModels } from '../flow/models.js';
import { readTflite } from '../frontends/tflite/reader.js';
import { summarize } from '../frontends/tflite/summary.js';

export async function modelsCommand(action: string, name: string | undefined, o: { home?: string; json?: boolean }): Promise<number> {
  const env = loadEnvironment(o.home);
  if (action === 'fetch') return fetchZoo(join(env.home, 'models'), env.settings.models_repo);
  if (action === 'show') {
    if (!name) throw new MlbenchError('config', 'models show needs a model name');
    const [ref] = resolveModels([name], env.modelPaths);
    const bytes = new Uint8Array(readFileSync(ref.file));
    const summary = summarize(readTflite(bytes, ref.name), bytes);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ ...ref, summary }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `${ref.name}: ${ref.file}`,
      `  ${summary.layers.length} layers, ${(summary.macs / 1e6).toFixed(2)} M MACs, ${(summary.constantBytes / 1000).toFixed(1)} kB constants`,
      `  ops: ${summary.ops.map((x) => `${x.opcode}×${x.count}`).join(', ')}`,
      ...summary.inputs.map((t) => `  input  ${t.name} ${t.dtype}[${t.shape.join(',')}]${t.scale !== undefined ? ` scale ${t.scale} zp ${t.zeroPoint}` : ''}`),
      ...summary.outputs.map((t) => `  output ${t.name} ${t.dtype}[${t.shape.join(',')}]${t.scale !== undefined ? ` scale ${t.scale} zp ${t.zeroPoint}` : ''}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const models = listModels(env.modelPaths);
  const groups = loadGroups(env.modelPaths);
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ searchPath: env.modelPaths, models, groups: Object.fromEntries(groups) }, null, 2)}\n`);
    return 0;
  }
  const lines = [`search path: ${env.modelPaths.join(', ')}`, `models (${models.length}):`];
  for (const m of models) {
    const data = m.dir && (existsSync(join(m.dir, 'output_tflite')) || existsSync(join(m.dir, 'output'))) ? ' [reference data]' : '';
    lines.push(`  ${m.name.padEnd(36)} ${m.file}${data}`);
  }
  lines.push('groups:');
  for (const [g, members] of groups) lines.push(`  ${g.padEnd(36)} ${members.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Clones the public zoo, or updates an existing clone. */
export async function fetchZoo(dest: string, repo: { url: string; ref: string }): Promise<number> {
  try {
    if (existsSync(join(dest, '.git'))) {
      const git = simpleGit(dest);
      await git.fetch('origin', repo.ref);
      await git.checkout(repo.ref);
      await git.pull('origin', repo.ref);
      process.stdout.write(`updated ${dest} (${repo.ref})\n`);
    } else {
      await simpleGit().clone(repo.url, dest, ['--depth', '1', '--branch', repo.ref]);
      process.stdout.write(`cloned ${repo.url} into ${dest}\n`);
    }
    return 0;
  } catch (e) {
    throw new MlbenchError('tool-failed', `could not fetch the model zoo from ${repo.url}: ${(e as Error).message.split('\n')[0]}`, {
      hint: 'needs network access; or point MLBENCH_MODELS at a local copy',
    });
  }
}

export function initCommand(o: { home?: string }): number {
  const r = initHome(o.home);
  process.stdout.write(r.created ? `created ${r.home}/environment.yml\n` : `${r.home}/environment.yml exists; left as it is\n`);
  return 0;
}
