// The library sources of a TFLM tree, derived the way TFLM's own Makefile derives them
// (tools/make/Makefile: MICROLITE_CC_BASE_SRCS, MICROLITE_CC_KERNEL_SRCS and
// additional_kernels.inc, specialised by the optimized kernel dir), so the list follows the tree's
// ref instead of a list kept here: files TFLM moved (schema_utils.cc now lives under
// tensorflow/compiler/mlir/lite/schema/) come along, test code never does.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAKE = 'tensorflow/lite/micro/tools/make';
const MICRO = 'tensorflow/lite/micro';
export const KERNELS_DIR = `${MICRO}/kernels`;

/** Directories whose *.cc are MICROLITE_CC_BASE_SRCS, besides the shared TfLite files. */
const BASE_DIRS = [MICRO, `${MICRO}/arena_allocator`, `${MICRO}/memory_planner`, `${MICRO}/tflite_bridge`];

/** What TFLM's Makefile filters out of the base sources (MICROLITE_TEST_SRCS and benchmarks). */
const NOT_LIBRARY = /(_test\.cc|benchmark\.cc)$/;

/** TfLite files TFLM's static-memory build excludes (EXCLUDED_TFL_CC_SRCS). */
const EXCLUDED_TFL = new Set(['tensorflow/lite/array.cc']);

function ccIn(tree: string, dir: string): string[] {
  const abs = join(tree, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => f.endsWith('.cc') && !NOT_LIBRARY.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/**
 * TFL_CC_SRCS: every .cc/.c under tensorflow/ outside lite/micro and lite/experimental (the
 * files TFLM shares with TfLite, wherever this ref keeps them), in a stable order.
 */
function sharedTfliteSources(tree: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(tree, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (p !== MICRO && p !== 'tensorflow/lite/experimental') walk(p);
      } else if (/\.(cc|c)$/.test(e.name) && !EXCLUDED_TFL.has(p) && !NOT_LIBRARY.test(e.name)) out.push(p);
    }
  };
  if (existsSync(join(tree, 'tensorflow'))) walk('tensorflow');
  return out.sort();
}

