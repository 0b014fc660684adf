// Per-operator differential fuzzing: seeded random single-operator models run through the LiteRT
// oracle (TFLite's kernels) and through mlbaot's generated C on the host, in both requantization
// modes. With `fp32` (the default) mlbaot emulates XNNPACK's float32 requantization, so int8 outputs
// must be bit-exact. With `tflm` (TFLite Micro's fixed point) they may differ by one LSB (rarely),
// and QUANTIZE/REQUANTIZE must match TFLM's own arithmetic. Every failure prints the case's seed and
// parameters: `fuzzCase(operator, seed)` rebuilds it exactly.
// MLBENCH_FUZZ_CASES=N runs N cases (spread over the operators) instead of the default 42 per
// operator (fp32 mode; tflm mode runs the first batch of each quantized operator; float32 operators
// do not requantize, so they run once).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { FUZZ_OPERATORS, fuzzCase, fuzzSeed, mergeCases, type FuzzCase, type FuzzOperator } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { tflmQuantize, tflmRequantize } from './tflm-reference.js';
import { tflmTensorOpOutput } from './tflm-reference-tensor-ops.js';
import { tflm16x8 } from './tflm-reference-16x8.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';
import { tflmLstm } from '../../src/frameworks/litert/tflm-lstm-reference.js';
import { isLstmFuzzOperator } from '../../src/frameworks/litert/fuzz-models-lstm.js';
import { isDtypeMoveFuzzOperator } from '../../src/frameworks/litert/fuzz-models-dtypes.js';
import { isIntFuzzOperator } from '../../src/frameworks/litert/fuzz-models-int.js';

const CASES_PER_OPERATOR = process.env.MLBENCH_FUZZ_CASES ? Math.ceil(Number(process.env.MLBENCH_FUZZ_CASES) / FUZZ_OPERATORS.length) : 42;
/** Cases merged into one model: one mlbaot build and one host compile per batch. */
const BATCH = 21;
const VECTORS = 4;

/**
 * Float outputs: allowed |diff| relative to max(1, |oracle|) (default 1e-5). Sums of products
 * (conv, FC) may add in another order than XNNPACK does, hence 1e-4 there; exp-based operators use
 * mlbaot's own expf (a few ulp from libm's).
 */
const FLOAT_TOLERANCE: Partial<Record<FuzzOperator, number>> = {
  DEQUANTIZE: 1e-6,
  FULLY_CONNECTED_F32: 1e-4,
  CONV_2D_F32: 1e-4,
  DEPTHWISE_CONV_2D_F32: 1e-4,
  // Sums in another order than XNNPACK's; hard-swish's x·relu6(x+3)/6 rounds twice.
  MEAN_F32: 1e-5,
  HARD_SWISH_F32: 1e-5,
  // mlbaot's expf-based tanh/sigmoid (a few ulp from libm's) carried through the recurrence.
  UNIDIRECTIONAL_SEQUENCE_LSTM_F32: 1e-5,
};

/**
 * int8 operators whose mlbaot kernel is TFLM's arithmetic in both requantization modes, held to it
 * bit-exactly (tflm-reference-tensor-ops.ts) in every mode. LiteRT.js rounds int8 LEAKY_RELU
 * differently from TFLM (one LSB in ~10% of the outputs), so the oracle gets that tolerance there;
 * the others agree with it exactly. int8 MEAN follows LiteRT's float rescaling in `fp32` mode
 * (exact) and TFLM's integer one in `tflm` mode (held to TFLM's arithmetic, ~5% 1 LSB from LiteRT).
 */
