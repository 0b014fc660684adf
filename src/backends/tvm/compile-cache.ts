// tvmc's output through the shared build cache: one `tvmc compile` per model, tvmc command line
// and TVM, reused by repeated runs and sessions. Targets are part of the command line on
// purpose: `-mcpu=cortex-m4` adds TVM's arm_cpu key and changes the schedules, so only the same
// target (or one giving the same --target-c-* details) reuses a compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../../core/component.js';
import type { TvmInstallation } from '../../frameworks/tvm/locate.js';
import { extractMlf } from '../../frameworks/tvm/mlf.js';
import { tvmcCompileArgs, type TvmcCompileOptions } from '../../frameworks/tvm/tvmc-args.js';

const TVMC_TIMEOUT_MS = 30 * 60_000;

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** What decides tvmc's output: the command line with the per-run paths replaced by content hashes. */
export function tvmcCacheKey(tvm: TvmInstallation, options: TvmcCompileOptions, modelSha: string): Record<string, unknown> {
  return {
    what: 'tvmc-mlf',
    tvmVersion: tvm.version,
    tvm: tvm.srcDir ?? tvm.origin,
    model: modelSha,
    tuningRecords: options.tuningRecords ? sha256(readFileSync(options.tuningRecords)) : null,
    args: tvmcCompileArgs({ ...options, modelFile: '<model>', outDir: '<out>', tuningRecords: options.tuningRecords ? '<records>' : undefined }),
  };
}

export interface CompiledMlf {
  /** The MLF unpacked in this run's build folder (what the run's sources point at). */
  mlfDir: string;
  /** The cached compile folder (default.tar, mlf/): stable across runs. */
  cachedDir: string;
  reused: boolean;
}

/** Runs tvmc into the cache (unless an entry exists) and unpacks the MLF into `<build>/mlf`. */
export async function compileToMlf(ctx: StageContext, tvm: TvmInstallation, options: TvmcCompileOptions, modelSha: string): Promise<CompiledMlf> {
  let reused = true;
  const cachedDir = await ctx.cache.directory(tvmcCacheKey(tvm, options, modelSha), async (dir) => {
    reused = false;
    await ctx.exec(tvm.command, [...tvm.commandPrefix, ...tvmcCompileArgs({ ...options, outDir: dir })], {
      cwd: dir,
      env: { ...(process.env as Record<string, string>), ...tvm.env },
      timeoutMs: TVMC_TIMEOUT_MS,
    });
    await extractMlf(join(dir, 'default.tar'), join(dir, 'mlf'));
  });
  ctx.log(reused ? `tvmc: reusing the cached compile in ${cachedDir}` : `tvmc: compiled into the cache at ${cachedDir}`);
  const mlfDir = join(ctx.dir, 'mlf');
  const members = await extractMlf(join(cachedDir, 'default.tar'), mlfDir);
  ctx.log(`MLF: ${members.length} members unpacked into ${mlfDir}`);
  return { mlfDir, cachedDir, reused };
}

/** A folder holding crt_config.h, shared by every run with the same text (a stable include path). */
export async function crtConfigDir(ctx: StageContext, text: string): Promise<string> {
  return ctx.cache.directory({ what: 'tvm-crt-config', text }, async (dir) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'crt_config.h'), text);
  });
}
