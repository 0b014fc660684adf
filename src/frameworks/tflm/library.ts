// The TFLM library as mlbench builds it: like MLonMCU's LinkTFLite.cmake, the sources are
// compiled directly (no Makefile, so no network at build time) with the target's toolchain.
// What it compiles: tensorflow/lite/micro/{,arena_allocator,memory_planner,tflite_bridge}/*.cc,
// micro/kernels/*.cc (cmsis_nn/*.cc replacing same-named ones with `cmsisnn`), and the few
// tensorflow/lite/{core,kernels,schema} files they use; never tests or examples.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cDefineFlags } from '../../core/c-text.js';
import type { StageContext } from '../../core/component.js';
import { THIRD_PARTY_INCLUDES } from './locate.js';

const MICRO = 'tensorflow/lite/micro';

const MICRO_DIRS = [MICRO, `${MICRO}/arena_allocator`, `${MICRO}/memory_planner`, `${MICRO}/tflite_bridge`, `${MICRO}/kernels`];

/** Files outside micro/ the library links against (missing ones are skipped: version tolerance). */
const SHARED_FILES = [
  'tensorflow/lite/core/c/common.cc',
  'tensorflow/lite/core/api/error_reporter.cc',
  'tensorflow/lite/core/api/flatbuffer_conversions.cc',
  'tensorflow/lite/core/api/tensor_utils.cc',
  'tensorflow/lite/kernels/internal/common.cc',
  'tensorflow/lite/kernels/internal/quantization_util.cc',
  'tensorflow/lite/kernels/internal/portable_tensor_utils.cc',
  'tensorflow/lite/kernels/internal/tensor_ctypes.cc',
  'tensorflow/lite/kernels/internal/reference/portable_tensor_utils.cc',
  'tensorflow/lite/kernels/kernel_util.cc',
  'tensorflow/lite/schema/schema_utils.cc',
];

/** Test support that is not part of the library. */
const NOT_LIBRARY = /(_test\.cc|test_helpers\.cc|test_helper_custom_ops\.cc)$/;

export const TFLM_DEFINES: Record<string, string> = {
  TF_LITE_STATIC_MEMORY: '1',
  TF_LITE_USE_GLOBAL_CMATH_FUNCTIONS: '1',
  TF_LITE_USE_GLOBAL_MAX: '1',
  TF_LITE_USE_GLOBAL_MIN: '1',
  TFLITE_EMULATE_FLOAT: '1',
};

/** C++ without exceptions, RTTI or guard calls: links with gcc against picolibc, no libstdc++. */
export const TFLM_CXX_FLAGS = ['-fno-exceptions', '-fno-rtti', '-fno-threadsafe-statics', '-fno-use-cxa-atexit'];

function listCc(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cc') && !NOT_LIBRARY.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export interface TflmLibraryOptions {
  cmsisnn: boolean;
  /** Keep error strings (the `debug` feature); stripped otherwise to save ROM. */
  keepErrorStrings: boolean;
}

export interface TflmLibrary {
  sources: string[];
  includeDirs: string[];
  defines: Record<string, string>;
  cflags: string[];
}

export function tflmLibrary(tflmDir: string, o: TflmLibraryOptions): TflmLibrary {
  const optimized = o.cmsisnn ? new Map(listCc(join(tflmDir, MICRO, 'kernels', 'cmsis_nn')).map((f) => [f.replace(/^.*\//, ''), f])) : new Map<string, string>();
  const sources: string[] = [];
  for (const d of MICRO_DIRS) {
    for (const f of listCc(join(tflmDir, d))) {
      const base = f.replace(/^.*\//, '');
      sources.push(d.endsWith('/kernels') && optimized.has(base) ? (optimized.get(base) as string) : f);
    }
  }
  sources.push(...SHARED_FILES.map((f) => join(tflmDir, f)).filter((f) => existsSync(f)));
  const defines = { ...TFLM_DEFINES };
  if (!o.keepErrorStrings) defines.TF_LITE_STRIP_ERROR_STRINGS = '1';
  if (o.cmsisnn) defines.CMSIS_NN = '1';
  return {
    sources,
    includeDirs: [tflmDir, ...THIRD_PARTY_INCLUDES.map((t) => join(tflmDir, t.dir))],
    defines,
    cflags: [...TFLM_CXX_FLAGS],
  };
}

/**
 * The key under which a compiled library may be cached: the tree, every source, the
 * toolchain and every flag. The platform compiles `librarySources` under such a key.
 */
export function tflmLibraryCacheKey(lib: TflmLibrary, toolchain: { cc: string; cflags: string[] }, treeRevision: string): unknown {
  return {
    kind: 'tflm-library',
    treeRevision,
    sources: lib.sources,
    includeDirs: lib.includeDirs,
    defines: lib.defines,
    cflags: lib.cflags,
    cc: toolchain.cc,
    targetFlags: toolchain.cflags,
  };
}

export interface ArchiveToolchain {
  cc: string;
  binutilsPrefix: string;
  cflags: string[];
}

/** The compile command of one library source (what `buildTflmArchive` runs per file). */
export function tflmCompileArgs(lib: TflmLibrary, toolchain: ArchiveToolchain, source: string, object: string, optimize: string): string[] {
  return [
    ...toolchain.cflags,
    `-O${optimize}`,
    '-ffunction-sections',
    '-fdata-sections',
    ...lib.cflags,
    ...cDefineFlags(lib.defines),
    ...lib.includeDirs.map((d) => `-I${d}`),
    '-c',
    source,
    '-o',
    object,
  ];
}

/**
 * Compiles the library into libtflm.a in the shared build cache, one entry per tree, toolchain
 * and flag set; concurrent runs for the same target wait for one build.
 */
export async function buildTflmArchive(
  ctx: Pick<StageContext, 'cache' | 'exec' | 'log'>,
  lib: TflmLibrary,
  toolchain: ArchiveToolchain,
  treeRevision: string,
  optimize = '3',
): Promise<string> {
  const key = { ...(tflmLibraryCacheKey(lib, toolchain, treeRevision) as object), optimize };
  const dir = await ctx.cache.directory(key, async (out) => {
    const objects: string[] = [];
    for (const [i, src] of lib.sources.entries()) {
      const obj = join(out, `${String(i).padStart(3, '0')}_${src.replace(/^.*\//, '').replace(/\.cc$/, '.o')}`);
      await ctx.exec(toolchain.cc, tflmCompileArgs(lib, toolchain, src, obj, optimize));
      objects.push(obj);
    }
    await ctx.exec(`${toolchain.binutilsPrefix}ar`, ['rcs', join(out, 'libtflm.a'), ...objects]);
  });
  ctx.log(`TFLM library: ${join(dir, 'libtflm.a')} (${lib.sources.length} sources)`);
  return join(dir, 'libtflm.a');
}
