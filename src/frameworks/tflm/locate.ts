// Finding a TensorFlow Lite Micro source tree (MLBENCH_TFLM_DIR, tools.tflm.src_dir or config
// tflm.src_dir) with the third-party headers its `third_party_downloads` target fetches.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability, EnvironmentInfo } from '../../core/component.js';
import { whichSync } from '../../core/which.js';
import { environmentSetting } from '../tvm/locate.js';

export const TFLM_HOW_TO_GET =
  'git clone https://github.com/tensorflow/tflite-micro (MLonMCU pins 19aaea85), run ' +
  '`make -f tensorflow/lite/micro/tools/make/Makefile third_party_downloads` in it, then ' +
  'export MLBENCH_TFLM_DIR=<that dir> (or set tools.tflm.src_dir in environment.yml); `mlbench setup --frameworks` fetches it when a network exists, `mlbench setup --frameworks-from DIR` adopts a prepared tree';

export const DOWNLOADS = 'tensorflow/lite/micro/tools/make/downloads';

/** Third-party include directories the library needs, relative to the tree. */
export const THIRD_PARTY_INCLUDES: { name: string; dir: string; probe: string }[] = [
  { name: 'flatbuffers', dir: `${DOWNLOADS}/flatbuffers/include`, probe: 'flatbuffers/flatbuffers.h' },
  { name: 'gemmlowp', dir: `${DOWNLOADS}/gemmlowp`, probe: 'fixedpoint/fixedpoint.h' },
  { name: 'ruy', dir: `${DOWNLOADS}/ruy`, probe: 'ruy/profiler/instrumentation.h' },
];

export interface TflmTree {
  dir: string;
  origin: string;
}

export function configuredTflmDir(env: EnvironmentInfo): TflmTree | undefined {
  if (process.env.MLBENCH_TFLM_DIR) return { dir: process.env.MLBENCH_TFLM_DIR, origin: 'MLBENCH_TFLM_DIR' };
  const dir = environmentSetting(env, ['tflm.src_dir', 'tflm_src_dir', 'tflm']);
  if (dir) return { dir, origin: 'tools.tflm.src_dir' };
  // Where `mlbench setup --frameworks` (or --frameworks-from) put it.
  const prepared = join(env.home, 'deps', 'src', 'tflite-micro');
  return existsSync(join(prepared, 'tensorflow')) ? { dir: prepared, origin: 'mlbench setup --frameworks' } : undefined;
}

/** Everything missing from a TFLM tree, empty when it can be built. */
export function tflmTreeProblems(tree: TflmTree): string[] {
  if (!existsSync(join(tree.dir, 'tensorflow/lite/micro/micro_interpreter.h'))) {
    return [`${tree.dir} (from ${tree.origin}) is not a tflite-micro tree: tensorflow/lite/micro/micro_interpreter.h missing`];
  }
  return THIRD_PARTY_INCLUDES.filter((t) => !existsSync(join(tree.dir, t.dir, t.probe))).map(
    (t) => `${t.name} headers (${join(tree.dir, t.dir)}): run \`make -f tensorflow/lite/micro/tools/make/Makefile third_party_downloads\` in ${tree.dir}`,
  );
}

/** Where Debian's libstdc++-arm-none-eabi-dev puts the C++ headers of its newlib build. */
export const NEWLIB_CXX_ROOT = '/usr/include/newlib/c++';
export const CXX_HEADERS_HOW_TO_GET = 'apt-get install libstdc++-arm-none-eabi-dev libstdc++-arm-none-eabi-picolibc (or `mlbench setup`)';

/**
 * C++ standard headers for a bare-metal compiler: none for the host; arm-none-eabi-gcc finds
 * Debian's on its own; riscv64-unknown-elf has no Debian C++ library, and the target-neutral
 * headers of the Arm newlib build serve it (TFLM uses header-only parts, without exceptions or
 * RTTI). `undefined` when a cross target needs them and they are not installed.
 */
export function cxxIncludeDirsFor(arch: string, root = NEWLIB_CXX_ROOT): string[] | undefined {
  if (arch === 'x86_64') return [];
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  if (!version || !existsSync(join(root, version, 'cstdarg'))) return undefined;
  return arch === 'riscv32' ? [join(root, version), join(root, version, 'arm-none-eabi')] : [];
}

export function tflmAvailability(env: EnvironmentInfo): Availability {
  const tree = configuredTflmDir(env);
  if (!tree) {
    return {
      usable: false,
      missing: ['TensorFlow Lite Micro sources: MLBENCH_TFLM_DIR not set and no tools.tflm.src_dir'],
      howToGet: TFLM_HOW_TO_GET,
    };
  }
  const problems = tflmTreeProblems(tree);
  if (problems.length) return { usable: false, missing: problems, howToGet: TFLM_HOW_TO_GET };
  // The host needs no extra headers, so the tree alone makes tflm usable; cross targets say so.
  const headers = cxxIncludeDirsFor('arm') === undefined ? [`C++ headers for the cross targets (${NEWLIB_CXX_ROOT}); host_x86 works without`] : [];
  return { usable: true, missing: headers, howToGet: headers.length ? CXX_HEADERS_HOW_TO_GET : undefined, version: tree.dir };
}

/**
 * tflmc needs the tree and the host's g++: it builds TFLM for the host once to record the
 * model's allocation there (mlbench's own compiler, no tflite_micro_compiler executable).
 */
export function tflmcAvailability(env: EnvironmentInfo): Availability {
  const base = tflmAvailability(env);
  if (!base.usable) return base;
  if (!whichSync('g++')) return { usable: false, missing: ['g++ (tflmc records the model with TFLM built for the host)'], howToGet: 'apt-get install g++' };
  return base;
}
