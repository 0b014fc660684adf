// Platform `mlif`: mlbench's own bare-metal benchmark program (c/), built with the target's
// toolchain around the backend's generated model, run by the target, its output parsed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileArtifact, LoadArtifact, RunArtifact, BuildArtifact, MetricName } from '../../core/artifacts.js';
import type { Platform, ProgramToRun, StageContext, Target, Toolchain } from '../../core/component.js';
import type { ConfigView } from '../../core/config.js';
import { MlbenchError } from '../../core/errors.js';
import { findSymbol, functionAddress, memoryFigures, readElf, type ElfFile } from '../../targets/elf.js';
import { DEFAULT_FLOAT_TOLERANCE } from '../../features/validate.js';
import { llvmToolchain } from '../../targets/llvm-toolchain.js';
import { floatArithmetic } from './float-arithmetic.js';
import { buildProgram } from './build.js';
import { MLIF_EXIT, parseMlifOutput } from './output.js';
import { dataSource, validationData } from './reference-data.js';

/** Marker keys of c/mlif_markers.h; symbol `mlif_marker_<key>`. Regions: total, setup, run. */
export const MLIF_MARKERS = ['total_begin', 'setup_begin', 'setup_end', 'run_begin', 'run_end', 'total_end'] as const;

function markersOf(elf: ElfFile): Record<string, number> {
  const markers: Record<string, number> = {};
  for (const key of MLIF_MARKERS) {
    const addr = functionAddress(elf, `mlif_marker_${key}`);
    if (addr === undefined) throw new MlbenchError('tool-failed', `marker mlif_marker_${key} missing from ${elf.path}`);
    markers[key] = addr;
  }
  return markers;
}

function stackOf(elf: ElfFile): { low: number; high: number } | undefined {
  const low = findSymbol(elf, '__stack_low');
  const high = findSymbol(elf, '__stack_high');
  return low && high ? { low: low.value, high: high.value } : undefined;
}

function layerRangesOf(elf: ElfFile, names: string[]): { name: string; start: number; end: number }[] {
  const ranges: { name: string; start: number; end: number }[] = [];
  for (const name of names) {
    const start = functionAddress(elf, name);
    const sym = findSymbol(elf, name);
    if (start !== undefined && sym) ranges.push({ name, start, end: start + sym.size });
  }
  return ranges;
}

/** mlbaot's stack peak is under 0.5 kB on the MLPerf Tiny models; 2 kB leaves room for the harness. */
export const DEFAULT_STACK_BYTES = 2048;

function optionalNumber(ctx: StageContext, key: string, fallback: number): number {
  if (!ctx.config.has(key)) return fallback;
  const v = ctx.config.get(key);
  return typeof v === 'number' ? v : fallback;
}

/**
 * mlif.extra_cflags may tune code generation, not redefine what is measured: the optimisation
 * level has its own key (and goes into the report's Config), the harness's MLIF_* macros select
 * counters and run counts, and anything that is not a flag would add a source or an output.
 */
function extraCflags(config: ConfigView): string[] {
  const flags = config.list('mlif.extra_cflags');
  for (const f of flags) {
    const why = !f.startsWith('-')
      ? 'not a flag'
      : /^-O/.test(f)
        ? 'set the level with mlif.optimize'
        : /^-[DU]\s*MLIF_/.test(f)
          ? "the harness's MLIF_* macros select what is measured"
          : /^-(o|c|S|E|x|include|imacros|fplugin|specs|T)(\b|=)|^--?specs/.test(f)
            ? 'changes what is built or where it goes'
            : undefined;
    if (why) throw new MlbenchError('config', `mlif.extra_cflags ${JSON.stringify(f)} is refused: ${why}`);
  }
  return flags;
}

/** The target's GNU toolchain, or its clang/lld variant under mlif.toolchain=llvm. */
function toolchainFor(target: Target, config: ConfigView): Toolchain {
  const gnu = target.toolchain(config);
  extraCflags(config);
  return config.str('mlif.toolchain') === 'llvm' ? llvmToolchain(gnu, target.name) : gnu;
}

