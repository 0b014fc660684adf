// Models whose names are attacks on generated code: the sine model of the shared zoo (float
// FULLY_CONNECTED, with reference vectors) rewritten with the project's own TFLite writer so
// that every tensor name, the description and (optionally) the file name carry hostile text.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedModelsDir } from '../../src/core/paths.js';
import type { Model } from '../../src/core/model.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';

/** Words that may never appear in generated code outside comments and literals. */
export const FORBIDDEN_WORDS = ['system', 'constructor'];

/** The tensor name from issue 10, pointed at `markerFile`. */
export function issuePayload(markerFile: string): string {
  return `*/}; __attribute__((constructor)) static void f(void){ system("id > ${markerFile}"); } static const int p[] = {0, /*`;
}

/**
 * Hostile names, each carrying a unique marker `zqxN` so a checker can tell whether any of its
 * text escaped into code. Together they hold `*\/`, `/*`, quotes, backslashes, newlines, line
 * splices, trigraphs, NUL, other control characters, non-ASCII text and a 10 kB name.
 */
export function hostileNames(markerFile: string): string[] {
  const long = `zqx9 ${'*/ system("true"); /* \\\n ??/ '.repeat(400)}`.slice(0, 10_240);
  return [
    issuePayload(markerFile),
    'zqx1 */ int zqx1_code = 1; /*',
    'zqx2 "\\" ??/\n int zqx2_code; ??= define zqx2_macro',
    'zqx3 \\\n int zqx3_code; // trailing',
    'zqx4\u0000int zqx4_code;\u0000',
    'zqx5 é😀 ∗/ \u2028\u2029 int zqx5_code; \ud800',
    "zqx6 ' \" '\" \r\n#include </etc/passwd>\n",
    'zqx7 ??/',
    long,
    'zqx8 \t\f\v\x1b[31m */ /* // \\',
  ];
}

export interface HostileModel {
  model: Model;
  bytes: Uint8Array;
}

/** The sine model with hostile tensor names (cycled) and description, or undefined without the zoo. */
export function hostileSineModel(markerFile: string): HostileModel | undefined {
  const zoo = sharedModelsDir();
  if (!zoo) return undefined;
  const file = join(zoo, 'sine_model', 'sine_model.tflite');
  const original = readTflite(new Uint8Array(readFileSync(file)), 'sine_model');
  const names = hostileNames(markerFile);
  const model: Model = {
    ...original,
    description: names.join(' | '),
    tensors: original.tensors.map((t, i) => ({ ...t, name: names[i % names.length] })),
  };
  const bytes = writeTflite(model);
  return { model: readTflite(bytes, names[1]), bytes };
}

/**
 * A zoo-style folder `<dir>/<name>/<name>.tflite` with the sine model's reference vectors
 * (input/, output/), so a flow run validates it; returns the model file.
 */
export function writeHostileModelFolder(dir: string, name: string, bytes: Uint8Array): string {
  const zoo = sharedModelsDir()!;
  const folder = join(dir, name);
  for (const sub of ['input', 'output']) {
    mkdirSync(join(folder, sub), { recursive: true });
    for (const f of readdirSync(join(zoo, 'sine_model', sub))) copyFileSync(join(zoo, 'sine_model', sub, f), join(folder, sub, f));
  }
  const file = join(folder, `${name}.tflite`);
  writeFileSync(file, bytes);
  return file;
}
