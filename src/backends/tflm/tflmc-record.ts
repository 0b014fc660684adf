// tflmc's first half: TFLM's own interpreter runs the model once on the host (built with the
// host gcc against the same TFLM tree, only the model's kernels) and prints what the generated
// code fixes: where TFLM's memory planner put every tensor in the arena, which tensors are
// constants inside the flatbuffer, each node's inputs, outputs and parsed builtin options, and
// what the arena used. The kernels' own state (OpData) is not recorded: its layout differs per
// target and per kernel set (CMSIS-NN), so init and prepare run again on the device.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StageContext, Toolchain } from '../../core/component.js';
import { cDefineFlags, cIdentifier } from '../../core/c-text.js';
import { MlbenchError } from '../../core/errors.js';
import { tflmLibrary } from '../../frameworks/tflm/library.js';
import { compileLibrary } from '../../platforms/mlif/build.js';
import { OPTION_STRUCTS, recorderPrinter } from './tflmc-options.js';

/** The host compiler the recorder is built with: the toolchain host_x86 uses, so objects are shared. */
const HOST: Toolchain = { cc: 'gcc', binutilsPrefix: '', cflags: [], ldflags: [], defines: {} };
const HOST_LINKER = 'g++';
/** Arena for the host run: large enough for any model mlbench's targets can hold. */
const HOST_ARENA_BYTES = 64 << 20;

const tensorSchema = z.object({
  type: z.number().int(),
  dims: z.array(z.number().int()),
  bytes: z.number().int().nonnegative(),
  /** Offset in the arena, or null when the data is elsewhere. */
  arena: z.number().int().nonnegative().nullable(),
  /** Offset in the model file of a constant's data, or null. */
  model: z.number().int().nonnegative().nullable(),
  variable: z.boolean(),
  scale: z.array(z.number()),
  zeroPoint: z.array(z.number().int()),
  quantizedDimension: z.number().int(),
});

const nodeSchema = z.object({
  op: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  inputs: z.array(z.number().int()),
  outputs: z.array(z.number().int()),
  intermediates: z.array(z.number().int()),
  /** Parsed builtin options as numbers, null when the operator has none, 'unknown' when the table lacks it. */
  options: z.union([z.array(z.number()), z.null(), z.literal('unknown')]),
});

export const recordingSchema = z.object({
  arenaUsed: z.number().int().nonnegative(),
  subgraphs: z.number().int(),
  inputs: z.array(z.number().int().nonnegative()),
  outputs: z.array(z.number().int().nonnegative()),
  tensors: z.array(tensorSchema),
  nodes: z.array(nodeSchema),
});

export type TflmcRecording = z.infer<typeof recordingSchema>;
export type RecordedTensor = z.infer<typeof tensorSchema>;

