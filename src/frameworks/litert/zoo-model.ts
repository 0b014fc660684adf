// Test models built with the project's TFLite writer, shared by tests and bench/model-zoo.mjs: each
// builder module exports one ZooModel; writeZooModel puts it in a models folder as mlbench reads
// it (<name>/<name>.tflite, input/N_k.bin, output_tflite/N_k.bin from LiteRT, or from the model's own
// oracle where LiteRT cannot load it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../../core/model.js';
import { writeTflite } from '../../frontends/tflite/writer.js';
import type { Oracle } from './oracle.js';
import { createRng, type Rng } from './prng.js';

export interface ZooModel {
  name: string;
  /** One line for tables: what the model is made of. */
  description: string;
  build(): Model;
  /** One input vector: raw bytes per model input. */
  inputs(rng: Rng): Uint8Array[];
  /** Reference outputs from another oracle, for models LiteRT cannot load (variable tensors). */
  expected?(model: Model, inputs: Uint8Array[]): Uint8Array[];
}

/** Writes the model and `vectors` input vectors with LiteRT's outputs; returns the .tflite path. */
export async function writeZooModel(z: ZooModel, modelsDir: string, oracle: Oracle | undefined, vectors = 2): Promise<string> {
  const dir = join(modelsDir, z.name);
  mkdirSync(join(dir, 'input'), { recursive: true });
  mkdirSync(join(dir, 'output_tflite'), { recursive: true });
  const model = z.build();
  const bytes = writeTflite(model);
  const file = join(dir, `${z.name}.tflite`);
  writeFileSync(file, bytes);
  const rng = createRng(11);
  for (let v = 0; v < vectors; v++) {
    const inputs = z.inputs(rng);
    if (!z.expected && !oracle) throw new Error(`${z.name}: needs the LiteRT oracle for its reference outputs`);
    const outputs = z.expected ? z.expected(model, inputs) : await oracle!.run(bytes, inputs);
    inputs.forEach((b, k) => writeFileSync(join(dir, 'input', `${v}_${k}.bin`), b));
    outputs.forEach((b, k) => writeFileSync(join(dir, 'output_tflite', `${v}_${k}.bin`), b));
  }
  return file;
}
