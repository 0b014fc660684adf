// What mlbaot accepts and refuses among int8 MUL, LOGISTIC and TANH, and what it generates for them.
import { describe, expect, test } from 'vitest';
import { generateSources } from '../../src/backends/mlbaot/generator.js';
import { activationTable } from '../../src/backends/mlbaot/layers-act.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { unrolledLstmModel } from '../../src/frameworks/litert/lstm-model.js';
import { ModelBuilder, int8Bytes, quant } from '../../src/frameworks/litert/model-builder.js';

function activation(opcode: 'LOGISTIC' | 'TANH', outScale: number, outZp: number) {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, 8], 'int8', { quantization: quant([0.05], [3]) });
  const y = b.tensor('y', [1, 8], 'int8', { quantization: quant([outScale], [outZp]) });
  b.op(opcode, 2, [x], [y]);
  return b.finish('act', [x], [y]);
}

describe('int8 MUL/LOGISTIC/TANH support', () => {
  test('LOGISTIC and TANH need the output quantization TFLite writes them for', () => {
    expect(unsupportedReasons(activation('LOGISTIC', 1 / 256, -128))).toEqual([]);
    expect(unsupportedReasons(activation('TANH', 1 / 128, 0))).toEqual([]);
    expect(unsupportedReasons(activation('LOGISTIC', 1 / 128, 0))).toEqual(['operator 0 (LOGISTIC): int8 output must have scale 1/256 and zero point -128']);
    expect(unsupportedReasons(activation('TANH', 1 / 256, -128))).toEqual(['operator 0 (TANH): int8 output must have scale 1/128 and zero point 0']);
  });

  test('MUL takes a per-tensor constant operand and refuses a per-channel one', () => {
    const build = (scales: number[]) => {
      const b = new ModelBuilder();
      const x = b.tensor('x', [1, 2, 3], 'int8', { quantization: quant([0.05], [3]) });
      const c = b.tensor('c', [3], 'int8', { quantization: quant(scales, scales.map(() => 0)), data: int8Bytes([1, -2, 3]) });
      const y = b.tensor('y', [1, 2, 3], 'int8', { quantization: quant([0.01], [0]) });
      b.op('MUL', 2, [x, c], [y], { kind: 'mul', activation: 'NONE' });
      return b.finish('mul', [x], [y]);
    };
    expect(unsupportedReasons(build([0.1]))).toEqual([]);
    expect(unsupportedReasons(build([0.1, 0.2, 0.3]))).toEqual([
      'operator 0 (MUL): int8 operand c is a constant with per-channel quantization (only per-tensor is supported)',
    ]);
  });

  test('the LOGISTIC table saturates at both ends and is monotonic', () => {
    const t = activationTable('LOGISTIC', 0.1, 0, 1 / 256, -128);
    expect(t[0]).toBe(-128 + Math.round(256 / (1 + Math.exp(12.8))));
    expect(t[128]).toBe(0); // logistic(0) = 0.5 = 128/256 above -128
    expect(t[255]).toBe(127);
    expect(t.every((v, i) => i === 0 || v >= t[i - 1])).toBe(true);
  });

  test('an unrolled int8 LSTM is accepted; each mode generates its kernels', () => {
    const model = unrolledLstmModel({ steps: 2, inputSize: 3, hidden: 2, classes: 2, dtype: 'int8', seed: 1 });
    expect(unsupportedReasons(model)).toEqual([]);
    const fp32 = generateSources(model, 'fp32').modelC;
    expect(fp32).toContain('mlb_lut_s8(');
    expect(fp32).toContain('mlb_mul_bcast_s8(MLB_REQUANT_FP32');
    const tflm = generateSources(model, 'tflm').modelC;
    expect(tflm).toMatch(/mlb_logistic_s8\(.*\);/);
    expect(tflm).toMatch(/mlb_tanh_s8\(.*\);/);
    expect(tflm).toContain('mlb_mul_bcast_s8(MLB_REQUANT_TFLM');
  });
});