/** The recorder's C++: the model's resolver and option printers, then a fixed dump routine. */
export function recorderSource(resolverMethods: string[], opcodes: string[]): string {
  const adds = resolverMethods.map((m) => `  if (resolver.Add${cIdentifier(m)}() != kTfLiteOk) return 2;`).join('\n');
  const cases = [...new Set(opcodes)]
    .filter((op) => OPTION_STRUCTS[op] !== undefined)
    .map((op) => `    case tflite::BuiltinOperator_${cIdentifier(op)}: ${recorderPrinter(OPTION_STRUCTS[op])} return;`)
    .join('\n');
  return `// tflmc_record.cc: written by mlbench (tflmc). Runs TFLM's interpreter once on the host and
// prints, as JSON, the allocation and node setup the generated code fixes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <new>

#include "tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.h"
#include "tensorflow/lite/micro/memory_helpers.h"
#include "tensorflow/lite/micro/memory_planner/greedy_memory_planner.h"
#include "tensorflow/lite/micro/micro_allocator.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

// The allocator TFLM's interpreter uses, keeping the pointer to the tensors and nodes it
// allocates (the interpreter does not expose them without preserving every tensor, which would
// change the memory plan).
class RecordingAllocator : public tflite::MicroAllocator {
 public:
  RecordingAllocator(tflite::SingleArenaBufferAllocator *memory, tflite::MicroMemoryPlanner *planner)
      : tflite::MicroAllocator(memory, planner) {}
  tflite::SubgraphAllocations *seen = nullptr;

 protected:
  TfLiteStatus AllocateTfLiteEvalTensors(const tflite::Model *model, tflite::SubgraphAllocations *allocations) override {
    seen = allocations;
    return tflite::MicroAllocator::AllocateTfLiteEvalTensors(model, allocations);
  }

 private:
  TF_LITE_REMOVE_VIRTUAL_DELETE
};

static void mlb_int(long v) { printf("%ld", v); }
static void mlb_float(double v) {
  if (isfinite(v)) printf("%.9g", v); else printf("null");
}
static void mlb_ints(const TfLiteIntArray *a) {
  printf("[");
  for (int i = 0; a != nullptr && i < a->size; i++) printf(i ? ",%d" : "%d", a->data[i]);
  printf("]");
}

static void print_options(int code, const void *data) {
  if (data == nullptr) { printf("null"); return; }
  switch (code) {
${cases}
    default: printf("\\"unknown\\""); return;
  }
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (f == nullptr) return 2;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *model_data = static_cast<uint8_t *>(aligned_alloc(16, (size + 15) / 16 * 16));
  if (fread(model_data, 1, size, f) != (size_t)size) return 2;
  fclose(f);
  const size_t arena_size = ${HOST_ARENA_BYTES};
  uint8_t *arena = static_cast<uint8_t *>(aligned_alloc(16, arena_size));
  memset(arena, 0, arena_size);

  const tflite::Model *model = tflite::GetModel(model_data);
  static tflite::MicroMutableOpResolver<${Math.max(resolverMethods.length, 1)}> resolver;
${adds}
  // Placement new like TFLM's own Create(): these classes forbid delete, and the program exits.
  alignas(16) static uint8_t memory_buffer[sizeof(tflite::SingleArenaBufferAllocator)];
  alignas(16) static uint8_t planner_buffer[sizeof(tflite::GreedyMemoryPlanner)];
  alignas(16) static uint8_t allocator_buffer[sizeof(RecordingAllocator)];
  auto *memory = new (memory_buffer) tflite::SingleArenaBufferAllocator(arena, arena_size);
  auto *planner = new (planner_buffer) tflite::GreedyMemoryPlanner();
  RecordingAllocator &allocator = *new (allocator_buffer) RecordingAllocator(memory, planner);
  static tflite::MicroInterpreter interpreter(model, resolver, &allocator);
  if (interpreter.AllocateTensors() != kTfLiteOk || allocator.seen == nullptr) return 3;

  const tflite::SubGraph *subgraph = model->subgraphs()->Get(0);
  printf("{\\"arenaUsed\\":%lu,\\"subgraphs\\":%u,\\"inputs\\":[", (unsigned long)interpreter.arena_used_bytes(), model->subgraphs()->size());
  for (size_t i = 0; i < subgraph->inputs()->size(); i++) printf(i ? ",%d" : "%d", subgraph->inputs()->Get(i));
  printf("],\\"outputs\\":[");
  for (size_t i = 0; i < subgraph->outputs()->size(); i++) printf(i ? ",%d" : "%d", subgraph->outputs()->Get(i));
  printf("],\\"tensors\\":[");
  for (size_t i = 0; i < subgraph->tensors()->size(); i++) {
    const TfLiteEvalTensor &t = allocator.seen[0].tensors[i];
    const tflite::Tensor *ft = subgraph->tensors()->Get(i);
    const uint8_t *p = reinterpret_cast<const uint8_t *>(t.data.data);
    size_t bytes = 0;
    if (t.dims != nullptr && tflite::TfLiteEvalTensorByteLength(&t, &bytes) != kTfLiteOk) bytes = 0;
    printf("%s{\\"type\\":%d,\\"dims\\":", i ? "," : "", (int)t.type);
    mlb_ints(t.dims);
    printf(",\\"bytes\\":%lu,\\"arena\\":", (unsigned long)bytes);
    if (p != nullptr && p >= arena && p < arena + arena_size) printf("%ld", (long)(p - arena)); else printf("null");
    printf(",\\"model\\":");
    if (p != nullptr && p >= model_data && p < model_data + size) printf("%ld", (long)(p - model_data)); else printf("null");
    printf(",\\"variable\\":%s,\\"scale\\":[", ft->is_variable() ? "true" : "false");
    const tflite::QuantizationParameters *q = ft->quantization();
    if (q != nullptr && q->scale() != nullptr)
      for (size_t k = 0; k < q->scale()->size(); k++) { printf(k ? "," : ""); mlb_float(q->scale()->Get(k)); }
    printf("],\\"zeroPoint\\":[");
    if (q != nullptr && q->zero_point() != nullptr)
      for (size_t k = 0; k < q->zero_point()->size(); k++) printf(k ? ",%ld" : "%ld", (long)q->zero_point()->Get(k));
    printf("],\\"quantizedDimension\\":%d}", q != nullptr ? q->quantized_dimension() : 0);
  }
  printf("],\\"nodes\\":[");
  for (size_t i = 0; i < subgraph->operators()->size(); i++) {
    const tflite::NodeAndRegistration &nr = allocator.seen[0].node_and_registrations[i];
    printf("%s{\\"op\\":\\"%s\\",\\"inputs\\":", i ? "," : "", tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(nr.registration->builtin_code)));
    mlb_ints(nr.node.inputs);
    printf(",\\"outputs\\":");
    mlb_ints(nr.node.outputs);
    printf(",\\"intermediates\\":");
    mlb_ints(nr.node.intermediates);
    printf(",\\"options\\":");
    print_options(nr.registration->builtin_code, nr.registration->builtin_code == tflite::BuiltinOperator_CUSTOM ? nullptr : nr.node.builtin_data);
    printf("}");
  }
  printf("]}\\n");
  return 0;
}
`;
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Builds the recorder against the host TFLM library (objects cached like a host_x86 run's) and
 * runs it on the model; the recording is cached per model, tree and recorder source.
 */
export async function recordOnHost(
  ctx: StageContext,
  tflmDir: string,
  modelFile: string,
  resolverMethods: string[],
  opcodes: string[],
): Promise<TflmcRecording> {
  const lib = tflmLibrary(tflmDir, { cmsisnn: false, debug: false, resolverMethods, cxxIncludeDirs: [] });
  const source = recorderSource(resolverMethods, opcodes);
  const version = (await ctx.exec(HOST.cc, ['--version'])).stdout.split('\n')[0].trim();
  const key = { what: 'tflmc-recording', revision: lib.library.revision, version, source: sha(source), model: sha(readFileSync(modelFile)) };
  const dir = await ctx.cache.directory(key, async (out) => {
    const objects = await compileLibrary(ctx, HOST, version, false, lib.library);
    const src = join(out, 'tflmc_record.cc');
    writeFileSync(src, source);
    const flags = ['-O1', '-std=c++17', ...lib.cflags, ...cDefineFlags(lib.defines), ...lib.includeDirs.map((d) => `-I${d}`)];
    const exe = join(out, 'tflmc_record');
    // An archive, so the link takes only what the model's resolver reaches (not TFLM's test helpers).
    const archive = join(out, 'libtflm-host.a');
    await ctx.exec('ar', ['rcs', archive, ...objects]);
    await ctx.exec(HOST_LINKER, [...flags, src, archive, '-lm', '-o', exe]);
    const run = await ctx.exec(exe, [modelFile], { allowFailure: true, timeoutMs: 5 * 60_000 });
    if (run.exitCode !== 0) {
      throw new MlbenchError('tool-failed', `tflmc: TFLM's interpreter could not prepare the model on the host (exit ${run.exitCode})`, {
        hint: 'tflmi shows the same failure with its message; the model may use an operator TFLM cannot prepare',
        logPath: ctx.logFile,
      });
    }
    writeFileSync(join(out, 'recording.json'), run.stdout);
  });
  const parsed = recordingSchema.safeParse(JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8')));
  if (!parsed.success) throw new MlbenchError('tool-failed', `tflmc: the host recording does not have the expected form: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
