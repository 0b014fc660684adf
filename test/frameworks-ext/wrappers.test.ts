// Generated wrapper text: the AOT (packed and C interface) and graph wrappers for TVM, and
// model.cc for tflmi with exactly the model's operators; the arena rules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../src/core/artifacts.js';
import { generateAotWrapper } from '../../src/backends/tvm/aot-wrapper.js';
import { generateGraphWrapper } from '../../src/backends/tvm/graph-wrapper.js';
import { cStringLiterals } from '../../src/core/c-text.js';
import { modelApiHeader, quantizationAccessors } from '../../src/backends/tvm/model-api.js';
import { generateTflmiModelCc, tflmArenaEstimate, tflmiArenaSize } from '../../src/backends/tflm/model-cc.js';
import { resolverMethodName, resolverMethods } from '../../src/backends/tflm/op-resolver.js';
import { generateTflmcModelCc, plannedBytes, unsupportedInRecording } from '../../src/backends/tflm/tflmc-emit.js';
import { OPTION_STRUCTS, optionInitializer, recorderPrinter } from '../../src/backends/tflm/tflmc-options.js';
import { tflmcArenaSize } from '../../src/backends/tflm/tflmc.js';
import { TFLMC_FC_RECORDING } from './tflmc-fixture.js';
import { renderCrtConfig } from '../../src/frameworks/tvm/crt.js';

// aww as the zoo's definition.yml describes it.
const AWW_IN: TensorInfo[] = [{ name: 'input_1', shape: [1, 49, 10, 1], dtype: 'int8', scale: 0.5748363733291626, zeroPoint: 87 }];
const AWW_OUT: TensorInfo[] = [{ name: 'Identity', shape: [1, 12], dtype: 'int8', scale: 0.00390625, zeroPoint: -128 }];
const AWW_OPS = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX'];

describe('TVM AOT wrapper', () => {
  it('packed API: DLTensors inputs then outputs, stack allocator over the metadata workspace', () => {
    const c = generateAotWrapper({ interfaceApi: 'packed', workspaceBytes: 12345, inputs: AWW_IN, outputs: AWW_OUT });
    expect(c).toContain('#define MLB_WORKSPACE_SIZE 12345');
    expect(c).toContain('static uint8_t mlb_input0[490] __attribute__((aligned(16)));  /* input_1 */');
    expect(c).toContain('static uint8_t mlb_output0[12] __attribute__((aligned(16)));  /* Identity */');
    expect(c).toContain('static int64_t mlb_input0_shape[4] = {1, 49, 10, 1};');
    expect(c).toContain('  {mlb_input0, {kDLCPU, 0}, 4, {kDLInt, 8, 1}, mlb_input0_shape, NULL, 0},\n  {mlb_output0, {kDLCPU, 0}, 2, {kDLInt, 8, 1}, mlb_output0_shape, NULL, 0},');
    expect(c).toContain('int32_t status = tvmgen_default_run(args, type_codes, 2, NULL, NULL, NULL);');
    expect(c).toContain('StackMemoryManager_Init(&mlb_app_workspace, mlb_workspace, MLB_WORKSPACE_SIZE)');
    expect(c).not.toContain('tvmgen_default.h');
  });

  it('C interface (tvmaotplus): structs of buffers named as TVM sanitizes them, no allocator', () => {
    const inputs = [{ ...AWW_IN[0], name: 'serving_default_input_1:0' }];
    const c = generateAotWrapper({ interfaceApi: 'c', workspaceBytes: 0, inputs, outputs: AWW_OUT });
    expect(c).toContain('#include "tvmgen_default.h"');
    expect(c).toContain('struct tvmgen_default_inputs inputs = {.serving_default_input_1_0 = mlb_input0};');
    expect(c).toContain('struct tvmgen_default_outputs outputs = {.Identity = mlb_output0};');
    expect(c).toContain('int32_t status = tvmgen_default_run(&inputs, &outputs);');
    expect(c).toContain('return kTvmErrorPlatformNoMemory;');
    expect(c).not.toContain('StackMemoryManager_Init');
  });

  it('debug prints the arena usage after invoke', () => {
    const c = generateAotWrapper({ interfaceApi: 'packed', workspaceBytes: 64, inputs: AWW_IN, outputs: AWW_OUT, debugArena: true });
    expect(c).toContain('printf("# Arena Usage: %lu\\n", (unsigned long)(mlb_app_workspace.next_alloc - mlb_app_workspace.workspace));');
  });
});

