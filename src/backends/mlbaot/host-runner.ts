// Runs generated mlbaot sources natively: compiles them once per build directory (cached by
// a hash of sources and flags) with a stdin/stdout driver, then pushes many vectors through
// one process. Used by tests, the operator fuzzer and the layer-comparison tool.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BuildArtifact } from '../../core/artifacts.js';
import { cDefineFlags } from '../../core/c-text.js';
import { MlbenchError } from '../../core/errors.js';
import { runTool, runToolBytes } from '../../core/exec.js';
import { tensorBytes } from '../../core/model.js';
import { pkgPath } from '../../core/paths.js';

export const HOST_DRIVER = pkgPath('src/backends/mlbaot/host/driver.c');

export interface HostRunOptions {
  /** Optimisation flag for gcc, default -O2. */
  optimize?: string;
  /** C compiler, default gcc. */
  cc?: string;
  /** Wall-clock limit of the run over all vectors. */
  timeoutMs?: number;
}

const HOST_RUN_TIMEOUT_MS = 10 * 60_000;

function ioBytes(infos: BuildArtifact['inputs']): number[] {
  return infos.map((t) => tensorBytes(t));
}

/** Compiles (or reuses) the host executable for a build directory and returns its path. */
export async function compileForHost(buildDir: string, build: BuildArtifact, opts: HostRunOptions = {}): Promise<string> {
  const cc = opts.cc ?? 'gcc';
  const sources = [...build.sources.map((s) => (isAbsolute(s) ? s : join(buildDir, s))), HOST_DRIVER];
  const flags = [opts.optimize ?? '-O2', '-std=c11', '-Wall', ...build.cflags];
  const defines = cDefineFlags(build.defines);
  const includes = [buildDir, ...build.includeDirs].map((d) => `-I${d}`);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ cc, flags, defines, includes }));
  for (const s of sources) hash.update(readFileSync(s));
  // Headers count too: a changed kernel must not reuse a stale executable.
  for (const dir of [buildDir, ...build.includeDirs]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.h')).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  }
  const key = hash.digest('hex').slice(0, 16);
  const outDir = join(buildDir, 'host');
  const exe = join(outDir, `mlb_host_${key}`);
  if (existsSync(exe)) return exe;
  mkdirSync(outDir, { recursive: true });
  const tmp = `${exe}.${process.pid}.tmp`;
  const r = await runTool(cc, [...flags, ...defines, ...includes, ...sources, '-o', tmp], { allowFailure: true }).catch((e: unknown) => {
    throw new MlbenchError('tool-missing', `${cc} not found`, { hint: `is ${cc} installed?`, cause: e });
  });
  if (r.exitCode !== 0) {
    const tail = r.stderr.trim().split('\n').slice(-5).join(' | ');
    throw new MlbenchError('tool-failed', `host compile of ${buildDir} failed: ${tail}`, {
      hint: r.timedOut ? 'the compiler timed out' : 'the generated C did not compile; see the compiler output',
    });
  }
  renameSync(tmp, exe);
  return exe;
}

/**
 * Runs every vector (one Uint8Array per model input, raw bytes as the model expects them) through
 * the generated model and returns the raw bytes of every output, per vector.
 */
export async function runOnHost(
  buildDir: string,
  build: BuildArtifact,
  vectors: Uint8Array[][],
  opts: HostRunOptions = {},
): Promise<Uint8Array[][]> {
  const inSizes = ioBytes(build.inputs);
  const outSizes = ioBytes(build.outputs);
  const chunks: Uint8Array[] = [];
  vectors.forEach((vec, v) => {
    if (vec.length !== inSizes.length) {
      throw new MlbenchError('config', `vector ${v} has ${vec.length} inputs, the model has ${inSizes.length}`);
    }
    vec.forEach((data, i) => {
      if (data.byteLength !== inSizes[i]) {
        throw new MlbenchError('config', `vector ${v} input ${i}: ${data.byteLength} bytes, expected ${inSizes[i]}`);
      }
      chunks.push(data);
    });
  });
  if (vectors.length === 0) return [];
  const exe = await compileForHost(buildDir, build, opts);
  const input = Buffer.concat(chunks);
  const r = await runToolBytes(exe, [], { input, allowFailure: true, timeoutMs: opts.timeoutMs ?? HOST_RUN_TIMEOUT_MS });
  if (r.exitCode !== 0) {
    const why = r.timedOut ? 'timed out' : `exit ${r.exitCode ?? r.signal}`;
    throw new MlbenchError('crash', `host run of ${exe} failed (${why}): ${r.stderr.trim()}`);
  }
  const out = r.stdout;
  const perVector = outSizes.reduce((a, b) => a + b, 0);
  if (out.byteLength !== perVector * vectors.length) {
    throw new MlbenchError('crash', `host run produced ${out.byteLength} bytes, expected ${perVector * vectors.length}`);
  }
  const results: Uint8Array[][] = [];
  let pos = 0;
  for (let v = 0; v < vectors.length; ++v) {
    const row: Uint8Array[] = [];
    for (const size of outSizes) {
      row.push(out.slice(pos, pos + size));
      pos += size;
    }
    results.push(row);
  }
  return results;
}
