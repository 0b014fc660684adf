// The `tvmc compile` and `tvmc tune` command lines, argument for argument as MLonMCU's
// get_tvmc_compile_args builds them (EXTERNAL-TOOLS §1.1, §1.7), so results compare.

export type TvmBackendName = 'tvmaot' | 'tvmaotplus' | 'tvmrt';

export interface TvmTargetDetails {
  /** Ordered `--target-c-<key> <value>` pairs contributed by the target. */
  c: [string, string][];
  /** Arm CPU for the cmsis-nn BYOC target, when the target is Arm. */
  cmsisnnMcpu?: string;
}

export interface TvmcCompileOptions {
  backend: TvmBackendName;
  modelFile: string;
  /** Directory the MLF tarball is written to (`<outDir>/default.tar`). */
  outDir: string;
  inputShapes: { name: string; shape: number[] }[];
  target: TvmTargetDetails;
  /** `usmp` feature on tvmaot (tvmaotplus always has it). */
  usmp?: boolean;
  usmpAlgorithm?: string;
  /** `unpacked_api` feature on tvmaot. */
  unpackedApi?: boolean;
  desiredLayout?: string;
  /** `--target-c-device`, e.g. arm_cpu for Arm-optimised schedules (paper Experiment B). */
  targetDevice?: string;
  tuningRecords?: string;
  /** `cmsisnn` feature: TVM's CMSIS-NN BYOC path (`--target cmsis-nn,c`). */
  cmsisnn?: boolean;
  optLevel?: number;
  disabledPasses?: string[];
  alignmentBytes?: number;
}

const ALIGNMENT_FLAGS = (n: number): string[] => [
  '--target-c-constants-byte-alignment',
  String(n),
  '--target-c-workspace-byte-alignment',
  String(n),
  '--executor-aot-constant-byte-alignment',
  String(n),
  '--executor-aot-workspace-byte-alignment',
  String(n),
];

/**
 * The names tvmc's --input-shapes parser reads back whole (shape_parser.py: `(?:\w+\/)?[:\w.]+`,
 * ASCII here). Other names are left out: TVM then takes their shape from the model itself, and
 * no name can smuggle a second `name:[…]` mapping into the argument.
 */
const TVMC_INPUT_NAME = /^(?:[A-Za-z0-9_]+\/)?[:A-Za-z0-9_.]+$/;

/** `name:[1,49,10,1] other:[…]`, one argv element as tvmc expects. */
export function inputShapesArg(inputs: { name: string; shape: number[] }[]): string {
  return inputs
    .filter((i) => TVMC_INPUT_NAME.test(i.name))
    .map((i) => `${i.name}:[${i.shape.join(',')}]`)
    .join(' ');
}

function targetArgs(o: Pick<TvmcCompileOptions, 'target' | 'targetDevice' | 'cmsisnn'>): string[] {
  const args = ['--target', o.cmsisnn ? 'cmsis-nn,c' : 'c'];
  if (o.cmsisnn && o.target.cmsisnnMcpu) args.push('--target-cmsis-nn-mcpu', o.target.cmsisnnMcpu);
  const details = o.target.c.filter(([k]) => !(o.targetDevice && k === 'device'));
  if (o.targetDevice) args.push('--target-c-device', o.targetDevice);
  for (const [k, v] of details) args.push(`--target-c-${k}`, v);
  return args;
}

function passConfigs(o: TvmcCompileOptions): string[] {
  // The C target cannot take vector types from the codegen, so vectorising is always off.
  const configs = ['tir.disable_vectorize=True'];
  if (o.backend === 'tvmaotplus') {
    configs.push(`tir.usmp.algorithm=${o.usmpAlgorithm ?? 'hill_climb'}`, 'tir.usmp.enable=True');
  } else if (o.backend === 'tvmaot') {
    if (o.usmp) configs.push(`tir.usmp.algorithm=${o.usmpAlgorithm ?? 'greedy_by_size'}`);
    configs.push(`tir.usmp.enable=${o.usmp ? 'True' : 'False'}`);
  }
  return configs.flatMap((c) => ['--pass-config', c]);
}