describe('TVM graph wrapper', () => {
  it('embeds graph and params and follows the CRT call sequence', () => {
    const graphJson = '{"nodes": [{"op": "null", "name": "input_1"}]}\n';
    const c = generateGraphWrapper({
      graphJson,
      params: new Uint8Array([1, 2, 255]),
      arenaBytes: 1 << 20,
      inputs: AWW_IN,
      outputs: AWW_OUT,
    });
    // Octal escapes for quotes and the newline (test/security/c-text.test.ts checks the bytes).
    expect(c).toContain(`static const char mlb_graph_json[] =\n  ${cStringLiterals(graphJson, 100)};`);
    expect(c).toContain('"{\\042nodes\\042: [{\\042op\\042: ');
    expect(c).toContain('  0x01, 0x02, 0xff,');
    expect(c).toContain('#define MLB_ARENA_SIZE 1048576');
    const order = [
      'PageMemoryManagerCreate(&mlb_memory_manager, mlb_crt_memory, MLB_ARENA_SIZE, MLB_PAGE_SIZE_LOG2)',
      'TVMInitializeRuntime()',
      'TVMPackedFunc_InitGlobalFunc(&pf, "runtime.SystemLib", &args)',
      'TVMGraphExecutor_Create(mlb_graph_json, mod_syslib, &dev, &mlb_executor)',
      // __nop entries are left uninitialised by the CRT: cleared, so Run skips them.
      'if (strcmp(mlb_executor->nodes[nid].param.func_name, "__nop") == 0) memset(&mlb_executor->op_execs[nid], 0, sizeof(TVMPackedFunc));',
      'TVMGraphExecutor_LoadParams(mlb_executor, (const char *)mlb_graph_params, sizeof(mlb_graph_params))',
      // The input's own storage entry, found once; each invoke copies into it (no SetInput).
      'TVMGraphExecutor_GetInputIndex(mlb_executor, "input_1")',
      'mlb_input_storage[0] = mlb_executor->data_entry[eid].dl_tensor.data;',
      'memcpy(mlb_input_storage[0], mlb_input0, sizeof(mlb_input0));',
      'TVMGraphExecutor_Run(mlb_executor);',
      'TVMGraphExecutor_GetOutput(mlb_executor, 0, &mlb_output0_tensor)',
    ].map((s) => c.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(c).not.toContain('TVMGraphExecutor_SetInput');
  });
});

describe('mlb_model.h and shared accessors', () => {
  it('compile as C with the host gcc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-api-'));
    writeFileSync(join(dir, 'mlb_model.h'), modelApiHeader('tvmaot'));
    writeFileSync(join(dir, 'q.c'), `#include "mlb_model.h"\n${quantizationAccessors('input', AWW_IN)}${quantizationAccessors('output', [])}`);
    execFileSync('gcc', ['-std=c99', '-Wall', '-Werror', '-fsyntax-only', join(dir, 'q.c')], { cwd: dir });
    expect(quantizationAccessors('input', AWW_IN)).toContain('static const float mlb_input_scales[1] = {0.574836373f};');
  });
});

