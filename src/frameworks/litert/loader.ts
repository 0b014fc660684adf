// Loads @litertjs/core (Google's LiteRT/TFLite runtime compiled to wasm) into plain Node.
// The package targets browsers, so two things stand in the way (see NODE-NOTES.md):
//  1. its wasm glue is a CommonJS script that @litertjs/wasm-utils loads through the web-worker
//     path (`importScripts` + `self.ModuleFactory`); we provide that path and compile the script
//     as CJS so emscripten takes its Node branch (reads the .wasm next to it with fs);
//  2. its dtype table lacks int8/int16 although the wasm handles them; we import a patched copy
//     of dist/index.js. The patch is anchored on exact text of the pinned version and refuses to
//     run when the text moved, because a silently unpatched copy would reject every int8 model.
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MlbenchError } from '../../core/errors.js';

export const LITERT_VERSION = '2.5.3';

/** The slice of the LiteRT.js API the oracle uses (typed here so nothing leaks as `any`). */
export interface LiteRtTensor {
  toTypedArray(): ArrayBufferView;
  delete(): void;
}

export interface LiteRtTensorDetails {
  name: string;
  index: number;
  dtype: string;
  shape: Int32Array | number[];
}

export interface LiteRtCompiledModel {
  getInputDetails(): readonly LiteRtTensorDetails[];
  getOutputDetails(): readonly LiteRtTensorDetails[];
  run(inputs: LiteRtTensor[]): Promise<LiteRtTensor[]>;
  delete(): void;
}

export interface LiteRtApi {
  loadAndCompile(model: Uint8Array, options: { accelerator: 'wasm' }): Promise<LiteRtCompiledModel>;
  Tensor: new (data: ArrayBufferView, shape: number[]) => LiteRtTensor;
}

interface LiteRtModule extends LiteRtApi {
  loadLiteRt(path: string): Promise<unknown>;
}

const COMPAT_GLUE = 'litert_wasm_compat_internal.js';

/** Text replacements applied to dist/index.js; each anchor must occur exactly once. */
const PATCHES: { why: string; anchor: string; replacement: string }[] = [
  {
    why: 'add int8/int16 to the dtype table',
    anchor: `  {
    dtype: "uint8",
    typedArrayConstructor: Uint8Array,
    elementType: ElementType.UINT8
  }
]);`,
    replacement: `  {
    dtype: "uint8",
    typedArrayConstructor: Uint8Array,
    elementType: ElementType.UINT8
  },
  {
    dtype: "int8",
    typedArrayConstructor: Int8Array,
    elementType: ElementType.INT8
  },
  {
    dtype: "int16",
    typedArrayConstructor: Int16Array,
    elementType: ElementType.INT16
  }
]);`,
  },
  {
    // Node has no WebGPU; asking for a device only prints a warning on every load.
    why: 'skip the WebGPU device probe',
    anchor: 'await Environment.create()\n',
    replacement: 'await Environment.create({ webGpuDevice: null })\n',
  },
  {
    why: 'import wasm-utils by absolute URL (the patched copy lives outside node_modules)',
    anchor: 'from "@litertjs/wasm-utils";',
    replacement: 'from "__WASM_UTILS_URL__";',
  },
];

/** LiteRT logs its accelerator registry on every load; keep only what signals a problem. */
function keepDiagnostics(line: string): void {
  if (/^INFO:|NPU accelerator could not be loaded/.test(line)) return;
  process.stderr.write(`litert: ${line}\n`);
}

let loading: Promise<LiteRtApi> | undefined;

