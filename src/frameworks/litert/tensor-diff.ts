// Element-wise comparison of two raw tensors of the same dtype (oracle vs. engine under test).
import type { DType } from '../../core/model.js';

export interface TensorDiff {
  elements: number;
  /** Largest |a − b|: in LSB for integer tensors, in real units for float tensors. */
  maxDiff: number;
  /** Elements that are not identical. */
  differing: number;
  /** Integer tensors: elements that differ by exactly one step. */
  offByOne: number;
  /** First differing element, for messages. */
  firstIndex?: number;
}

function elementsOf(bytes: Uint8Array, dtype: DType): ArrayLike<number> {
  const b = bytes.slice(); // aligned copy: the bytes may sit at any offset
  switch (dtype) {
    case 'int8': return new Int8Array(b.buffer);
    case 'uint8': return b;
    case 'int16': return new Int16Array(b.buffer);
    case 'int32': return new Int32Array(b.buffer);
    case 'float32': return new Float32Array(b.buffer);
    default: throw new Error(`cannot compare tensors of dtype ${dtype}`);
  }
}

export function diffTensors(a: Uint8Array, b: Uint8Array, dtype: DType): TensorDiff {
  if (a.byteLength !== b.byteLength) throw new Error(`cannot compare tensors of ${a.byteLength} and ${b.byteLength} bytes`);
  const x = elementsOf(a, dtype);
  const y = elementsOf(b, dtype);
  const d: TensorDiff = { elements: x.length, maxDiff: 0, differing: 0, offByOne: 0 };
  for (let i = 0; i < x.length; i++) {
    if (Object.is(x[i], y[i])) continue;
    // NaN vs NaN counts as equal; NaN vs number as infinitely different.
    const diff = Number.isNaN(x[i]) || Number.isNaN(y[i]) ? (Number.isNaN(x[i]) && Number.isNaN(y[i]) ? 0 : Infinity) : Math.abs(x[i] - y[i]);
    if (diff === 0) continue;
    d.differing++;
    d.firstIndex ??= i;
    if (diff === 1 && dtype !== 'float32') d.offByOne++;
    if (diff > d.maxDiff) d.maxDiff = diff;
  }
  return d;
}
