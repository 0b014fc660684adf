// The Arm DSP weight layouts of mlbaot (arm-dsp.ts) against hand-built expectations: the int16
// pair words the Cortex-M4/M7 kernels read (mlb_depthwise_dsp.h, mlb_dsp_rows4.h), and when a
// shared instance takes the clamp as literals.
import { describe, expect, test } from 'vitest';
import { depthwisePairs16, dspLiteralClamp, interleaveRows4, interleaveRows4Pairs16 } from '../../src/backends/mlbaot/arm-dsp.js';

/** The int16 halves of a pair word, low first. */
const halves = (v: number): [number, number] => [(v << 16) >> 16, v >> 16];

describe('mlbaot Arm DSP layouts', () => {
  test('depthwisePairs16: per group of 4 channels and tap, channels 0|2 then 1|3', () => {
    // 8 channels x 2 taps: w[c][t] = 10 * c + t, negated for odd channels (sign extension).
    const w = Array.from({ length: 16 }, (_, i) => ((i >> 1) % 2 ? -1 : 1) * (10 * (i >> 1) + (i & 1)));
    const words = depthwisePairs16(w, 8, 2).map(halves);
    expect(words).toEqual([
      [0, 20], [-10, -30], [1, 21], [-11, -31],
      [40, 60], [-50, -70], [41, 61], [-51, -71],
    ]);
    expect(() => depthwisePairs16(w, 6, 2)).toThrow(/6 channels/);
  });

  test('interleaveRows4Pairs16: each row run of 4 bytes as the pairs (0, 2) and (1, 3)', () => {
    const w = Array.from({ length: 4 * 8 }, (_, i) => (i % 3 === 0 ? -i : i) - 64);
    const bytes = interleaveRows4(w, 4, 8);
    const words = interleaveRows4Pairs16(w, 4, 8).map(halves);
    expect(words).toHaveLength(16);
    for (let i = 0; i < bytes.length; i += 4) {
      expect(words[i / 2]).toEqual([bytes[i], bytes[i + 2]]);
      expect(words[i / 2 + 1]).toEqual([bytes[i + 1], bytes[i + 3]]);
    }
    expect(words[0]).toEqual([-64, -62]); // row 0, inputs 0 and 2
    expect(words[2]).toEqual([-56, -54]); // row 1, inputs 0 and 2 (w[8], w[10])
    expect(words[1]).toEqual([-63, -67]); // row 0, inputs 1 and 3 (w[1], w[3])
  });

  test('dspLiteralClamp: the whole int8 range on DSP targets only', () => {
    expect(dspLiteralClamp(true, -128, 127)).toEqual(['act_min', 'act_max']);
    expect(dspLiteralClamp(true, -128, 100)).toEqual([]);
    expect(dspLiteralClamp(false, -128, 127)).toEqual([]);
    expect(dspLiteralClamp(undefined, -128, 127)).toEqual([]);
  });
});