describe('tflmi', () => {
  it('names the resolver methods as TFLM does', () => {
    expect(AWW_OPS.map(resolverMethodName)).toEqual(['Conv2D', 'DepthwiseConv2D', 'AveragePool2D', 'Reshape', 'FullyConnected', 'Softmax']);
    expect(resolverMethodName('UNIDIRECTIONAL_SEQUENCE_LSTM')).toBe('UnidirectionalSequenceLSTM');
    expect(resolverMethodName('PADV2')).toBe('PadV2');
    expect(resolverMethodName('ADD_N')).toBe('AddN');
    expect(resolverMethods(['ADD', 'ADD', 'RELU_N1_TO_1', 'CUSTOM:foo'])).toEqual({ methods: ['Add'], unsupported: ['RELU_N1_TO_1', 'CUSTOM:foo'] });
  });

  it('model.cc: the model bytes, a resolver with exactly the model ops, the arena', () => {
    const cc = generateTflmiModelCc({
      modelBytes: new Uint8Array([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]),
      resolverMethods: resolverMethods(AWW_OPS).methods,
      arenaBytes: 32768,
      inputs: AWW_IN,
      outputs: AWW_OUT,
    });
    expect(cc).toContain('alignas(16) static const unsigned char mlb_model_data[8] = {\n  0x1c, 0x00, 0x00, 0x00, 0x54, 0x46, 0x4c, 0x33,\n};');
    expect(cc).toContain('static tflite::MicroMutableOpResolver<6> resolver;');
    expect(cc.match(/resolver\.Add\w+\(\)/g)).toEqual([
      'resolver.AddConv2D()', 'resolver.AddDepthwiseConv2D()', 'resolver.AddAveragePool2D()',
      'resolver.AddReshape()', 'resolver.AddFullyConnected()', 'resolver.AddSoftmax()',
    ]);
    expect(cc).toContain('constexpr size_t kTensorArenaSize = 32768;');
    expect(cc).toContain('static tflite::MicroInterpreter interpreter(model, resolver, tensor_arena, kTensorArenaSize);');
    // The harness prints what TFLM used, outside the measured regions.
    expect(cc).toContain('size_t mlb_model_arena_used(void) { return mlb_interpreter != nullptr ? mlb_interpreter->arena_used_bytes() : 0; }');
  });

  it('arena size: config, else the model definition, else a bound from the model', () => {
    expect(tflmiArenaSize(4096, 32768, 5000)).toEqual({ bytes: 4096, source: 'tflmi.arena_size' });
    expect(tflmiArenaSize(null, 32768, 5000)).toEqual({ bytes: 32768, source: 'definition.yml backends.tflmi.arena_size' });
    expect(tflmiArenaSize(null, undefined, 5000).bytes).toBe(5000);
    // int8 [1,16] in, two layers of 16 and 4 outputs, 5 tensors: 36 B + 320 + 512 + 8192.
    const layer = (n: number) => ({ index: 0, opcode: 'FULLY_CONNECTED', inputShapes: [], outputShapes: [[1, n]], macs: 0 });
    expect(tflmArenaEstimate({ inputs: [{ name: 'i', shape: [1, 16], dtype: 'int8' }], layers: [layer(16), layer(4)], tensorCount: 5 })).toBe(9072);
  });
});

