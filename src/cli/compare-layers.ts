// `mlbench compare-layers MODEL`: which layer first differs from real TensorFlow Lite.
import { MlbenchError } from '../core/errors.js';
import { loadEnvironment } from '../flow/environment.js';
import { resolveModels } from '../flow/models.js';

export async function compareLayersCommand(
  model: string,
  vector: number,
  o: { home?: string; json: boolean; tolerance: number },
): Promise<number> {
  const env = loadEnvironment(o.home);
  const [ref] = resolveModels([model], env.modelPaths);
  if (!ref.dir) throw new MlbenchError('config', `${ref.name} has no folder with reference inputs to compare on`);
  // Loaded lazily: the oracle (LiteRT wasm) is a development dependency.
  const { compareLayers, formatLayerComparison } = await import('../frameworks/litert/compare-layers.js');
  const result = await compareLayers(ref.file, { vector, modelDir: ref.dir }, { toleranceLsb: o.tolerance });
  process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatLayerComparison(result)}\n`);
  return result.firstDifferingLayer ? 1 : 0;
}
