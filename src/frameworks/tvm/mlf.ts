// Model Library Format: safe extraction of the tarball tvmc writes, and the figures mlbench
// takes from its metadata.json (v7 layout of TVM 0.17: `modules.default.memory.functions`).
import { mkdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { MlbenchError } from '../../core/errors.js';

/** Why a member name would land outside the extraction directory, or undefined when it is safe. */
export function escapingMemberReason(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return 'absolute path';
  const normal = posix.normalize(name.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return 'leaves the directory';
  return undefined;
}

/** Member types an MLF holds; links, devices and FIFOs are refused (a link can make a later member land outside). */
const PLAIN_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/**
 * Unpacks an MLF tarball into dir. Every member is checked first and the whole archive is
 * refused when any is not a plain file or folder or its name would escape: a partly unpacked
 * MLF is worse than none. tvmc writes no links, so none are accepted, not even ones that seem
 * to stay inside (two links in a row can lead out where each alone looks safe).
 */
export async function extractMlf(tarFile: string, dir: string): Promise<string[]> {
  const members: string[] = [];
  const bad: string[] = [];
  await tar.t({
    file: tarFile,
    onReadEntry: (entry) => {
      members.push(entry.path);
      const why = escapingMemberReason(entry.path);
      if (why) bad.push(`${entry.path} (${why})`);
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        const linkpath = entry.linkpath ?? '';
        const target = entry.type === 'SymbolicLink' ? posix.join(posix.dirname(entry.path), linkpath) : linkpath;
        const linkWhy = escapingMemberReason(linkpath.startsWith('/') ? linkpath : target);
        bad.push(`${entry.path} -> ${linkpath} (${linkWhy ? `link ${linkWhy}` : 'a link'})`);
      } else if (!PLAIN_TYPES.has(entry.type)) {
        bad.push(`${entry.path} (${entry.type})`);
      }
    },
  });
  if (bad.length) {
    throw new MlbenchError('tool-failed', `refusing to unpack ${tarFile}: members that are not plain files inside the run directory: ${bad.join(', ')}`, {
      hint: 'the archive is not an MLF written by tvmc; nothing was extracted',
    });
  }
  mkdirSync(dir, { recursive: true });
  // The filter repeats the check, so an archive changed between the two reads still cannot place a link.
  await tar.x({ file: tarFile, cwd: dir, strict: true, filter: (_path, entry) => 'type' in entry && PLAIN_TYPES.has(entry.type) });
  return members;
}

const IoMap = z.record(z.string(), z.object({ size: z.number().int().nonnegative(), dtype: z.string() }));

const MainFunction = z.object({
  device: z.number().optional(),
  workspace_size_bytes: z.number().int().nonnegative(),
  constants_size_bytes: z.number().int().nonnegative().optional(),
  io_size_bytes: z.number().int().nonnegative().optional(),
  inputs: IoMap.optional(),
  outputs: IoMap.optional(),
});

const OperatorFunction = z.object({
  function_name: z.string(),
  workspace: z.array(z.object({ device: z.number().optional(), workspace_size_bytes: z.number().int().nonnegative() })),
});

const Memory = z.object({
  functions: z.object({
    main: z.array(MainFunction).min(1),
    operator_functions: z.array(OperatorFunction).default([]),
  }),
  sids: z.array(z.object({ storage_id: z.number(), size_bytes: z.number() }).passthrough()).optional(),
});

const ModuleV7 = z.object({
  model_name: z.string().optional(),
  executors: z.array(z.string()),
  target: z.array(z.string()).optional(),
  memory: Memory,
  external_dependencies: z
    .array(z.object({ short_name: z.string(), url: z.string(), url_type: z.string(), version_spec: z.string() }))
    .optional(),
});

const MetadataV7 = z.object({
  version: z.number().int(),
  modules: z.record(z.string(), ModuleV7),
});

export interface MlfTensorInfo {
  name: string;
  size: number;
  dtype: string;
}

/** What the report and the wrapper need from metadata.json. */
export interface MlfMetadata {
  version: number;
  executor: 'aot' | 'graph';
  /** `main[0].workspace_size_bytes`: the AOT arena MLonMCU reserves. */
  workspaceBytes: number;
  constantsBytes: number;
  ioBytes: number;
  /** Largest single operator workspace (what tvmcg reserves). */
  maxOperatorWorkspaceBytes: number;
  inputs: MlfTensorInfo[];
  outputs: MlfTensorInfo[];
  target: string[];
  /** Version of the standalone CRT copied into runtime/, when AOT + crt. */
  crtVersion?: string;
}

function entries(map: z.infer<typeof IoMap> | undefined): MlfTensorInfo[] {
  return Object.entries(map ?? {}).map(([name, v]) => ({ name, size: v.size, dtype: v.dtype }));
}

export function parseMlfMetadata(text: string, origin = 'metadata.json'): MlfMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MlbenchError('tool-failed', `${origin} is not JSON: ${(e as Error).message}`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== 7) {
    throw new MlbenchError('tool-failed', `${origin}: MLF metadata version ${String(version)} is not supported`, {
      hint: 'mlbench reads MLF version 7 (TVM 0.17/0.18); use TVM v0.17.0',
    });
  }
  const parsed = MetadataV7.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MlbenchError('tool-failed', `${origin}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const mod = parsed.data.modules.default ?? Object.values(parsed.data.modules)[0];
  if (!mod) throw new MlbenchError('tool-failed', `${origin}: no module in "modules"`);
  const main = mod.memory.functions.main[0];
  const executor = mod.executors[0];
  if (executor !== 'aot' && executor !== 'graph') {
    throw new MlbenchError('tool-failed', `${origin}: unknown executor ${String(executor)}`);
  }
  const crt = mod.external_dependencies?.find((d) => d.short_name === 'tvm_standalone_crt');
  return {
    version,
    executor,
    workspaceBytes: main.workspace_size_bytes,
    constantsBytes: main.constants_size_bytes ?? 0,
    ioBytes: main.io_size_bytes ?? 0,
    maxOperatorWorkspaceBytes: Math.max(
      0,
      ...mod.memory.functions.operator_functions.map((f) => f.workspace[0]?.workspace_size_bytes ?? 0),
    ),
    inputs: entries(main.inputs),
    outputs: entries(main.outputs),
    target: mod.target ?? [],
    crtVersion: crt?.version_spec,
  };
}

export function readMlfMetadata(mlfDir: string): MlfMetadata {
  const file = posix.join(mlfDir, 'metadata.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MlbenchError('tool-failed', `${file} missing: tvmc did not write a Model Library Format archive`);
  }
  return parseMlfMetadata(text, file);
}

/**
 * The struct field TVM's C interface (tvmgen_default.h) names a tensor by: TVM's SanitizeName
 * replaces every byte of the UTF-8 name that is not an ASCII letter or digit by `_`, so `é`
 * becomes `__`. The result is not always an identifier (`1x`, a keyword): see tvmFieldNames.
 */
export function sanitizeTvmName(name: string): string {
  return Array.from(Buffer.from(name, 'utf8'), (b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '_')).join('');
}

const C_KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
    'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Complex ' +
    '_Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local bool true false asm typeof')
    .split(' '),
);

/**
 * The C interface field of each tensor, as TVM names it. A name TVM would turn into something
 * that is not a C identifier (empty, leading digit, keyword) or into another tensor's field
 * cannot be wired up; the model is refused rather than the name written into code.
 */
export function tvmFieldNames(kind: 'input' | 'output', names: string[]): string[] {
  const fields = names.map(sanitizeTvmName);
  fields.forEach((f, i) => {
    const why = !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f)
      ? `which is not a C identifier`
      : C_KEYWORDS.has(f)
        ? 'which is a C keyword'
        : fields.indexOf(f) !== i
          ? `which another ${kind} also becomes`
          : undefined;
    if (why) {
      throw new MlbenchError('model', `${kind} ${i} of the model: TVM's C interface names it ${JSON.stringify(f.slice(0, 60))}, ${why}`, {
        hint: 'rename the tensor in the model, or use tvmaot without unpacked_api (packed interface, no names)',
      });
    }
  });
  return fields;
}
