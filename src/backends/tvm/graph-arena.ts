// The page arena tvmrt's wrapper gives TVM's CRT graph executor, computed from the graph rather
// than a fixed 1 MiB: the allocations the CRT (TVM 0.17, src/runtime/crt) makes, in the order it
// makes and frees them (runtime init, TVMGraphExecutor_Init, LoadParams, then runs of the
// operators' TVMBackendAllocWorkspace calls read from tvmc's C), replayed on a model of its page
// allocator (memory/page_allocator.c): whole pages per allocation, freed blocks reused whole by
// the first request they fit, the page table only growing. Its high-water mark is what the
// debug feature's `# Arena Usage` prints on the target (BENCHMARKS.md, "TVM").
import { z } from 'zod';
import { MlbenchError } from '../../core/errors.js';

/** 1 KiB pages, as MLonMCU configures the page allocator (MLB_PAGE_SIZE_LOG2 in the wrapper). */
export const GRAPH_PAGE_SIZE_LOG2 = 10;
const PAGE = 1 << GRAPH_PAGE_SIZE_LOG2;

/**
 * sizeof() of the CRT's structures on a 64-bit host (x86_64, TVM 0.17, mlbench's crt_config.h:
 * TVM_CRT_MAX_NDIM 6, TVM_CRT_MAX_ARGS 10): at least their size on the 32-bit targets.
 */
const SIZEOF = {
  executor: 200,
  node: 384,
  nodeEntry: 24,
  ndArray: 56,
  packedFunc: 480,
  storageEntry: 64,
  poolEntry: 16,
  dlDataType: 4,
  memoryManager: 168,
  /** Page + PageEntry + IndexedEntry: the allocator's bookkeeping per page, kept in the arena. */
  pageMetadata: 88,
} as const;
const MAX_NDIM = 6;
const MAX_STRLEN_DLTYPE = 10;
const MAX_STRLEN_PARAM_NAME = 80;
const GLOBAL_FUNC_REGISTRY_BYTES = 512;
/** A load_json.c Seq and its uint32 slots: the reader's scope counter has 200, ArrayLength's 10. */
const SEQ_BYTES = 48;
const READER_SEQ_SLOTS = 200;
const ARRAY_LENGTH_SEQ_SLOTS = 10;

const graphSchema = z.object({
  nodes: z.array(
    z.object({ op: z.string(), inputs: z.array(z.array(z.number())), attrs: z.object({ func_name: z.string().optional() }).optional() }),
  ),
  arg_nodes: z.array(z.number()),
  heads: z.array(z.array(z.number())),
  node_row_ptr: z.array(z.number()),
  attrs: z.object({
    dltype: z.tuple([z.string(), z.array(z.string())]),
    storage_id: z.tuple([z.string(), z.array(z.number().int().nonnegative())]),
    shape: z.tuple([z.string(), z.array(z.array(z.number().int().nonnegative()))]),
    device_index: z.tuple([z.string(), z.array(z.number())]).optional(),
  }),
});

const pagesOf = (bytes: number): number => Math.ceil(bytes / PAGE);

function dtypeBytes(dltype: string): number {
  const bits = /^[a-z]+(\d+)$/.exec(dltype)?.[1];
  if (!bits) throw new MlbenchError('tool-failed', `the graph JSON has a data type mlbench cannot size: ${JSON.stringify(dltype)}`);
  return Math.ceil(Number(bits) / 8);
}

interface Block {
  start: number;
  pages: number;
}

/** PageMemoryManager_Allocate/Free: first free block with enough pages, else new pages at the end. */
class PageAllocatorModel {
  highWater = 0;
  private readonly free: Block[] = [];

  alloc(bytes: number): Block {
    const need = pagesOf(bytes);
    const fit = this.free.findIndex((b) => b.pages >= need);
    if (fit >= 0) return this.free.splice(fit, 1)[0] as Block;
    const block = { start: this.highWater, pages: need };
    this.highWater += need;
    return block;
  }

  release(block: Block): void {
    this.free.push(block);
  }
}

/** One TVMBackendAllocWorkspace (bytes) or TVMBackendFreeWorkspace (the variable it frees). */
type WorkspaceEvent = { alloc: string; bytes: number } | { free: string };

