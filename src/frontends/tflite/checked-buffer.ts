// Bounds-checked access to a flatbuffer. The flatbuffers runtime trusts every offset it is
// given (a bad one reads garbage or throws RangeError); a model file comes from outside, so every
// offset, vtable entry and vector length is checked against the buffer before it is followed.
import { ByteBuffer } from 'flatbuffers';
import { MlbenchError } from '../../core/errors.js';

/** A table located in the buffer, with its vtable already validated. */
export interface TableRef {
  /** Absolute position of the table. */
  pos: number;
  vtable: number;
  /** Bytes of the vtable (header included). */
  vtableBytes: number;
  /** Bytes of the table object, from its start (soffset included). */
  objectBytes: number;
  /** What the table is, for error messages ("tensor 3"). */
  what: string;
}

/** A vector located in the buffer: `start` is the first element. */
export interface VectorRef {
  start: number;
  length: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const HINT = 'the file is not a valid TensorFlow Lite model; re-export or re-download it';

export class CheckedBuffer {
  readonly bb: ByteBuffer;
  readonly size: number;
  /**
   * Work budget: elements and bytes visited. Flatbuffers can share sub-tables, so a crafted
   * file can make a reader revisit the same data many times; the budget keeps the work
   * proportional to the file size.
   */
  private budget: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly fileName: string,
  ) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.length;
    // Real models spend 0.7-2x their size (shared models measured); 8x leaves ample room.
    this.budget = 8 * bytes.length + 1_000_000;
  }

  fail(what: string): never {
    throw new MlbenchError('model', `${this.fileName}: ${what}`, { hint: HINT });
  }

  /** Charges `units` of work; fails when the file makes us do far more work than its size. */
  spend(units: number): void {
    this.budget -= units;
    if (this.budget < 0) this.fail('structure references the same data too often (malformed or hostile file)');
  }

  /** Checks that [pos, pos+len) lies inside the buffer. */
  need(pos: number, len: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || len < 0 || pos + len > this.size) {
      this.fail(`${what} at offset ${pos} (+${len} bytes) is outside the file (${this.size} bytes)`);
    }
  }

  u8(pos: number, what: string): number {
    this.need(pos, 1, what);
    return this.bb.readUint8(pos);
  }
  i8(pos: number, what: string): number {
    this.need(pos, 1, what);
    return this.bb.readInt8(pos);
  }
  u16(pos: number, what: string): number {
    this.need(pos, 2, what);
    return this.bb.readUint16(pos);
  }
  i32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.bb.readInt32(pos);
  }
  u32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.bb.readUint32(pos);
  }
  f32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.bb.readFloat32(pos);
  }
  i64(pos: number, what: string): bigint {
    this.need(pos, 8, what);
    return this.bb.readInt64(pos);
  }
  u64(pos: number, what: string): bigint {
    this.need(pos, 8, what);
    return this.bb.readUint64(pos);
  }

  /** Follows a uoffset stored at `pos` (relative to `pos`). */
  indirect(pos: number, what: string): number {
    const target = pos + this.u32(pos, what);
    if (target >= this.size) this.fail(`${what} points to offset ${target}, beyond the end of the file (${this.size} bytes)`);
    return target;
  }

  /** Validates the table at `pos` and its vtable. */
  table(pos: number, what: string): TableRef {
    const soffset = this.i32(pos, `${what} table`);
    const vtable = pos - soffset;
    this.need(vtable, 4, `${what} vtable`);
    const vtableBytes = this.bb.readUint16(vtable);
    const objectBytes = this.bb.readUint16(vtable + 2);
    if (vtableBytes < 4 || vtableBytes % 2 !== 0) this.fail(`${what} has a malformed vtable (size ${vtableBytes})`);
    this.need(vtable, vtableBytes, `${what} vtable`);
    if (objectBytes < 4) this.fail(`${what} has a malformed vtable (object size ${objectBytes})`);
    this.need(pos, objectBytes, `${what} table`);
    this.spend(vtableBytes + objectBytes);
    return { pos, vtable, vtableBytes, objectBytes, what };
  }

  /** Absolute position of field `slot` (0-based), or 0 when absent; checks it fits the table. */
  field(t: TableRef, slot: number, fieldBytes: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > t.vtableBytes) return 0;
    const voffset = this.bb.readUint16(t.vtable + entry);
    if (voffset === 0) return 0;
    if (voffset < 4 || voffset + fieldBytes > t.objectBytes) {
      this.fail(`${t.what}: field ${slot} lies outside its table (offset ${voffset}, table size ${t.objectBytes})`);
    }
    return t.pos + voffset;
  }

  fieldU8(t: TableRef, slot: number, dflt: number): number {
    const p = this.field(t, slot, 1);
    return p ? this.bb.readUint8(p) : dflt;
  }
  fieldI8(t: TableRef, slot: number, dflt: number): number {
    const p = this.field(t, slot, 1);
    return p ? this.bb.readInt8(p) : dflt;
  }
  fieldBool(t: TableRef, slot: number, dflt: boolean): boolean {
    const p = this.field(t, slot, 1);
    return p ? this.bb.readUint8(p) !== 0 : dflt;
  }
  fieldI32(t: TableRef, slot: number, dflt: number): number {
    const p = this.field(t, slot, 4);
    return p ? this.bb.readInt32(p) : dflt;
  }
  fieldU32(t: TableRef, slot: number, dflt: number): number {
    const p = this.field(t, slot, 4);
    return p ? this.bb.readUint32(p) : dflt;
  }
  fieldF32(t: TableRef, slot: number, dflt: number): number {
    const p = this.field(t, slot, 4);
    return p ? this.bb.readFloat32(p) : dflt;
  }
  fieldU64(t: TableRef, slot: number, dflt: bigint): bigint {
    const p = this.field(t, slot, 8);
    return p ? this.bb.readUint64(p) : dflt;
  }

  /** Sub-table referenced by field `slot`, or undefined when absent. */
  fieldTable(t: TableRef, slot: number, what: string): TableRef | undefined {
    const p = this.field(t, slot, 4);
    return p ? this.table(this.indirect(p, what), what) : undefined;
  }

  /** Vector referenced by field `slot` with elements of `elemBytes`, or undefined when absent. */
  fieldVector(t: TableRef, slot: number, elemBytes: number, what: string): VectorRef | undefined {
    const p = this.field(t, slot, 4);
    if (!p) return undefined;
    const at = this.indirect(p, what);
    const length = this.u32(at, `${what} length`);
    // Checked before multiplying so a huge length cannot overflow into a "valid" range.
    if (length > (this.size - at - 4) / elemBytes) {
      this.fail(`${what} claims ${length} elements, more than the file can hold`);
    }
    this.spend(length);
    return { start: at + 4, length };
  }

  fieldString(t: TableRef, slot: number, what: string): string | undefined {
    const v = this.fieldVector(t, slot, 1, what);
    if (!v) return undefined;
    // Flatbuffer strings end in a NUL byte; a missing one means the offset or length is wrong.
    if (this.u8(v.start + v.length, `${what} terminator`) !== 0) this.fail(`${what} is not NUL-terminated (damaged offset or length)`);
    try {
      return UTF8.decode(this.bytes.subarray(v.start, v.start + v.length));
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  fieldI32Array(t: TableRef, slot: number, what: string): number[] | undefined {
    const v = this.fieldVector(t, slot, 4, what);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.bb.readInt32(v.start + 4 * i);
    return out;
  }

  fieldF32Array(t: TableRef, slot: number, what: string): number[] | undefined {
    const v = this.fieldVector(t, slot, 4, what);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.bb.readFloat32(v.start + 4 * i);
    return out;
  }

  fieldI64Array(t: TableRef, slot: number, what: string): bigint[] | undefined {
    const v = this.fieldVector(t, slot, 8, what);
    if (!v) return undefined;
    const out = new Array<bigint>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.bb.readInt64(v.start + 8 * i);
    return out;
  }

  /** Tables of a vector of tables, each validated. */
  fieldTables(t: TableRef, slot: number, what: string): TableRef[] | undefined {
    const v = this.fieldVector(t, slot, 4, `${what} vector`);
    if (!v) return undefined;
    const out: TableRef[] = [];
    for (let i = 0; i < v.length; i++) {
      const name = `${what} ${i}`;
      out.push(this.table(this.indirect(v.start + 4 * i, name), name));
    }
    return out;
  }
}
