// Finds where things sit inside a valid .tflite, so tests can corrupt exactly one field.
import { CheckedBuffer, type TableRef } from '../../src/frontends/tflite/checked-buffer.js';
import { SLOT } from '../../src/frontends/tflite/schema.js';

export interface Layout {
  /** Byte ranges [start, end) of constant data. */
  dataRanges: [number, number][];
  /** Positions of vector length fields (u32) of the main structure. */
  lengthFields: number[];
  /** Positions of uoffset fields (u32) that point at tables or vectors. */
  offsetFields: number[];
  /** Positions of vtables. */
  vtables: number[];
  /** Field positions by name, e.g. 'tensor3.buffer', 'operator0.inputs'. */
  fields: Map<string, number>;
}

export function layoutOf(bytes: Uint8Array): Layout {
  const cb = new CheckedBuffer(bytes, 'layout');
  const layout: Layout = { dataRanges: [], lengthFields: [], offsetFields: [], vtables: [], fields: new Map() };
  const tableAt = (pos: number, what: string): TableRef => {
    const t = cb.table(pos, what);
    layout.vtables.push(t.vtable);
    return t;
  };
  const vectorOf = (t: TableRef, slot: number, name: string): { start: number; length: number } | undefined => {
    const p = cb.field(t, slot, 4);
    if (!p) return undefined;
    layout.offsetFields.push(p);
    layout.fields.set(name, p);
    const at = cb.indirect(p, name);
    layout.lengthFields.push(at);
    return { start: at + 4, length: cb.u32(at, name) };
  };
  const tablesOf = (t: TableRef, slot: number, name: string): TableRef[] => {
    const v = vectorOf(t, slot, name);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      layout.offsetFields.push(v.start + 4 * i);
      return tableAt(cb.indirect(v.start + 4 * i, name), `${name}${i}`);
    });
  };
  const root = tableAt(cb.indirect(0, 'root'), 'model');
  layout.offsetFields.push(0);
  const version = cb.field(root, SLOT.Model.version, 4);
  if (version) layout.fields.set('model.version', version);
  tablesOf(root, SLOT.Model.operator_codes, 'opcodes');
  tablesOf(root, SLOT.Model.buffers, 'buffers').forEach((b, i) => {
    const v = vectorOf(b, SLOT.Buffer.data, `buffer${i}.data`);
    if (v && v.length > 0) layout.dataRanges.push([v.start, v.start + v.length]);
  });
  const [sg] = tablesOf(root, SLOT.Model.subgraphs, 'subgraphs');
  vectorOf(sg, SLOT.SubGraph.inputs, 'subgraph.inputs');
  vectorOf(sg, SLOT.SubGraph.outputs, 'subgraph.outputs');
  tablesOf(sg, SLOT.SubGraph.tensors, 'tensors').forEach((t, i) => {
    vectorOf(t, SLOT.Tensor.shape, `tensor${i}.shape`);
    const buf = cb.field(t, SLOT.Tensor.buffer, 4);
    if (buf) layout.fields.set(`tensor${i}.buffer`, buf);
    const type = cb.field(t, SLOT.Tensor.type, 1);
    if (type) layout.fields.set(`tensor${i}.type`, type);
  });
  tablesOf(sg, SLOT.SubGraph.operators, 'operators').forEach((o, i) => {
    vectorOf(o, SLOT.Operator.inputs, `operator${i}.inputs`);
    vectorOf(o, SLOT.Operator.outputs, `operator${i}.outputs`);
    const opts = cb.field(o, SLOT.Operator.builtin_options, 4);
    if (opts) layout.fields.set(`operator${i}.options`, cb.indirect(opts, 'options'));
  });
  return layout;
}
