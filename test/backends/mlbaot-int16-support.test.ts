// int16 element-wise operators: what mlbaot refuses, with the reason (their arithmetic is fuzzed in
// test/fuzz/operators-int16.test.ts).
import { describe, expect, test } from 'vitest';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { generateSources } from '../../src/backends/mlbaot/generator.js';
import { ModelBuilder, quant } from '../../src/frameworks/litert/model-builder.js';

function unary(opcode: string, from: 'int16' | 'int32' | 'int8', to: 'int16' | 'int8', inZp = 0, outScale = 2 ** -15) {
  const b = new ModelBuilder();
  const input = b.tensor('x', [1, 8], from, { quantization: quant([2 ** -10], [inZp]) });
  const output = b.tensor('y', [1, 8], to, { quantization: quant([outScale], [0]) });
  b.op(opcode, 2, [input], [output]);
  return b.finish(`int16_${opcode.toLowerCase()}`, [input], [output]);
}

describe('mlbaot int16 operators', () => {
  test('LOGISTIC needs a Q0.15 output and symmetric int16 tensors; QUANTIZE int32 -> int8 is not built', () => {
    expect(unsupportedReasons(unary('LOGISTIC', 'int16', 'int16', 0, 1 / 1000))).toEqual(['operator 0 (LOGISTIC): int16 output scale must be 2^-15 (found 0.0010000000474974513)']);
    expect(unsupportedReasons(unary('TANH', 'int16', 'int16', 5))).toEqual([
      'operator 0 (TANH): int16 TANH needs int16 inputs and output with per-tensor quantization and zero point 0 (not x)',
    ]);
    expect(unsupportedReasons(unary('QUANTIZE', 'int32', 'int8'))).toEqual([
      'operator 0 (QUANTIZE): unsupported dtypes int32->int8 (supported: float32->int8, int8->int8, uint8->int8, int8->uint8)',
    ]);
  });

  test('LOGISTIC with a 2^-12 input scale takes TFLite\'s power-of-two multiplier (3, no shift)', () => {
    const m = unary('LOGISTIC', 'int16', 'int16');
    m.tensors[0].quantization = quant([2 ** -12], [0]);
    expect(unsupportedReasons(m)).toEqual([]);
    expect(generateSources(m).modelC).toMatch(/mlb_logistic_s16\(\(const int16_t \*\)\(arena \+ \d+\), \(int16_t \*\)\(arena \+ \d+\), 8, 3, 0\);/);
  });
});
