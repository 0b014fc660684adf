// uint8 models on the int8 kernels (uint8-interior.ts): the rewrite, its edges, and the refusal of
// weights that do not fit int8 once centred (the fuzz suite's *_U8 cases check the arithmetic).
import { describe, expect, test } from 'vitest';
import { ModelBuilder, int32Bytes, quant } from '../../src/frameworks/litert/model-builder.js';
import { hasUint8Interior, int8Interior } from '../../src/backends/mlbaot/uint8-interior.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';

function uint8Fc(weights: number[], weightZp: number) {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, 2], 'uint8', { quantization: quant([0.1], [120]) });
  const w = b.tensor('w', [2, 2], 'uint8', { quantization: quant([0.01], [weightZp]), data: Uint8Array.from(weights) });
  const bias = b.tensor('bias', [2], 'int32', { quantization: quant([0.001], [0]), data: int32Bytes([5, -5]) });
  const y = b.tensor('y', [1, 2], 'uint8', { quantization: quant([0.05], [128]) });
  b.op('FULLY_CONNECTED', 1, [x, w, bias], [y], { kind: 'fully_connected', activation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false });
  return b.finish('uint8_fc', [x], [y]);
}

describe('uint8 models on the int8 kernels', () => {
  test('interior becomes int8 (zero points − 128, weights centred); uint8 edges are flipped by QUANTIZE', () => {
    const model = uint8Fc([100, 200, 30, 150], 130);
    const m = int8Interior(model);
    expect(m.operators.map((op) => op.opcode)).toEqual(['QUANTIZE', 'FULLY_CONNECTED', 'QUANTIZE']);
    // Edge operators take indices after the model's own, so tuning records keep their keys.
    expect(m.operators.map((op) => op.index)).toEqual([1, 0, 2]);
    expect(m.inputs.map((i) => m.tensors[i].dtype)).toEqual(['uint8']);
    expect(m.outputs.map((i) => m.tensors[i].dtype)).toEqual(['uint8']);
    const fc = m.operators[1];
    const [x, w, , y] = [...fc.inputs, ...fc.outputs].map((i) => m.tensors[i]);
    expect([x.dtype, x.quantization?.zeroPoint]).toEqual(['int8', [-8]]);
    expect([y.dtype, y.quantization?.zeroPoint]).toEqual(['int8', [0]]);
    expect([w.dtype, w.quantization?.zeroPoint, Array.from(new Int8Array(w.data!.buffer))]).toEqual(['int8', [0], [-30, 70, -100, 20]]);
    expect(hasUint8Interior(m)).toBe(false);
    expect(int8Interior(m)).toBe(m); // applying it twice changes nothing
    expect(unsupportedReasons(model)).toEqual([]);
  });

  test('weights whose centred values leave int8 are refused naming the tensor', () => {
    const reasons = unsupportedReasons(uint8Fc([0, 255, 30, 150], 100));
    expect(reasons[0]).toBe('uint8 weights w: value − zero point 155 does not fit int8, so they cannot run on the int8 kernels exactly');
  });
});
