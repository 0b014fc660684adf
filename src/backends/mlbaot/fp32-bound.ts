// Proves, per layer, that mlb_fp32_requant_bounded (no range checks) gives the fp32 path's bits.
// Every accumulator is bias'[c] + sum_k x_k * w[c][k] with int8 x_k (padded taps add in_zp, also
// int8), so it lies in bias'[c] +- 128 * sum_k |w[c][k]|.

/** What the generator emits for an fp32 layer: constants unchanged, or bounded with dead channels rewritten. */
export interface Fp32Plan {
  bounded: boolean;
  bias: number[];
  weights: ArrayLike<number>;
  mult: number[];
  shift: number[];
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The fp32 path's clamped output for accumulator acc: rint(float(float(acc) * scale)) + zp, clamped. */
export function fp32Output(acc: number, scale: number, zp: number, lo: number, hi: number): number {
  // float(acc) * scale has at most 48 significant bits: exact in a double, so fround rounds once.
  const y = roundHalfEven(Math.fround(Math.fround(acc) * scale));
  return Math.min(Math.max(y + zp, lo), hi);
}

/**
 * Layers qualify when, for every channel, 0 <= m < 2^31, 33 <= e <= 63 and either |acc| < 2^24
 * always, or the channel's output is one constant over its whole accumulator range (the fp32
 * path is monotonic in acc, so equal outputs at both ends prove it): such channels (dead ReLUs,
 * all-zero filters with huge biases) get zero weights and constants that give the same output.
 */
export function planFp32(bias: number[], weights: ArrayLike<number>, mult: number[], shift: number[], zp: number, lo: number, hi: number): Fp32Plan {
  const unchanged: Fp32Plan = { bounded: false, bias, weights, mult, shift };
  const k = weights.length / bias.length;
  let newBias: number[] | undefined;
  let newWeights: Int8Array | undefined;
  let newMult: number[] | undefined;
  let newShift: number[] | undefined;
  for (let c = 0; c < bias.length; ++c) {
    const m = mult[c];
    const e = shift[c];
    if (!(m >= 0 && m < 2 ** 31 && e >= 33 && e <= 63)) return unchanged;
    let sum = 0;
    for (let i = 0; i < k; ++i) sum += Math.abs(weights[c * k + i]);
    const b = bias[c];
    if (Math.abs(b) + 128 * sum < 2 ** 24) continue;
    const scale = m * 2 ** -e;
    const out = fp32Output(b - 128 * sum, scale, zp, lo, hi);
    if (out !== fp32Output(b + 128 * sum, scale, zp, lo, hi)) return unchanged;
    // Zero weights, scale 1/8 (m = 2^30, e = 33) and bias 8 * (out - zp): exactly `out` again.
    newBias ??= [...bias];
    newWeights ??= Int8Array.from(weights);
    newMult ??= [...mult];
    newShift ??= [...shift];
    newBias[c] = 8 * (out - zp);
    newMult[c] = 2 ** 30;
    newShift[c] = 33;
    newWeights.fill(0, c * k, (c + 1) * k);
  }
  return { bounded: true, bias: newBias ?? bias, weights: newWeights ?? weights, mult: newMult ?? mult, shift: newShift ?? shift };
}