const TFLM_EXACT: Partial<Record<FuzzOperator, { oracleLsb: number }>> = {
  LEAKY_RELU: { oracleLsb: 1 },
  HARD_SWISH: { oracleLsb: 0 },
  PRELU: { oracleLsb: 0 },
  RELU: { oracleLsb: 0 },
  RELU6: { oracleLsb: 0 },
};
/**
 * 16x8 convolutions have one arithmetic (TFLite's int64 reference kernels) in both modes: always
 * exact. 16x8 FULLY_CONNECTED runs in desktop TFLite through an int32 GEMM with single rounding, in
 * TFLM with the int64 reference: exact in fp32 mode, ±1 in tflm mode and exact to TFLM's arithmetic.
 */
const exactInBothModes = (op: FuzzOperator): boolean => op === 'CONV_2D_16X8' || op === 'DEPTHWISE_CONV_2D_16X8' || op === 'UNIDIRECTIONAL_SEQUENCE_LSTM';

/**
 * LiteRT.js refuses models with variable tensors ("Variable tensors not yet supported"), which the
 * fused LSTM's state is: its oracle is TFLite Micro's arithmetic (tflm-reference-lstm.ts, from
 * lstm_eval*.cc), int8 bit-exact in both modes, float32 within the tolerance above.
 */
async function expectedOutputs(oracle: Oracle, op: FuzzOperator, cases: FuzzCase[], merged: ReturnType<typeof mergeCases>): Promise<Uint8Array[][]> {
  if (!isLstmFuzzOperator(op)) return oracleOutputs(oracle, writeTflite(merged.model), merged.vectors);
  return merged.vectors.map((vector) => {
    const out: Uint8Array[] = [];
    cases.forEach((c, k) => {
      const r = tflmLstm(c.model, 0, vector[k]); // one input per case
      out[merged.outputPositions[k][0]] = new Uint8Array(r.buffer);
    });
    return out;
  });
}
/** Operators whose model has no quantized tensor: requantization modes do not apply. */
const isFloatOperator = (op: FuzzOperator): boolean => op.endsWith('_F32');
/**
 * Operators in dtypes beyond int8/float32 (byte copies, CAST, integer element-wise): every case in
 * one batch (42 small cases build in about the time of 21 larger ones; merging several operators'
 * cases into one model is slower, the build grows faster than its cases), fp32 mode only as
 * nothing requantizes (but int8 TRANSPOSE_CONV_ACT), exact (float32 outputs of CAST included).
 */
const isWideDtypeOperator = (op: FuzzOperator): boolean => isDtypeMoveFuzzOperator(op) || isIntFuzzOperator(op);
const requantizes = (op: FuzzOperator): boolean => !isFloatOperator(op) && (!isWideDtypeOperator(op) || op === 'TRANSPOSE_CONV_ACT');
const floatTolerance = (op: FuzzOperator): number => FLOAT_TOLERANCE[op] ?? (isDtypeMoveFuzzOperator(op) ? 0 : 1e-5);

/**
 * Engine bugs the fuzzer found that are not fixed yet: these batches are expected to fail, and
 * turn red once the bug is fixed so the entry gets removed. Reproduce with fuzzCase(op, seed).
 */
const KNOWN_ENGINE_BUGS: Partial<Record<FuzzOperator, string>> = {};

/**
 * Cases (by seed) where mlbaot's `fp32` mode is 1 LSB from LiteRT in a few elements and not yet
 * diagnosed: held to 1 LSB instead of 0, listed in the summary, and the test fails once they agree
 * exactly, so the entry gets removed. The five the merged seeds found were LiteRT taking another
 * kernel than mlbaot followed: TRANSPOSE_CONV with asymmetric SAME padding runs on XNNPACK too,
 * ADD on XNNPACK's add arithmetic, uint8 SOFTMAX on TFLite's float-table kernel (all fixed).
 */
const KNOWN_FP32_1LSB: Partial<Record<FuzzOperator, number[]>> = {};
const knownOneLsb = (op: FuzzOperator, seed: number, requantize: string): boolean => requantize === 'fp32' && (KNOWN_FP32_1LSB[op] ?? []).includes(seed);

