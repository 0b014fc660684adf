// `mlbench setup --frameworks` for TFLM: the tree at the ref MLonMCU pins and its third-party code
// at the versions TFLM's download scripts pin, fetched with git (never TFLM's Makefile, which
// downloads zips at build time), TFLM's own patches applied with `git apply` as its
// bash_helpers.sh does. `--frameworks-from DIR` takes a prepared tree instead and says what it
// holds. The result sits in <home>/deps/src/tflite-micro, where locate.ts finds it.
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTool } from '../../core/exec.js';
import { DOWNLOADS, THIRD_PARTY_INCLUDES } from './locate.js';

export const TFLM_REPO = { url: 'https://github.com/tensorflow/tflite-micro.git', ref: '19aaea85e4679a9a2f265e07ba190ac5ea4d3766' };
const MAKE = 'tensorflow/lite/micro/tools/make';

export interface ThirdParty {
  name: string;
  url: string;
  ref: string;
  /** TFLM's patch for it, relative to the TFLM tree. */
  patch?: string;
  /** A file that shows it is there, relative to its folder. */
  probe: string;
}

/** What `make third_party_downloads` (and OPTIMIZED_KERNEL_DIR=cmsis_nn) fetches at 19aaea85. */
export const TFLM_THIRD_PARTY: ThirdParty[] = [
  { name: 'flatbuffers', url: 'https://github.com/google/flatbuffers.git', ref: 'v23.5.26', patch: `${MAKE}/flatbuffers.patch`, probe: 'include/flatbuffers/flatbuffers.h' },
  { name: 'gemmlowp', url: 'https://github.com/google/gemmlowp.git', ref: '719139ce755a0f31cbf1c37f7f98adcc7fc9f425', probe: 'fixedpoint/fixedpoint.h' },
  { name: 'ruy', url: 'https://github.com/google/ruy.git', ref: 'd37128311b445e758136b8602d1bbd2a755e115d', probe: 'ruy/profiler/instrumentation.h' },
  { name: 'kissfft', url: 'https://github.com/mborgerding/kissfft.git', ref: 'v130', patch: 'third_party/kissfft/kissfft.patch', probe: 'kiss_fft.h' },
  {
    name: 'pigweed',
    url: 'https://pigweed.googlesource.com/pigweed/pigweed',
    ref: '47268dff45019863e20438ca3746c6c62df6ef09',
    patch: `${MAKE}/pigweed.patch`,
    probe: 'pw_presubmit',
  },
  { name: 'cmsis_nn', url: 'https://github.com/ARM-software/CMSIS-NN.git', ref: '01dee38e6d6bfbbf202f0cd425bbea1731747d51', probe: 'Include/arm_nnfunctions.h' },
  { name: 'cmsis', url: 'https://github.com/ARM-software/CMSIS_5.git', ref: 'e94a96201a97be3e84d3d6ef081d2f0f7db9b5fd', probe: 'CMSIS/Core/Include/cmsis_compiler.h' },
];

export function tflmSetupDir(home: string): string {
  return join(home, 'deps', 'src', 'tflite-micro');
}

type Runner = typeof runTool;

/** One line per part: what was fetched, found or failed. */
export interface TreeReport {
  ok: boolean;
  lines: string[];
}

