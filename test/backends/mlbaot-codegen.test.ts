// The generated C: readable, one function per layer, fixed API header, planned arena, and
// refusal of unsupported models with every reason at once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import type { LoadArtifact } from '../../src/core/artifacts.js';
import type { Model, Operator, Tensor } from '../../src/core/model.js';
import { mlbaotBackend, MLBENCH_KERNEL_DIR, buildModel } from '../../src/backends/mlbaot/index.js';
import { MODEL_HEADER } from '../../src/backends/mlbaot/generator.js';
import { planArena } from '../../src/backends/mlbaot/planner.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { backends } from '../../src/backends/index.js';
import { frameworks } from '../../src/frameworks/index.js';
import { testContext } from '../helpers/context.js';
import { HAVE_MODELS, buildShared, modelFile, removeTempDirs, tempDir } from './reference-helpers.js';
import { runOnHost } from '../../src/backends/mlbaot/host-runner.js';

afterAll(removeTempDirs);

function tensor(index: number, shape: number[], extra: Partial<Tensor> = {}): Tensor {
  return { index, name: `t${index}`, shape, dtype: 'int8', isVariable: false, quantization: { scale: [0.1], zeroPoint: [0], quantizedDimension: 0 }, ...extra };
}

function op(index: number, opcode: string, inputs: number[], outputs: number[]): Operator {
  return { index, opcode, builtinCode: 0, version: 1, inputs, outputs, options: { kind: 'none' } };
}

/** input -> MIRROR_PAD -> EXP -> MIRROR_PAD -> RESHAPE -> output, with a paddings constant. */
function unsupportedModel(): Model {
  return {
    name: 'synthetic', version: 3, description: '', subgraphCount: 1, inputs: [0], outputs: [5],
    tensors: [
      tensor(0, [1, 4, 4, 2]), tensor(1, [1, 6, 6, 2]), tensor(2, [1, 1, 1, 2]), tensor(3, [1, 3, 3, 2]),
      tensor(4, [4, 2], { dtype: 'int32', data: new Uint8Array(32), quantization: undefined }), tensor(5, [18]),
    ],
    operators: [op(0, 'MIRROR_PAD', [0, 4], [1]), op(1, 'EXP', [1], [2]), op(2, 'MIRROR_PAD', [2, 4], [3]), op(3, 'RESHAPE', [3], [5])],
  };
}

describe('mlbaot support check', () => {
  test('an unsupported model is refused naming every unsupported operator at once', () => {
    expect(unsupportedReasons(unsupportedModel())).toEqual(['unsupported operators: MIRROR_PAD ×2, EXP ×1']);
  });

  test('building it throws MlbenchError(unsupported) with the same reasons', () => {
    const dir = tempDir('mlbaot-refuse-');
    expect(() => buildModel(unsupportedModel(), dir)).toThrow(/unsupported operators: MIRROR_PAD ×2, EXP ×1/);
    expect(existsSync(join(dir, 'model.c'))).toBe(false);
  });

  test('unsupported dtype combinations are listed per operator', () => {
    const m = unsupportedModel();
    m.tensors[1] = tensor(1, [1, 4, 4, 2], { dtype: 'int16' });
    m.operators = [op(0, 'SOFTMAX', [0], [1]), op(1, 'EXP', [1], [2])];
    expect(unsupportedReasons(m)).toEqual([
      'unsupported operators: EXP ×1',
      'operator 0 (SOFTMAX): unsupported dtypes int8->int16 (supported: int8->int8, float32->float32)',
    ]);
  });
});

describe('mlbaot arena planner', () => {
  test('RESHAPE aliases its input and buffers of disjoint lifetimes share bytes', () => {
    // in(32) -> FC -> a(16) -> RESHAPE -> b(16) -> FC -> out(8)
    const m: Model = {
      name: 'chain', version: 3, description: '', subgraphCount: 1, inputs: [0], outputs: [5],
      tensors: [tensor(0, [1, 32]), tensor(1, [16, 32], { data: new Uint8Array(512) }), tensor(2, [1, 16]), tensor(3, [16]), tensor(4, [8, 16], { data: new Uint8Array(128) }), tensor(5, [1, 8])],
      operators: [op(0, 'FULLY_CONNECTED', [0, 1], [2]), op(1, 'RESHAPE', [2], [3]), op(2, 'FULLY_CONNECTED', [3, 4], [5])],
    };
    const plan = planArena(m);
    expect(plan.offsets.get(2)).toBe(plan.offsets.get(3));
    expect(plan.simpleLivenessPeak).toBe(48);
    // a/b (16) live with the input (32) at step 0, then with the output (8) at step 2: 48 bytes.
    expect(plan.arenaBytes).toBe(48);
  });
});

