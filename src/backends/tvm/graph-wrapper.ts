// rt_wrapper.c for tvmrt: mlb_model.h on the CRT graph executor. The graph JSON and the
// parameters are compiled in; a page allocator over a static arena serves all tensors
// (EXTERNAL-TOOLS §1.5, the sequence of MLonMCU's rt_wrapper.c).
import type { TensorInfo } from '../../core/artifacts.js';
import { cComment, cStringLiteral, cStringLiterals } from '../../core/c-text.js';
import { GRAPH_PAGE_SIZE_LOG2 } from './graph-arena.js';
import { dlDataType, tensorBytesOf } from './aot-wrapper.js';
import { quantizationAccessors } from './model-api.js';

export interface GraphWrapperOptions {
  graphJson: string;
  params: Uint8Array;
  arenaBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  debugArena?: boolean;
}

export function cByteArray(bytes: Uint8Array): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    rows.push(`  ${Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')},`);
  }
  return rows.join('\n');
}

function tensorDecls(kind: 'input' | 'output', tensors: TensorInfo[]): string {
  const decls = tensors.map((t, i) => {
    const dt = dlDataType(t.dtype);
    const buffer = `static uint8_t mlb_${kind}${i}[${Math.max(tensorBytesOf(t), 1)}] __attribute__((aligned(16)));  ${cComment(t.name)}`;
    // Inputs are copied in by hand (inputCopies); only outputs go through a DLTensor.
    if (kind === 'input') return buffer;
    return `${buffer}
static int64_t mlb_${kind}${i}_shape[${Math.max(t.shape.length, 1)}] = {${t.shape.join(', ') || '1'}};
static DLTensor mlb_${kind}${i}_tensor = {mlb_${kind}${i}, {kDLCPU, 0}, ${t.shape.length}, {${dt.code}, ${dt.bits}, 1}, mlb_${kind}${i}_shape, NULL, 0};`;
  });
  const n = tensors.length;
  const ptrs = tensors.map((_, i) => `mlb_${kind}${i}`).join(', ') || 'NULL';
  const sizes = tensors.map((t) => String(tensorBytesOf(t))).join(', ') || '0';
  return `${decls.join('\n')}
static void *const mlb_${kind}_ptrs[${Math.max(n, 1)}] = {${ptrs}};
static const size_t mlb_${kind}_sizes[${Math.max(n, 1)}] = {${sizes}};
size_t mlb_model_num_${kind}s(void) { return ${n}; }
void *mlb_model_${kind}_ptr(size_t i) { return i < ${n} ? mlb_${kind}_ptrs[i] : NULL; }
size_t mlb_model_${kind}_size(size_t i) { return i < ${n} ? mlb_${kind}_sizes[i] : 0; }
${quantizationAccessors(kind, tensors)}`;
}

/**
 * The inputs live in mlbench's own buffers and are copied into the executor's storage on each
 * invoke, as TVM's C++ graph executor's SetInput copies. The CRT's TVMGraphExecutor_SetInput
 * instead repoints the input node's entry at the caller's buffer, but entries that alias that
 * storage (the outputs of `__nop` reshapes, which the CRT rightly skips) keep pointing at the
 * executor's own storage: the first operator then reads an input that was never written.
 */
function inputCopies(inputs: TensorInfo[]): { locate: string; copy: string } {
  const locate = inputs
    .map(
      (t, i) => `  {
    int index = TVMGraphExecutor_GetInputIndex(mlb_executor, ${cStringLiteral(t.name)});
    if (index < 0) return 1;
    uint32_t eid = TVMGraphExecutor_GetEntryId(mlb_executor, mlb_executor->input_nodes[index], 0);
    mlb_input_storage[${i}] = mlb_executor->data_entry[eid].dl_tensor.data;
  }`,
    )
    .join('\n');
  const copy = inputs.map((_, i) => `  memcpy(mlb_input_storage[${i}], mlb_input${i}, sizeof(mlb_input${i}));`).join('\n');
  return { locate, copy };
}