function backendFlags(o: TvmcCompileOptions): string[] {
  const align = o.alignmentBytes ?? 16;
  switch (o.backend) {
    case 'tvmaot':
      return [
        '--runtime-crt-system-lib',
        '0',
        ...(o.unpackedApi
          ? ['--executor-aot-unpacked-api', '1', '--executor-aot-interface-api', 'c']
          : ['--executor-aot-unpacked-api', '0', '--executor-aot-interface-api', 'packed']),
        ...ALIGNMENT_FLAGS(align),
      ];
    case 'tvmaotplus':
      return [
        '--runtime-crt-system-lib',
        '0',
        '--executor-aot-unpacked-api',
        '1',
        '--executor-aot-interface-api',
        'c',
        ...ALIGNMENT_FLAGS(align),
      ];
    case 'tvmrt':
      return ['--runtime-crt-system-lib', '1', '--executor-graph-link-params', '1'];
  }
}

/** Arguments after `tvmc` (or `python3 -m tvm.driver.tvmc`): `compile FILE …`. */
export function tvmcCompileArgs(o: TvmcCompileOptions): string[] {
  const args = ['compile', o.modelFile, ...targetArgs(o)];
  args.push('--runtime', 'crt', '--executor', o.backend === 'tvmrt' ? 'graph' : 'aot');
  args.push(...passConfigs(o));
  if (o.disabledPasses?.length) args.push('--disabled-pass', o.disabledPasses.join(','));
  const shapes = inputShapesArg(o.inputShapes);
  if (shapes) args.push('--input-shapes', shapes);
  if (o.tuningRecords) args.push('--tuning-records', o.tuningRecords);
  if (o.desiredLayout) args.push('--desired-layout', o.desiredLayout);
  args.push('--opt-level', String(o.optLevel ?? 3), '--output', `${o.outDir}/default.tar`, '-f', 'mlf');
  args.push('--model-format', 'tflite');
  args.push(...backendFlags(o));
  return args;
}

export interface TvmcTuneOptions {
  modelFile: string;
  target: TvmTargetDetails;
  targetDevice?: string;
  desiredLayout?: string;
  trials: number;
  tuner: string;
  parallel?: number;
  timeoutSeconds?: number;
  priorRecords?: string;
  output: string;
}

/** `tune … FILE`, FILE last as MLonMCU passes it; AutoTVM with the given tuner. */
export function tvmcTuneArgs(o: TvmcTuneOptions): string[] {
  const parallel = o.parallel ?? 1;
  const args = ['tune', ...targetArgs({ target: o.target, targetDevice: o.targetDevice })];
  if (o.desiredLayout) args.push('--desired-layout', o.desiredLayout);
  args.push('--early-stopping', String(Math.max(o.trials, 10)));
  args.push('--parallel', String(parallel), '--timeout', String((o.timeoutSeconds ?? 10) * parallel));
  args.push('--trials', String(o.trials), '--tuner', o.tuner);
  if (o.priorRecords) args.push('--tuning-records', o.priorRecords);
  args.push('--output', o.output, o.modelFile);
  return args;
}

/** What the target contributes to `--target c`, from its name and descriptor (§1.1 examples). */
export function tvmTargetDetails(target: {
  name: string;
  descriptor: { arch: string; cpu: string; isa: string };
}): TvmTargetDetails {
  const { name, descriptor: d } = target;
  if (name === 'esp32c3') {
    return { c: [['device', 'riscv_cpu'], ['mcpu', 'esp32c3'], ['march', 'rv32imc'], ['model', 'esp32c3_devkit']] };
  }
  if (d.arch === 'arm') {
    return { c: [['mcpu', d.cpu], ['model', `${name}-${d.cpu}`]], cmsisnnMcpu: d.cpu };
  }
  if (d.arch === 'riscv32') return { c: [['model', `${name}-${d.isa}`]] };
  return { c: [] };
}
