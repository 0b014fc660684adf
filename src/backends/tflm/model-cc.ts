// model.cc for tflmi: the .tflite file as a C array, a MicroMutableOpResolver with exactly
// the model's ops, a static arena and a MicroInterpreter behind mlb_model.h
// (MLonMCU's tflmi wrapper, EXTERNAL-TOOLS §2.5/§2.6).
import type { ModelSummary, TensorInfo } from '../../core/artifacts.js';
import { cIdentifier } from '../../core/c-text.js';
import { DTYPE_BYTES } from '../../core/model.js';
import { quantizationAccessors } from '../tvm/model-api.js';

export interface TflmiWrapperOptions {
  modelBytes: Uint8Array;
  /** Resolver methods without the `Add` prefix, e.g. ['Conv2D', 'Softmax']. */
  resolverMethods: string[];
  arenaBytes: number;
  /** Reset() before every invoke (zeroes the variable tensors, the recurrent state): each inference starts from
   * zero state, as in mlbaot; TFLM leaves them as the arena happens to hold them otherwise. */
  resetVariables?: boolean;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** Bytes as C array rows of 16, the way xxd -i lays them out. */
export function cArrayRows(bytes: Uint8Array): string {
  const hex = Array.from({ length: 256 }, (_, b) => `0x${b.toString(16).padStart(2, '0')}`);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, bytes.length); j++) row.push(hex[bytes[j]]);
    rows.push(`  ${row.join(', ')},`);
  }
  return rows.join('\n');
}

function ioAccessors(kind: 'input' | 'output', tensors: TensorInfo[]): string {
  const n = tensors.length;
  return `size_t mlb_model_num_${kind}s(void) { return ${n}; }
void *mlb_model_${kind}_ptr(size_t i) {
  return (mlb_interpreter != nullptr && i < ${n}) ? mlb_interpreter->${kind}(i)->data.data : nullptr;
}
size_t mlb_model_${kind}_size(size_t i) {
  return (mlb_interpreter != nullptr && i < ${n}) ? mlb_interpreter->${kind}(i)->bytes : 0;
}
${quantizationAccessors(kind, tensors)}`;
}

export function generateTflmiModelCc(o: TflmiWrapperOptions): string {
  const adds = o.resolverMethods.map((m) => `  if (resolver.Add${cIdentifier(m)}() != kTfLiteOk) return 1;`).join('\n');
  return `// model.cc: mlb_model.h on the TensorFlow Lite Micro interpreter, written by mlbench (tflmi).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "mlb_model.h"

// The flatbuffer is read in place, so it must keep the 16-byte alignment of its buffers.
alignas(16) static const unsigned char mlb_model_data[${o.modelBytes.length}] = {
${cArrayRows(o.modelBytes)}
};

constexpr size_t kTensorArenaSize = ${o.arenaBytes};
alignas(16) static uint8_t tensor_arena[kTensorArenaSize];

static tflite::MicroInterpreter *mlb_interpreter = nullptr;

int mlb_model_init(void) {
  const tflite::Model *model = tflite::GetModel(mlb_model_data);
  if (model->version() != TFLITE_SCHEMA_VERSION) {
    printf("model schema version %lu, TFLM expects %d\\n", (unsigned long)model->version(), TFLITE_SCHEMA_VERSION);
    return 1;
  }
  // Exactly the model's operators: an op missing here fails AllocateTensors, not the link.
  static tflite::MicroMutableOpResolver<${Math.max(o.resolverMethods.length, 1)}> resolver;
${adds}
  static tflite::MicroInterpreter interpreter(model, resolver, tensor_arena, kTensorArenaSize);
  mlb_interpreter = &interpreter;
  if (mlb_interpreter->AllocateTensors() != kTfLiteOk) {
    printf("AllocateTensors failed: arena of %lu bytes too small, or an operator is missing\\n", (unsigned long)kTensorArenaSize);
    mlb_interpreter = nullptr;
    return 1;
  }
  return 0;
}

// The harness prints it as "# Arena Usage" outside the measured regions (the Model Arena figure).
size_t mlb_model_arena_used(void) { return mlb_interpreter != nullptr ? mlb_interpreter->arena_used_bytes() : 0; }

int mlb_model_invoke(void) {
  if (mlb_interpreter == nullptr) return 1;
${o.resetVariables ? '  if (mlb_interpreter->Reset() != kTfLiteOk) return 1;\n' : ''}  return mlb_interpreter->Invoke() == kTfLiteOk ? 0 : 1;
}

${ioAccessors('input', o.inputs)}
${ioAccessors('output', o.outputs)}`;
}

/**
 * The few C++ runtime symbols TFLM references, so the program links with gcc against picolibc
 * without libstdc++ (no exceptions, RTTI, or heap: deleting is never reached).
 */
export const CXX_SUPPORT_CC = `// mlb_cxx_support.cc: C++ runtime stubs for TFLM without libstdc++, written by mlbench.
#include <stddef.h>
#include <stdlib.h>

extern "C" void __cxa_pure_virtual(void) { abort(); }
void operator delete(void *p) noexcept { (void)p; }
void operator delete(void *p, size_t n) noexcept { (void)p; (void)n; }
`;

/**
 * An arena bound from the model when neither the config nor the definition gives one: every
 * activation alive at once (no reuse; TFLM's planner needs at most that) plus TFLM's per-tensor
 * and per-node bookkeeping and a margin for kernels' persistent data and scratch buffers. The
 * report's Model Arena is what TFLM then really used (arena_used_bytes).
 */
export function tflmArenaEstimate(summary: Pick<ModelSummary, 'layers' | 'inputs' | 'tensorCount'>): number {
  const elementBytes = Math.max(1, ...summary.inputs.map((t) => DTYPE_BYTES[t.dtype] ?? 1));
  const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const activations =
    summary.inputs.reduce((a, t) => a + count(t.shape), 0) + summary.layers.reduce((a, l) => a + l.outputShapes.reduce((b, s) => b + count(s), 0), 0);
  const bytes = activations * elementBytes + 64 * summary.tensorCount + 256 * summary.layers.length + 8192;
  return Math.ceil(bytes / 16) * 16;
}

/** MLonMCU's arena rule: the config value, else the model definition's, else the estimate. */
export function tflmiArenaSize(configured: number | null, fromDefinition: unknown, estimate: number): { bytes: number; source: string } {
  if (configured !== null) return { bytes: configured, source: 'tflmi.arena_size' };
  if (typeof fromDefinition === 'number' && Number.isInteger(fromDefinition) && fromDefinition > 0) {
    return { bytes: fromDefinition, source: 'definition.yml backends.tflmi.arena_size' };
  }
  return { bytes: estimate, source: 'estimated from the model (all activations + bookkeeping)' };
}
