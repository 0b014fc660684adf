// What the TFLM library build compiles and how its objects are cached. The fixture tree holds
// a Makefile excerpt and trivial sources to check the selection rules; the real tree (when
// MLBENCH_TFLM_DIR points at one) checks the list against what TFLM's own
// `make list_library_sources` prints for 19aaea85 (190 sources).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tflmLibrary } from '../../src/frameworks/tflm/library.js';
import { builtinRegistrations, definedRegistrations, kernelsFor, makefileList, resolverRegistrations, tflmSourceList } from '../../src/frameworks/tflm/sources.js';
import { compileLibrary } from '../../src/platforms/mlif/build.js';
import { testContext } from '../helpers/context.js';

const K = 'tensorflow/lite/micro/kernels';

function fixtureTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tflm-names-'));
  const files: Record<string, string> = {
    'tensorflow/lite/micro/micro_interpreter.cc': '',
    'tensorflow/lite/micro/micro_interpreter_test.cc': '',
    'tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.cc': '',
    'tensorflow/lite/micro/examples/hello_world/main.cc': '',
    'tensorflow/lite/array.cc': '',
    'tensorflow/compiler/mlir/lite/schema/schema_utils.cc': '',
    'tensorflow/lite/kernels/internal/runtime_shape.cc': '',
    'tensorflow/lite/experimental/microfrontend/lib/frontend.c': '',
    [`${K}/conv.cc`]: 'TFLMRegistration Register_CONV_2D() {\n  return x;\n}\n',
    [`${K}/conv_common.cc`]: 'int helper;',
    [`${K}/conv_test_common.cc`]: 'int test;',
    [`${K}/softmax.cc`]: 'TFLMRegistration Register_SOFTMAX() { return x; }',
    [`${K}/softmax_common.cc`]: 'int helper;',
    [`${K}/kernel_util.cc`]: 'int helper;',
    [`${K}/cmsis_nn/conv.cc`]: 'TFLMRegistration Register_CONV_2D() { return y; }\nTFLMRegistration Register_CONV_2D_INT8() { return y; }',
    'tensorflow/lite/micro/micro_mutable_op_resolver.h':
      'TfLiteStatus AddConv2D(const TFLMRegistration& r = Register_CONV_2D()) {}\nTfLiteStatus AddSoftmax(const TFLMRegistration& r = Register_SOFTMAX()) {}\n',
    'tensorflow/lite/micro/tools/make/Makefile': [
      'MICROLITE_CC_KERNEL_SRCS := \\',
      `$(TENSORFLOW_ROOT)${K}/conv.cc \\`,
      `$(TENSORFLOW_ROOT)${K}/conv_common.cc \\`,
      `$(TENSORFLOW_ROOT)${K}/kernel_util.cc \\`,
      `$(TENSORFLOW_ROOT)${K}/softmax.cc \\`,
      `$(TENSORFLOW_ROOT)${K}/softmax_common.cc`,
      '',
    ].join('\n'),
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

describe('TFLM library sources', () => {
  it('follows the Makefile: base dirs, shared TfLite files wherever they are, the listed kernels', () => {
    const dir = fixtureTree();
    const list = tflmSourceList(dir);
    expect(list.core).toEqual([
      'tensorflow/lite/micro/micro_interpreter.cc',
      'tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.cc',
      'tensorflow/compiler/mlir/lite/schema/schema_utils.cc',
      'tensorflow/lite/kernels/internal/runtime_shape.cc',
    ]);
    expect(list.kernels).toEqual([`${K}/conv.cc`, `${K}/conv_common.cc`, `${K}/kernel_util.cc`, `${K}/softmax.cc`, `${K}/softmax_common.cc`]);
    expect(tflmSourceList(dir, 'cmsis_nn').kernels[0]).toBe(`${K}/cmsis_nn/conv.cc`);
  });

  it('keeps only the kernels of the model operators, with their helpers', () => {
    const dir = fixtureTree();
    const { kernels } = tflmSourceList(dir);
    expect(kernelsFor(dir, kernels, resolverRegistrations(dir, ['Softmax']))).toEqual([`${K}/kernel_util.cc`, `${K}/softmax.cc`, `${K}/softmax_common.cc`]);
    expect(kernelsFor(dir, kernels, resolverRegistrations(dir, ['Conv2D']))).toEqual([`${K}/conv.cc`, `${K}/conv_common.cc`, `${K}/kernel_util.cc`]);
  });

  it('reads lists and registrations from text', () => {
    expect(makefileList('A := \\\n$(TENSORFLOW_ROOT)a.cc \\\n$(TENSORFLOW_ROOT)b.cc\nA += \\\n$(TENSORFLOW_ROOT)c.cc\nB := $(TENSORFLOW_ROOT)d.cc\n', 'A')).toEqual([
      'a.cc',
      'b.cc',
      'c.cc',
    ]);
    expect(definedRegistrations('TFLMRegistration* Register_X() {\n}\nreturn Register_Y();\nTFLMRegistration Register_Z()\n{')).toEqual(['Register_X', 'Register_Z']);
  });

  it("TFLM's release flags: NDEBUG, -Os core and -O2 kernels; debug keeps the checks", () => {
    const dir = fixtureTree();
    const base = { cmsisnn: false, resolverMethods: ['Softmax'], cxxIncludeDirs: ['/cxx'] };
    const release = tflmLibrary(dir, { ...base, debug: false });
    expect(release.defines).toMatchObject({ NDEBUG: '1', TF_LITE_STRIP_ERROR_STRINGS: '1', TF_LITE_STATIC_MEMORY: '1' });
    const unit = (f: string) => release.library.units.find((u) => u.source === join(dir, f))!;
    expect(unit('tensorflow/lite/micro/micro_interpreter.cc').flags[0]).toBe('-Os');
    expect(unit(`${K}/softmax.cc`).flags[0]).toBe('-O2');
    expect(unit(`${K}/softmax.cc`).flags).toEqual(expect.arrayContaining(['-DNDEBUG=1', '-isystem', '/cxx', `-I${dir}`]));
    expect(release.library.units.map((u) => u.source)).not.toContain(join(dir, `${K}/conv.cc`));
    const debug = tflmLibrary(dir, { ...base, debug: true });
    expect(debug.defines.NDEBUG).toBeUndefined();
    expect(debug.library.revision).toBe(release.library.revision);
  });
});

const tree = process.env.MLBENCH_TFLM_DIR;
if (!tree) console.log('tflm-library: real-tree checks skipped: MLBENCH_TFLM_DIR not set');

describe.skipIf(!tree || !existsSync(join(tree ?? '', 'tensorflow/lite/micro/tools/make/Makefile')))('TFLM library of the real tree', () => {
  it("lists what TFLM's make list_library_sources prints for the ref (190 at 19aaea85)", () => {
    const list = tflmSourceList(tree!);
    const all = [...list.core, ...list.kernels];
    expect(all).toContain('tensorflow/compiler/mlir/lite/schema/schema_utils.cc');
    expect(all).toContain('tensorflow/lite/kernels/internal/runtime_shape.cc');
    expect(all).toContain('tensorflow/lite/kernels/internal/reference/comparisons.cc');
    expect(all.filter((f) => /_test(_common)?\.cc$|flexbuffers_generated_data/.test(f))).toEqual([]);
    if (readFileSync(join(tree!, 'COMMIT'), 'utf8').startsWith('19aaea85')) expect(all.length).toBe(190);
  });

  it("tflmc's registrations: the Register_X each builtin's Add<Op> uses by default", () => {
    const regs = builtinRegistrations(tree!);
    expect(regs.get('CONV_2D')).toBe('Register_CONV_2D');
    expect(regs.get('AVERAGE_POOL_2D')).toBe('Register_AVERAGE_POOL_2D');
    expect(regs.get('RESHAPE')).toBe('Register_RESHAPE');
    expect(regs.get('FULLY_CONNECTED')).toBe('Register_FULLY_CONNECTED');
    expect([...regs.values()].every((f) => /^Register_[A-Z0-9_]+$/.test(f))).toBe(true);
  });
});

describe('library objects in the build cache', () => {
  it('compiles each unit once; another run (other folder, same flags) reuses every object', async () => {
    const src = mkdtempSync(join(tmpdir(), 'lib-src-'));
    writeFileSync(join(src, 'a.c'), 'int lib_a(void) { return 1; }\n');
    writeFileSync(join(src, 'b.c'), 'int lib_b(void) { return 2; }\n');
    const cacheDir = mkdtempSync(join(tmpdir(), 'lib-cache-'));
    const lib = { name: 'fixture', revision: 'r1', units: ['a.c', 'b.c'].map((f) => ({ source: join(src, f), flags: ['-O2'] })) };
    const host = { cc: 'gcc', binutilsPrefix: '', cflags: [] as string[], ldflags: [] as string[], defines: {} };
    const first = testContext({ stage: 'compile', components: [], cacheDir });
    const objects = await compileLibrary(first, host, 'gcc', false, lib);
    expect(objects.every((o) => existsSync(o))).toBe(true);
    expect(readFileSync(first.logFile, 'utf8')).toContain('fixture library: 2 objects, 2 compiled, 0 from the cache');
    const again = testContext({ stage: 'compile', components: [], cacheDir });
    expect(await compileLibrary(again, host, 'gcc', false, lib)).toEqual(objects);
    expect(readFileSync(again.logFile, 'utf8')).toContain('fixture library: 2 objects, 0 compiled, 2 from the cache');
    const other = await compileLibrary(again, { ...host, cflags: ['-fno-common'] }, 'gcc', false, lib);
    expect(other[0]).not.toBe(objects[0]);
  });
});

describe('validation text', () => {
  it('plain when bit-exact; the largest difference and top-1 agreement otherwise', async () => {
    const { validationText } = await import('../../src/platforms/mlif/index.js');
    expect(validationText(true, 10, 10, 0, 10)).toBe('pass 10/10');
    expect(validationText(true, 10, 10, 0, undefined)).toBe('pass 10/10');
    expect(validationText(true, 10, 10, 9, 10)).toBe('pass 10/10 (max 9 LSB, top-1 10/10)');
    expect(validationText(false, 9, 10, 3, undefined)).toBe('fail 9/10 (max 3 LSB)');
    expect(validationText(false, 9, 10, 0, 9)).toBe('fail 9/10 (max 0 LSB, top-1 9/10)');
  });
});
