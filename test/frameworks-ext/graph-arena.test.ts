// The tvmrt page arena computed from a graph: the CRT's allocations replayed on a model of its
// page allocator (1 KiB pages, freed blocks reused whole by the first request they fit).
import { describe, expect, it } from 'vitest';
import { graphArenaSizing, workspaceEvents } from '../../src/backends/tvm/graph-arena.js';
import { MlbenchError } from '../../src/core/errors.js';

const fused = (name: string, input: number) => ({ op: 'tvm_op', name, inputs: [[input, 0, 0]], attrs: { func_name: name, num_inputs: '1', num_outputs: '1', flatten_data: '0' } });
const GRAPH = {
  nodes: [{ op: 'null', name: 'input_1', inputs: [] }, fused('op_a', 0), fused('op_b', 1)],
  arg_nodes: [0],
  heads: [[2, 0, 0]],
  attrs: {
    dltype: ['list_str', ['int8', 'int8', 'int8']],
    storage_id: ['list_int', [0, 1, 0]],
    shape: ['list_shape', [[1, 640], [1, 3000], [1, 640]]],
  },
  node_row_ptr: [0, 1, 2, 3],
};
const opSource = (name: string, bytes: number) => `TVM_DLL int32_t ${name}(void* args, int32_t* arg_type_ids, int32_t num_args) {
  void* pad_temp = TVMBackendAllocWorkspace(1, dev_id, (uint64_t)${bytes}, 0, 16);
  if (TVMBackendFreeWorkspace(1, dev_id, pad_temp) != 0) {
    return -1;
  }
  return 0;
}
`;

describe('tvmrt page arena', () => {
  it('reads the workspace calls of each operator function from the generated C', () => {
    const events = workspaceEvents([opSource('op_a', 2048) + opSource('op_b', 900)]);
    expect(events.get('op_a')).toEqual([{ alloc: 'pad_temp', bytes: 2048 }, { free: 'pad_temp' }]);
    expect(events.get('op_b')).toEqual([{ alloc: 'pad_temp', bytes: 900 }, { free: 'pad_temp' }]);
  });

  it('counts whole pages per allocation and reuses freed workspace blocks', () => {
    const json = JSON.stringify(GRAPH);
    const without = graphArenaSizing(json, new Uint8Array(), []);
    // op_b's 1-page workspace reuses op_a's freed 2-page block: 2 pages more, not 3.
    const withWorkspaces = graphArenaSizing(json, new Uint8Array(), [opSource('op_a', 2048) + opSource('op_b', 900)]);
    expect(withWorkspaces.pages - without.pages).toBe(2);
    // The arena holds the pages, 88 B of bookkeeping per page and the 168 B manager.
    expect(withWorkspaces.arenaBytes).toBe(168 + withWorkspaces.pages * (1024 + 88));
    // Storage: sid 0 holds 640 B (1 page), sid 1 3000 B (3 pages), each with an 8 B shape page.
    const bigger = structuredClone(GRAPH);
    bigger.attrs.shape[1] = [[1, 640], [1, 5000], [1, 640]];
    expect(graphArenaSizing(JSON.stringify(bigger), new Uint8Array(), []).pages - without.pages).toBe(2);
  });

  it('refuses a graph JSON it cannot read, with one clear error', () => {
    expect(() => graphArenaSizing('{"nodes": 3}', new Uint8Array(), [])).toThrow(MlbenchError);
    expect(() => graphArenaSizing('not json', new Uint8Array(), [])).toThrow(/graph JSON does not parse/);
  });
});
