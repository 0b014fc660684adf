// Generation-time quantization math against values TFLite computes.
import { describe, expect, test } from 'vitest';
import { frexp, leadingPadding, quantizeMultiplier, quantizedActivationRange, softmaxParams } from '../../src/backends/mlbaot/quant-math.js';

describe('quant-math', () => {
  test('frexp normalises into [0.5, 1)', () => {
    expect(frexp(1)).toEqual({ mantissa: 0.5, exponent: 1 });
    expect(frexp(0.75)).toEqual({ mantissa: 0.75, exponent: 0 });
    expect(frexp(3 * 2 ** -40)).toEqual({ mantissa: 0.75, exponent: -38 });
    expect(frexp(-6)).toEqual({ mantissa: -0.75, exponent: 3 });
  });

  test('quantizeMultiplier is TFLite QuantizeMultiplier', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    // Mantissa rounding up to 2^31 renormalises.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    // Below 2^-32 the multiplier flushes to zero.
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    // Checked against C: frexp(0.0123) = 0.7872 * 2^-6, llround(0.7872 * 2^31) = 1690499128.
    expect(quantizeMultiplier(0.0123)).toEqual({ multiplier: 1690499128, shift: -6 });
  });

  test('softmax parameters for beta 1, input scale 1/16', () => {
    expect(softmaxParams(1, 1 / 16)).toEqual({ multiplier: 2 ** 30, leftShift: 23, diffMin: -248 });
  });

  test('activation ranges and SAME padding', () => {
    expect(quantizedActivationRange('RELU', 0.1, -128, 'int8')).toEqual([-128, 127]);
    expect(quantizedActivationRange('RELU6', 0.05, -10, 'int8')).toEqual([-10, 110]);
    expect(quantizedActivationRange('NONE', 0.05, -10, 'int8')).toEqual([-128, 127]);
    expect(leadingPadding('SAME', 49, 25, 10, 2, 1)).toBe(4);
    expect(leadingPadding('SAME', 10, 5, 4, 2, 1)).toBe(1);
    expect(leadingPadding('VALID', 10, 7, 4, 1, 1)).toBe(0);
  });
});
