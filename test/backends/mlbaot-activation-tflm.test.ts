// mlbaot's `tflm`-mode int8 LOGISTIC, TANH and MUL against TensorFlow Lite Micro's own reference
// kernels (compiled from the TFLM tree in MLBENCH_TFLM_DIR), with the parameters mlbaot's
// generator computes: every input byte and zero point for 240 input scales per activation, every
// pair of input bytes for 40 MUL scale triples. The LiteRT fuzz suite holds the `fp32` mode.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { MLBENCH_KERNEL_DIR } from '../../src/backends/mlbaot/index.js';
import { tflmActivationParams } from '../../src/backends/mlbaot/layers-act.js';
import { quantizeMultiplier } from '../../src/backends/mlbaot/quant-math.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { removeTempDirs, tempDir } from './reference-helpers.js';

const TFLM = process.env.MLBENCH_TFLM_DIR;
if (!TFLM) console.log('mlbaot-activation-tflm: skipped, MLBENCH_TFLM_DIR does not point at a tflite-micro tree (with third_party_downloads)');

afterAll(removeTempDirs);

/** Scales as the model file stores them (float32), printed exactly. */
const f32 = (x: number): string => Math.fround(x).toPrecision(9);

function cases(): string[] {
  const rng = createRng(12);
  const lines: string[] = [];
  for (const op of ['LOGISTIC', 'TANH']) {
    for (let i = 0; i < 240; i++) {
      const scale = Math.fround(i < 200 ? 0.001 * 1000 ** (i / 200) : rng.logUniform(0.0005, 2));
      const p = tflmActivationParams(scale);
      lines.push(`A ${op} ${f32(scale)} ${p.multiplier} ${p.shift} ${p.radius}`);
    }
  }
  for (let i = 0; i < 40; i++) {
    const [sa, sb] = [Math.fround(rng.logUniform(0.002, 0.3)), Math.fround(rng.logUniform(0.002, 0.3))];
    const so = Math.fround((sa * sb * 5476) / rng.logUniform(10, 200));
    const q = quantizeMultiplier((sa * sb) / so);
    lines.push(`M ${f32(sa)} ${f32(sb)} ${f32(so)} ${q.multiplier} ${q.shift}`);
  }
  return lines;
}

describe.skipIf(!TFLM)('int8 LOGISTIC/TANH/MUL in tflm mode vs. TFLite Micro reference kernels', () => {
  test('bit-exact on every input, same Prepare parameters', async () => {
    const downloads = join(TFLM!, 'tensorflow/lite/micro/tools/make/downloads');
    const exe = join(tempDir('mlbaot-act-tflm-'), 'check');
    await execa('g++', [
      '-O2', '-std=c++17', '-DTF_LITE_STATIC_MEMORY',
      `-I${TFLM}`, `-I${join(downloads, 'gemmlowp')}`, `-I${join(downloads, 'ruy')}`, `-I${join(downloads, 'flatbuffers/include')}`, `-I${MLBENCH_KERNEL_DIR}`,
      join(import.meta.dirname, 'c', 'activation_tflm_check.cc'),
      join(TFLM!, 'tensorflow/lite/kernels/internal/quantization_util.cc'),
      join(TFLM!, 'tensorflow/lite/kernels/internal/common.cc'),
      '-o', exe,
    ]);
    const r = await execa(exe, [], { input: cases().join('\n'), reject: false });
    expect(r.stdout.trim(), `${r.stderr} exit ${r.exitCode ?? r.signal}`).toBe('cases 520 mismatches 0');
  }, 120_000);
});