describe('mlbaot on the host: a DEQUANTIZE-only model', () => {
  // Regression: GCC 12 -O2 deleted the layer call of this model (int8 read and float32 write in
  // the same arena); layer functions now take the arena through mlb_launder().
  test('writes (float)(scale * (q - zp)) for every input value', async () => {
    const m: Model = {
      name: 'dequantize_only', version: 3, description: '', subgraphCount: 1, inputs: [0], outputs: [1],
      tensors: [
        tensor(0, [1, 49], { quantization: { scale: [0.12036141753196716], zeroPoint: [-28], quantizedDimension: 0 } }),
        tensor(1, [1, 49], { dtype: 'float32', quantization: undefined }),
      ],
      operators: [op(0, 'DEQUANTIZE', [0], [1])],
    };
    const dir = tempDir('mlbaot-deq-');
    const { artifact } = buildModel(m, dir);
    const q = Int8Array.from({ length: 49 }, (_, i) => i * 5 - 128);
    const [[out]] = await runOnHost(dir, artifact, [[new Uint8Array(q.buffer)]]);
    const got = Array.from(new Float32Array(out.slice().buffer));
    expect(got).toEqual(Array.from(q, (v) => Math.fround(0.12036141753196716 * (v + 28))));
  });
});

describe('mlbaot component registration', () => {
  test('backend and framework are registered with their names', async () => {
    expect(backends.filter((b) => b.name === 'mlbaot')).toEqual([mlbaotBackend]);
    const mlbench = frameworks.filter((f) => f.name === 'mlbench');
    expect(mlbench).toHaveLength(1);
    expect(mlbench[0].backends).toEqual(['mlbaot']);
    expect(mlbaotBackend.framework).toBe('mlbench');
    expect(mlbaotBackend.features).toEqual(['validate', 'profile', 'debug', 'autotune']);
    expect(await mlbench[0].availability!({ home: '', modelPaths: [], tools: {}, cacheDir: '' })).toEqual({ usable: true, missing: [] });
  });
});

