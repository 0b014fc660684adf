// The Arm SIMD kernels (mlb_simd.h: SXTB16/SMLAD on Cortex-M4, MVE on Cortex-M55) against the
// LiteRT oracle, on the QEMU targets themselves: per operator (and 1x1 convolutions, wide and deep depthwise), 42 seeded fuzz cases merged into
// one model whose oracle outputs become its reference vectors; the real CLI builds it with mlbaot
// (fp32 requantization, the default) for cortexm4_qemu and corstone300 and the program checks
// every output bit-exactly (`validate`, tolerance 0). One build per operator and target keeps it
// cheap. Reproduce a case with fuzzCase(operator, seed).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { deepDepthwiseCase, fuzzCase, fuzzSeed, mergeCases, multipleOf4ConvCase, multipleOf4DepthwiseCase, multipleOf4FullyConnectedCase, pointwiseConvCase, wideDepthwiseCase, type FuzzCase, type FuzzOperator } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { mlbench, tempHome } from '../e2e/cli-helpers.js';

/** The operators with SIMD paths (ADD and AVERAGE_POOL_2D: MVE only). */
const OPS: FuzzOperator[] = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'AVERAGE_POOL_2D'];
const CASES = 42;
const VECTORS = 2;
const TARGETS = ['cortexm4_qemu', 'corstone300'];

const missing = ['arm-none-eabi-gcc', 'qemu-system-arm'].filter((t) => !whichSync(t));
if (missing.length) console.warn(`Arm SIMD fuzzing skipped: ${missing.join(', ')} not found (npx mlbench setup --dev)`);

