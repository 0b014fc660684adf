// What each stage leaves in the run directory for the next one. Every artifact is a JSON file
// in the stage's folder (`load/load.json`, `build/build.json`, ...); paths inside are relative
// to that folder unless they are absolute paths of shared inputs (the model zoo).

import type { DType } from './model.js';

export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: DType;
  /** Per-tensor quantization of an input/output, when quantized. */
  scale?: number;
  zeroPoint?: number;
}

/** One reference vector: input files (one per model input) and expected output files. */
export interface ReferenceVector {
  index: number;
  inputs: string[];
  outputs: string[];
}

export interface ModelSummary {
  name: string;
  /** sha256 of the model file. */
  sha256: string;
  bytes: number;
  ops: { opcode: string; count: number }[];
  layers: { index: number; opcode: string; inputShapes: number[][]; outputShapes: number[][]; macs: number }[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  macs: number;
  constantBytes: number;
  tensorCount: number;
}

/** load/load.json */
export interface LoadArtifact {
  frontend: string;
  /** The model file copied into the load folder. */
  modelFile: string;
  summary: ModelSummary;
  /** Reference data found next to the model (absolute paths), empty when none. */
  reference: {
    inputFormat: 'float32' | 'uint8-offset' | 'raw';
    outputFormat: 'float32' | 'raw';
    vectors: ReferenceVector[];
    /** Why reference data that may exist was not read (e.g. a definition.yml that is not YAML). */
    warnings?: string[];
  };
  /** What the frontend read leniently or skipped; also in the load log. */
  warnings?: string[];
}

/** build/build.json: sources the platform compiles. */
export interface BuildArtifact {
  backend: string;
  framework: string;
  /** C sources relative to the build folder, or absolute for library sources. */
  sources: string[];
  includeDirs: string[];
  defines: Record<string, string>;
  /** Extra compiler flags the backend needs (rare). */
  cflags: string[];
  /** Bytes of the statically planned activation arena (the report's Model Arena). */
  arenaBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Generated layer functions in invoke order, for per-layer profiling. */
  layerFunctions: string[];
  /** Sources the platform may put in its shared build cache (independent of the model). */
  librarySources?: string[];
  /**
   * A framework library compiled with its own flags, never the run's: each unit's object is
   * cached on its own, so another run (or model) on the same target reuses it.
   */
  library?: LibraryBuild;
  /**
   * The backend's own default for `validate.tolerance` (LSB per int8/uint8 element) when the
   * user sets none: 0 for code that is bit-exact with TensorFlow Lite, more for frameworks that
   * requantize differently (TFLM, TVM). Absent means 0.
   */
  validationToleranceLsb?: number;
  /**
   * The backend's own default stack and heap reservations (bytes) on bare-metal targets when the
   * user sets no `mlif.stack_size` / `mlif.heap_size`: a measured stack peak plus a margin, since
   * framework runtimes need far more than mlbaot's 2 kB. Absent means the platform's default.
   */
  stackBytes?: number;
  heapBytes?: number;
}

/** A library the platform compiles with the target's flags plus each unit's own. */
export interface LibraryBuild {
  /** Names the library in logs and cache keys, e.g. 'tflm'. */
  name: string;
  /** Everything besides a unit's source and flags its object depends on (commit, headers' hash). */
  revision: string;
  /** Absolute source paths with their flags (-O, -std, -D, -I/-isystem of shared trees only). */
  units: { source: string; flags: string[] }[];
}

export interface MemoryFigures {
  'ROM Total': number;
  'ROM Code': number;
  'ROM Read-only': number;
  'ROM Data': number;
  'RAM Total': number;
  'RAM Data': number;
  'RAM BSS': number;
  'RAM Stack': number;
  'RAM Heap': number;
}

/** compile/compile.json */
export interface CompileArtifact {
  platform: string;
  target: string;
  /** Program to run (absolute path inside the run directory). */
  elf: string;
  memory: MemoryFigures;
  /** Stack range, for stack high-water measurement. */
  stack?: { low: number; high: number };
  /** Number of reference vectors compiled into the program (0 without `validate`). */
  validationVectors: number;
  /** Marker symbols' addresses for instruction counting. */
  markers: Record<string, number>;
  /** Per-layer function address ranges [start, end) for profiling. */
  layerRanges?: { name: string; start: number; end: number }[];
  toolVersions: Record<string, string>;
  /** Float arithmetic the program was compiled for (the report's Float column): FPU or soft-float. */
  floatArithmetic?: string;
}

/** run/run.json: measured figures, keyed by report column name. */
export interface RunArtifact {
  target: string;
  metrics: Partial<Record<MetricName, number | string>>;
  /** Exit status of the program as the simulator or host reported it. */
  exitCode: number | null;
  stdoutFile: string;
  /** Per-layer instruction counts when the `profile` feature is on. */
  profile?: { name: string; instructions: number }[];
  /** Simulator/runner versions that produced the figures. */
  toolVersions?: Record<string, string>;
}

export type MetricName =
  | 'Setup Instructions'
  | 'Run Instructions'
  | 'Total Instructions'
  | 'Setup Cycles'
  | 'Run Cycles'
  | 'Total Cycles'
  | 'RAM Stack Peak'
  | 'Validation'
  | 'Model Arena'
  | 'Float'
  | keyof MemoryFigures;
