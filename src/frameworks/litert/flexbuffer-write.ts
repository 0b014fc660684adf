// Writes one flexbuffer map of scalars (custom_options of generated models), every slot 8 bytes
// wide: integers as INT, other numbers as 64-bit FLOAT, booleans as BOOL, keys sorted as readers'
// binary search expects. (The flatbuffers package's encoder writes some floats as 32-bit values in
// 64-bit slots, which TFLite's reader then misreads.)
const W = 8;
const PACKED = { int: (1 << 2) | 3, float: (3 << 2) | 3, bool: (26 << 2) | 3, map: (9 << 2) | 3 };

export function writeFlexbufferMap(entries: Record<string, number | boolean>): Uint8Array {
  const keys = Object.keys(entries).sort();
  const enc = new TextEncoder();
  const parts: number[] = [];
  const pad = (): void => { while (parts.length % W) parts.push(0); };
  const keyAt = keys.map((k) => {
    const pos = parts.length;
    parts.push(...enc.encode(k), 0);
    return pos;
  });
  pad();
  const buf = (): DataView => new DataView(new ArrayBuffer(W));
  const push = (v: DataView): void => { parts.push(...new Uint8Array(v.buffer)); };
  const u64 = (x: number): DataView => { const v = buf(); v.setBigUint64(0, BigInt(x), true); return v; };
  // Keys vector: length, then offsets back to each key string.
  push(u64(keys.length));
  const keysVector = parts.length;
  keys.forEach((_, i) => push(u64(keysVector + i * W - keyAt[i])));
  // Map: keys offset, keys width, length, values, types.
  const keysField = parts.length;
  push(u64(keysField - keysVector));
  push(u64(W));
  push(u64(keys.length));
  const map = parts.length;
  const types: number[] = [];
  for (const k of keys) {
    const value = entries[k];
    const v = buf();
    if (typeof value === 'boolean') {
      v.setBigUint64(0, value ? 1n : 0n, true);
      types.push(PACKED.bool);
    } else if (Number.isInteger(value)) {
      v.setBigInt64(0, BigInt(value), true);
      types.push(PACKED.int);
    } else {
      v.setFloat64(0, value, true);
      types.push(PACKED.float);
    }
    push(v);
  }
  parts.push(...types);
  pad();
  const root = parts.length;
  push(u64(root - map));
  parts.push(PACKED.map, W);
  return Uint8Array.from(parts);
}
