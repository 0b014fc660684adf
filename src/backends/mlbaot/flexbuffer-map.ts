// A bounded, checked reader of one flexbuffer map of scalars (how TFLite stores custom options).
// Every read is range-checked against the buffer and every count against the bytes it needs, so a
// corrupt or hostile buffer gives an error message, never a read outside it or a long loop. (The
// flatbuffers package's reader fails on 64-bit-wide maps and trusts lengths, hence this one.)

export type FlexScalar = number | boolean | null;

const TYPE = { NULL: 0, INT: 1, UINT: 2, FLOAT: 3, INDIRECT_INT: 6, INDIRECT_UINT: 7, INDIRECT_FLOAT: 8, MAP: 9, BOOL: 26 } as const;

class Reader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(pos: number, width: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || pos + width > this.bytes.length) throw new Error(`${what} at ${pos} is outside the ${this.bytes.length} bytes`);
  }

  uint(pos: number, width: number, what: string): number {
    this.check(pos, width, what);
    switch (width) {
      case 1: return this.view.getUint8(pos);
      case 2: return this.view.getUint16(pos, true);
      case 4: return this.view.getUint32(pos, true);
      case 8: return Number(this.view.getBigUint64(pos, true));
      default: throw new Error(`${what}: byte width ${width}`);
    }
  }

  int(pos: number, width: number, what: string): number {
    this.check(pos, width, what);
    switch (width) {
      case 1: return this.view.getInt8(pos);
      case 2: return this.view.getInt16(pos, true);
      case 4: return this.view.getInt32(pos, true);
      case 8: return Number(this.view.getBigInt64(pos, true));
      default: throw new Error(`${what}: byte width ${width}`);
    }
  }

  float(pos: number, width: number, what: string): number {
    this.check(pos, width, what);
    if (width === 4) return this.view.getFloat32(pos, true);
    if (width === 8) return this.view.getFloat64(pos, true);
    throw new Error(`${what}: float of byte width ${width}`);
  }

  /** An offset stored at pos, pointing backwards. */
  back(pos: number, width: number, what: string): number {
    return pos - this.uint(pos, width, what);
  }

  key(pos: number): string {
    let end = pos;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    if (end >= this.bytes.length || end - pos > 256) throw new Error(`key at ${pos} is not a terminated string`);
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(pos, end));
  }

  scalar(pos: number, parentWidth: number, packed: number, what: string): FlexScalar {
    const type = packed >> 2;
    const width = 1 << (packed & 3);
    switch (type) {
      case TYPE.NULL: return null;
      case TYPE.INT: return this.int(pos, parentWidth, what);
      case TYPE.UINT: return this.uint(pos, parentWidth, what);
      case TYPE.FLOAT: return this.float(pos, parentWidth, what);
      case TYPE.BOOL: return this.uint(pos, parentWidth, what) !== 0;
      case TYPE.INDIRECT_INT: return this.int(this.back(pos, parentWidth, what), width, what);
      case TYPE.INDIRECT_UINT: return this.uint(this.back(pos, parentWidth, what), width, what);
      case TYPE.INDIRECT_FLOAT: return this.float(this.back(pos, parentWidth, what), width, what);
      default: throw new Error(`${what} has flexbuffer type ${type}, not a scalar`);
    }
  }
}

/** The scalar entries of the flexbuffer map in `bytes`; throws an Error saying what is wrong. */
export function readFlexbufferMap(bytes: Uint8Array): Map<string, FlexScalar> {
  const r = new Reader(bytes);
  const n = bytes.length;
  if (n < 3) throw new Error('too short for a flexbuffer');
  const rootWidth = bytes[n - 1];
  if (![1, 2, 4, 8].includes(rootWidth)) throw new Error(`root byte width ${rootWidth}`);
  const rootPacked = bytes[n - 2];
  if (rootPacked >> 2 !== TYPE.MAP) throw new Error(`root has flexbuffer type ${rootPacked >> 2}, not a map`);
  const rootPos = n - 2 - rootWidth;
  const map = r.back(rootPos, rootWidth, 'root');
  const width = 1 << (rootPacked & 3);
  const length = r.uint(map - width, width, 'map length');
  // Each entry needs a value slot and a type byte: longer claims cannot be true.
  if (length > n / (width + 1)) throw new Error(`map claims ${length} entries in ${n} bytes`);
  const keysPos = r.back(map - 3 * width, width, 'keys vector');
  const keyWidth = r.uint(map - 2 * width, width, 'keys byte width');
  if (![1, 2, 4, 8].includes(keyWidth)) throw new Error(`keys byte width ${keyWidth}`);
  const out = new Map<string, FlexScalar>();
  for (let i = 0; i < length; i++) {
    const key = r.key(r.back(keysPos + i * keyWidth, keyWidth, `key ${i}`));
    const packed = r.uint(map + length * width + i, 1, `type of ${key}`);
    out.set(key, r.scalar(map + i * width, width, packed, `value of ${key}`));
  }
  return out;
}
