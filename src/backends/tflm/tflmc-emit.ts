// tflmc's second half: model.cc from the host recording. Every table is numbers (offsets,
// shapes, quantization, options) and every identifier is derived from an index or from TFLM's
// own builtin names (checked); the model's own strings never reach the code, its operator
// names only through cComment.
import type { TensorInfo } from '../../core/artifacts.js';
import { cComment, cIdentifier } from '../../core/c-text.js';
import { MlbenchError } from '../../core/errors.js';
import { cFloat, quantizationAccessors } from '../tvm/model-api.js';
import { cArrayRows } from './model-cc.js';
import { OPTION_STRUCTS, optionInitializer } from './tflmc-options.js';
import type { TflmcRecording } from './tflmc-record.js';
import { TFLMC_RUNTIME } from './tflmc-runtime.js';

export interface TflmcEmitOptions {
  recording: TflmcRecording;
  modelBytes: Uint8Array;
  /** The `Register_X` function of each node's operator, by operator name. */
  registrations: Map<string, string>;
  arenaBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** Bytes of the arena the host plan uses for tensors (what every target shares). */
export function plannedBytes(r: TflmcRecording): number {
  const end = Math.max(0, ...r.tensors.filter((t) => t.arena !== null).map((t) => (t.arena ?? 0) + t.bytes));
  return Math.ceil(end / 16) * 16;
}

/** What tflmc cannot emit, as one-line reasons (empty when the recording is usable). */
export function unsupportedInRecording(r: TflmcRecording): string[] {
  const out: string[] = [];
  if (r.subgraphs !== 1) out.push(`the model has ${r.subgraphs} subgraphs (tflmc fixes one)`);
  if (r.tensors.some((t) => t.variable)) out.push('the model has variable tensors (state kept between invocations)');
  for (const n of r.nodes) {
    if (n.op === 'CUSTOM') out.push('custom operators have no builtin options tflmc can fix');
    else if (n.options === 'unknown') out.push(`no option table for ${n.op}`);
  }
  return [...new Set(out)];
}

const ints = (values: number[]): string => `MlbArray<${Math.max(values.length, 1)}, int>{${values.length}, {${values.join(', ') || '0'}}}`;

export function generateTflmcModelCc(o: TflmcEmitOptions): string {
  const r = o.recording;
  const problems = unsupportedInRecording(r);
  if (problems.length) throw new MlbenchError('unsupported', `tflmc cannot build this model: ${problems.join('; ')}`, { hint: 'use tflmi' });
  const planned = plannedBytes(r);
  if (planned > o.arenaBytes) throw new MlbenchError('config', `tflmc arena of ${o.arenaBytes} bytes is below the ${planned} bytes the planned tensors need`);

  const lines: string[] = [];
  // Constant data, once per distinct offset in the flatbuffer (tensors may share a buffer).
  const constants = new Map<number, string>();
  r.tensors.forEach((t, i) => {
    if (t.model === null || t.arena !== null || constants.has(t.model)) return;
    if (t.model + t.bytes > o.modelBytes.length) throw new MlbenchError('tool-failed', `tflmc: tensor ${i} lies outside the model file`);
    const name = `mlb_const_${i}`;
    constants.set(t.model, name);
    lines.push(`alignas(16) const uint8_t ${name}[${Math.max(t.bytes, 1)}] = {\n${cArrayRows(o.modelBytes.subarray(t.model, t.model + t.bytes)) || '  0,'}\n};`);
  });
  r.tensors.forEach((t, i) => {
    lines.push(`const auto mlb_dims_${i} = ${ints(t.dims)};`);
    if (t.scale.length) {
      lines.push(`const auto mlb_scale_${i} = MlbArray<${t.scale.length}, float>{${t.scale.length}, {${t.scale.map(cFloat).join(', ')}}};`);
      const zp = t.zeroPoint.length ? t.zeroPoint : t.scale.map(() => 0);
      lines.push(`const auto mlb_zero_${i} = ${ints(zp)};`);
    }
  });
  const tensorRows = r.tensors.map((t, i) => {
    const constant = t.arena === null && t.model !== null ? constants.get(t.model) : undefined;
    const quant = t.scale.length ? `&mlb_scale_${i}, &mlb_zero_${i}, ${t.quantizedDimension}` : 'nullptr, nullptr, 0';
    return `  {${t.arena ?? -1}, ${constant ?? 'nullptr'}, &mlb_dims_${i}, static_cast<TfLiteType>(${t.type}), ${t.bytes}, ${quant}},`;
  });

  // Registrations: one per operator, in first-use order.
  const ops = [...new Set(r.nodes.map((n) => n.op))];
  const registerCalls = ops.map((op, k) => {
    const fn = o.registrations.get(op);
    if (!fn || !/^Register_[A-Z0-9_]+$/.test(fn)) throw new MlbenchError('unsupported', `tflmc: no TFLM registration known for ${op}`);
    return `  mlb_registrations[${k}] = tflite::${fn}();`;
  });
  const nodeRows: string[] = [];
  r.nodes.forEach((n, i) => {
    lines.push(`const auto mlb_inputs_${i} = ${ints(n.inputs)};`);
    lines.push(`const auto mlb_outputs_${i} = ${ints(n.outputs)};`);
    lines.push(`const auto mlb_intermediates_${i} = ${ints(n.intermediates)};`);
    const struct = OPTION_STRUCTS[n.op];
    if (Array.isArray(n.options) && struct) lines.push(`const ${cIdentifier(struct.struct)} mlb_options_${i} = ${optionInitializer(struct, n.options)};`);
    const options = Array.isArray(n.options) && struct ? `&mlb_options_${i}` : 'nullptr';
    nodeRows.push(`  {${ops.indexOf(n.op)}, &mlb_inputs_${i}, &mlb_outputs_${i}, &mlb_intermediates_${i}, ${options}},  ${cComment(`node ${i}: ${n.op}`)}`);
  });

  const io = (kind: 'input' | 'output', indices: number[], infos: TensorInfo[]): string => `static const int mlb_${kind}_tensors[${Math.max(indices.length, 1)}] = {${indices.join(', ') || '0'}};
size_t mlb_model_num_${kind}s(void) { return ${indices.length}; }
void *mlb_model_${kind}_ptr(size_t i) { return i < ${indices.length} ? mlb_eval[mlb_${kind}_tensors[i]].data.data : nullptr; }
size_t mlb_model_${kind}_size(size_t i) { return i < ${indices.length} ? mlb_tensors[mlb_${kind}_tensors[i]].bytes : 0; }
${quantizationAccessors(kind, infos)}`;

  return `// model.cc: mlb_model.h on TensorFlow Lite Micro's kernels without its interpreter, written by
// mlbench's tflmc: TFLM's interpreter ran once on the host, and its tensor placement and each
// node's inputs, outputs and builtin options are fixed here. The kernels' init and prepare run
// once in mlb_model_init (their state depends on the target's kernels); invoke calls each node.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tensorflow/lite/core/c/builtin_op_data.h"
#include "tensorflow/lite/micro/compatibility.h"
#include "tensorflow/lite/micro/kernels/micro_ops.h"
#include "tensorflow/lite/micro/micro_common.h"
#include "tensorflow/lite/micro/micro_context.h"
#include "tensorflow/lite/micro/micro_graph.h"
#include "mlb_model.h"

namespace {

constexpr int kTensorCount = ${r.tensors.length};
constexpr int kNodeCount = ${r.nodes.length};
// The host run's arena: ${r.arenaUsed} bytes used, the first ${planned} by the planned tensors.
constexpr size_t kPlannedBytes = ${planned};
constexpr size_t kArenaSize = ${o.arenaBytes};
alignas(16) uint8_t mlb_arena[kArenaSize];

template <int N, typename T>
struct MlbArray {
  int size;
  T data[N];
};

${lines.join('\n')}

struct MlbTensor {
  int32_t arena_offset;   // -1: not in the arena
  const void *constant;   // data of a constant tensor, else nullptr
  const void *dims;       // an MlbArray<N, int>
  TfLiteType type;
  uint32_t bytes;
  const void *scale;      // MlbArray<N, float> or nullptr when not quantized
  const void *zero_point; // MlbArray<N, int>
  int32_t quantized_dimension;
};

const MlbTensor mlb_tensors[kTensorCount] = {
${tensorRows.join('\n')}
};

struct MlbNode {
  uint8_t registration;
  const void *inputs;
  const void *outputs;
  const void *intermediates;
  const void *options;    // the parsed builtin options, or nullptr
};

const MlbNode mlb_nodes[kNodeCount] = {
${nodeRows.join('\n')}
};

TFLMRegistration mlb_registrations[${Math.max(ops.length, 1)}];
TfLiteEvalTensor mlb_eval[kTensorCount];
TfLiteNode mlb_node_state[kNodeCount];

void mlb_register_kernels() {
${registerCalls.join('\n')}
}

}  // namespace

${TFLMC_RUNTIME}
${io('input', r.inputs, o.inputs)}
${io('output', r.outputs, o.outputs)}`;
}
