// mlbaot: mlbench's own ahead-of-time C code generator. Reads the model once at build time
// and emits plain C (one function per layer, constants baked in) against the header-only
// kernel library in src/frameworks/mlbench/kernels.
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { Backend, StageContext } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import type { Model } from '../../core/model.js';
import { pkgPath } from '../../core/paths.js';
import { readTflite } from '../../frontends/tflite/reader.js';
import { generateSources } from './generator.js';
import type { RequantMode } from './layer-common.js';
import { SUPPORTED_OPERATORS, unsupportedReasons } from './support.js';

export const MLBENCH_KERNEL_DIR = pkgPath('src/frameworks/mlbench/kernels');

function readModel(path: string): Model {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new MlbenchError('model', `cannot read model file ${path}: ${(e as Error).message}`, { cause: e });
  }
  const name = path.replace(/^.*[\\/]/, '').replace(/\.tflite$/i, '');
  return readTflite(bytes, name);
}

/** Where the load stage's model file is: absolute, or relative to the run's load folder. */
function modelPathOf(ctx: StageContext, load: LoadArtifact): string {
  return isAbsolute(load.modelFile) ? load.modelFile : join(ctx.runDir, 'load', load.modelFile);
}

export interface MlbaotBuildResult {
  artifact: BuildArtifact;
  /** Peak of simply summed live tensors (no reuse in place), for comparison with the plan. */
  simpleLivenessPeak: number;
}

export interface MlbaotOptions {
  /** Requantization of CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED (default tflm). */
  requantize?: RequantMode;
}

export const REQUANTIZE_CHOICES: readonly RequantMode[] = ['tflm', 'fp32'];

/** Generates the sources of a Model into dir and writes build.json; the core of `build`. */
export function buildModel(model: Model, dir: string, opts: MlbaotOptions = {}): MlbaotBuildResult {
  const reasons = unsupportedReasons(model);
  if (reasons.length > 0) {
    throw new MlbenchError('unsupported', `mlbaot cannot build ${model.name}: ${reasons.join('; ')}`, {
      hint: `mlbaot supports ${SUPPORTED_OPERATORS.join(', ')}; try another backend`,
    });
  }
  const gen = generateSources(model, opts.requantize ?? 'fp32');
  writeFileSync(join(dir, 'mlb_model.h'), gen.header);
  writeFileSync(join(dir, 'model.c'), gen.modelC);
  writeFileSync(join(dir, 'model_weights.c'), gen.weightsC);
  const artifact: BuildArtifact = {
    backend: 'mlbaot',
    framework: 'mlbench',
    sources: ['model.c', 'model_weights.c'],
    includeDirs: [dir, MLBENCH_KERNEL_DIR],
    defines: {},
    cflags: [],
    arenaBytes: gen.arenaBytes,
    inputs: gen.inputs,
    outputs: gen.outputs,
    layerFunctions: gen.layerFunctions,
  };
  writeFileSync(join(dir, 'build.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return { artifact, simpleLivenessPeak: gen.simpleLivenessPeak };
}

export const mlbaotBackend: Backend = {
  name: 'mlbaot',
  kind: 'backend',
  framework: 'mlbench',
  description: "mlbench's own ahead-of-time C generator: one function per layer, static arena, integer kernels bit-exact with TFLite",
  config: [
    {
      key: 'requantize',
      type: 'enum',
      // fp32 by default: bit-exact with TensorFlow Lite's own outputs is what validation promises.
      default: 'fp32',
      choices: REQUANTIZE_CHOICES,
      help:
        'requantization of conv/depthwise/fully-connected/quantize outputs: fp32 (TensorFlow Lite/XNNPACK float32 scale, ' +
        'emulated in integers; bit-exact with TFLite) or tflm (TFLite Micro fixed point; faster, within 1 LSB per layer)',
    },
  ],
  features: ['validate', 'profile', 'debug'],
  async check(_load: LoadArtifact, modelFile: string): Promise<string[]> {
    return unsupportedReasons(readModel(modelFile));
  },
  async build(ctx: StageContext, load: LoadArtifact): Promise<BuildArtifact> {
    const model = readModel(modelPathOf(ctx, load));
    const requantize = ctx.config.str('mlbaot.requantize') as RequantMode;
    const { artifact, simpleLivenessPeak } = buildModel(model, ctx.dir, { requantize });
    ctx.log(
      `mlbaot: ${model.operators.length} operators -> ${artifact.layerFunctions.length} layer functions, ` +
        `arena ${artifact.arenaBytes} bytes (simple liveness peak ${simpleLivenessPeak})`,
    );
    return artifact;
  },
};