describe.skipIf(missing.length > 0)('Arm SIMD kernels on QEMU vs LiteRT oracle (fp32 requantization, bit-exact)', () => {
  let oracle: Oracle;
  const dirs: string[] = [];
  beforeAll(async () => {
    oracle = await loadOracle();
  });
  afterAll(() => {
    oracle?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Merges the cases into one model, records the oracle's outputs as its reference vectors,
   * builds it with mlbaot for both targets (each `--config-gen` variant) and checks every run. */
  async function validateOnTargets(name: string, cases: FuzzCase[], variants: string[] = []): Promise<void> {
    const merged = mergeCases(cases, name);
    const bytes = writeTflite(merged.model);
    const session = await oracle.compile(bytes);
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-simd-fuzz-'));
    const home = tempHome();
    dirs.push(dir, home);
    try {
      mkdirSync(join(dir, 'input'));
      mkdirSync(join(dir, 'output_tflite'));
      for (const [v, inputs] of merged.vectors.entries()) {
        const outputs = await session.run(inputs);
        inputs.forEach((b, k) => writeFileSync(join(dir, 'input', `${v}_${k}.bin`), b));
        outputs.forEach((b, k) => writeFileSync(join(dir, 'output_tflite', `${v}_${k}.bin`), b));
      }
    } finally {
      session.dispose();
    }
    const model = join(dir, `${name}.tflite`);
    writeFileSync(model, bytes);
    const gen = variants.flatMap((v) => ['--config-gen', `mlbaot.variant=${v}`]);
    const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', ...TARGETS.flatMap((t) => ['-t', t]), ...gen, '-f', 'validate', '--json']);
    expect(r.exitCode, String(r.stderr).slice(-2000)).toBe(0);
    const rows = JSON.parse(String(r.stdout)) as Record<string, string>[];
    expect(rows.map((row) => `${row.Target}: ${row.Validation}`).sort()).toEqual(
      TARGETS.flatMap((t) => Array.from({ length: Math.max(1, variants.length) }, () => `${t}: pass ${VECTORS}/${VECTORS}`)).sort(),
    );
  }

  for (const op of OPS) {
    test(`${op}: ${CASES} cases on ${TARGETS.join(' and ')}`, async () => {
      const cases = Array.from({ length: CASES }, (_, i) => fuzzCase(op, fuzzSeed(op, i), VECTORS));
      await validateOnTargets(`simd_${op.toLowerCase()}`, cases);
    }, 180_000);
  }

  // The 1x1 path (mlb_pointwise_mve on MVE): run-time depths (shared instance) and literal ones
  // (specialized), depths 1-160 on both sides of its 16- and 128-byte limits, pixel counts not
  // multiples of 4. The general CONV_2D cases above rarely draw a 1x1 stride-1 kernel.
  test(`CONV_2D 1x1: ${CASES} cases on ${TARGETS.join(' and ')}, shared and specialized`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => pointwiseConvCase(fuzzSeed('CONV_2D', i, 20261201), VECTORS));
    await validateOnTargets('simd_conv_2d_1x1', cases, ['shared', 'specialized']);
  }, 240_000);

  // Cortex-M4: FULLY_CONNECTED with K and N multiples of 4 reads weights interleaved by four rows
  // (mlb_fully_connected_il4_s8, two-step asm loop and the odd step); the general cases above
  // draw such shapes rarely. Each variant: run-time shapes (shared) and literal ones.
  test(`FULLY_CONNECTED K, N multiples of 4: ${CASES} cases on ${TARGETS.join(' and ')}, each variant`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => multipleOf4FullyConnectedCase(fuzzSeed('FULLY_CONNECTED', i, 20261201), VECTORS));
    await validateOnTargets('simd_fc_multiple4', cases, ['shared', 'specialized', 'blocked']);
  }, 240_000);

  // Cortex-M4: CONV_2D with input and output depths multiples of 4 reads weights interleaved by
  // four output channels (mlb_conv2d_il4_s8: kernel-row runs inside, taps with in_zp padding at
  // the borders, strides 1-3, windows 1x1-5x5); weight tensors up to 8 kB (most cases) as int16
  // pairs (mlb_conv2d_il4h_s8), larger ones as bytes.
  test(`CONV_2D depths multiples of 4: ${CASES} cases on ${TARGETS.join(' and ')}, shared and specialized`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => multipleOf4ConvCase(fuzzSeed('CONV_2D', i, 20261202), VECTORS));
    await validateOnTargets('simd_conv_2d_multiple4', cases, ['shared', 'specialized']);
  }, 240_000);

  // Cortex-M4: DEPTHWISE_CONV_2D of multiplier 1 with depths in fours reads int16 weight pairs
  // (mlb_depthwise_conv2d_dsp_s8: SMLABB/SMLATT per tap, padded taps from an in_zp row); 32 channels
  // or more on rows of 12 pixels take it instead of the sliding rows.
  test(`DEPTHWISE_CONV_2D depths multiples of 4: ${CASES} cases on ${TARGETS.join(' and ')}, shared and specialized`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => multipleOf4DepthwiseCase(fuzzSeed('DEPTHWISE_CONV_2D', i, 20261203), VECTORS));
    await validateOnTargets('simd_depthwise_multiple4', cases, ['shared', 'specialized']);
  }, 240_000);

  // The channel-major MVE depthwise (mlb_depthwise_mve_cm) takes interior lines of 16+ pixels,
  // which the general cases (sides up to 12) never have.
  test(`DEPTHWISE_CONV_2D wide: ${CASES} cases on ${TARGETS.join(' and ')}, each variant`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => wideDepthwiseCase(fuzzSeed('DEPTHWISE_CONV_2D', i, 20261201), VECTORS));
    await validateOnTargets('simd_depthwise_wide', cases, ['shared', 'specialized', 'blocked']);
  }, 240_000);

  // MVE's taps-in-lanes depthwise pixels (mlb_depthwise_taps_mve.h) group channels by 4 with
  // leftovers and take 8 taps per VMLADAV; the general cases (1-8 channels) have few groups.
  test(`DEPTHWISE_CONV_2D deep: ${CASES} cases on ${TARGETS.join(' and ')}, shared and specialized`, async () => {
    const cases = Array.from({ length: CASES }, (_, i) => deepDepthwiseCase(fuzzSeed('DEPTHWISE_CONV_2D', i, 20261202), VECTORS));
    await validateOnTargets('simd_depthwise_deep', cases, ['shared', 'specialized']);
  }, 240_000);
});