async function git(run: Runner, args: string[]): Promise<string | undefined> {
  try {
    const r = await run('git', args, { timeoutMs: 20 * 60_000, env: { ...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0' } });
    return r.exitCode === 0 ? undefined : (r.stderr || r.stdout).trim().split('\n').pop() || `exit ${r.exitCode}`;
  } catch (e) {
    return `git not usable: ${(e as Error).message}`;
  }
}

/** A shallow fetch of one ref into dir (a new repository), then TFLM's patch if it has one. */
async function fetchAt(run: Runner, dir: string, url: string, ref: string, patch?: string): Promise<string | undefined> {
  const steps = [['init', '-q', dir], ['-C', dir, 'fetch', '-q', '--depth', '1', url, ref], ['-C', dir, 'checkout', '-q', 'FETCH_HEAD']];
  if (patch) steps.push(['-C', dir, 'apply', patch]);
  for (const args of steps) {
    const failure = await git(run, args);
    if (failure) return `git ${args.filter((a, i) => a !== dir && !(a === '-C' && args[i + 1] === dir)).join(' ')}: ${failure}`;
  }
  return undefined;
}

/** Clones TFLM and its third-party code at the pins; what exists already is kept. */
export async function fetchTflmTree(home: string, run: Runner = runTool): Promise<TreeReport> {
  const dir = tflmSetupDir(home);
  const lines: string[] = [];
  mkdirSync(join(home, 'deps', 'src'), { recursive: true });
  if (!existsSync(join(dir, 'tensorflow'))) {
    const failure = await fetchAt(run, dir, TFLM_REPO.url, TFLM_REPO.ref);
    if (failure) {
      return { ok: false, lines: [`tflite-micro: failed: ${failure} (no network? use --frameworks-from DIR with a prepared tree)`] };
    }
    lines.push(`tflite-micro: fetched ${TFLM_REPO.ref.slice(0, 8)} into ${dir}`);
  } else lines.push(`tflite-micro: present in ${dir}`);
  let ok = true;
  for (const t of TFLM_THIRD_PARTY) {
    const target = join(dir, DOWNLOADS, t.name);
    if (existsSync(join(target, t.probe))) {
      lines.push(`  ${t.name}: present`);
      continue;
    }
    const failure = await fetchAt(run, target, t.url, t.ref, t.patch && join(dir, t.patch));
    ok &&= !failure;
    lines.push(failure ? `  ${t.name}: failed: ${failure}` : `  ${t.name}: fetched ${t.ref}${t.patch ? ' and patched' : ''}`);
  }
  return { ok, lines };
}

/** What a tree holds: its commit against the pin and each third-party part. */
export function describeTflmTree(dir: string): TreeReport {
  const lines: string[] = [];
  if (!existsSync(join(dir, 'tensorflow/lite/micro/micro_interpreter.h'))) return { ok: false, lines: [`tflite-micro: ${dir} is not a tflite-micro tree`] };
  const commitFile = join(dir, 'COMMIT');
  const commit = existsSync(commitFile) ? readFileSync(commitFile, 'utf8').trim().slice(0, 40) : undefined;
  const pin = commit === undefined ? 'commit unknown (no COMMIT file)' : commit === TFLM_REPO.ref ? `${commit.slice(0, 8)}, the pinned ref` : `${commit.slice(0, 8)}, not the pinned ${TFLM_REPO.ref.slice(0, 8)}`;
  lines.push(`tflite-micro: ${dir} (${pin})`);
  let ok = true;
  for (const t of TFLM_THIRD_PARTY) {
    const there = existsSync(join(dir, DOWNLOADS, t.name, t.probe));
    const needed = THIRD_PARTY_INCLUDES.some((i) => i.name === t.name);
    if (!there && needed) ok = false;
    lines.push(`  ${t.name}: ${there ? 'present' : needed ? 'MISSING (TFLM cannot build without it)' : 'missing (optional)'}`);
  }
  return { ok, lines };
}

/** The TFLM tree inside DIR (DIR itself, or DIR/tflite-micro as in a frameworks folder). */
export function findTflmTreeIn(dir: string): string | undefined {
  return [dir, join(dir, 'tflite-micro')].map((d) => resolve(d)).find((d) => existsSync(join(d, 'tensorflow/lite/micro/micro_interpreter.h')));
}

/** `--frameworks-from DIR`: reports the tree and links it where mlbench looks (never copies it). */
export function adoptTflmTree(home: string, from: string): TreeReport {
  const tree = findTflmTreeIn(from);
  if (!tree) return { ok: false, lines: [`tflite-micro: none in ${from} (looked for ${from} and ${join(from, 'tflite-micro')})`] };
  const report = describeTflmTree(tree);
  const link = tflmSetupDir(home);
  mkdirSync(join(home, 'deps', 'src'), { recursive: true });
  const existing = existsSync(link) || isLink(link);
  if (existing && !(isLink(link) && existsSync(link) && realpathSync(link) === realpathSync(tree))) {
    report.lines.push(`  not linked: ${link} exists; remove it or set MLBENCH_TFLM_DIR=${tree}`);
  } else if (!existing) {
    symlinkSync(tree, link);
    report.lines.push(`  linked as ${link}: mlbench uses it when MLBENCH_TFLM_DIR and tools.tflm.src_dir are unset`);
  } else report.lines.push(`  already linked as ${link}`);
  return report;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
