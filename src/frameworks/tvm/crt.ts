// The TVM C runtime (CRT) an MLF needs on the device: which sources, which include
// directories, and the crt_config.h TVM leaves to the application (EXTERNAL-TOOLS §1.3).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MlbenchError } from '../../core/errors.js';

/** Values for the `${NAME}` placeholders of templates/crt_config.h.template (TVM's defaults). */
export const CRT_CONFIG_VALUES: Record<string, string> = {
  TVM_CRT_LOG_LEVEL: 'TVM_CRT_LOG_LEVEL_WARN',
  TVM_CRT_MAX_NDIM: '6',
  TVM_CRT_MAX_ARGS: '10',
  TVM_CRT_STRLEN_DLTYPE: '10',
  TVM_CRT_STRLEN_NAME: '80',
  TVM_CRT_MAX_STRLEN_DLTYPE: '10',
  TVM_CRT_MAX_STRLEN_FUNCTION_NAME: '120',
  TVM_CRT_MAX_STRLEN_PARAM_NAME: '80',
  TVM_CRT_GLOBAL_FUNC_REGISTRY_SIZE_BYTES: '512',
  TVM_CRT_MAX_REGISTERED_MODULES: '2',
  TVM_CRT_MAX_FUNCTION_NAME_LENGTH_BYTES: '100',
  TVM_CRT_MAX_PACKET_SIZE_BYTES: '2048',
};

/** Fills the template; an unknown placeholder is an error rather than a silently wrong config. */
export function renderCrtConfig(template: string, values: Record<string, string> = CRT_CONFIG_VALUES): string {
  const unknown = new Set<string>();
  const out = template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) unknown.add(name);
    return v ?? '';
  });
  if (unknown.size) {
    throw new MlbenchError('tool-failed', `crt_config.h.template has placeholders mlbench has no value for: ${[...unknown].join(', ')}`);
  }
  return out;
}

/** crt_config.h for the graph executor built from a TVM source tree (v0.17 ships none). */
export function defaultCrtConfig(): string {
  const lines = ['/* crt_config.h: TVM CRT limits (TVM defaults), written by mlbench. */', '#ifndef TVM_RUNTIME_CRT_CONFIG_H_', '#define TVM_RUNTIME_CRT_CONFIG_H_', '#define TVM_CRT_LOG_LEVEL TVM_CRT_LOG_LEVEL_WARN'];
  for (const key of [
    'TVM_CRT_MAX_NDIM',
    'TVM_CRT_MAX_ARGS',
    'TVM_CRT_MAX_STRLEN_DLTYPE',
    'TVM_CRT_MAX_STRLEN_FUNCTION_NAME',
    'TVM_CRT_MAX_STRLEN_PARAM_NAME',
    'TVM_CRT_GLOBAL_FUNC_REGISTRY_SIZE_BYTES',
    'TVM_CRT_MAX_REGISTERED_MODULES',
    'TVM_CRT_MAX_FUNCTION_NAME_LENGTH_BYTES',
    'TVM_CRT_MAX_PACKET_SIZE_BYTES',
  ])
    lines.push(`#define ${key} ${CRT_CONFIG_VALUES[key]}`);
  lines.push('#endif', '');
  return lines.join('\n');
}

export type CrtExecutor = 'aot' | 'graph';

/** CRT sources relative to `src/runtime/crt/` (of runtime/ in an MLF, or of a TVM tree). */
export const CRT_SOURCES: Record<CrtExecutor, string[]> = {
  aot: ['common/crt_backend_api.c', 'memory/stack_allocator.c'],
  graph: [
    'common/crt_backend_api.c',
    'common/crt_runtime_api.c',
    'common/func_registry.c',
    'memory/page_allocator.c',
    'memory/stack_allocator.c',
    'common/ndarray.c',
    'common/packed_func.c',
    'graph_executor/graph_executor.c',
    'graph_executor/load_json.c',
  ],
};

export interface CrtBuild {
  sources: string[];
  includeDirs: string[];
  defines: Record<string, string>;
  cflags: string[];
}

/**
 * MLonMCU's way when a TVM source tree is known: the CRT from the tree, whose paths do not
 * change between runs, so mlif's library cache builds it once per target. Without a tree, AOT
 * takes the self-contained way: the MLF's own runtime/ copy of the standalone CRT. Graph
 * executor MLFs carry no runtime/, so tvmrt always needs the tree.
 */
export function crtBuild(executor: CrtExecutor, mlfDir: string, tvmSrcDir: string | undefined, configDir: string): CrtBuild {
  const defines = { TVM_RUNTIME_ALLOC_ALIGNMENT_BYTES: '4' };
  if (!tvmSrcDir && executor === 'aot' && existsSync(join(mlfDir, 'runtime', 'include'))) {
    const root = join(mlfDir, 'runtime');
    return {
      sources: CRT_SOURCES.aot.map((s) => join(root, 'src', 'runtime', 'crt', s)),
      includeDirs: [configDir, join(root, 'include')],
      defines,
      cflags: [],
    };
  }
  if (!tvmSrcDir) {
    throw new MlbenchError('tool-missing', `the ${executor} executor needs the TVM CRT sources, and no TVM source tree is known`, {
      hint: 'point MLBENCH_TVM_DIR (or tools.tvm.src_dir) at a TVM v0.17 source tree',
    });
  }
  const crt = join(tvmSrcDir, 'src', 'runtime', 'crt');
  return {
    sources: CRT_SOURCES[executor].map((s) => join(crt, s)),
    includeDirs: [configDir, join(tvmSrcDir, 'include'), join(tvmSrcDir, '3rdparty', 'dlpack', 'include'), join(crt, 'include')],
    defines,
    // load_json.c mixes pointer types the way upstream compiles it.
    cflags: executor === 'graph' ? ['-Wno-incompatible-pointer-types'] : [],
  };
}

/** crt_config.h text for this MLF: from its template when it has one. */
export function crtConfigFor(mlfDir: string): string {
  const template = join(mlfDir, 'templates', 'crt_config.h.template');
  return existsSync(template) ? renderCrtConfig(readFileSync(template, 'utf8')) : defaultCrtConfig();
}
