// The TFLite frontend: copies the model into the load stage folder, parses it, and writes
// load.json (the LoadArtifact every later stage reads) and a human-readable summary.txt.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadArtifact } from '../../core/artifacts.js';
import type { Frontend, StageContext } from '../../core/component.js';
import { DEFAULT_MODEL_MAX_BYTES, readModelFile } from '../../core/model-file.js';
import { readTflite } from './reader.js';
import { findReference } from './reference.js';
import { formatSummary, summarize } from './summary.js';

export { readTflite } from './reader.js';
export { writeTflite, exposeAllTensors } from './writer.js';
export { summarize, formatSummary, operatorMacs, constantBytes, tensorInfo } from './summary.js';
export { findReference, readFloat32File, quantize } from './reference.js';

export async function loadTflite(ctx: StageContext, modelFile: string, modelDir: string | undefined): Promise<LoadArtifact> {
  const source = resolve(modelFile);
  const fileName = basename(source);
  const bytes = readModelFile(source, ctx.config.has('tflite.max_bytes') ? ctx.config.int('tflite.max_bytes') : DEFAULT_MODEL_MAX_BYTES);
  const model = readTflite(bytes, fileName);
  if (model.subgraphCount > 1) ctx.log(`${fileName}: ${model.subgraphCount} subgraphs, using the first`);
  const copy = join(ctx.dir, fileName);
  writeFileSync(copy, bytes);
  const summary = summarize(model, bytes);
  const reference = findReference(modelDir ?? dirname(source), summary);
  const warnings = [...(model.warnings ?? []), ...(reference.warnings ?? [])];
  for (const w of warnings) ctx.log(`warning: ${w}`);
  const artifact: LoadArtifact = { frontend: 'tflite', modelFile: copy, summary, reference, ...(warnings.length > 0 ? { warnings } : {}) };
  writeFileSync(join(ctx.dir, 'load.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  writeFileSync(join(ctx.dir, 'summary.txt'), formatSummary(summary));
  ctx.log(
    `loaded ${fileName}: ${summary.layers.length} operators, ${summary.macs} MACs, ` +
      `${summary.constantBytes} constant bytes, ${reference.vectors.length} reference vectors (${reference.inputFormat} in, ${reference.outputFormat} out)`,
  );
  return artifact;
}

export const tfliteFrontend: Frontend = {
  name: 'tflite',
  kind: 'frontend',
  description: 'TensorFlow Lite flatbuffer models (.tflite)',
  fileExtensions: ['.tflite'],
  config: [
    {
      key: 'max_bytes',
      type: 'int',
      default: DEFAULT_MODEL_MAX_BYTES,
      min: 1,
      help: 'largest model file read (bytes); larger files, FIFOs and devices are refused',
    },
  ],
  load: loadTflite,
};
