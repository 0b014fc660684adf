// The one interface per component kind. Components never import the flow; the flow hands
// them a StageContext with everything they may touch.

import type { ConfigKeySpec, ConfigView } from './config.js';
import type { BuildArtifact, CompileArtifact, LoadArtifact, RunArtifact } from './artifacts.js';
import type { ExecOptions, ExecResult } from './exec.js';

export type ComponentKind = 'frontend' | 'framework' | 'backend' | 'platform' | 'target' | 'feature' | 'postprocess';

export interface Availability {
  usable: boolean;
  /** What is missing, one entry per missing thing ("qemu-system-riscv32 not on PATH"). */
  missing: string[];
  /** How to get it ("apt-get install qemu-system-misc", "mlbench setup"). */
  howToGet?: string;
  version?: string;
}

export interface EnvironmentInfo {
  home: string;
  /** Directories searched for models, first match wins. */
  modelPaths: string[];
  /** Tool paths from the environment file (`tools.<name>`), e.g. qemu_riscv32 → /usr/bin/... */
  tools: Record<string, string>;
  /** Directory of the shared, content-addressed build cache. */
  cacheDir: string;
}

export interface BuildCache {
  /**
   * Returns a directory holding what `produce` made for these inputs. `key` must name every
   * input (sources' hashes, flags, tool versions). Concurrent callers with the same key wait
   * for one producer; the result is published atomically.
   */
  directory(key: unknown, produce: (dir: string) => Promise<void>, o?: CacheUseOptions): Promise<string>;
}

export interface CacheUseOptions {
  /** Where lock takeovers are reported (a stage's log). */
  log?: (line: string) => void;
  /** Stops waiting for another producer's lock. */
  signal?: AbortSignal;
}

export interface StageContext {
  sessionId: string;
  runId: string;
  /** Absolute path of the run directory. */
  runDir: string;
  /** Absolute path of this stage's folder inside the run directory (exists). */
  dir: string;
  config: ConfigView;
  features: ReadonlySet<string>;
  /** Appends a line to the stage log. */
  log(line: string): void;
  logFile: string;
  /** Runs a tool, logging its command line and output to the stage log. */
  exec(cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  signal: AbortSignal;
  cache: BuildCache;
  env: EnvironmentInfo;
}

export interface ComponentBase {
  name: string;
  kind: ComponentKind;
  aliases?: string[];
  /** One line for `mlbench env` and --help. */
  description: string;
  config: ConfigKeySpec[];
  /** Whether this machine can use the component, and what is missing otherwise. */
  availability?(env: EnvironmentInfo): Promise<Availability>;
}

export interface Frontend extends ComponentBase {
  kind: 'frontend';
  fileExtensions: string[];
  /** Copies and parses the model; throws MlbenchError('model') on a bad file. */
  load(ctx: StageContext, modelFile: string, modelDir: string | undefined): Promise<LoadArtifact>;
}

export interface Framework extends ComponentBase {
  kind: 'framework';
  backends: string[];
}

export interface Backend extends ComponentBase {
  kind: 'backend';
  framework: string;
  /** Features this backend accepts (others refuse the run before it starts). */
  features: string[];
  /** Reasons this model cannot be built (e.g. every unsupported operator), empty when fine. */
  check(load: LoadArtifact, modelFile: string): Promise<string[]>;
  /**
   * The tune stage (runs with the `autotune` feature, or when `flow tune` stops there). `measure`
   * builds, compiles and runs the model on the run's target with config overrides and returns
   * per-layer instruction counts, so a backend can compare its own code variants.
   * The records returned are stored as tune/tune.json and handed to build.
   */
  tune?(ctx: StageContext, load: LoadArtifact, measure: TuneMeasure): Promise<Record<string, unknown> | undefined>;
  build(ctx: StageContext, load: LoadArtifact, tuning?: Record<string, unknown>): Promise<BuildArtifact>;
}

export interface TuneMeasurement {
  /** Per-inference instructions by generated layer function (the `profile` feature's counts). */
  profile: { name: string; instructions: number }[];
  metrics: RunArtifact['metrics'];
}

/** Measures one variant: config overrides (`backend.key` → value) and a label naming its folder. */
export type TuneMeasure = (overrides: Record<string, string>, label: string) => Promise<TuneMeasurement>;

export interface MemoryRegion {
  origin: number;
  length: number;
}

export interface Toolchain {
  /** Compiler driver, e.g. riscv64-unknown-elf-gcc. */
  cc: string;
  /** Prefix for binutils (objdump, size, nm), e.g. riscv64-unknown-elf-. Empty for the host. */
  binutilsPrefix: string;
  /** Flags for every compile and link (ISA, ABI, specs). */
  cflags: string[];
  ldflags: string[];
  /** Memory map for the linker script; absent for the host (native link). */
  memory?: { vectors?: MemoryRegion; flash: MemoryRegion; ram: MemoryRegion };
  /** Defines the harness needs to select counters and exit paths. */
  defines: Record<string, string>;
}

export interface TargetDescriptor {
  arch: 'x86_64' | 'riscv32' | 'arm' | 'xtensa';
  cpu: string;
  isa: string;
  /** Flash/ROM and RAM of the real device, enforced at link time. */
  flashBytes: number;
  ramBytes: number;
  clockHz?: number;
  board?: string;
  /** How instructions are counted, for the README and report. */
  counter: string;
}

export interface ProgramToRun {
  elf: string;
  markers: Record<string, number>;
  stack?: { low: number; high: number };
  layerRanges?: { name: string; start: number; end: number }[];
  timeoutMs: number;
  instructionLimit: number;
}

export interface TargetRunResult {
  stdout: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped by the instruction limit. */
  limitHit: boolean;
  /** Simulator's description of a CPU fault, if the program crashed. */
  crash?: string;
  /** Instructions counted between marker pairs, by region name (setup, run, total). */
  regions: Record<string, number>;
  /** Cycles by the same region names, when the device or simulator counts them (boards count only cycles). */
  cycles?: Record<string, number>;
  stackPeak?: number;
  layerCounts?: { name: string; instructions: number }[];
  /** Simulator or runner that produced the figures → its version line (for run.json). */
  toolVersions?: Record<string, string>;
}

export interface Target extends ComponentBase {
  kind: 'target';
  descriptor: TargetDescriptor;
  toolchain(config: ConfigView): Toolchain;
  execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult>;
  /** Config keys this target cannot enforce, with the reason; a run that sets one (non-zero) is refused. */
  unenforceableConfig?: Record<string, string>;
}

export interface Platform extends ComponentBase {
  kind: 'platform';
  supportsTarget(target: Target): boolean;
  compile(ctx: StageContext, build: BuildArtifact, target: Target, load: LoadArtifact): Promise<CompileArtifact>;
  run(ctx: StageContext, compiled: CompileArtifact, target: Target, load: LoadArtifact): Promise<RunArtifact>;
}

export interface Feature extends ComponentBase {
  kind: 'feature';
  /** Component kinds this feature affects; used for `mlbench env` and refusal messages. */
  appliesTo: ComponentKind[];
}

export type Component = Frontend | Framework | Backend | Platform | Target | Feature;