describe.skipIf(!HAVE_MODELS)('mlbaot generated code (aww)', () => {
  // Peak of simply summed live activations from docs/ANCHORS.md, in bytes.
  const PEAKS: Record<string, number> = { aww: 16000, vww: 55296, resnet: 49152, toycar: 768 };

  test('the arena never exceeds the simple-liveness peak', () => {
    for (const [name, peak] of Object.entries(PEAKS)) {
      const b = buildShared(name);
      expect(b.simpleLivenessPeak).toBe(peak);
      expect(b.build.arenaBytes).toBeLessThanOrEqual(peak);
    }
  });

  test('outputs overlap the consumed rows of dying inputs (planner overlapSlack)', () => {
    const ARENAS: Record<string, number> = { aww: 12842, vww: 46080, resnet: 34928, toycar: 768 };
    for (const [name, arena] of Object.entries(ARENAS)) expect(buildShared(name).build.arenaBytes, name).toBe(arena);
  });

  test('backend.build writes the sources and build.json through a StageContext', async () => {
    const ctx = testContext({ stage: 'build', components: [mlbaotBackend], config: { 'mlbaot.requantize': 'fp32' } });
    const load = { modelFile: modelFile('aww') } as LoadArtifact;
    expect(await mlbaotBackend.check(load, modelFile('aww'))).toEqual([]);
    const build = await mlbaotBackend.build(ctx, load);
    expect(JSON.parse(readFileSync(join(ctx.dir, 'build.json'), 'utf8'))).toEqual(build);
    expect(build.sources).toEqual(['model.c', 'model_weights.c']);
    expect(build.includeDirs).toEqual([ctx.dir, MLBENCH_KERNEL_DIR]);
    expect(build.arenaBytes).toBe(12842); // 16000 without in-place overlap (planner.ts overlapSlack)
    expect(build.inputs).toEqual([{ name: 'input_1', shape: [1, 49, 10, 1], dtype: 'int8', scale: 0.5748363733291626, zeroPoint: 87 }]);
    expect(build.outputs).toEqual([{ name: 'Identity', shape: [1, 12], dtype: 'int8', scale: 0.00390625, zeroPoint: -128 }]);
    expect(readFileSync(join(ctx.dir, 'mlb_model.h'), 'utf8')).toBe(MODEL_HEADER);
    expect(readFileSync(join(ctx.dir, 'model.c'), 'utf8')).toContain('MLB_REQUANT_FP32');
  });

  test('one noinline function per layer with a header comment, invoked in order', () => {
    const b = buildShared('aww');
    const c = readFileSync(join(b.dir, 'model.c'), 'utf8');
    const expected = [
      'mlb_layer_0_conv_2d', 'mlb_layer_1_depthwise_conv_2d', 'mlb_layer_2_conv_2d', 'mlb_layer_3_depthwise_conv_2d',
      'mlb_layer_4_conv_2d', 'mlb_layer_5_depthwise_conv_2d', 'mlb_layer_6_conv_2d', 'mlb_layer_7_depthwise_conv_2d',
      'mlb_layer_8_conv_2d', 'mlb_layer_9_average_pool_2d', 'mlb_layer_11_fully_connected', 'mlb_layer_12_softmax',
    ];
    expect(b.build.layerFunctions).toEqual(expected);
    for (const f of expected) expect(c).toContain(`static void __attribute__((noinline)) ${f}(void) {`);
    expect(c).toContain('/* aww layer 0: CONV_2D (10x4 stride 2x2 SAME pad 4,1 RELU)');
    expect(c).toContain('/* aww layer 10: RESHAPE [1,1,1,64] -> [1,64], aliased in the arena (no code). */');
    expect(c).toContain('static uint8_t mlb_arena[12842] __attribute__((aligned(16)));');
    const invoke = c.slice(c.indexOf('int mlb_model_invoke(void) {'));
    expect(invoke.match(/mlb_layer_\w+/g)).toEqual(expected);
    const weights = readFileSync(join(b.dir, 'model_weights.c'), 'utf8');
    expect(weights).toContain('const int8_t mlb_l0_weights[2560]');
    expect(c).not.toMatch(/malloc|tflite|flatbuffer/i);
  });

  test('the generated C compiles warning-free for the host and for rv32imac', async () => {
    const b = buildShared('aww');
    const flags = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', `-I${b.dir}`, `-I${MLBENCH_KERNEL_DIR}`, '-c'];
    for (const src of ['model.c', 'model_weights.c']) {
      await execa('gcc', [...flags, join(b.dir, src), '-o', join(b.dir, `${src}.o`)]);
      await execa('riscv64-unknown-elf-gcc', ['-march=rv32imac', '-mabi=ilp32', '--specs=picolibc.specs', ...flags, join(b.dir, src), '-o', join(b.dir, `${src}.rv.o`)]);
    }
  });
});

describe('fixed-point shortcut', () => {
  test('mlb_srdhm_pos equals SaturatingRoundingDoublingHighMul for positive multipliers (20M cases)', async () => {
    const dir = tempDir('mlbaot-srdhm-');
    const exe = join(dir, 'check');
    await execa('gcc', ['-O2', `-I${MLBENCH_KERNEL_DIR}`, join(import.meta.dirname, 'c', 'srdhm_check.c'), '-o', exe]);
    expect((await execa(exe, [])).stdout.trim()).toBe('bad 0');
  });
});

describe('fp32 requantization emulation', () => {
  test('matches float32 arithmetic (lrintf((float)acc * scale)) on 12.5M cases incl. ties', async () => {
    const dir = tempDir('mlbaot-fp32-');
    const exe = join(dir, 'check');
    const src = join(import.meta.dirname, 'c', 'fp32_requant_check.c');
    await execa('gcc', ['-O2', '-ffp-contract=off', `-I${MLBENCH_KERNEL_DIR}`, src, '-lm', '-o', exe]);
    const r = await execa(exe, []);
    expect(r.stdout.trim()).toBe('checked 12516062 mismatches 0');
  });
});
