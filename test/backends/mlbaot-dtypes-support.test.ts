// Support checks and generated C of the wider dtypes (issue 12): what is accepted, what is refused
// with which reason, and that casts share one kernel instance per dtype pair.
import { describe, expect, test } from 'vitest';
import { generateSources } from '../../src/backends/mlbaot/generator.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { ModelBuilder, int32Bytes, quant } from '../../src/frameworks/litert/model-builder.js';

describe('mlbaot wider dtypes: support and generated code', () => {
  test('int16 CONCATENATION needs one quantization; int32 ADD must be unquantized', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [2, 3], 'int16', { quantization: quant([0.01], [0]) });
    const y = b.tensor('y', [2, 3], 'int16', { quantization: quant([0.02], [0]) });
    const c = b.tensor('c', [4, 3], 'int16', { quantization: quant([0.01], [0]) });
    b.op('CONCATENATION', 1, [x, y], [c], { kind: 'concatenation', axis: 0, activation: 'NONE' });
    const p = b.tensor('p', [3], 'int32', { quantization: quant([0.5], [0]) });
    const q = b.tensor('q', [3], 'int32');
    const s = b.tensor('s', [3], 'int32');
    b.op('ADD', 1, [p, q], [s], { kind: 'add', activation: 'RELU' });
    expect(unsupportedReasons(b.finish('bad', [x, y, p, q], [c, s]))).toEqual([
      "operator 0 (CONCATENATION): int16 inputs must share the output's scale and zero point",
      'operator 1 (ADD): quantized int32 operands are not supported (only plain int32 arithmetic)',
    ]);
  });

  test('CAST layers share one out-of-line instance per dtype pair; int32 MUL keeps RELU6 as [0, 6]', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [5], 'int32');
    const t = b.tensor('t', [5], 'bool');
    const u = b.tensor('u', [5], 'bool');
    const v = b.tensor('v', [5], 'int8');
    const w = b.tensor('w', [5], 'int32');
    const m = b.tensor('m', [5], 'int32');
    b.op('CAST', 1, [x], [t]);
    b.op('CAST', 1, [x], [u]);
    b.op('CAST', 1, [t], [v]);
    b.op('CAST', 1, [u], [w]);
    b.op('MUL', 1, [x, b.tensor('k', [1], 'int32', { data: int32Bytes([3]) })], [m], { kind: 'mul', activation: 'RELU6' });
    const model = b.finish('casts', [x], [v, w, m]);
    expect(unsupportedReasons(model)).toEqual([]);
    const c = generateSources(model).modelC;
    // int32->bool twice, bool->int8, bool->int32: three instances.
    expect(c.match(/static void __attribute__\(\(noinline, noclone\)\) mlb_kernel_\d+/g)).toHaveLength(3);
    expect(c).toContain('mlb_cast(in, out, N, 1, 5);');
    expect(c).toContain('mlb_addmul_s32(');
    expect(c).toMatch(/mlb_addmul_s32\([^;]*, 0, 6\);/s);
  });
});
