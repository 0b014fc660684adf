// RISC-V's 4 pixels x 4 channels blocks (MLB_BLOCK4, mlb_conv_block4.h and mlb_depthwise_rows.h), forced on for the host build:
// pointwise CONV_2D (1x1, stride 1) as a matrix product over the flattened pixels
// (mlb_pointwise_s8), interior 4-pixel blocks of other convolutions, and gathered blocks of small
// receptive fields. The generic fuzz draws few pointwise layers, so this picks seeded CONV_2D cases
// that take that path (1x1, stride 1, output channels a multiple of 4, at least 4 pixels) plus
// generic CONV_2D and DEPTHWISE_CONV_2D cases (depthwise pixel pairs), 3x3 depthwise cases (sliding
// rows, mlb_dw3x3_rows_s8 / _s2_s8), and checks them bit-exact
// against the LiteRT oracle in the variants with run-time shapes (shared) and literal ones
// (specialized). Also FULLY_CONNECTED layers small enough (batch*K*N <= 800) for the rolled
// small-layer path RISC-V takes with literal shapes (specialized and blocked variants).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { fuzzCase, fuzzSeed, mergeCases, type FuzzCase } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';

const CASES = 16;
const GENERIC_CASES = 16;
const VECTORS = 3;

function pointwiseCases(): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (let i = 0; out.length < CASES && i < 40000; ++i) {
    const c = fuzzCase('CONV_2D', fuzzSeed('CONV_2D', i, 20261201), VECTORS);
    const p = c.params as Record<string, number>;
    if (p.kh === 1 && p.kw === 1 && p.strideH === 1 && p.strideW === 1 && p.cout % 4 === 0 && p.h * p.w >= 4) out.push(c);
  }
  return out;
}

/** 3x3 DEPTHWISE_CONV_2D cases with multiplier 1 and stride 1 or 2 across: the sliding row paths
 * (mlb_dw3x3_rows_s8, mlb_dw3x3_rows_s2_s8), with padding on every side. */
function depthwise3x3Cases(): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (let i = 0; out.length < CASES && i < 40000; ++i) {
    const c = fuzzCase('DEPTHWISE_CONV_2D', fuzzSeed('DEPTHWISE_CONV_2D', i, 20261201), VECTORS);
    const p = c.params as Record<string, number>;
    if (p.kh === 3 && p.kw === 3 && p.multiplier === 1 && p.strideW <= 2) out.push(c);
  }
  return out;
}

/** Generic CONV_2D cases whose output channels are a multiple of 4 (the blocked paths' condition),
 * and DEPTHWISE_CONV_2D ones (multiplier 1 takes the pixel pairs). */
function blockCases(): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (let i = 0; out.length < GENERIC_CASES; ++i) {
    const c = fuzzCase('CONV_2D', fuzzSeed('CONV_2D', i), VECTORS);
    if ((c.params as Record<string, number>).cout % 4 === 0) out.push(c);
  }
  for (let i = 0; i < GENERIC_CASES; ++i) out.push(fuzzCase('DEPTHWISE_CONV_2D', fuzzSeed('DEPTHWISE_CONV_2D', i), VECTORS));
  return out;
}

const FC_CASES = 40;

/** FULLY_CONNECTED cases of at most 800 MACs (MLB_FC_SMALL_MACS in mlb_fully_connected.h). */
function smallFcCases(): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (let i = 0; out.length < FC_CASES && i < 4000; ++i) {
    const c = fuzzCase('FULLY_CONNECTED', fuzzSeed('FULLY_CONNECTED', i, 20261202), VECTORS);
    const p = c.params as Record<string, number>;
    if (p.batch * p.k * p.n <= 800) out.push(c);
  }
  return out;
}

/** Runs the cases merged into one model in each variant with MLB_BLOCK4 forced on the host; the
 * mismatches against the oracle, one line each. */
async function block4Failures(oracle: Oracle, cases: FuzzCase[], name: string, variants: string[]): Promise<string[]> {
  const merged = mergeCases(cases, name);
  const expected = await oracleOutputs(oracle, writeTflite(merged.model), merged.vectors);
  const failures: string[] = [];
  for (const variant of variants) {
    const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors, {
      config: { 'mlbaot.requantize': 'fp32', 'mlbaot.variant': variant },
      hostDefines: { MLB_BLOCK4: '1' },
    });
    cases.forEach((c, k) => {
      for (let v = 0; v < VECTORS; v++) {
        for (const pos of merged.outputPositions[k]) {
          const d = diffTensors(expected[v][pos], actual[v][pos], 'int8');
          if (d.maxDiff > 0) failures.push(`${variant} seed=${c.seed} vector=${v}: max |diff| ${d.maxDiff}, params ${JSON.stringify(c.params)}`);
        }
      }
    });
  }
  return failures;
}

describe('mlbaot CONV_2D 4x4 blocks (RISC-V path, forced on the host) vs LiteRT oracle', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await loadOracle();
  });
  afterAll(() => oracle?.dispose());

  test(`${CASES} pointwise + ${CASES} 3x3 depthwise + ${GENERIC_CASES} CONV_2D + ${GENERIC_CASES} DEPTHWISE_CONV_2D cases, shared and specialized, bit-exact (fp32)`, async () => {
    const pointwise = pointwiseCases();
    expect(pointwise.length).toBe(CASES);
    const depthwise = depthwise3x3Cases();
    expect(depthwise.length).toBe(CASES);
    const failures = await block4Failures(oracle, [...pointwise, ...depthwise, ...blockCases()], 'block4_conv', ['shared', 'specialized']);
    expect(failures.length, failures.slice(0, 4).join('\n')).toBe(0);
  });

  test(`${FC_CASES} small FULLY_CONNECTED cases with literal shapes (rolled path), bit-exact (fp32)`, async () => {
    const cases = smallFcCases();
    expect(cases.length).toBe(FC_CASES);
    const failures = await block4Failures(oracle, cases, 'block4_fc', ['specialized', 'blocked']);
    expect(failures.length, failures.slice(0, 4).join('\n')).toBe(0);
  });
});
