// Differential fuzzing of mlbaot's int16 operators (symmetric int16 activations, TFLite's 16x8
// scheme) beyond the 16x8 convolutions: 42 seeded cases per operator, all merged into one model
// per requantization mode (one mlbaot build, one host compile). `fp32` mode is held bit-exact to
// LiteRT (desktop TFLite's kernels); `tflm` mode bit-exact to TFLite Micro's arithmetic written
// out in TypeScript (tflm-reference-int16.ts), with its distance from LiteRT printed.
// Reproduce a failure with int16FuzzCase(operator, seed).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { mergeCases } from '../../src/frameworks/litert/fuzz-models.js';
import { INT16_FUZZ_OPERATORS, int16FuzzCase, int16FuzzSeed, type Int16FuzzCase } from '../../src/frameworks/litert/fuzz-models-int16.js';
import { loadOracle, type Oracle } from '../../src/frameworks/litert/oracle.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { diffTensors } from '../../src/frameworks/litert/tensor-diff.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';
import { tflmInt16 } from './tflm-reference-int16.js';

const CASES = 42;
const VECTORS = 3;

interface Stats { cases: number; elements: number; differing: number; maxDiff: number; vsLiteRt: number }

/**
 * Desktop TFLite runs int16 LOGISTIC with an input scale of 2^-12 (TANH: 2^-12 or 2^-11) through
 * gemmlowp's fixed-point logistic/tanh instead of the table TFLite Micro uses for every scale;
 * mlbaot has only the table, so there both modes are held to TFLM's arithmetic (LiteRT is up to
 * ~10 LSB away; the summary counts those outputs).
 */
function gemmlowpInLiteRt(c: Int16FuzzCase): boolean {
  if (c.operator !== 'LOGISTIC_S16' && c.operator !== 'TANH_S16') return false;
  const log2 = Math.log2(c.model.tensors[c.model.inputs[0]].quantization!.scale[0]);
  return Math.abs(log2 - Math.round(log2)) < 1e-3 && (Math.round(log2) === -12 || (c.operator === 'TANH_S16' && Math.round(log2) === -11));
}

/**
 * Integer QUANTIZE and DEQUANTIZE: TFLM and desktop TFLite share reference_ops' Requantize and
 * Dequantize, so LiteRT is the oracle of both modes. float32 -> int16 divides in float32 in TFLM
 * and in double in desktop TFLite (LiteRT): its tflm mode is held to TFLM's arithmetic.
 */
const sharedReference = (c: Int16FuzzCase): boolean => (c.operator.startsWith('QUANTIZE') && c.operator !== 'QUANTIZE_F32_S16') || c.operator.startsWith('DEQUANTIZE');

function describeCase(c: Int16FuzzCase, v: number, detail: string): string {
  return `${c.operator} seed=${c.seed} vector=${v}: ${detail}\n  params ${JSON.stringify(c.params)}\n  reproduce: int16FuzzCase('${c.operator}', ${c.seed})`;
}

describe.each(['fp32', 'tflm'] as const)('int16 operator fuzzing: mlbaot (requantize=%s)', (requantize) => {
  let oracle: Oracle;
  beforeAll(async () => { oracle = await loadOracle(); });
  afterAll(() => oracle?.dispose());

  test(`${INT16_FUZZ_OPERATORS.length} operators x ${CASES} cases, one build`, async () => {
    const cases = INT16_FUZZ_OPERATORS.flatMap((op) => Array.from({ length: CASES }, (_, i) => int16FuzzCase(op, int16FuzzSeed(op, i), VECTORS)));
    const merged = mergeCases(cases, `fuzz_int16_${requantize}`);
    const litert = await oracleOutputs(oracle, writeTflite(merged.model), merged.vectors);
    const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors, { config: { 'mlbaot.requantize': requantize } });
    const stats = new Map<string, Stats>();
    const failures: string[] = [];
    cases.forEach((c, k) => {
      const s = stats.get(c.operator) ?? { cases: 0, elements: 0, differing: 0, maxDiff: 0, vsLiteRt: 0 };
      stats.set(c.operator, s);
      s.cases++;
      for (let v = 0; v < VECTORS; v++) {
        const pos = merged.outputPositions[k][0];
        const dtype = merged.model.tensors[merged.model.outputs[pos]].dtype;
        const got = actual[v][pos];
        const fromLiteRt = diffTensors(litert[v][pos], got, dtype);
        const toLiteRt = (requantize === 'fp32' && !gemmlowpInLiteRt(c)) || sharedReference(c);
        const want = toLiteRt ? litert[v][pos] : new Uint8Array(tflmInt16(c.model, c.vectors[v]).buffer);
        const d = diffTensors(want, got, dtype);
        s.elements += d.elements;
        s.differing += d.differing;
        s.maxDiff = Math.max(s.maxDiff, d.maxDiff);
        s.vsLiteRt += fromLiteRt.differing;
        if (d.differing > 0) failures.push(describeCase(c, v, `${d.differing}/${d.elements} differ (max ${d.maxDiff}), first at ${d.firstIndex}`));
      }
    });
    const oracleName = requantize === 'fp32' ? 'LiteRT (TFLM arithmetic where LiteRT takes gemmlowp)' : 'TFLM arithmetic';
    console.log(`int16 fuzz summary (requantize=${requantize}, oracle ${oracleName}):\n${[...stats]
      .map(([op, s]) => `${op.padEnd(20)} ${s.cases} cases ${String(s.elements).padStart(6)} outputs, ${s.differing} differ (max ${s.maxDiff})${s.vsLiteRt > s.differing ? `, ${s.vsLiteRt} differ from LiteRT` : ''}`)
      .join('\n')}`);
    expect(failures.length, `${failures.length} mismatches, first ones:\n${failures.slice(0, 8).join('\n')}`).toBe(0);
  });
});
