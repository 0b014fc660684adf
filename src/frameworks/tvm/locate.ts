// Finding a TVM that can emit Model Library Format: a source tree with a build
// (MLBENCH_TVM_DIR, tools `tvm.src_dir`/`tvm.build_dir`), a `tvmc` on PATH, or a Python
// that can `import tvm`. Only TVM <= 0.18 still has microTVM's MLF export (0.19 removed it).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Availability, EnvironmentInfo } from '../../core/component.js';
import { runTool } from '../../core/exec.js';
import { whichSync } from '../../core/which.js';

/** How to start tvmc and with which environment (PYTHONPATH etc. for a source build). */
export interface TvmInstallation {
  /** TVM source tree (holds src/runtime/crt, include/, 3rdparty/dlpack), when known. */
  srcDir?: string;
  buildDir?: string;
  /** argv[0] and the arguments that precede `compile`/`tune`. */
  command: string;
  commandPrefix: string[];
  env: Record<string, string>;
  version: string;
  /** Where it was found, for `mlbench env`. */
  origin: string;
}

export const TVM_HOW_TO_GET =
  'build TVM v0.17.0 (USE_MICRO=ON, USE_LLVM=ON; MLF needs TVM <= 0.18) and point mlbench at it: ' +
  'export MLBENCH_TVM_DIR=/path/to/tvm (build dir <tvm>/build, or set tools.tvm.build_dir), ' +
  'or set tools.tvm.src_dir in environment.yml, or put a tvmc of TVM <= 0.18 on PATH; ' +
  '`mlbench setup --frameworks` clones the pinned sources when a network exists';

const VERSION_TIMEOUT_MS = 20_000;

/**
 * A path setting from the environment: `tools.<key>` (any of the spellings) or, when the
 * environment file has a `config:` section, the same key there.
 */
