// TFLM's reference arithmetic for the element-wise quantization operators, written independently
// of mlbaot (BigInt, straight from quantization_util.cc and gemmlowp), so the fuzzer can hold
// mlbaot to bit-exactness where the oracle (XNNPACK) is known to be coarser.

import { multiplyByQuantizedMultiplier, roundHalfAway, tflmQuantizeMultiplier } from '../../src/frameworks/litert/tflm-fixed-point.js';

export { multiplyByQuantizedMultiplier, tflmQuantizeMultiplier };

const clampInt8 = (v: number): number => Math.max(-128, Math.min(127, v));

/** TFLM int8 → int8 QUANTIZE. */
export function tflmRequantize(q: number, inScale: number, inZp: number, outScale: number, outZp: number): number {
  const { multiplier, shift } = tflmQuantizeMultiplier(inScale / outScale);
  return clampInt8(multiplyByQuantizedMultiplier(q - inZp, multiplier, shift) + outZp);
}

/** TFLM float32 → int8 QUANTIZE (AffineQuantize): TfLiteRound(input / scale) with a double scale. */
export function tflmQuantize(x: number, scale: number, zp: number): number {
  return clampInt8(roundHalfAway(Math.fround(x) / Math.fround(scale)) + zp);
}
