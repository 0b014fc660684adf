// planFp32: which fp32 layers may skip the kernels' range checks, and the exact rewrite of
// channels whose output cannot vary (vww's dead channels carry biases of 2^30).
import { describe, expect, test } from 'vitest';
import { planFp32 } from '../../src/backends/mlbaot/fp32-bound.js';

/** The fp32 path's clamped output (what the kernels and TensorFlow Lite compute). */
function fp32Out(acc: number, m: number, e: number, zp: number, lo: number, hi: number): number {
  const p = Math.fround(Math.fround(acc) * m * 2 ** -e);
  const f = Math.floor(p);
  const y = p - f > 0.5 || (p - f === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return Math.min(Math.max(y + zp, lo), hi);
}

describe('planFp32', () => {
  const m = 10318473 * 2 ** 6;
  const e = 57;
  test('small accumulators: bounded, constants unchanged', () => {
    const bias = [1000, -2000];
    const weights = Int8Array.from([1, -2, 3, 4, 5, -6]);
    const plan = planFp32(bias, weights, [m, m], [e, e], -128, -128, 127);
    expect(plan.bounded).toBe(true);
    expect(plan.bias).toBe(bias);
    expect(plan.weights).toBe(weights);
  });
  test('a channel with zero weights and bias 2^30 is rewritten to the same output', () => {
    const bias = [2 ** 30, 5];
    const weights = Int8Array.from([0, 0, 0, 7, 8, 9]);
    const plan = planFp32(bias, weights, [m, m], [e, e], -128, -128, 127);
    expect(plan.bounded).toBe(true);
    expect(Array.from(plan.weights)).toEqual([0, 0, 0, 7, 8, 9]);
    expect(plan.bias[0]).toBeLessThan(2 ** 24);
    expect(fp32Out(plan.bias[0], plan.mult[0], plan.shift[0], -128, -128, 127)).toBe(fp32Out(2 ** 30, m, e, -128, -128, 127));
    expect([plan.bias[1], plan.mult[1], plan.shift[1]]).toEqual([5, m, e]);
  });
  test('a large accumulator whose output varies keeps the checked path', () => {
    // vww: acc in 26558476 +- 128 * 613, output -110 or -109 (TFLite rounds float(acc) to 24 bits there).
    const plan = planFp32([26558476], Int8Array.from([127, -127, 127, -127, 105]), [12227057], [44], -128, -128, 127);
    expect(plan.bounded).toBe(false);
  });
  test('a scale of 1/4 or more (e <= 32) keeps the checked path', () => {
    expect(planFp32([0], Int8Array.from([1]), [2 ** 30], [32], 0, -128, 127).bounded).toBe(false);
  });
});
