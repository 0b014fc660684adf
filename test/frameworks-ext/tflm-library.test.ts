// What the TFLM library build compiles and how it is cached. The tree here is a fixture of
// file names (trivial .cc bodies) to check the selection rules and the cache, not a stand-in
// for TFLM's behaviour.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTflmArchive, tflmCompileArgs, tflmLibrary } from '../../src/frameworks/tflm/library.js';
import { testContext } from '../helpers/context.js';

function fixtureTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tflm-names-'));
  const files = [
    'tensorflow/lite/micro/micro_interpreter.cc',
    'tensorflow/lite/micro/micro_interpreter_test.cc',
    'tensorflow/lite/micro/test_helpers.cc',
    'tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.cc',
    'tensorflow/lite/micro/kernels/conv.cc',
    'tensorflow/lite/micro/kernels/softmax.cc',
    'tensorflow/lite/micro/kernels/cmsis_nn/conv.cc',
    'tensorflow/lite/micro/examples/hello_world/main.cc',
    'tensorflow/lite/kernels/kernel_util.cc',
  ];
  for (const [i, f] of files.entries()) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), `int tflm_fixture_${i}(void) { return ${i}; }\n`);
  }
  return dir;
}

describe('TFLM library', () => {
  it('compiles library sources only; cmsis_nn kernels replace the reference ones', () => {
    const dir = fixtureTree();
    const rel = (l: string[]): string[] => l.map((f) => f.slice(dir.length + 1));
    const ref = tflmLibrary(dir, { cmsisnn: false, keepErrorStrings: false });
    expect(rel(ref.sources)).toEqual([
      'tensorflow/lite/micro/micro_interpreter.cc',
      'tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.cc',
      'tensorflow/lite/micro/kernels/conv.cc',
      'tensorflow/lite/micro/kernels/softmax.cc',
      'tensorflow/lite/kernels/kernel_util.cc',
    ]);
    expect(ref.defines).toMatchObject({ TF_LITE_STATIC_MEMORY: '1', TF_LITE_STRIP_ERROR_STRINGS: '1' });
    const nn = tflmLibrary(dir, { cmsisnn: true, keepErrorStrings: true });
    expect(rel(nn.sources)).toContain('tensorflow/lite/micro/kernels/cmsis_nn/conv.cc');
    expect(rel(nn.sources)).not.toContain('tensorflow/lite/micro/kernels/conv.cc');
    expect(nn.defines.CMSIS_NN).toBe('1');
    expect(nn.defines.TF_LITE_STRIP_ERROR_STRINGS).toBeUndefined();
    expect(rel(nn.includeDirs.slice(1))).toEqual([
      'tensorflow/lite/micro/tools/make/downloads/flatbuffers/include',
      'tensorflow/lite/micro/tools/make/downloads/gemmlowp',
      'tensorflow/lite/micro/tools/make/downloads/ruy',
    ]);
  });

  it('the compile command per source', () => {
    const lib = { sources: [], includeDirs: ['/t'], defines: { A: '1' }, cflags: ['-fno-rtti'] };
    const tc = { cc: 'riscv64-unknown-elf-gcc', binutilsPrefix: 'riscv64-unknown-elf-', cflags: ['-march=rv32imac', '-mabi=ilp32'] };
    expect(tflmCompileArgs(lib, tc, '/t/a.cc', '/o/a.o', 's')).toEqual([
      '-march=rv32imac', '-mabi=ilp32', '-Os', '-ffunction-sections', '-fdata-sections', '-fno-rtti', '-DA=1', '-I/t', '-c', '/t/a.cc', '-o', '/o/a.o',
    ]);
  });

  it('builds libtflm.a once per toolchain and flags, then reuses it', async () => {
    const dir = fixtureTree();
    const cacheDir = mkdtempSync(join(tmpdir(), 'tflm-cache-'));
    const lib = tflmLibrary(dir, { cmsisnn: false, keepErrorStrings: false });
    const host = { cc: 'gcc', binutilsPrefix: '', cflags: [] as string[] };
    const ctx = testContext({ stage: 'build', components: [], cacheDir });
    const first = await buildTflmArchive(ctx, lib, host, 'fixture');
    expect(existsSync(first)).toBe(true);
    const again = testContext({ stage: 'build', components: [], cacheDir });
    expect(await buildTflmArchive(again, lib, host, 'fixture')).toBe(first);
    expect(existsSync(again.logFile) ? readFileSync(again.logFile, 'utf8') : '').not.toContain('$ gcc');
    // Other flags are another cache entry.
    const other = await buildTflmArchive(again, lib, { ...host, cflags: ['-fno-common'] }, 'fixture');
    expect(other).not.toBe(first);
    expect(existsSync(other)).toBe(true);
  });
});
