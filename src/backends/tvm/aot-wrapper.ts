// aot_wrapper.c for tvmaot / tvmaotplus: mlb_model.h on top of the AOT executor's
// `tvmgen_default_run`, in the packed form (DLTensor arguments, workspace from the stack
// allocator) or the C interface form (struct of buffers, USMP's internal pool).
import type { TensorInfo } from '../../core/artifacts.js';
import { DTYPE_BYTES } from '../../core/model.js';
import { cComment } from '../../core/c-text.js';
import { tvmFieldNames } from '../../frameworks/tvm/mlf.js';
import { quantizationAccessors } from './model-api.js';

export interface AotWrapperOptions {
  /** 'c' = unpacked API with tvmgen_default.h; 'packed' = TVMValue/DLTensor calling convention. */
  interfaceApi: 'c' | 'packed';
  /** Bytes for TVMBackendAllocWorkspace (0: the generated code allocates nothing at run time). */
  workspaceBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Print `# Arena Usage: <n>` after invoke (debug feature, MLonMCU's debug_arena). */
  debugArena?: boolean;
}

/** DLPack type code and bits of a dtype. */
export function dlDataType(dtype: string): { code: string; bits: number } {
  const bits = (DTYPE_BYTES[dtype as keyof typeof DTYPE_BYTES] ?? 1) * 8;
  if (dtype.startsWith('float')) return { code: 'kDLFloat', bits };
  if (dtype.startsWith('uint') || dtype === 'bool') return { code: 'kDLUInt', bits };
  return { code: 'kDLInt', bits };
}

export function tensorBytesOf(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[t.dtype] ?? 1);
}

function buffers(kind: 'input' | 'output', tensors: TensorInfo[]): string {
  return tensors
    .map((t, i) => `static uint8_t mlb_${kind}${i}[${Math.max(tensorBytesOf(t), 1)}] __attribute__((aligned(16)));  ${cComment(t.name)}`)
    .join('\n');
}

function table(kind: 'input' | 'output', tensors: TensorInfo[]): string {
  const n = tensors.length;
  const ptrs = tensors.map((_, i) => `mlb_${kind}${i}`).join(', ') || 'NULL';
  const sizes = tensors.map((t) => String(tensorBytesOf(t))).join(', ') || '0';
  return `static void *const mlb_${kind}_ptrs[${Math.max(n, 1)}] = {${ptrs}};
static const size_t mlb_${kind}_sizes[${Math.max(n, 1)}] = {${sizes}};
size_t mlb_model_num_${kind}s(void) { return ${n}; }
void *mlb_model_${kind}_ptr(size_t i) { return i < ${n} ? mlb_${kind}_ptrs[i] : NULL; }
size_t mlb_model_${kind}_size(size_t i) { return i < ${n} ? mlb_${kind}_sizes[i] : 0; }
${quantizationAccessors(kind, tensors)}`;
}

function dlTensors(all: { kind: 'input' | 'output'; index: number; t: TensorInfo }[]): string {
  const shapes = all
    .map(({ kind, index, t }) => `static int64_t mlb_${kind}${index}_shape[${Math.max(t.shape.length, 1)}] = {${t.shape.join(', ') || '1'}};`)
    .join('\n');
  const entries = all
    .map(({ kind, index, t }) => {
      const dt = dlDataType(t.dtype);
      return `  {mlb_${kind}${index}, {kDLCPU, 0}, ${t.shape.length}, {${dt.code}, ${dt.bits}, 1}, mlb_${kind}${index}_shape, NULL, 0},`;
    })
    .join('\n');
  return `${shapes}
/* Inputs first, then outputs: the order tvmgen_default_run expects its arguments in. */
static DLTensor mlb_tensors[${Math.max(all.length, 1)}] = {
${entries}
};`;
}

