// Finding external tools that cannot be installed here (simulators, SDKs, board tools).
// Lookups are synchronous because toolchain() and descriptors are synchronous.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MlbenchError } from '../../core/errors.js';
import { isExecutable, whichSync } from '../../core/which.js';

export { whichSync };

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
