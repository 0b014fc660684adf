// Compiles and links the mlif program with a target's toolchain: the harness (and the backend's
// model-independent library sources) through the shared build cache, the model and its
// reference data in the compile folder, and a generated linker script for bare-metal targets.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import pLimit from 'p-limit';
import type { BuildArtifact, LibraryBuild } from '../../core/artifacts.js';
import type { MemoryRegion, StageContext, Toolchain } from '../../core/component.js';
import { cDefineFlags } from '../../core/c-text.js';
import { coresGranted } from '../../core/cores.js';
import { MlbenchError } from '../../core/errors.js';
import { pkgPath } from '../../core/paths.js';
import { linkerScript, parseRegionOverflows } from './linker.js';

export const HARNESS_DIR = pkgPath('src/platforms/mlif/c');
export const HARNESS_SOURCES = ['mlif_main.c', 'mlif_markers.c'];
export const HARNESS_HEADERS = ['mlif_data.h', 'mlif_markers.h'];

export interface ProgramBuildOptions {
  toolchain: Toolchain;
  build: BuildArtifact;
  /** Folder of the build stage (sources in BuildArtifact are relative to it). */
  buildDir: string;
  /** C source of mlif_data.c. */
  dataSource: string;
  optimize: string;
  debug: boolean;
  /** Link-time optimisation (-flto on compile and link). */
  lto?: boolean;
  /**
   * Every function and object in its own section, unreferenced ones dropped at link
   * (-ffunction-sections -fdata-sections, --gc-sections). Default true.
   */
  garbageCollect?: boolean;
  /** Further compile flags (mlif.extra_cflags), passed as argv elements after mlbench's own. */
  extraCflags?: string[];
  numRuns: number;
  stackBytes: number;
  heapBytes: number;
  /**
   * Compile the reference-vector check into the harness (MLIF_VALIDATE). Default true; false
   * when the program carries no vectors, so it links no comparison code.
   */
  validate?: boolean;
  /** Some output is compared as float32 (MLIF_FLOAT_OUTPUTS, links soft-float). Default true. */
  floatOutputs?: boolean;
}

export interface BuiltProgram {
  elf: string;
  compilerVersion: string;
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

async function compilerVersion(ctx: StageContext, cc: string): Promise<string> {
  const r = await ctx.exec(cc, ['--version']);
  return r.stdout.split('\n')[0].trim();
}

/** Hash of every header in the include dirs, since cached objects may depend on any of them. */
function headersHash(dirs: string[]): string {
  const h = createHash('sha256');
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) {
      if (/\.(h|hpp|inc)$/.test(f)) h.update(f).update(readFileSync(join(d, f)));
    }
  }
  return h.digest('hex');
}

const objectFile = (src: string): string => basename(src).replace(/\.[^.]+$/, '.o');

function objectName(src: string, i: number): string {
  return `${String(i).padStart(3, '0')}_${basename(src).replace(/\.[^.]+$/, '')}.o`;
}

/** Runs `job` over `items`, as many at once as this process has cores (Slurm's grant in a task). */
async function inParallel<T>(items: T[], job: (item: T, i: number) => Promise<void>): Promise<void> {
  const limit = pLimit(coresGranted());
  await Promise.all(items.map((item, i) => limit(() => job(item, i))));
}

async function compileOne(ctx: StageContext, cc: string, flags: string[], source: string, object: string): Promise<void> {
  const r = await ctx.exec(cc, [...flags, '-c', source, '-o', object], { allowFailure: true });
  if (r.exitCode !== 0) {
    const errors = r.stderr.split('\n').filter((l) => /error/.test(l)).slice(0, 3).join(' | ');
    throw new MlbenchError('tool-failed', `compiling ${basename(source)} failed: ${errors || r.stderr.trim().slice(-300)}`, {
      logPath: ctx.logFile,
    });
  }
}

async function compileAll(ctx: StageContext, cc: string, flags: string[], sources: string[], outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const objects = sources.map((s, i) => join(outDir, objectName(s, i)));
  await inParallel(sources, (s, i) => compileOne(ctx, cc, flags, s, objects[i]));
  return objects;
}

