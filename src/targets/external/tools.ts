// Finding external tools that cannot be installed here (simulators, SDKs, board tools).
// Lookups are synchronous because toolchain() and descriptors are synchronous.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MlbenchError } from '../../core/errors.js';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of `name` on PATH, or undefined. */
export function whichSync(name: string, pathVar: string | undefined = process.env.PATH): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Resolves a tool from an explicit setting (a file, or a directory holding `name`) or PATH.
 * An explicit setting that does not exist is not silently replaced by PATH: the user meant it.
 */
export function resolveTool(name: string, explicit: string | undefined): string | undefined {
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    const inDir = join(explicit, name);
    return isExecutable(inDir) ? inDir : undefined;
  }
  return whichSync(name);
}

/** The directory of an SDK from a config value or an environment variable, when it exists. */
export function resolveSdkDir(explicit: string | undefined, envVar: string): string | undefined {
  const dir = explicit ?? process.env[envVar];
  return dir && existsSync(dir) ? dir : undefined;
}

/** The tool-missing error every external runner throws; message and hint as `availability` reports. */
export function toolMissing(what: string, howToGet: string): MlbenchError {
  return new MlbenchError('tool-missing', what, { hint: howToGet });
}