export function generateGraphWrapper(o: GraphWrapperOptions): string {
  const inputs = inputCopies(o.inputs);
  const getOutputs = o.outputs
    .map((_, i) => `  if (TVMGraphExecutor_GetOutput(mlb_executor, ${i}, &mlb_output${i}_tensor) != 0) return 1;`)
    .join('\n');
  // The page allocator's high-water mark: its page table only grows (freed blocks are reused).
  const arena = o.debugArena
    ? '  printf("# Arena Usage: %lu\\n", (unsigned long)(((MemoryManager *)mlb_memory_manager)->ptable.num_pages << MLB_PAGE_SIZE_LOG2));\n'
    : '';
  return `/* rt_wrapper.c: mlb_model.h on TVM's CRT graph executor, written by mlbench. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlpack/dlpack.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/crt/crt.h>
#include <tvm/runtime/crt/error_codes.h>
#include <tvm/runtime/crt/graph_executor.h>
/* The executor's entries, to find where each input's storage lies. */
#include <tvm/runtime/crt/internal/graph_executor/graph_executor.h>
/* The page allocator's own state, for its high-water mark. */
#include <tvm/runtime/crt/internal/memory/page_allocator.h>
#include <tvm/runtime/crt/packed_func.h>
#include <tvm/runtime/crt/page_allocator.h>
#include <tvm/runtime/crt/platform.h>
#include "mlb_model.h"

#define MLB_ARENA_SIZE ${o.arenaBytes}
/* 1 KiB pages as MLonMCU configures the page allocator. */
#define MLB_PAGE_SIZE_LOG2 ${GRAPH_PAGE_SIZE_LOG2}

static const char mlb_graph_json[] =
  ${cStringLiterals(o.graphJson, 100)};

static const unsigned char mlb_graph_params[${Math.max(o.params.length, 1)}] __attribute__((aligned(16))) = {
${cByteArray(o.params) || '  0'}
};

static uint8_t mlb_crt_memory[MLB_ARENA_SIZE] __attribute__((aligned(16)));
static MemoryManagerInterface *mlb_memory_manager;
static TVMGraphExecutor *mlb_executor;
static void *mlb_input_storage[${Math.max(o.inputs.length, 1)}];

tvm_crt_error_t TVMPlatformMemoryAllocate(size_t num_bytes, DLDevice dev, void **out_ptr) {
  return mlb_memory_manager->Allocate(mlb_memory_manager, num_bytes, dev, out_ptr);
}

tvm_crt_error_t TVMPlatformMemoryFree(void *ptr, DLDevice dev) {
  return mlb_memory_manager->Free(mlb_memory_manager, ptr, dev);
}

tvm_crt_error_t TVMPlatformTimerStart(void) { return kTvmErrorFunctionCallNotImplemented; }
tvm_crt_error_t TVMPlatformTimerStop(double *elapsed_time_seconds) {
  (void)elapsed_time_seconds;
  return kTvmErrorFunctionCallNotImplemented;
}

void TVMLogf(const char *msg, ...) { (void)msg; }

void __attribute__((noreturn)) TVMPlatformAbort(tvm_crt_error_t error_code) {
  printf("TVMPlatformAbort: %d\\n", (int)error_code);
  exit(0x10);
}

${tensorDecls('input', o.inputs)}
${tensorDecls('output', o.outputs)}
int mlb_model_init(void) {
  if (PageMemoryManagerCreate(&mlb_memory_manager, mlb_crt_memory, MLB_ARENA_SIZE, MLB_PAGE_SIZE_LOG2) != kTvmErrorNoError) return 1;
  if (TVMInitializeRuntime() != kTvmErrorNoError) return 1;
  /* --runtime-crt-system-lib 1 registers the operators in one system library module. */
  TVMPackedFunc pf;
  TVMArgs args = TVMArgs_Create(NULL, NULL, 0);
  if (TVMPackedFunc_InitGlobalFunc(&pf, "runtime.SystemLib", &args) != 0) return 1;
  if (TVMPackedFunc_Call(&pf) != 0) return 1;
  TVMModuleHandle mod_syslib = TVMArgs_AsModuleHandle(&pf.ret_value, 0);
  DLDevice dev = {kDLCPU, 0};
  if (TVMGraphExecutor_Create(mlb_graph_json, mod_syslib, &dev, &mlb_executor) != 0) return 1;
  /* A __nop node (a reshape sharing its input's storage) has nothing to run, but the CRT finds no
   * "__nop" function and leaves its op_execs entry as whatever its set-up loop had on the stack,
   * often the previous operator, run twice, or garbage (a hard fault on Cortex-M55): clear them,
   * so TVMGraphExecutor_Run skips them as TVM's C++ executor does. */
  for (uint32_t nid = 0; nid < mlb_executor->nodes_count && nid < mlb_executor->op_execs_count; ++nid) {
    if (strcmp(mlb_executor->nodes[nid].param.func_name, "__nop") == 0) memset(&mlb_executor->op_execs[nid], 0, sizeof(TVMPackedFunc));
  }
${o.params.length ? "  if (TVMGraphExecutor_LoadParams(mlb_executor, (const char *)mlb_graph_params, sizeof(mlb_graph_params)) != 0) return 1;\n" : ""}${inputs.locate}
  return 0;
}

int mlb_model_invoke(void) {
${inputs.copy}
  TVMGraphExecutor_Run(mlb_executor);
${getOutputs}
${arena}  return 0;
}
`;
}
