// mlbaot: mlbench's own ahead-of-time C code generator. Reads the model once at build time
// and emits plain C (one function per layer, constants baked in) against the header-only
// kernel library in src/frameworks/mlbench/kernels.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { BuildArtifact, LoadArtifact } from '../../core/artifacts.js';
import type { Backend, StageContext, TuneMeasure } from '../../core/component.js';
import { MlbenchError } from '../../core/errors.js';
import type { Model } from '../../core/model.js';
import { pkgPath } from '../../core/paths.js';
import { readTflite } from '../../frontends/tflite/reader.js';
import { runTarget } from '../tvm/run-target.js';
import { hasArmDsp, hasArmSimd } from './arm-dsp.js';
import { generateSources, planFor } from './generator.js';
import type { RequantMode } from './layer-common.js';
import { SUPPORTED_OPERATORS, unsupportedReasons } from './support.js';
import { VARIANT_CHOICES, VARIANTS, keepArena, resolveVariants, selectVariants, type TuningRecords, type Variant } from './variants.js';

export const MLBENCH_KERNEL_DIR = pkgPath('src/frameworks/mlbench/kernels');

function readModel(path: string): Model {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new MlbenchError('model', `cannot read model file ${path}: ${(e as Error).message}`, { cause: e });
  }
  // basename: a `\` is part of a POSIX file name, not a separator.
  const name = basename(path).replace(/\.tflite$/i, '');
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
  /** Code variant per operator index (variants.ts); missing operators use their default. */
  variants?: ReadonlyMap<number, Variant>;
  /** The target has the Arm DSP extension (arm-dsp.ts); default false (portable layouts). */
  armDsp?: boolean;
  /** Shared instances take the arguments all their calls agree on as literals; default true (off on Arm SIMD targets). */
  agreedLiterals?: boolean;
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
  const gen = generateSources(model, opts.requantize ?? 'fp32', opts.variants, opts.armDsp ?? false, opts.agreedLiterals ?? true);
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
    {
      key: 'variant',
      type: 'enum',
      default: 'default',
      choices: VARIANT_CHOICES,
      help:
        'code variant of every CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED layer: default (tuning records, else shared), ' +
        'shared (shared kernel, run-time shapes), specialized (all shapes compile-time), blocked (specialized + alternative loop nest)',
    },
    {
      key: 'tuning_records',
      type: 'string',
      default: '',
      help: 'tune.json of an earlier autotune run (tune/tune.json): per-layer variants for build (used when this run does not tune)',
    },
    {
      key: 'tune_tolerance',
      type: 'float',
      default: 0.005,
      min: 0,
      help: 'autotune: variants within this fraction of a layer\'s fewest instructions count as ties, won by the default (smaller code)',
    },
  ],
  features: ['validate', 'profile', 'debug', 'autotune'],
  async check(_load: LoadArtifact, modelFile: string): Promise<string[]> {
    return unsupportedReasons(readModel(modelFile));
  },
  async tune(ctx: StageContext, load: LoadArtifact, measure: TuneMeasure): Promise<Record<string, unknown>> {
    const model = readModel(modelPathOf(ctx, load));
    const tolerance = Number(ctx.config.get('mlbaot.tune_tolerance'));
    const profiles: Record<string, { name: string; instructions: number }[]> = {};
    const totals: TuningRecords['totals'] = {};
    for (const variant of VARIANTS) {
      const m = await measure({ 'mlbaot.variant': variant }, variant);
      profiles[variant] = m.profile;
      totals[variant] = Object.fromEntries(
        Object.entries(m.metrics).filter((e): e is [string, number | string] => e[1] !== undefined && /Instructions|ROM|RAM/.test(e[0])),
      );
      ctx.log(`mlbaot tune: variant ${variant}: ${m.metrics['Run Instructions'] ?? '?'} run instructions`);
    }
    const selected = selectVariants(model.operators, profiles, tolerance);
    const { measured } = selected;
    const arenaOf = (l: Record<string, string>): number => planFor(model, resolveVariants(model.operators, 'default', { layers: l }), ctx.config.str('mlbaot.requantize') as RequantMode).arenaBytes;
    const { layers, downgraded } = keepArena(model.operators, selected.layers, measured, arenaOf, tolerance);
    if (downgraded.length > 0) ctx.log(`mlbaot tune: layers ${downgraded.join(', ')} kept row-major (the arena would grow)`);
    const predicted = Object.entries(layers).reduce((a, [k, v]) => a + (measured[k]?.[v] ?? 0), 0);
    const records: TuningRecords = {
      backend: 'mlbaot',
      version: 1,
      objective:
        `per layer: fewest instructions; variants within ${tolerance * 100}% of the fewest tie, ties go to the default variant, else the smaller code; ` +
        'no choice may grow the activation arena beyond the untuned build (channel-major depthwise falls back)',
      arenaBytes: arenaOf(layers),
      variants: [...VARIANTS],
      layers,
      measured,
      totals,
      predictedLayerInstructions: predicted,
    };
    const counts = Object.values(layers).reduce<Record<string, number>>((a, v) => ({ ...a, [v]: (a[v] ?? 0) + 1 }), {});
    ctx.log(`mlbaot tune: chose ${JSON.stringify(counts)}; layer instructions ${predicted}`);
    return records as unknown as Record<string, unknown>;
  },
  async build(ctx: StageContext, load: LoadArtifact, tuning?: Record<string, unknown>): Promise<BuildArtifact> {
    const model = readModel(modelPathOf(ctx, load));
    const requantize = ctx.config.str('mlbaot.requantize') as RequantMode;
    let records = tuning && Object.keys(tuning).length > 0 ? (tuning as { layers?: Record<string, unknown> }) : undefined;
    const recordsFile = ctx.config.str('mlbaot.tuning_records');
    if (!records && recordsFile) {
      try {
        records = JSON.parse(readFileSync(recordsFile, 'utf8')) as { layers?: Record<string, unknown> };
      } catch (e) {
        throw new MlbenchError('config', `mlbaot.tuning_records: cannot read ${recordsFile}: ${(e as Error).message}`, { cause: e });
      }
      if (!records || typeof records.layers !== 'object') {
        throw new MlbenchError('config', `mlbaot.tuning_records: ${recordsFile} has no "layers" (not an mlbaot tune.json)`);
      }
    }
    const variants = resolveVariants(model.operators, ctx.config.str('mlbaot.variant'), records);
    // Weight layouts follow the run's target ISA (Arm DSP), never a user flag.
    const isa = (await runTarget(ctx))?.descriptor.isa;
    const armDsp = hasArmDsp(isa);
    const { artifact, simpleLivenessPeak } = buildModel(model, ctx.dir, { requantize, variants, armDsp, agreedLiterals: !hasArmSimd(isa) });
    ctx.log(
      `mlbaot: ${model.operators.length} operators -> ${artifact.layerFunctions.length} layer functions, ` +
        `arena ${artifact.arenaBytes} bytes (simple liveness peak ${simpleLivenessPeak})`,
    );
    return artifact;
  },
};
