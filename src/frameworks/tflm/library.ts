// The TFLM library as mlbench builds it: the sources TFLM's Makefile lists for the tree's ref
// (sources.ts), only the kernels the model's operators need, each compiled with TFLM's own
// release flags (NDEBUG and stripped error strings, -Os for the core, -O2 for kernels and
// third-party code; the `debug` feature keeps checks and messages). No Makefile runs, so no
// network at build time. The platform compiles each unit with the target's flags added and
// caches every object on its own (key: tree revision, compiler, target flags, unit flags).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LibraryBuild } from '../../core/artifacts.js';
import { cDefineFlags } from '../../core/c-text.js';
import { cmsisNnSources } from './cmsisnn.js';
import { THIRD_PARTY_INCLUDES } from './locate.js';
import { kernelsFor, resolverRegistrations, tflmSourceList } from './sources.js';

/** Defines of every TFLM build here (TFLM's COMMON_FLAGS, and the cortex_m_generic cmath choice). */
export const TFLM_DEFINES: Record<string, string> = {
  TF_LITE_STATIC_MEMORY: '1',
  TF_LITE_DISABLE_X86_NEON: '1',
  TF_LITE_USE_GLOBAL_CMATH_FUNCTIONS: '1',
  TF_LITE_USE_GLOBAL_MAX: '1',
  TF_LITE_USE_GLOBAL_MIN: '1',
};

/** TFLM's CXXFLAGS (no exceptions, RTTI or guard calls: links with gcc, no libstdc++). */
export const TFLM_CXX_FLAGS = ['-std=c++17', '-fno-rtti', '-fno-exceptions', '-fno-threadsafe-statics', '-fno-use-cxa-atexit', '-fno-unwind-tables'];
export const TFLM_C_FLAGS = ['-std=c17', '-fno-unwind-tables'];

/** TFLM's per-part optimisation (CORE_/KERNEL_/THIRD_PARTY_KERNEL_OPTIMIZATION_LEVEL, gcc). */
export const TFLM_OPTIMIZATION = { core: '-Os', kernel: '-O2', thirdParty: '-O2' } as const;

export interface TflmLibraryOptions {
  cmsisnn: boolean;
  /** The `debug` feature: TFLM's default build (checks and error strings) instead of release. */
  debug: boolean;
  /** Resolver methods of the model (`Conv2D`, ...): only their kernels are compiled. */
  resolverMethods: string[];
  /** CMSIS-NN folder and CMSIS Core include folder, with `cmsisnn`. */
  cmsisNnDir?: string;
  cmsisCoreInclude?: string;
  /** C++ standard headers for the cross compiler (-isystem). */
  cxxIncludeDirs: string[];
}

export interface TflmLibrary {
  library: LibraryBuild;
  /** For the model's own C++ (model.cc): include dirs, defines and flags matching the library. */
  includeDirs: string[];
  defines: Record<string, string>;
  cflags: string[];
  /** Sources by part, relative to the tree (for logs and tests). */
  core: string[];
  kernels: string[];
}

const revisions = new Map<string, string>();

/**
 * What determines the library besides its sources: the tree's commit (COMMIT file) and the hash
 * of every header in it (third-party downloads included), computed once per process.
 */
export function tflmTreeRevision(tree: string): string {
  const known = revisions.get(tree);
  if (known) return known;
  const h = createHash('sha256');
  const commit = join(tree, 'COMMIT');
  if (existsSync(commit)) h.update(readFileSync(commit));
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(tree, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (/\.(h|hpp|inc)$/.test(e.name)) h.update(p).update('\0').update(readFileSync(join(tree, p)));
    }
  };
  for (const top of ['tensorflow', 'signal']) if (existsSync(join(tree, top))) walk(top);
  const rev = h.digest('hex').slice(0, 24);
  revisions.set(tree, rev);
  return rev;
}

export function tflmLibrary(tree: string, o: TflmLibraryOptions): TflmLibrary {
  const list = tflmSourceList(tree, o.cmsisnn ? 'cmsis_nn' : undefined);
  const kernels = kernelsFor(tree, list.kernels, resolverRegistrations(tree, o.resolverMethods));
  const defines: Record<string, string> = { ...TFLM_DEFINES };
  if (!o.debug) Object.assign(defines, { NDEBUG: '1', TF_LITE_STRIP_ERROR_STRINGS: '1' });
  if (o.cmsisnn) defines.CMSIS_NN = '1';
  const includeDirs = [tree, ...THIRD_PARTY_INCLUDES.map((t) => join(tree, t.dir))];
  if (o.cmsisnn && o.cmsisNnDir) includeDirs.push(o.cmsisNnDir, join(o.cmsisNnDir, 'Include'));
  if (o.cmsisnn && o.cmsisCoreInclude) includeDirs.push(o.cmsisCoreInclude);
  const common = [
    '-ffunction-sections',
    '-fdata-sections',
    ...cDefineFlags(defines),
    ...o.cxxIncludeDirs.flatMap((d) => ['-isystem', d]),
    ...includeDirs.map((d) => `-I${d}`),
  ];
  const cxx = (opt: string): string[] => [opt, ...TFLM_CXX_FLAGS, ...common];
  const units = [
    ...list.core.map((f) => ({ source: join(tree, f), flags: cxx(TFLM_OPTIMIZATION.core) })),
    ...kernels.map((f) => ({ source: join(tree, f), flags: cxx(TFLM_OPTIMIZATION.kernel) })),
    ...(o.cmsisnn && o.cmsisNnDir
      ? cmsisNnSources(o.cmsisNnDir).map((f) => ({ source: f, flags: [TFLM_OPTIMIZATION.thirdParty, ...TFLM_C_FLAGS, ...common] }))
      : []),
  ];
  return {
    library: { name: 'tflm', revision: tflmTreeRevision(tree), units },
    includeDirs,
    defines,
    cflags: [...TFLM_CXX_FLAGS.filter((f) => f !== '-std=c++17'), ...o.cxxIncludeDirs.flatMap((d) => ['-isystem', d])],
    core: list.core,
    kernels,
  };
}
