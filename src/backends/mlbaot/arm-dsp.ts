// Weight layouts for Arm targets with the DSP extension (SMLAD/SXTB16: ARMv7E-M, i.e. Cortex-M4
// and M7, and ARMv8-M Mainline with +dsp and without MVE). Keyed on the target's ISA string,
// never on a user flag: the kernels' DSP path (`MLB_SIMD_DSP`, from the compiler's
// __ARM_FEATURE_DSP) is what reads these layouts fastest; their portable loops read them too.

/** Whether the target ISA (a target descriptor's `isa`, e.g. armv7e-m+fp) has the Arm DSP extension and no MVE. */
export function hasArmDsp(isa: string | undefined): boolean {
  if (!isa) return false;
  const s = isa.toLowerCase();
  if (s.startsWith('armv7e-m')) return true;
  return /^armv8(\.\d)?-m\.main/.test(s) && s.includes('+dsp') && !s.includes('+mve');
}

/**
 * Whether the target ISA has an Arm SIMD unit mlbaot's kernels use (DSP or MVE). There, shared
 * kernel instances keep run-time arguments even when every call agrees: the literals measured
 * slower (aww +0.4% on cortexm4_qemu, +1.3% on corstone300; vww +1.5% on corstone300).
 */
export function hasArmSimd(isa: string | undefined): boolean {
  if (!isa) return false;
  const s = isa.toLowerCase();
  return hasArmDsp(s) || (/^armv8(\.\d)?-m\.main/.test(s) && s.includes('+mve'));
}

/**
 * FULLY_CONNECTED weights [N][K] interleaved by four rows (mlb_fully_connected_dsp.h): for each
 * group of four outputs and each run of four inputs, the four rows' four bytes in a row. Needs
 * N and K to be multiples of 4.
 */
export function interleaveRows4(w: ArrayLike<number>, n: number, k: number): number[] {
  if (n % 4 !== 0 || k % 4 !== 0 || w.length !== n * k) throw new Error(`interleaveRows4: shape ${n}x${k} of ${w.length} weights`);
  const out = new Array<number>(n * k);
  let i = 0;
  for (let g = 0; g < n; g += 4)
    for (let c = 0; c < k; c += 4)
      for (let r = 0; r < 4; ++r) for (let j = 0; j < 4; ++j) out[i++] = w[(g + r) * k + c + j];
  return out;
}

/**
 * Arguments a shared CONV_2D / DEPTHWISE_CONV_2D instance takes as literals on DSP targets: the
 * clamp when it is the whole int8 range (every layer of aww and vww), so GCC folds the clamp after
 * the requantization into one SSAT instead of two compare-and-select pairs on run-time bounds.
 * Layers with other bounds keep run-time bounds (and their own instance key as before).
 */
export function dspLiteralClamp(armDsp: boolean | undefined, actMin: number, actMax: number): string[] {
  return armDsp === true && actMin === -128 && actMax === 127 ? ['act_min', 'act_max'] : [];
}

/** Two int16 values in one word as SMLABB/SMLATT read them: lo in the low half, hi in the high. */
const pair = (lo: number, hi: number): number => (lo & 0xffff) | (hi << 16);

/**
 * DEPTHWISE_CONV_2D weights [C][T] (T = KH*KW taps per channel) as int16 pairs for SMLABB/SMLATT
 * (mlb_depthwise_dsp.h): per group of four channels and tap, the word of channels 0 and 2 (low and
 * high half), then the word of channels 1 and 3. Needs C to be a multiple of 4.
 */
export function depthwisePairs16(w: ArrayLike<number>, c: number, t: number): number[] {
  if (c % 4 !== 0 || w.length !== c * t) throw new Error(`depthwisePairs16: ${c} channels x ${t} taps of ${w.length} weights`);
  const out: number[] = [];
  for (let g = 0; g < c; g += 4)
    for (let k = 0; k < t; ++k) out.push(pair(w[g * t + k], w[(g + 2) * t + k]), pair(w[(g + 1) * t + k], w[(g + 3) * t + k]));
  return out;
}

/**
 * CONV_2D weights [N][K] interleaved by four rows as interleaveRows4, each row's four bytes widened
 * to two int16 pair words (bytes 0 and 2, then 1 and 3) for mlb_fc_dsp_rows4_h: twice the bytes,
 * no SXTB16 of weights in the loop. Needs N and K to be multiples of 4.
 */
export function interleaveRows4Pairs16(w: ArrayLike<number>, n: number, k: number): number[] {
  const b = interleaveRows4(w, n, k);
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 4) out.push(pair(b[i], b[i + 2]), pair(b[i + 1], b[i + 3]));
  return out;
}

/** Largest CONV_2D weight tensor (bytes) widened to int16 pairs on DSP targets: a ROM bound. */
export const DSP_W16_MAX_WEIGHT_BYTES = 8192;
