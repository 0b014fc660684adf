// Access to the shared model data for frontend tests; tests skip with a printed reason
// when it is not on this machine.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedModelsDir } from '../../src/core/paths.js';

export const MODELS_DIR = sharedModelsDir();
export const HAVE_MODELS = MODELS_DIR !== undefined && existsSync(join(MODELS_DIR, 'aww', 'aww.tflite'));

export function warnIfMissing(suite: string): void {
  if (!HAVE_MODELS) console.warn(`${suite}: skipped, shared models not found (set MLBENCH_MODELS)`);
}

/** Model folder and file, e.g. modelPath('tests/model_with_add') → .../model_with_add.tflite. */
export function modelDir(rel: string): string {
  return join(MODELS_DIR ?? '', rel);
}

export function modelPath(rel: string): string {
  const base = rel.split('/').pop()!;
  return join(modelDir(rel), `${base}.tflite`);
}

export function modelBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(modelPath(rel)));
}

export const ALL_MODELS = [
  'aww',
  'vww',
  'resnet',
  'toycar',
  'sine_model',
  'tests/model_with_add',
  'tests/model_with_multiple_outputs',
] as const;
