// The fused UNIDIRECTIONAL_SEQUENCE_LSTM's support check: float32 and int8 8x8->16 accepted, the
// variants TFLite Micro refuses (projection, peepholes, layer norm, per-channel weights, a cell
// state scale that is not a power of two) each refused with one line naming the reason.
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/core/model.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { fusedLstmModel, type FusedLstmOptions } from '../../src/frameworks/litert/fused-lstm-model.js';
import { quant } from '../../src/frameworks/litert/model-builder.js';

const BASE: FusedLstmOptions = { batch: 1, steps: 3, inputSize: 4, hidden: 5, timeMajor: false, dtype: 'int8', cellClip: 0, cellScalePower: -11, activation: 'TANH', seed: 3 };

/** The model with input `slot` pointed at the input-to-forget weights (any present tensor). */
function withInput(m: Model, slot: number): Model {
  const op = { ...m.operators[0], inputs: m.operators[0].inputs.map((t, i) => (i === slot ? m.operators[0].inputs[2] : t)) };
  return { ...m, operators: [op] };
}

describe('mlbaot support: UNIDIRECTIONAL_SEQUENCE_LSTM', () => {
  it('accepts float32 and int8 (8x8->16), batch or time major', () => {
    for (const dtype of ['int8', 'float32'] as const) {
      for (const timeMajor of [false, true]) expect(unsupportedReasons(fusedLstmModel({ ...BASE, dtype, timeMajor, batch: 2 }))).toEqual([]);
    }
  });
  it('refuses what TFLite Micro refuses, one reason each', () => {
    const m = fusedLstmModel(BASE);
    const cases: [Model, RegExp][] = [
      [withInput(m, 9), /peephole connections are not supported/],
      [withInput(m, 16), /projection layer is not supported/],
      [withInput(m, 20), /layer normalization is not supported/],
      [{ ...m, operators: [{ ...m.operators[0], inputs: m.operators[0].inputs.map((t, i) => (i === 1 ? -1 : t)) }] }, /CIFG/],
      [{ ...m, operators: [{ ...m.operators[0], options: { ...m.operators[0].options, activation: 'RELU' } as Model['operators'][0]['options'] }] }, /cell activation RELU/],
    ];
    for (const [model, reason] of cases) {
      const reasons = unsupportedReasons(model);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(reason);
    }
    const cell = m.operators[0].inputs[19];
    const odd = { ...m, tensors: m.tensors.map((t) => (t.index === cell ? { ...t, quantization: quant([0.0003], [0]) } : t)) };
    expect(unsupportedReasons(odd).join('\n')).toMatch(/power-of-two scale/);
    const w = m.operators[0].inputs[3];
    const perChannel = { ...m, tensors: m.tensors.map((t) => (t.index === w ? { ...t, quantization: quant([0.01, 0.02, 0.01, 0.01, 0.01], [0, 0, 0, 0, 0]) } : t)) };
    expect(unsupportedReasons(perChannel).join('\n')).toMatch(/per tensor/);
  });
});