async function compile(ctx: StageContext, build: BuildArtifact, target: Target, load: LoadArtifact): Promise<CompileArtifact> {
  const toolchain = toolchainFor(target, ctx.config);
  const validate = ctx.features.has('validate');
  const data = validate ? validationData(load.reference, build.inputs, build.outputs) : undefined;
  if (validate && data?.vectors === 0) ctx.log('validate: the model has no reference vectors; nothing to check');
  const stackBytes = optionalNumber(ctx, 'mlif.stack_size', build.stackBytes ?? DEFAULT_STACK_BYTES);
  const heapBytes = optionalNumber(ctx, 'mlif.heap_size', build.heapBytes ?? 0);
  const built = await buildProgram(ctx, {
    toolchain,
    build,
    buildDir: join(ctx.runDir, 'build'),
    dataSource: dataSource(data, {
      numInputs: build.inputs.length,
      numOutputs: build.outputs.length,
      toleranceLsb: optionalNumber(ctx, 'validate.tolerance', build.validationToleranceLsb ?? 0),
      floatTolerance: optionalNumber(ctx, 'validate.float_tolerance', DEFAULT_FLOAT_TOLERANCE),
      checkTop1: load.summary.layers.at(-1)?.opcode === 'SOFTMAX',
    }),
    optimize: ctx.config.str('mlif.optimize'),
    debug: ctx.config.bool('mlif.debug') || ctx.features.has('debug'),
    lto: ctx.config.bool('mlif.lto'),
    garbageCollect: ctx.config.bool('mlif.garbage_collect'),
    extraCflags: extraCflags(ctx.config),
    numRuns: ctx.config.int('mlif.num_runs'),
    stackBytes,
    heapBytes,
    // Only what this program needs is compiled in: no vectors, no comparison code; no float
    // outputs, no float comparison (and no soft-float routines).
    validate: (data?.vectors ?? 0) > 0,
    floatOutputs: build.outputs.some((t) => t.dtype === 'float32'),
  });
  const elf = readElf(built.elf);
  const layerRanges = layerRangesOf(elf, build.layerFunctions);
  // The host links natively: its stack and heap are the OS's, not a reservation of ours.
  const memory = toolchain.memory ? memoryFigures(elf, stackBytes, heapBytes) : memoryFigures(elf, 0, 0);
  const artifact: CompileArtifact = {
    platform: 'mlif',
    target: target.name,
    elf: built.elf,
    memory,
    stack: stackOf(elf),
    validationVectors: data?.vectors ?? 0,
    markers: markersOf(elf),
    layerRanges: layerRanges.length ? layerRanges : undefined,
    toolVersions: { [toolchain.cc]: built.compilerVersion },
    floatArithmetic: floatArithmetic(target.descriptor, [...toolchain.cflags, ...extraCflags(ctx.config)]),
  };
  writeFileSync(join(ctx.dir, 'compile.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}

async function run(ctx: StageContext, compiled: CompileArtifact, target: Target): Promise<RunArtifact> {
  const numRuns = ctx.config.int('mlif.num_runs');
  const program: ProgramToRun = {
    elf: compiled.elf,
    markers: compiled.markers,
    stack: compiled.stack,
    layerRanges: ctx.features.has('profile') ? compiled.layerRanges : undefined,
    timeoutMs: ctx.config.int('mlif.timeout') * 1000,
    instructionLimit: ctx.config.int('mlif.instruction_limit'),
  };
  const res = await target.execute(ctx, program);
  const stdoutFile = join(ctx.dir, 'stdout.txt');
  writeFileSync(stdoutFile, res.stdout);
  const tail = res.stdout.trim().split('\n').slice(-3).join(' | ');
  const where = { logPath: stdoutFile };
  if (res.limitHit) {
    throw new MlbenchError('timeout', `stopped after ${program.instructionLimit} instructions (mlif.instruction_limit)`, {
      hint: 'a runaway program, or raise mlif.instruction_limit',
      ...where,
    });
  }
  if (res.timedOut) {
    throw new MlbenchError('timeout', `no result after ${program.timeoutMs / 1000} s (mlif.timeout)`, where);
  }
  // Stores reach the very bottom of the reservation only when the stack ran past it into
  // other data: a result from such a run cannot be trusted.
  const stackBytes = compiled.stack ? compiled.stack.high - compiled.stack.low : undefined;
  if (res.stackPeak !== undefined && stackBytes !== undefined && res.stackPeak >= stackBytes - STACK_GUARD_BYTES) {
    const crashed = res.crash ? `; then it crashed: ${res.crash}` : '';
    throw new MlbenchError('crash', `stack overflow: the program used ${res.stackPeak} of ${stackBytes} bytes of stack${crashed}`, {
      hint: `raise mlif.stack_size (now ${stackBytes})`,
      ...where,
    });
  }
  if (res.crash) throw new MlbenchError('crash', `program crashed on ${target.name}: ${res.crash}`, where);
  const out = parseMlifOutput(res.stdout);
  if (!out.finished || out.exitStatus === undefined) {
    throw new MlbenchError(
      'crash',
      `program ended without its result block (exit ${res.exitCode ?? 'none'})${tail ? `: ${tail}` : ''}`,
      where,
    );
  }
  if (res.exitCode !== null && res.exitCode !== (out.exitStatus & 0xff)) {
    ctx.log(`note: process exit ${res.exitCode}, program reported ${out.exitStatus}`);
  }
  const detail = out.diagnostics[0] ? `: ${out.diagnostics[0]}` : '';
  if (out.exitStatus === MLIF_EXIT.invalidSize) {
    throw new MlbenchError('validation', `input/output sizes do not match the reference data${detail}`, where);
  }
  if (out.exitStatus !== MLIF_EXIT.ok && out.exitStatus !== MLIF_EXIT.mismatch) {
    throw new MlbenchError('tool-failed', `benchmark program failed with status ${out.exitStatus}${detail}`, where);
  }

  const metrics: RunArtifact['metrics'] = {};
  const pick = (region: string, printed: string): number | undefined => {
    const counted = res.regions[region];
    const own = out.values[printed];
    if (counted !== undefined && own !== undefined && counted !== own) {
      ctx.log(`note: ${printed}: target counted ${counted}, program printed ${own}`);
    }
    return counted ?? own;
  };
  const setup = pick('setup', 'Setup Instructions');
  const runRegion = pick('run', 'Run Instructions');
  const total = pick('total', 'Total Instructions');
  const set = (k: MetricName, v: number | string | undefined): void => {
    if (v !== undefined) metrics[k] = v;
  };
  set('Setup Instructions', setup);
  set('Run Instructions', runRegion === undefined ? undefined : runRegion / numRuns);
  set('Total Instructions', total);
  for (const [region, cycles] of Object.entries(res.cycles ?? {})) {
    const name = `${region[0].toUpperCase()}${region.slice(1)} Cycles`;
    if (name === 'Setup Cycles' || name === 'Total Cycles') set(name, cycles);
    if (name === 'Run Cycles') set(name, cycles / numRuns);
  }
  set('RAM Stack Peak', res.stackPeak);
  // What the runtime used of its arena (TFLM's arena_used_bytes) replaces the reserved size.
  set('Model Arena', out.values['Arena Usage']);
  if (compiled.validationVectors > 0) {
    const vectors = out.values['Validation Vectors'] ?? compiled.validationVectors;
    const passed = out.values['Validation Passed'] ?? 0;
    set('Validation', validationText(out.exitStatus === MLIF_EXIT.ok, passed, vectors, out.values['Validation Max Diff'], out.values['Validation Top-1']));
  } else if (ctx.features.has('validate')) {
    // Asked for but impossible: the report says so instead of an empty cell that reads as "not asked".
    set('Validation', NO_REFERENCE_VECTORS);
  }
  const artifact: RunArtifact = {
    target: target.name,
    metrics,
    exitCode: out.exitStatus,
    stdoutFile,
    profile: program.layerRanges ? layerProfile(res.layerCounts ?? [], runRegion, numRuns) : undefined,
    toolVersions: res.toolVersions,
  };
  writeFileSync(join(ctx.dir, 'run.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}

/**
 * Per-inference instructions by layer. The invoke function's own entry and exit run before the
 * first layer is entered; they get a row of their own so the rows add up to Run Instructions.
 */
function layerProfile(layers: { name: string; instructions: number }[], runRegion: number | undefined, numRuns: number) {
  const rows = layers.map((l) => ({ name: l.name, instructions: l.instructions / numRuns }));
  const inLayers = layers.reduce((a, l) => a + l.instructions, 0);
  if (runRegion !== undefined && runRegion > inLayers) rows.push({ name: '(invoke outside layers)', instructions: (runRegion - inLayers) / numRuns });
  return rows;
}

/**
 * `pass 10/10` when every vector matched the reference bit for bit; otherwise the largest
 * difference and how many vectors kept the reference's top-1 class are shown too:
 * `pass 10/10 (max 3 LSB, top-1 10/10)` within the tolerance, `fail 7/10 (...)` beyond it.
 */
/** The Validation cell of a run with `-f validate` whose model has no reference vectors. */
export const NO_REFERENCE_VECTORS = 'no reference vectors';

export function validationText(ok: boolean, passed: number, vectors: number, maxDiff?: number, top1?: number): string {
  const head = `${ok ? 'pass' : 'fail'} ${passed}/${vectors}`;
  if (maxDiff === undefined || (maxDiff === 0 && (top1 === undefined || top1 === vectors))) return head;
  return `${head} (max ${maxDiff} LSB${top1 === undefined ? '' : `, top-1 ${top1}/${vectors}`})`;
}

/** A stack peak this close to the reservation's size means the stack overflowed it. */
const STACK_GUARD_BYTES = 16;

export const mlifPlatform: Platform = {
  name: 'mlif',
  kind: 'platform',
  description: "mlbench's bare-metal benchmark program (MLonMCU-compatible output), built with the target's toolchain",
  config: [
    { key: 'optimize', type: 'enum', default: '3', choices: ['0', '1', '2', '3', 's', 'z', 'fast'], help: 'compiler optimisation level (-O)' },
    {
      key: 'toolchain',
      type: 'enum',
      default: 'gcc',
      choices: ['gcc', 'llvm'],
      help: "compiler: the target's cross gcc, or clang + lld with the same picolibc (RV32, Cortex-M, host)",
    },
    { key: 'lto', type: 'bool', default: false, help: 'link-time optimisation (-flto)' },
    {
      key: 'garbage_collect',
      type: 'bool',
      default: true,
      help: 'one section per function and object, unreferenced ones dropped at link (-ffunction-sections -fdata-sections --gc-sections)',
    },
    {
      key: 'extra_cflags',
      type: 'list',
      default: [],
      help: 'further compile flags, comma-separated, each one argv element (no shell); -O*, -D/-UMLIF_*, -o/-c/-T/specs and non-flags are refused',
    },
    { key: 'debug', type: 'bool', default: false, help: 'compile with debug information (-g)' },
    { key: 'num_runs', type: 'int', default: 1, min: 1, help: 'inferences in the measured run region; Run Instructions is per inference' },
    { key: 'timeout', type: 'int', default: 300, min: 1, help: 'seconds of wall clock the program may run' },
    {
      key: 'instruction_limit',
      type: 'int',
      default: 5_000_000_000,
      min: 0,
      help: 'stop the program after this many instructions on simulators that count them (0 = no limit); host_x86 refuses it (valgrind cannot stop at a count; mlif.timeout applies)',
    },
    {
      key: 'stack_size',
      type: 'int',
      default: null,
      min: 256,
      help: `bytes reserved for the stack on bare-metal targets (default: the backend's own, ${DEFAULT_STACK_BYTES} for mlbaot)`,
    },
    {
      key: 'heap_size',
      type: 'int',
      default: null,
      min: 0,
      help: "bytes reserved for the heap on bare-metal targets (default: the backend's own, 0 for mlbaot)",
    },
  ],
  supportsTarget(target: Target): boolean {
    return ['x86_64', 'riscv32', 'arm'].includes(target.descriptor.arch);
  },
  toolchain: toolchainFor,
  compile,
  run: (ctx, compiled, target) => run(ctx, compiled, target),
};