export function environmentSetting(env: EnvironmentInfo, keys: string[]): string | undefined {
  for (const k of keys) if (env.tools[k]) return env.tools[k];
  const settings = (env as EnvironmentInfo & { settings?: { config?: Record<string, unknown> | null } }).settings;
  const config = settings?.config ?? {};
  for (const k of keys) {
    const v = config[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseTvmVersion(text: string): ParsedVersion | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

/** Why this TVM version cannot produce MLF, or undefined when it can (<= 0.18). */
export function tvmVersionProblem(version: string): string | undefined {
  const v = parseTvmVersion(version);
  if (!v) return `cannot read the TVM version from ${JSON.stringify(version)}`;
  if (v.major > 0 || v.minor > 18) {
    return (
      `TVM ${version} found, but mlbench needs TVM <= 0.18: 0.19 removed microTVM and ` +
      `\`tvmc compile -f mlf\`, 0.20 removed tvmc (use v0.17.0 as MLonMCU does)`
    );
  }
  return undefined;
}

/** PYTHONPATH and library variables MLonMCU sets to run tvmc from a source build. */
export function sourceBuildEnvironment(srcDir: string, buildDir: string): Record<string, string> {
  const pythonPath = [join(srcDir, 'python'), process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  return {
    PYTHONPATH: pythonPath,
    TVM_LIBRARY_PATH: buildDir,
    TVM_CONFIGS_JSON_DIR: join(srcDir, 'configs'),
    TVM_BIND_THREADS: '0',
  };
}

async function pythonTvmVersion(env: Record<string, string>): Promise<string | undefined> {
  try {
    const r = await runTool('python3', ['-c', 'import tvm; print(tvm.__version__)'], {
      env: { ...process.env, ...env } as Record<string, string>,
      timeoutMs: VERSION_TIMEOUT_MS,
    });
    return r.exitCode === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  } catch {
    return undefined;
  }
}

async function tvmcVersion(tvmc: string): Promise<string | undefined> {
  try {
    const r = await runTool(tvmc, ['--version'], { timeoutMs: VERSION_TIMEOUT_MS });
    return r.exitCode === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  } catch {
    return undefined;
  }
}

export type TvmSearch =
  | { found: true; installation: TvmInstallation }
  | { found: false; missing: string[] };

/** The source tree given by MLBENCH_TVM_DIR or the environment, if any. */
export function configuredTvmDirs(env: EnvironmentInfo): { srcDir?: string; buildDir?: string; origin: string } {
  const fromVar = process.env.MLBENCH_TVM_DIR;
  if (fromVar) return { srcDir: fromVar, buildDir: process.env.MLBENCH_TVM_BUILD_DIR, origin: 'MLBENCH_TVM_DIR' };
  const srcDir = environmentSetting(env, ['tvm.src_dir', 'tvm_src_dir', 'tvm']);
  const buildDir = environmentSetting(env, ['tvm.build_dir', 'tvm_build_dir']);
  return { srcDir, buildDir, origin: 'tools.tvm.src_dir' };
}

/** Looks for TVM in the documented order; reports exactly what is missing when none is usable. */
export async function findTvm(env: EnvironmentInfo): Promise<TvmSearch> {
  const configured = configuredTvmDirs(env);
  if (configured.srcDir) {
    const srcDir = configured.srcDir;
    const missing: string[] = [];
    if (!existsSync(join(srcDir, 'python', 'tvm', '__init__.py'))) {
      missing.push(`${srcDir} (from ${configured.origin}) is not a TVM source tree: python/tvm/__init__.py missing`);
      return { found: false, missing };
    }
    const buildDir = configured.buildDir ?? join(srcDir, 'build');
    if (!existsSync(join(buildDir, 'libtvm.so')) && !existsSync(join(buildDir, 'libtvm.dylib'))) {
      return { found: false, missing: [`TVM at ${srcDir} is not built: ${join(buildDir, 'libtvm.so')} missing`] };
    }
    const pyEnv = sourceBuildEnvironment(srcDir, buildDir);
    const version = await pythonTvmVersion(pyEnv);
    if (!version) return { found: false, missing: [`python3 cannot import tvm from ${join(srcDir, 'python')}`] };
    const problem = tvmVersionProblem(version);
    if (problem) return { found: false, missing: [`${problem} (at ${srcDir})`] };
    return {
      found: true,
      installation: {
        srcDir,
        buildDir,
        command: 'python3',
        commandPrefix: ['-m', 'tvm.driver.tvmc'],
        env: pyEnv,
        version,
        origin: configured.origin,
      },
    };
  }
  const tvmc = environmentSetting(env, ['tvmc']) ?? whichSync('tvmc');
  if (tvmc) {
    const version = await tvmcVersion(tvmc);
    if (!version) return { found: false, missing: [`${tvmc} --version failed`] };
    const problem = tvmVersionProblem(version);
    if (problem) return { found: false, missing: [`${problem} (${tvmc})`] };
    return { found: true, installation: { command: tvmc, commandPrefix: [], env: {}, version, origin: tvmc } };
  }
  const version = await pythonTvmVersion({});
  if (version) {
    const problem = tvmVersionProblem(version);
    if (problem) return { found: false, missing: [`${problem} (python3 -c "import tvm")`] };
    return {
      found: true,
      installation: {
        command: 'python3',
        commandPrefix: ['-m', 'tvm.driver.tvmc'],
        env: {},
        version,
        origin: 'python3 -c "import tvm"',
      },
    };
  }
  return {
    found: false,
    missing: ['TVM: MLBENCH_TVM_DIR not set, no tools.tvm.src_dir, no tvmc on PATH, python3 cannot import tvm'],
  };
}

// `mlbench env` asks the framework and each of its backends; one python3 start per setting.
const searches = new Map<string, Promise<TvmSearch>>();

export function findTvmOnce(env: EnvironmentInfo): Promise<TvmSearch> {
  const key = JSON.stringify([configuredTvmDirs(env), env.tools.tvmc ?? '', process.env.PATH ?? '']);
  let search = searches.get(key);
  if (!search) {
    search = findTvm(env);
    searches.set(key, search);
  }
  return search;
}

export async function tvmAvailability(env: EnvironmentInfo): Promise<Availability> {
  const r = await findTvmOnce(env);
  if (!r.found) return { usable: false, missing: r.missing, howToGet: TVM_HOW_TO_GET };
  return { usable: true, missing: [], version: r.installation.version };
}
