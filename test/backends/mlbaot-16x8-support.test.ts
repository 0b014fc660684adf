// What mlbaot accepts and refuses in the 16x8 scheme, and the shape of the generated C.
import { describe, expect, test } from 'vitest';
import { generateSources } from '../../src/backends/mlbaot/generator.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { cnn16x8 } from '../../src/frameworks/litert/models-16x8.js';
import { quant } from '../../src/frameworks/litert/model-builder.js';
import { transposeConv16x8 } from '../../src/frameworks/litert/fuzz-models-16x8.js';
import { createRng } from '../../src/frameworks/litert/prng.js';

describe('mlbaot 16x8 support', () => {
  test('the 16x8 CNN is accepted and generates one function per layer with int64 biases', () => {
    const model = cnn16x8();
    expect(unsupportedReasons(model)).toEqual([]);
    const fp32 = generateSources(model, 'fp32');
    expect(fp32.layerFunctions).toEqual(['mlb_layer_0_conv_2d', 'mlb_layer_1_depthwise_conv_2d', 'mlb_layer_3_fully_connected']);
    expect(fp32.modelC).toMatch(/mlb_conv2d_s16\(\(const int16_t \*\)\(arena \+ \d+\), \(int16_t \*\)\(arena \+ \d+\),\n\s+mlb_l0_weights, mlb_l0_bias, mlb_l0_mult, mlb_l0_shift, 1, 10, 10, 3, 10, 10, 8, 3, 3, 1, 1, 1, 1, 1, 1, 0, 32767\);/);
    expect(fp32.weightsC).toContain('const int64_t mlb_l0_bias[8]');
    expect(fp32.modelC).toContain('mlb_fully_connected_s16(MLB_ROUND16_LITERT, ');
    expect(generateSources(model, 'tflm').modelC).toContain('mlb_fully_connected_s16(MLB_ROUND16_TFLM, ');
  });

  test('int32 bias, non-zero zero points and int16 element-wise operators are refused with reasons', () => {
    const model = cnn16x8();
    const bias = model.tensors.find((t) => t.name === 'b1')!;
    bias.dtype = 'int32';
    model.tensors.find((t) => t.name === 'dw1')!.quantization = quant([1 / 4096], [3]);
    const softmax = model.tensors.length;
    model.tensors.push({ ...model.tensors[model.outputs[0]], index: softmax, name: 'probs' });
    model.operators.push({ index: 4, opcode: 'SOFTMAX', builtinCode: 25, version: 3, inputs: [model.outputs[0]], outputs: [softmax], options: { kind: 'softmax', beta: 1 } });
    model.outputs = [softmax];
    expect(unsupportedReasons(model)).toEqual([
      'operator 0 (CONV_2D): 16x8 bias must be a constant int64 tensor (found int32)',
      'operator 1 (DEPTHWISE_CONV_2D): 16x8 needs int16 input and output with per-tensor quantization and zero point 0',
      'operator 4 (SOFTMAX): unsupported dtypes int16->int16 (supported: int8->int8, float32->float32)',
    ]);
  });
  test('16x8 TRANSPOSE_CONV scatters into an int64 scratch; int32 bias and a non-zero zero point are refused', () => {
    const { model, params } = transposeConv16x8(createRng(160816), 1);
    expect(params.withBias).toBe(true);
    expect(unsupportedReasons(model)).toEqual([]);
    const src = generateSources(model, 'tflm');
    expect(src.modelC).toContain(`static int64_t acc[${model.tensors[model.outputs[0]].shape.reduce((a, b) => a * b, 1)}];`);
    expect(src.modelC).toMatch(/mlb_transpose_conv_s16\(\(const int16_t \*\)\(arena \+ \d+\), \(int16_t \*\)\(arena \+ \d+\),\n\s+mlb_l0_weights, mlb_l0_bias, mlb_l0_mult, mlb_l0_shift, 0, acc, 1, 2, 4, 4, 3, 1, 4, 2, 3, 1, 0, 0, 0, 32767\);/);
    expect(src.weightsC).toContain('const int64_t mlb_l0_bias[');
    model.tensors.find((t) => t.name === 'bias')!.dtype = 'int32';
    model.tensors.find((t) => t.name === 'output')!.quantization = quant([1 / 4096], [2]);
    expect(unsupportedReasons(model)).toEqual([
      'operator 0 (TRANSPOSE_CONV): 16x8 needs int16 activations with zero point 0',
      'operator 0 (TRANSPOSE_CONV): bias must be a constant int64 tensor with one value per output channel',
    ]);
  });
});