/** Each generated operator function's workspace calls, in source order. */
export function workspaceEvents(cSources: string[]): Map<string, WorkspaceEvent[]> {
  const byFunction = new Map<string, WorkspaceEvent[]>();
  const call =
    /^(?:TVM_DLL )?(?:static )?int32_t (\w+)\([^)]*\)\s*\{|(\w+) = TVMBackendAllocWorkspace\(\s*\d+\s*,\s*\w+\s*,\s*\(uint64_t\)\s*(\d+)|TVMBackendFreeWorkspace\(\s*\d+\s*,\s*\w+\s*,\s*(\w+)\s*\)/gm;
  for (const src of cSources) {
    let current: WorkspaceEvent[] | undefined;
    for (const m of src.matchAll(call)) {
      if (m[1]) byFunction.set(m[1], (current = []));
      else if (m[2] && current) current.push({ alloc: m[2], bytes: Number(m[3]) });
      else if (m[4] && current) current.push({ free: m[4] });
    }
  }
  return byFunction;
}

export interface GraphArenaSizing {
  /** The allocator's high-water mark in pages. */
  pages: number;
  /** The arena to reserve: those pages, their bookkeeping and the memory manager itself. */
  arenaBytes: number;
}

/** Runs replayed until one adds no page: later ones then find every block they need free. */
const MAX_RUNS_REPLAYED = 8;

export function graphArenaSizing(graphJson: string, params: Uint8Array, cSources: string[]): GraphArenaSizing {
  let raw: unknown;
  try {
    raw = JSON.parse(graphJson);
  } catch (e) {
    throw new MlbenchError('tool-failed', `tvmc's graph JSON does not parse: ${(e as Error).message}`);
  }
  const parsed = graphSchema.safeParse(raw);
  if (!parsed.success) throw new MlbenchError('tool-failed', `tvmc's graph JSON is not a graph executor's: ${parsed.error.issues[0]?.message}`);
  const g = parsed.data;
  const nodes = g.nodes.length;
  const entries = g.attrs.storage_id[1].length;
  const dtypes = g.attrs.dltype[1];
  const shapes = g.attrs.shape[1];
  const mem = new PageAllocatorModel();
  const keep = (bytes: number): void => void mem.alloc(bytes);
  // Each JSON array the executor keeps is counted first by ArrayLength, on a Seq it frees again.
  const keepArray = (...bytes: number[]): void => {
    const seq = mem.alloc(SEQ_BYTES);
    const data = mem.alloc(4 * ARRAY_LENGTH_SEQ_SLOTS);
    mem.release(data);
    mem.release(seq);
    bytes.forEach(keep);
  };

  // TVMInitializeRuntime, TVMGraphExecutor_Create.
  keep(GLOBAL_FUNC_REGISTRY_BYTES);
  keep(SIZEOF.executor);
  // JSONReader_Create, then TVMGraphExecutor_Load key by key in the JSON's order.
  const seq = mem.alloc(SEQ_BYTES);
  const seqData = mem.alloc(4 * READER_SEQ_SLOTS);
  const text = mem.alloc(new TextEncoder().encode(graphJson).length + 1);
  for (const key of Object.keys(raw as object)) {
    if (key === 'nodes') {
      keepArray(SIZEOF.node * nodes);
      for (const n of g.nodes) keepArray(SIZEOF.nodeEntry * n.inputs.length);
    } else if (key === 'arg_nodes') keepArray(4 * g.arg_nodes.length);
    else if (key === 'heads') keepArray(SIZEOF.nodeEntry * g.heads.length);
    else if (key === 'node_row_ptr') keepArray(4 * g.node_row_ptr.length);
    else if (key === 'attrs') {
      for (const attr of Object.keys(g.attrs)) {
        if (attr === 'dltype') keepArray(MAX_STRLEN_DLTYPE * entries);
        else if (attr === 'storage_id' || attr === 'device_index') keepArray(4 * entries);
        else if (attr === 'shape') keepArray(8 * MAX_NDIM * entries, 4 * entries); // shape, ndim
      }
    }
  }
  // JSONReader_Release.
  mem.release(seqData);
  mem.release(seq);
  mem.release(text);

  // SetupStorage: one block per storage id, as large as the largest entry placed in it.
  const storage = new Map<number, number>();
  g.attrs.storage_id[1].forEach((sid, i) => {
    const bytes = (shapes[i] ?? []).reduce((a, b) => a * b, 1) * dtypeBytes(dtypes[i] ?? 'int8');
    storage.set(sid, Math.max(storage.get(sid) ?? 0, bytes));
  });
  const vtype = mem.alloc(SIZEOF.dlDataType * entries);
  const poolEntry = mem.alloc(SIZEOF.poolEntry * nodes);
  keep(SIZEOF.storageEntry * storage.size);
  for (let sid = 0; sid < storage.size; sid++) {
    keep(8); // shape of the flat float32 array
    keep(Math.ceil((storage.get(sid) ?? 0) / 4) * 4);
  }
  keep(SIZEOF.ndArray * entries);
  for (const shape of shapes) keep(8 * shape.length);
  mem.release(vtype);
  mem.release(poolEntry);
  // SetupOpExecs.
  keep(SIZEOF.packedFunc * nodes);

  if (params.length >= 24) {
    // LoadParams: a names table; tvmc's linked parameters leave the list empty, else each
    // parameter replaces its entry's shape and data (counted at the blob's size, an upper bound).
    const names = mem.alloc(MAX_STRLEN_PARAM_NAME * nodes);
    const count = Number(new DataView(params.buffer, params.byteOffset, params.byteLength).getBigUint64(16, true));
    for (let i = 0; i < count; i++) {
      keep(8 * MAX_NDIM);
      keep(params.length);
    }
    mem.release(names);
  }

  // Runs: each operator's workspaces, in the graph's node order (`__nop` runs nothing).
  const events = workspaceEvents(cSources);
  for (let run = 0; run < MAX_RUNS_REPLAYED; run++) {
    const before = mem.highWater;
    for (const node of g.nodes) {
      const live = new Map<string, Block>();
      for (const e of events.get(node.attrs?.func_name ?? '') ?? []) {
        if ('alloc' in e) live.set(e.alloc, mem.alloc(e.bytes));
        else {
          const block = live.get(e.free);
          if (block) mem.release(block);
          live.delete(e.free);
        }
      }
    }
    if (run > 0 && mem.highWater === before) break;
  }
  return { pages: mem.highWater, arenaBytes: SIZEOF.memoryManager + mem.highWater * (PAGE + SIZEOF.pageMetadata) };
}