/**
 * A framework library, one cache entry per object: the key holds only what determines that
 * object (library revision, compiler and version, target flags, the unit's flags and source),
 * never the run's folder or harness defines, so every later run on the target reuses it.
 */
export async function compileLibrary(ctx: StageContext, tc: Toolchain, version: string, debug: boolean, lib: LibraryBuild): Promise<string[]> {
  const objects: string[] = new Array<string>(lib.units.length);
  let built = 0;
  await inParallel(lib.units, async (unit, i) => {
    const key = {
      what: 'library-object',
      library: lib.name,
      revision: lib.revision,
      cc: tc.cc,
      version,
      targetFlags: tc.cflags,
      debug,
      flags: unit.flags,
      source: unit.source,
      sha: sha(readFileSync(unit.source)),
    };
    const dir = await ctx.cache.directory(key, async (out) => {
      built++;
      await compileOne(ctx, tc.cc, [...tc.cflags, ...(debug ? ['-g'] : []), ...unit.flags], unit.source, join(out, objectFile(unit.source)));
    });
    objects[i] = join(dir, objectFile(unit.source));
  });
  ctx.log(`${lib.name} library: ${lib.units.length} objects, ${built} compiled, ${lib.units.length - built} from the cache`);
  return objects;
}

const kB = (n: number): string => `${Math.round((n / 1024) * 10) / 10} kB`;

function overflowError(ldOutput: string, memory: Toolchain['memory'], logPath: string): MlbenchError | undefined {
  const overflows = parseRegionOverflows(ldOutput);
  if (!overflows.length || !memory) return undefined;
  const regions: Record<string, MemoryRegion | undefined> = { flash: memory.flash, ram: memory.ram, vectors: memory.vectors };
  // What ld placed in the region: its length plus the overflow (the report's ROM/RAM Needed).
  const measured: Record<string, number> = {};
  const parts = overflows.map(({ region, bytes }) => {
    const r = regions[region];
    const label = region === 'ram' ? 'RAM' : region === 'flash' ? 'flash' : region;
    if (r && (region === 'ram' || region === 'flash')) measured[region === 'ram' ? 'RAM Needed' : 'ROM Needed'] = r.length + bytes;
    return r ? `needs ${kB(r.length + bytes)} ${label} of ${kB(r.length)}` : `${region} overflowed by ${bytes} bytes`;
  });
  return new MlbenchError('memory', `program does not fit the target: ${parts.join(', ')}`, {
    hint: 'choose a target with more memory, a smaller model, or lower mlif.stack_size / mlif.heap_size',
    logPath,
    measured,
  });
}

