// Model names and groups → model files, through the environment's search path.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { MlbenchError } from '../core/errors.js';
import { pkgPath } from '../core/paths.js';
import { closest } from '../core/suggest.js';

export interface ModelRef {
  /** Name as used in reports: `aww`, `tests/model_with_add`, or a file's base name. */
  name: string;
  file: string;
  /** Folder with definition.yml / input / output*, when the model came from a zoo folder. */
  dir: string | undefined;
}

const MODEL_EXTENSIONS = ['.tflite'];
const GROUP_FILES = ['modelgroups.yml', 'modelgroups.yaml', 'groups.yml', 'groups.yaml'];

export function loadGroups(searchPaths: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const read = (file: string): void => {
    const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    for (const [k, v] of Object.entries(data ?? {})) {
      if (Array.isArray(v) && !groups.has(k)) groups.set(k, v.map(String));
    }
  };
  read(pkgPath('models', 'groups.yml'));
  for (const p of searchPaths) {
    for (const g of GROUP_FILES) if (existsSync(join(p, g))) read(join(p, g));
  }
  return groups;
}

function findInPath(name: string, root: string): ModelRef | undefined {
  const dir = join(root, name);
  for (const ext of MODEL_EXTENSIONS) {
    const inDir = join(dir, basename(name) + ext);
    if (existsSync(inDir)) return { name, file: inDir, dir };
    const flat = join(root, name + ext);
    if (existsSync(flat)) return { name, file: flat, dir: undefined };
  }
  return undefined;
}

/** Every model name found in the search path (for `mlbench models list` and suggestions). */
export function listModels(searchPaths: string[]): ModelRef[] {
  const seen = new Map<string, ModelRef>();
  const visit = (root: string, prefix: string, depth: number): void => {
    if (depth > 2 || !existsSync(root)) return;
    for (const entry of readdirSync(root)) {
      const full = join(root, entry);
      const name = prefix ? `${prefix}/${entry}` : entry;
      if (!statSync(full).isDirectory()) continue;
      const ref = findInPath(name, searchPaths.find((p) => full.startsWith(p)) ?? root);
      if (ref && !seen.has(name)) seen.set(name, ref);
      else visit(full, name, depth + 1);
    }
  };
  for (const p of searchPaths) visit(p, '', 0);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Expands names and groups into model files; an unknown name names the closest known one. */
export function resolveModels(names: string[], searchPaths: string[]): ModelRef[] {
  const groups = loadGroups(searchPaths);
  const out: ModelRef[] = [];
  const add = (r: ModelRef): void => {
    if (!out.some((o) => o.file === r.file)) out.push(r);
  };
  for (const name of names) {
    const group = groups.get(name);
    if (group) {
      for (const m of resolveModels(group, searchPaths)) add(m);
      continue;
    }
    if (MODEL_EXTENSIONS.includes(extname(name)) && existsSync(name)) {
      const file = resolve(name);
      const dir = dirname(file);
      add({ name: basename(name, extname(name)), file, dir: basename(dir) === basename(name, extname(name)) ? dir : undefined });
      continue;
    }
    const found = searchPaths.map((p) => findInPath(name, p)).find((r) => r !== undefined);
    if (found) {
      add(found);
      continue;
    }
    const known = [...groups.keys(), ...listModels(searchPaths).map((m) => m.name)];
    const near = closest(name, known);
    throw new MlbenchError('config', `unknown model ${name}`, {
      hint: near
        ? `did you mean ${near}?`
        : searchPaths.length
          ? `searched ${searchPaths.join(', ')}; set MLBENCH_MODELS or run \`mlbench models fetch\``
          : 'no model search path: set MLBENCH_MODELS',
    });
  }
  return out;
}
