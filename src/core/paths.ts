// Where the package's own files (C sources, linker scripts, environment templates) live,
// whether we run from src/ (vitest) or dist/ (the installed CLI).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('mlbench package root not found');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();

/** Absolute path of a file shipped in the package, e.g. pkgPath('src/platforms/mlif/c/main.c'). */
export function pkgPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** The shared model data used by tests and benchmarks (never committed into the repo). */
export function sharedModelsDir(): string | undefined {
  const env = process.env.MLBENCH_MODELS;
  if (env) return env.split(':')[0];
  const guess = join(PACKAGE_ROOT, '..', 'shared', 'models');
  return existsSync(guess) ? guess : undefined;
}