const MODES = [
  { requantize: 'fp32', toleranceLsb: 0, checkTflm: false, allBatches: true },
  { requantize: 'tflm', toleranceLsb: 1, checkTflm: true, allBatches: false },
] as const;

interface Stats { cases: number; elements: number; offByOne: number; maxDiff: number; tflmMismatches?: number }

/**
 * Where the oracle itself is coarse (XNNPACK converts with a reduced-precision multiplier and
 * rounds half to even), also hold mlbaot to TFLM's own arithmetic, bit-exactly.
 */
function tflmExpected(c: FuzzCase, input: Uint8Array, check: boolean): Int8Array | Int16Array | undefined {
  if (TFLM_EXACT[c.operator]) return tflmTensorOpOutput(c.model, input);
  if (!check) return undefined;
  if (c.operator === 'MEAN') return tflmTensorOpOutput(c.model, input);
  if (c.operator === 'FULLY_CONNECTED_16X8') return tflm16x8(c.model, input);
  const [qi, qo] = [c.model.tensors[c.model.inputs[0]].quantization, c.model.tensors[c.model.outputs[0]].quantization!];
  if (c.operator === 'REQUANTIZE') {
    return Int8Array.from(new Int8Array(input.slice().buffer), (q) => tflmRequantize(q, qi!.scale[0], qi!.zeroPoint[0], qo.scale[0], qo.zeroPoint[0]));
  }
  if (c.operator === 'QUANTIZE') return Int8Array.from(new Float32Array(input.slice().buffer), (x) => tflmQuantize(x, qo.scale[0], qo.zeroPoint[0]));
  return undefined;
}
const stats = new Map<string, Stats>();

function batches(op: FuzzOperator): number[][] {
  const out: number[][] = [];
  const size = isWideDtypeOperator(op) ? CASES_PER_OPERATOR : BATCH;
  for (let i = 0; i < CASES_PER_OPERATOR; i += size) out.push(Array.from({ length: Math.min(size, CASES_PER_OPERATOR - i) }, (_, k) => i + k));
  return out;
}

function describeCase(c: FuzzCase, vector: number, detail: string): string {
  return `${c.operator} seed=${c.seed} vector=${vector}: ${detail}\n  params ${JSON.stringify(c.params)}\n  reproduce: fuzzCase('${c.operator}', ${c.seed})`;
}