describe('tflmc', () => {
  it('writes recorded options back as designated initializers in declaration order', () => {
    expect(optionInitializer(OPTION_STRUCTS.CONV_2D, [1, 2, 2, 1, 1, 1, 0])).toBe(
      '{.padding = static_cast<TfLitePadding>(1), .stride_width = 2, .stride_height = 2, .activation = static_cast<TfLiteFusedActivation>(1), ' +
        '.dilation_width_factor = 1, .dilation_height_factor = 1, .quantized_bias_type = static_cast<TfLiteType>(0)}',
    );
    expect(optionInitializer(OPTION_STRUCTS.AVERAGE_POOL_2D, [2, 1, 1, 25, 5, 0, 0, 0, 0, 0])).toContain('.computed = {.padding = {.width = 0, .height = 0, .width_offset = 0, .height_offset = 0}}');
    expect(optionInitializer(OPTION_STRUCTS.SOFTMAX, [1])).toBe('{.beta = 1.00000000f}');
    expect(optionInitializer(OPTION_STRUCTS.RESHAPE, [1, 12, 0, 0, 0, 0, 0, 0, 2])).toBe('{.shape = {1, 12, 0, 0, 0, 0, 0, 0}, .num_dimensions = 2}');
    expect(() => optionInitializer(OPTION_STRUCTS.SOFTMAX, [1, 2])).toThrow(/2 values recorded, 1 expected/);
    expect(recorderPrinter(OPTION_STRUCTS.SOFTMAX)).toBe(
      '{ const TfLiteSoftmaxParams *p = static_cast<const TfLiteSoftmaxParams *>(data); printf("["); mlb_float((double)p->beta); printf("]"); }',
    );
  });

  it('fixes the recorded tensors, nodes and registrations in model.cc, the arena from the host run', () => {
    const r = TFLMC_FC_RECORDING;
    expect(plannedBytes(r)).toBe(16);
    expect(tflmcArenaSize(null, undefined, r)).toEqual({ bytes: 1200, source: 'the host run of TFLM' });
    const cc = generateTflmcModelCc({
      recording: r,
      modelBytes: new Uint8Array(64).map((_, i) => i),
      registrations: new Map([['FULLY_CONNECTED', 'Register_FULLY_CONNECTED']]),
      arenaBytes: 1200,
      inputs: [{ name: 'in', shape: [1, 4], dtype: 'int8', scale: 0.5, zeroPoint: 1 }],
      outputs: [{ name: 'out', shape: [1, 2], dtype: 'int8', scale: 0.25, zeroPoint: -3 }],
    });
    expect(cc).toContain('constexpr size_t kPlannedBytes = 16;\nconstexpr size_t kArenaSize = 1200;');
    expect(cc).toContain('alignas(16) const uint8_t mlb_const_1[8] = {\n  0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,\n};');
    expect(cc).toContain('  {0, nullptr, &mlb_dims_0, static_cast<TfLiteType>(9), 4, &mlb_scale_0, &mlb_zero_0, 0},');
    expect(cc).toContain('  {-1, mlb_const_1, &mlb_dims_1, static_cast<TfLiteType>(9), 8, &mlb_scale_1, &mlb_zero_1, 0},');
    expect(cc).toContain('const auto mlb_inputs_0 = MlbArray<3, int>{3, {0, 1, -1}};');
    expect(cc).toContain('  {0, &mlb_inputs_0, &mlb_outputs_0, &mlb_intermediates_0, &mlb_options_0},  /* node 0: FULLY_CONNECTED */');
    expect(cc).toContain('  mlb_registrations[0] = tflite::Register_FULLY_CONNECTED();');
    expect(() => generateTflmcModelCc({ recording: r, modelBytes: new Uint8Array(64), registrations: new Map(), arenaBytes: 8, inputs: [], outputs: [] })).toThrow(
      /arena of 8 bytes is below the 16 bytes/,
    );
  });

  it('names what it cannot fix', () => {
    const r = TFLMC_FC_RECORDING;
    expect(unsupportedInRecording({ ...r, subgraphs: 2, nodes: [{ ...r.nodes[0], op: 'CUSTOM', options: null }, { ...r.nodes[0], op: 'GATHER', options: 'unknown' }] })).toEqual([
      'the model has 2 subgraphs (tflmc fixes one)',
      'custom operators have no builtin options tflmc can fix',
      'no option table for GATHER',
    ]);
  });
});

describe('crt_config.h', () => {
  it('fills the template placeholders and refuses unknown ones', () => {
    expect(renderCrtConfig('#define TVM_CRT_MAX_NDIM ${TVM_CRT_MAX_NDIM}\n')).toBe('#define TVM_CRT_MAX_NDIM 6\n');
    expect(() => renderCrtConfig('${TVM_CRT_NEW_THING}')).toThrow(/TVM_CRT_NEW_THING/);
  });
});