function platformHooks(workspaceBytes: number): string {
  const allocator =
    workspaceBytes > 0
      ? `static uint8_t mlb_workspace[MLB_WORKSPACE_SIZE] __attribute__((aligned(16)));
static tvm_workspace_t mlb_app_workspace;

tvm_crt_error_t TVMPlatformMemoryAllocate(size_t num_bytes, DLDevice dev, void **out_ptr) {
  (void)dev;
  return StackMemoryManager_Allocate(&mlb_app_workspace, num_bytes, out_ptr);
}

tvm_crt_error_t TVMPlatformMemoryFree(void *ptr, DLDevice dev) {
  (void)dev;
  return StackMemoryManager_Free(&mlb_app_workspace, ptr);
}
`
      : `/* No run-time workspace: every buffer is planned statically (USMP). */
tvm_crt_error_t TVMPlatformMemoryAllocate(size_t num_bytes, DLDevice dev, void **out_ptr) {
  (void)num_bytes; (void)dev; *out_ptr = NULL;
  return kTvmErrorPlatformNoMemory;
}

tvm_crt_error_t TVMPlatformMemoryFree(void *ptr, DLDevice dev) {
  (void)ptr; (void)dev;
  return kTvmErrorNoError;
}
`;
  return `#define MLB_WORKSPACE_SIZE ${workspaceBytes}
${allocator}
void TVMLogf(const char *msg, ...) { (void)msg; }

void __attribute__((noreturn)) TVMPlatformAbort(tvm_crt_error_t error_code) {
  printf("TVMPlatformAbort: %d\\n", (int)error_code);
  exit(0x10);
}

/* The generated code registers nothing with a function registry on the device. */
TVM_DLL int TVMFuncRegisterGlobal(const char *name, TVMFunctionHandle f, int override) {
  (void)name; (void)f; (void)override;
  return 0;
}
`;
}

export function generateAotWrapper(o: AotWrapperOptions): string {
  const all = [
    ...o.inputs.map((t, index) => ({ kind: 'input' as const, index, t })),
    ...o.outputs.map((t, index) => ({ kind: 'output' as const, index, t })),
  ];
  const includes = [
    '#include <stdint.h>',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <dlpack/dlpack.h>',
    '#include <tvm/runtime/c_runtime_api.h>',
    '#include <tvm/runtime/crt/error_codes.h>',
    '#include <tvm/runtime/crt/stack_allocator.h>',
    '#include "mlb_model.h"',
  ];
  let call: string;
  let declarations: string;
  if (o.interfaceApi === 'c') {
    includes.push('#include "tvmgen_default.h"');
    declarations = '';
    const ins = tvmFieldNames('input', o.inputs.map((t) => t.name)).map((f, i) => `.${f} = mlb_input${i}`).join(', ');
    const outs = tvmFieldNames('output', o.outputs.map((t) => t.name)).map((f, i) => `.${f} = mlb_output${i}`).join(', ');
    call = `  struct tvmgen_default_inputs inputs = {${ins}};
  struct tvmgen_default_outputs outputs = {${outs}};
  int32_t status = tvmgen_default_run(&inputs, &outputs);`;
  } else {
    declarations = `int32_t tvmgen_default_run(TVMValue *args, int *type_code, int num_args, TVMValue *out_value,
                           int *out_type_code, void *resource_handle);

${dlTensors(all)}
`;
    call = `  TVMValue args[${Math.max(all.length, 1)}];
  int type_codes[${Math.max(all.length, 1)}];
  for (int i = 0; i < ${all.length}; i++) {
    args[i].v_handle = &mlb_tensors[i];
    type_codes[i] = kTVMDLTensorHandle;
  }
  int32_t status = tvmgen_default_run(args, type_codes, ${all.length}, NULL, NULL, NULL);`;
  }
  const init =
    o.workspaceBytes > 0
      ? '  return StackMemoryManager_Init(&mlb_app_workspace, mlb_workspace, MLB_WORKSPACE_SIZE) == kTvmErrorNoError ? 0 : 1;'
      : '  return 0;';
  const arena = o.debugArena
    ? o.workspaceBytes > 0
      ? '  printf("# Arena Usage: %lu\\n", (unsigned long)(mlb_app_workspace.next_alloc - mlb_app_workspace.workspace));\n'
      : '  printf("# Arena Usage: 0\\n");\n'
    : '';
  return `/* aot_wrapper.c: mlb_model.h on TVM's AOT executor (${o.interfaceApi} interface), written by mlbench. */
${includes.join('\n')}

${platformHooks(o.workspaceBytes)}
${buffers('input', o.inputs)}
${buffers('output', o.outputs)}

${declarations}${table('input', o.inputs)}
${table('output', o.outputs)}
int mlb_model_init(void) {
${init}
}

int mlb_model_invoke(void) {
${call}
${arena}  return status == 0 ? 0 : 1;
}
`;
}