describe.each(MODES)('operator fuzzing: mlbaot (requantize=$requantize) vs. LiteRT oracle', (mode) => {
  let oracle: Oracle;
  beforeAll(async () => { oracle = await loadOracle(); });
  afterAll(() => {
    oracle?.dispose();
    const lines = [...stats].map(([op, s]) =>
      isFloatOperator(op as FuzzOperator)
        ? `${op.padEnd(26)} ${String(s.cases).padStart(4)} cases ${String(s.elements).padStart(7)} outputs, max |diff|/max(1,|oracle|) ${s.maxDiff.toPrecision(3)} (tolerance ${floatTolerance(op as FuzzOperator)})`
        : `${op.padEnd(26)} ${String(s.cases).padStart(4)} cases ${String(s.elements).padStart(7)} outputs, ${String(s.offByOne).padStart(4)} off by 1 (${((100 * s.offByOne) / Math.max(1, s.elements)).toFixed(3)}%), max |diff| ${s.maxDiff}${s.tflmMismatches === undefined ? '' : `, ${s.tflmMismatches} differ from TFLM arithmetic`}`);
    const total = [...stats.values()].reduce((a, s) => a + s.cases, 0);
    console.log(`fuzz summary (${total} cases):\n${lines.join('\n')}`);
    if ([...stats.keys()].some((op) => isLstmFuzzOperator(op))) console.log('UNIDIRECTIONAL_SEQUENCE_LSTM*: oracle is TFLite Micro\'s arithmetic (tflm-reference-lstm.ts): LiteRT.js cannot load variable tensors');
    stats.clear();
  });

  for (const op of FUZZ_OPERATORS) {
    if (!mode.allBatches && !requantizes(op)) continue;
    for (const indices of mode.allBatches ? batches(op) : batches(op).slice(0, 1)) {
      const known = KNOWN_ENGINE_BUGS[op];
      const testOrKnownBug = known ? test.fails : test;
      testOrKnownBug(`${op} cases ${indices[0]}–${indices[indices.length - 1]}${known ? ` (known engine bug: ${known})` : ''}`, async () => {
        const cases = indices.map((i) => fuzzCase(op, fuzzSeed(op, i), VECTORS));
        const merged = mergeCases(cases, `fuzz_${op.toLowerCase()}_${indices[0]}`);
        const expected = await expectedOutputs(oracle, op, cases, merged);
        const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors, { config: { 'mlbaot.requantize': mode.requantize } });

        const s = stats.get(op) ?? { cases: 0, elements: 0, offByOne: 0, maxDiff: 0 };
        stats.set(op, s);
        const failures: string[] = [];
        const knownDiffer = new Set<number>();
        cases.forEach((c, k) => {
          s.cases++;
          for (let v = 0; v < VECTORS; v++) {
            for (const pos of merged.outputPositions[k]) {
              const dtype = merged.model.tensors[merged.model.outputs[pos]].dtype;
              const want = expected[v][pos];
              const got = actual[v][pos];
              const d = diffTensors(want, got, dtype);
              s.elements += d.elements;
              if (dtype === 'float32') {
                const tol = floatTolerance(op);
                const a = new Float32Array(want.slice().buffer);
                const b = new Float32Array(got.slice().buffer);
                const rel = (r: number, i: number): number => Math.abs(r - b[i]) / Math.max(1, Math.abs(r));
                const bad = a.findIndex((r, i) => !(rel(r, i) <= tol));
                s.maxDiff = a.reduce((m, r, i) => Math.max(m, rel(r, i)), s.maxDiff);
                if (bad >= 0) failures.push(describeCase(c, v, `element ${bad}: oracle ${a[bad]}, mlbaot ${b[bad]} (tolerance ${tol} relative)`));
              } else {
                s.offByOne += d.offByOne;
                s.maxDiff = Math.max(s.maxDiff, d.maxDiff);
                const known = knownOneLsb(op, c.seed, mode.requantize);
                const allowed = known ? 1 : exactInBothModes(op) || !requantizes(op) ? 0 : Math.max(mode.toleranceLsb, TFLM_EXACT[op]?.oracleLsb ?? 0);
                if (d.maxDiff > allowed) failures.push(describeCase(c, v, `max |diff| ${d.maxDiff} LSB, ${d.differing}/${d.elements} elements differ, first at ${d.firstIndex}`));
                if (known && d.maxDiff > 0) knownDiffer.add(c.seed);
                const tflm = tflmExpected(c, merged.vectors[v][k], mode.checkTflm);
                if (tflm) {
                  const t = diffTensors(new Uint8Array(tflm.buffer), got, tflm instanceof Int16Array ? 'int16' : 'int8');
                  s.tflmMismatches = (s.tflmMismatches ?? 0) + t.differing;
                  if (t.differing > 0) failures.push(describeCase(c, v, `differs from TFLM's arithmetic in ${t.differing}/${t.elements} elements, first at ${t.firstIndex}`));
                }
              }
            }
          }
        });
        for (const c of cases) {
          if (knownOneLsb(op, c.seed, mode.requantize) && !knownDiffer.has(c.seed)) failures.push(`${op} seed=${c.seed}: now exact, remove it from KNOWN_FP32_1LSB`);
          else if (knownDiffer.has(c.seed)) console.log(`${op} seed=${c.seed}: known 1-LSB difference from LiteRT (KNOWN_FP32_1LSB)`);
        }
        expect(failures.length, `${failures.length} mismatches, first ones:\n${failures.slice(0, 12).join('\n')}`).toBe(0);
      });
    }
  }
});