export async function buildProgram(ctx: StageContext, o: ProgramBuildOptions): Promise<BuiltProgram> {
  const tc = o.toolchain;
  const abs = (p: string): string => (isAbsolute(p) ? p : join(o.buildDir, p));
  const includeDirs = [HARNESS_DIR, o.buildDir, ...o.build.includeDirs.map(abs)];
  const bareMetal = tc.memory !== undefined;
  const defines: Record<string, string> = {
    ...tc.defines,
    ...o.build.defines,
    MLIF_NUM_RUNS: String(o.numRuns),
    MLIF_VALIDATE: o.validate === false ? '0' : '1',
    MLIF_FLOAT_OUTPUTS: o.validate === false || o.floatOutputs === false ? '0' : '1',
  };
  // picolibc's integer-only printf: the harness prints integers only, float printf costs ROM.
  if (bareMetal) defines.PICOLIBC_INTEGER_PRINTF_SCANF = '1';
  // Cache keys use these flags without the include paths: those name per-run folders, and
  // what the headers contain is hashed instead.
  const gc = o.garbageCollect !== false;
  const lto = o.lto ? ['-flto'] : [];
  const baseFlags = [
    ...tc.cflags,
    `-O${o.optimize}`,
    ...(o.debug ? ['-g'] : []),
    ...lto,
    ...(gc ? ['-ffunction-sections', '-fdata-sections'] : []),
    ...cDefineFlags(defines),
    ...o.build.cflags,
    ...(o.extraCflags ?? []),
  ];
  const cflags = [...baseFlags, ...includeDirs.map((d) => `-I${d}`)];
  const version = await compilerVersion(ctx, tc.cc);

  const modelHeader = join(o.buildDir, 'mlb_model.h');
  const harnessKey = {
    what: 'mlif-harness',
    cc: tc.cc,
    version,
    flags: baseFlags,
    sources: [...HARNESS_SOURCES, ...HARNESS_HEADERS].map((f) => sha(readFileSync(join(HARNESS_DIR, f)))),
    modelHeader: existsSync(modelHeader) ? sha(readFileSync(modelHeader)) : 'none',
  };
  const harnessDir = await ctx.cache.directory(harnessKey, async (dir) => {
    await compileAll(ctx, tc.cc, cflags, HARNESS_SOURCES.map((f) => join(HARNESS_DIR, f)), dir);
  });
  const harnessObjects = HARNESS_SOURCES.map((s, i) => join(harnessDir, objectName(s, i)));

  const library = new Set((o.build.librarySources ?? []).map(abs));
  let libraryObjects: string[] = [];
  if (library.size) {
    const libSources = [...library];
    const libKey = {
      what: 'mlif-library',
      cc: tc.cc,
      version,
      flags: baseFlags,
      includeDirs: o.build.includeDirs,
      sources: libSources.map((s) => [basename(s), sha(readFileSync(s))]),
      headers: headersHash(includeDirs.slice(1)),
    };
    const libDir = await ctx.cache.directory(libKey, async (dir) => {
      await compileAll(ctx, tc.cc, cflags, libSources, dir);
    });
    libraryObjects = libSources.map((s, i) => join(libDir, objectName(s, i)));
  }
  // The framework library goes in an archive after the model: the linker takes only the
  // objects something refers to (TFLM's list holds test support the program never calls).
  const archives: string[] = [];
  if (o.build.library) {
    const objects = await compileLibrary(ctx, tc, version, o.debug, o.build.library);
    const archive = join(ctx.dir, `lib${o.build.library.name}.a`);
    // `q`: objects of different folders may share a name (two tensor_utils.o); none replaces another.
    rmSync(archive, { force: true });
    await ctx.exec(`${tc.binutilsPrefix}ar`, ['qcs', archive, ...objects]);
    archives.push(archive);
  }

  const dataFile = join(ctx.dir, 'mlif_data.c');
  writeFileSync(dataFile, o.dataSource);
  const modelSources = [...o.build.sources.map(abs).filter((s) => !library.has(s)), dataFile];
  const modelObjects = await compileAll(ctx, tc.cc, cflags, modelSources, join(ctx.dir, 'obj'));

  const elf = join(ctx.dir, 'program.elf');
  // picolibc.specs adds --gc-sections to every gcc link; --no-gc-sections after it wins.
  const gcFlag = gc ? '-Wl,--gc-sections' : '-Wl,--no-gc-sections';
  const ldflags = [...tc.ldflags, `-O${o.optimize}`, ...(o.debug ? ['-g'] : []), ...lto, gcFlag, `-Wl,-Map=${join(ctx.dir, 'program.map')}`];
  if (tc.memory) {
    const script = join(ctx.dir, 'link.ld');
    writeFileSync(
      script,
      linkerScript({ ...tc.memory, stackBytes: o.stackBytes, heapBytes: o.heapBytes, lld: tc.lld }),
    );
    ldflags.push(`-T${script}`);
  }
  // picolibc keeps its maths in libc.a; its libm.a holds one empty object lld rejects as
  // built for another float ABI, so lld links go without it.
  const r = await ctx.exec(tc.cc, [...ldflags, ...harnessObjects, ...libraryObjects, ...modelObjects, ...archives, ...(tc.lld ? [] : ['-lm']), '-o', elf], {
    allowFailure: true,
  });
  if (r.exitCode !== 0) {
    const overflow = overflowError(`${r.stdout}\n${r.stderr}`, tc.memory, ctx.logFile);
    if (overflow) throw overflow;
    const errors = r.stderr.split('\n').filter((l) => /error|undefined reference/.test(l)).slice(0, 3).join(' | ');
    throw new MlbenchError('tool-failed', `linking the mlif program failed: ${errors || r.stderr.trim().slice(-300)}`, {
      logPath: ctx.logFile,
    });
  }
  return { elf, compilerVersion: version };
}
