// `mlbench setup`: installs the Debian packages the runnable targets need (apt-get; sudo when
// not root) and builds what mlbench compiles for itself (the QEMU instruction-counting plugin).
import { execa } from 'execa';
import { runTool } from '../core/exec.js';
import { whichSync } from '../core/which.js';
import { MlbenchError } from '../core/errors.js';
import { loadEnvironment } from '../flow/environment.js';
import { DirectoryCache } from '../core/cache.js';
import { qemuPluginPath } from '../targets/qemu/plugin.js';
import { adoptTflmTree, fetchTflmTree } from '../frameworks/tflm/setup-tree.js';
import { fetchFrameworkSources } from '../frameworks/tvm/sources.js';

/** Debian packages for host_x86, riscv_qemu and the Arm QEMU targets (see TARGETS in README). */
export const DEBIAN_PACKAGES = [
  'gcc',
  'make',
  'valgrind',
  'gcc-riscv64-unknown-elf',
  'binutils-riscv64-unknown-elf',
  'picolibc-riscv64-unknown-elf',
  'gcc-arm-none-eabi',
  'picolibc-arm-none-eabi',
  // C++ headers for TFLM on the cross targets: picolibc's for Arm; rv32 borrows the
  // target-neutral headers of the newlib build (TFLM uses only header-only parts).
  'libstdc++-arm-none-eabi-picolibc',
  'libstdc++-arm-none-eabi-dev',
  'qemu-system-misc',
  'qemu-system-arm',
  // mlif.toolchain=llvm: clang 15; lld 16 is the first to link RISC-V objects built for relaxation.
  'clang-15',
  'lld-16',
];

async function missingPackages(pkgs: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) {
    const r = await runTool('dpkg-query', ['-W', '-f=${Status}', p], { allowFailure: true, timeoutMs: 60_000 });
    if (r.exitCode !== 0 || !r.stdout.includes('install ok installed')) missing.push(p);
  }
  return missing;
}

/** Also installed with `--dev`: what the test suite needs beyond the targets. */
export const DEV_PACKAGES = ['chromium', 'strace'];

/**
 * Debian's python3 with what TVM 0.17's Python package imports (it predates numpy 2). Installed
 * with `--frameworks`, and with `--dev` when a TVM tree is configured (CI sets MLBENCH_TVM_DIR).
 */
export const TVM_PYTHON_PACKAGES = [
  'python3',
  'python3-numpy',
  'python3-scipy',
  'python3-decorator',
  'python3-attr',
  'python3-psutil',
  'python3-typing-extensions',
  'python3-cloudpickle',
  'python3-flatbuffers',
  // tvmc tune (the autotune feature) imports TVM's RPC tracker, which needs tornado.
  'python3-tornado',
];

/**
 * Slurm's client commands for `--executor slurm` (`--slurm`), and with `--dev` the daemons and
 * munge too: the tests start a private single-node cluster (nothing is started by installing).
 */
export const SLURM_CLIENT_PACKAGES = ['slurm-client'];
export const SLURM_TEST_PACKAGES = ['slurm-client', 'slurmctld', 'slurmd', 'munge'];

/** The Debian packages this setup wants. */
export function wantedPackages(o: { dev?: boolean; frameworks?: boolean; slurm?: boolean }, tvmConfigured = Boolean(process.env.MLBENCH_TVM_DIR)): string[] {
  return [
    ...DEBIAN_PACKAGES,
    ...(o.dev ? [...DEV_PACKAGES, ...SLURM_TEST_PACKAGES] : o.slurm ? SLURM_CLIENT_PACKAGES : []),
    ...(o.frameworks || (o.dev && tvmConfigured) ? TVM_PYTHON_PACKAGES : []),
  ];
}

export async function setupCommand(o: { dryRun: boolean; dev?: boolean; frameworks?: boolean; frameworksFrom?: string; slurm?: boolean; home?: string }): Promise<number> {
  const hasDpkg = whichSync('dpkg-query') !== undefined;
  if (!hasDpkg) {
    throw new MlbenchError('tool-missing', 'mlbench setup installs Debian packages and needs dpkg/apt-get', {
      hint: `install these with your system's package manager: ${DEBIAN_PACKAGES.join(' ')}`,
    });
  }
  const missing = await missingPackages(wantedPackages(o));
  if (missing.length === 0) process.stdout.write('Debian packages: all present\n');
  else if (o.dryRun) process.stdout.write(`would install: ${missing.join(' ')}\n`);
  else {
    process.stdout.write(`installing: ${missing.join(' ')}\n`);
    await aptGet(['update', '-q']);
    await aptGet(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  }
  if (o.dryRun) return 0;
  const env = loadEnvironment(o.home);
  const plugin = await qemuPluginPath(new DirectoryCache(env.cacheDir));
  process.stdout.write(`QEMU instruction-counting plugin: ${plugin}\n`);
  let frameworksOk = true;
  if (o.frameworksFrom !== undefined) {
    // A prepared tree (offline machines): reported and linked, never copied.
    const tflm = adoptTflmTree(env.home, o.frameworksFrom);
    process.stdout.write(`${tflm.lines.join('\n')}\n`);
    frameworksOk = tflm.ok;
  } else if (o.frameworks) {
    // Needs a network; a failed fetch is reported and makes the exit code 3, after the rest of setup.
    const tflm = await fetchTflmTree(env.home);
    process.stdout.write(`${tflm.lines.join('\n')}\n`);
    frameworksOk = tflm.ok;
    for (const r of await fetchFrameworkSources(env.home)) process.stdout.write(`${r.name}: ${r.status}: ${r.message}\n`);
  }
  return frameworksOk ? 0 : 3;
}

/**
 * A fresh Ubuntu often has unattended-upgrades holding the dpkg lock for minutes: wait for it
 * (apt's own lock timeout) instead of failing, and report a failure as a tool failure (exit 3).
 */
async function aptGet(args: string[]): Promise<void> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const full = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_SECONDS}`, ...args];
  // apt-get stays in mlbench's process group: sudo may need the terminal, and Ctrl-C reaches it there.
  const r = await execa(root ? 'apt-get' : 'sudo', root ? full : ['apt-get', ...full], {
    stdio: 'inherit',
    env: { DEBIAN_FRONTEND: 'noninteractive' },
    reject: false,
  });
  if (r.exitCode !== 0) {
    throw new MlbenchError('tool-failed', `apt-get ${args.join(' ')} failed (exit ${r.exitCode ?? r.signal})`, {
      hint: `another package manager may hold the lock for more than ${APT_LOCK_WAIT_SECONDS} s, or a package is not available: see apt-get's output above`,
    });
  }
}

const APT_LOCK_WAIT_SECONDS = 600;