/** The LiteRT runtime, loaded once per process (the package keeps one global instance). */
export function loadLiteRtRuntime(): Promise<LiteRtApi> {
  loading ??= loadOnce().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** Finds @litertjs/core as resolved from `from` (a file URL or path; this module by default). */
export function locateLiteRt(from: string = import.meta.url): { coreDir: string; wasmUtilsEntry: string } {
  const require = createRequire(from);
  let corePkg: string;
  try {
    corePkg = require.resolve('@litertjs/core/package.json');
  } catch (e) {
    throw new MlbenchError('tool-missing', '@litertjs/core is not installed (needed for the LiteRT golden oracle)', {
      hint: `npm install --save-dev @litertjs/core@${LITERT_VERSION}`,
      cause: e,
    });
  }
  const coreDir = dirname(corePkg);
  const version = (JSON.parse(readFileSync(corePkg, 'utf8')) as { version?: string }).version;
  if (version !== LITERT_VERSION) {
    throw new MlbenchError('tool-missing', `@litertjs/core ${version ?? '?'} is installed; the oracle needs exactly ${LITERT_VERSION}`, {
      hint: `npm install --save-dev @litertjs/core@${LITERT_VERSION}`,
    });
  }
  // wasm-utils has no "exports" map, so its package.json resolves from core's location.
  const requireFromCore = createRequire(corePkg);
  const wasmUtilsPkg = requireFromCore.resolve('@litertjs/wasm-utils/package.json');
  return { coreDir, wasmUtilsEntry: join(dirname(wasmUtilsPkg), 'dist', 'index.js') };
}

export function patchLiteRtSource(source: string, wasmUtilsUrl: string): string {
  let text = source;
  for (const p of PATCHES) {
    const count = text.split(p.anchor).length - 1;
    if (count !== 1) {
      throw new MlbenchError('tool-failed', `cannot patch @litertjs/core to ${p.why}: anchor text found ${count} times`, {
        hint: `the oracle is written for @litertjs/core ${LITERT_VERSION}; reinstall that exact version`,
      });
    }
    text = text.replace(p.anchor, p.replacement.replace('__WASM_UTILS_URL__', wasmUtilsUrl));
  }
  // The source map comment points at a relative file that does not exist for a data: URL.
  return text.replace(/\/\/# sourceMappingURL=.*$/m, '');
}

/** Compiles emscripten's CJS glue with a real filename so it finds its .wasm via __dirname. */
function compileGlue(path: string): unknown {
  const m = new Module(path) as Module & { _compile(code: string, filename: string): void; filename: string };
  m.filename = path;
  m.paths = [];
  m._compile(readFileSync(path, 'utf8'), path);
  return m.exports;
}

async function loadOnce(): Promise<LiteRtApi> {
  const { coreDir, wasmUtilsEntry } = locateLiteRt();
  const patched = patchLiteRtSource(readFileSync(join(coreDir, 'dist', 'index.js'), 'utf8'), pathToFileURL(wasmUtilsEntry).href);
  const url = `data:text/javascript;base64,${Buffer.from(patched).toString('base64')}`;
  const lib = (await import(url)) as LiteRtModule;

  const g = globalThis as Record<string, unknown>;
  const hadSelf = 'self' in g;
  const savedImportScripts = g.importScripts;
  g.self ??= globalThis;
  g.importScripts = (scriptUrl: string): void => {
    const factory = compileGlue(scriptUrl);
    if (typeof factory !== 'function') throw new Error(`${scriptUrl} did not export a module factory`);
    const self = g.self as Record<string, unknown>;
    self.ModuleFactory = factory;
    // wasm-utils hands self.Module to the factory: route the runtime's chatter through a filter.
    self.Module = { print: keepDiagnostics, printErr: keepDiagnostics };
  };
  try {
    await lib.loadLiteRt(join(coreDir, 'wasm', COMPAT_GLUE));
  } catch (e) {
    if (e instanceof MlbenchError) throw e;
    throw new MlbenchError('tool-failed', `LiteRT wasm runtime failed to load: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  } finally {
    if (savedImportScripts === undefined) delete g.importScripts;
    else g.importScripts = savedImportScripts;
    if (!hadSelf) delete g.self;
  }
  return { loadAndCompile: lib.loadAndCompile, Tensor: lib.Tensor };
}