/** The files of a `NAME :=` / `NAME +=` list in a makefile, `$(TENSORFLOW_ROOT)` removed. */
export function makefileList(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^${name}\\s*[:+]?=((?:.*\\\\\\n)*.*)$`, 'gm');
  for (const m of text.matchAll(re)) {
    for (const word of m[1].replace(/\\\n/g, ' ').split(/\s+/)) {
      if (word.startsWith('$(TENSORFLOW_ROOT)')) out.push(word.slice('$(TENSORFLOW_ROOT)'.length));
    }
  }
  return out;
}

export interface TflmSourceList {
  /** Interpreter, allocator, planner and the shared TfLite files (compiled -Os by TFLM). */
  core: string[];
  /** Kernel sources after specialisation (compiled -O2 by TFLM). Relative to the tree. */
  kernels: string[];
}

/** The library sources of this tree, relative to it; `optimizedDir` is e.g. 'cmsis_nn'. */
export function tflmSourceList(tree: string, optimizedDir?: string): TflmSourceList {
  const makefile = readFileSync(join(tree, MAKE, 'Makefile'), 'utf8');
  const additional = existsSync(join(tree, MAKE, 'additional_kernels.inc')) ? readFileSync(join(tree, MAKE, 'additional_kernels.inc'), 'utf8') : '';
  const core = [...BASE_DIRS.flatMap((d) => ccIn(tree, d)), ...sharedTfliteSources(tree)];
  const kernels = [
    ...makefileList(makefile, 'MICROLITE_CC_KERNEL_SRCS'),
    ...makefileList(makefile, 'MICROLITE_CC_SIGNAL_KERNEL_SRCS'),
    ...makefileList(additional, 'MICROLITE_CC_KERNEL_SRCS'),
  ];
  // specialize_files.py: a same-named file in the optimized dir replaces the reference one.
  const special = optimizedDir ? join(tree, KERNELS_DIR, optimizedDir) : undefined;
  const specialized = special && existsSync(special) ? new Set(readdirSync(special)) : new Set<string>();
  const kernelList = kernels
    .filter((f) => existsSync(join(tree, f)))
    .map((f) => {
      const base = f.replace(/^.*\//, '');
      return f.startsWith(`${KERNELS_DIR}/`) && specialized.has(base) ? `${KERNELS_DIR}/${optimizedDir}/${base}` : f;
    });
  return { core: core.filter((f) => statSync(join(tree, f)).isFile()), kernels: [...new Set(kernelList)] };
}

/** `Register_X()` functions a source defines (a definition is followed by its body). */
export function definedRegistrations(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(Register_[A-Z0-9_]+)\s*\(\s*\)\s*\{/g)].map((m) => m[1]))];
}

/**
 * The registrations each `MicroMutableOpResolver::Add<Op>` method refers to, read from the
 * tree's micro_mutable_op_resolver.h: what a model with these resolver methods links.
 */
export function resolverRegistrations(tree: string, methods: string[]): Set<string> {
  const header = readFileSync(join(tree, MICRO, 'micro_mutable_op_resolver.h'), 'utf8');
  const bodies = header.split(/TfLiteStatus Add/).slice(1);
  const out = new Set<string>();
  for (const body of bodies) {
    const name = /^(\w+)\s*\(/.exec(body)?.[1];
    if (!name || !methods.includes(name)) continue;
    for (const m of body.matchAll(/\b(Register_[A-Z0-9_]+)\s*\(/g)) out.add(m[1]);
  }
  return out;
}

/**
 * The kernel sources a model needs: those defining a registration it uses, and the helpers
 * in micro/kernels (no registration of their own) that belong to one of them (`conv_common.cc`
 * goes with `conv.cc`) or to no kernel in particular (`kernel_util.cc`). Everything else is
 * left out: with the resolver registering exactly the model's operators nothing refers to it.
 */
/** Helpers a kernel calls beyond its own `<x>_common`: the LSTM prepares its gates with the fully connected helpers. */
const CROSS_HELPERS: Readonly<Record<string, string[]>> = {
  unidirectional_sequence_lstm: ['fully_connected_common'],
};

export function kernelsFor(tree: string, kernels: string[], needed: Set<string>): string[] {
  const defines = new Map(kernels.map((k) => [k, definedRegistrations(readFileSync(join(tree, k), 'utf8'))]));
  const stem = (f: string): string => f.replace(/^.*\//, '').replace(/\.cc$/, '');
  const chosen = new Set(kernels.filter((k) => (defines.get(k) ?? []).some((r) => needed.has(r))));
  const byStem = new Map(kernels.map((k) => [stem(k), k]));
  const helpers = kernels.filter((k) => (defines.get(k) ?? []).length === 0 && k.startsWith(`${KERNELS_DIR}/`));
  // Helpers first without owners, then `<x>_common` helpers of chosen (or always-kept) files.
  for (const h of helpers) {
    if (!/_common$/.test(stem(h)) && !byStem.has(stem(h).replace(/_[a-z]+$/, ''))) chosen.add(h);
  }
  for (const h of helpers) {
    const owner = byStem.get(stem(h).replace(/_common$/, ''));
    if (/_common$/.test(stem(h)) && (owner === undefined || chosen.has(owner))) chosen.add(h);
  }
  for (const k of [...chosen]) {
    for (const extra of CROSS_HELPERS[stem(k)] ?? []) {
      const h = byStem.get(extra);
      if (h) chosen.add(h);
    }
  }
  return kernels.filter((k) => chosen.has(k));
}

/**
 * Builtin operator → the `Register_X` function MicroMutableOpResolver registers for it by
 * default (its `Add<Op>` body names both), read from the tree's micro_mutable_op_resolver.h.
 */
export function builtinRegistrations(tree: string): Map<string, string> {
  const header = readFileSync(join(tree, MICRO, 'micro_mutable_op_resolver.h'), 'utf8');
  const out = new Map<string, string>();
  for (const body of header.split(/TfLiteStatus Add/).slice(1)) {
    const op = /\bBuiltinOperator_([A-Z0-9_]+)/.exec(body)?.[1];
    const fn = /\b(Register_[A-Z0-9_]+)\s*\(/.exec(body)?.[1];
    if (op && fn && !out.has(op)) out.set(op, fn);
  }
  return out;
}
