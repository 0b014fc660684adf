// The exact tvmc command lines per backend and feature, compared with the documented ones
// (EXTERNAL-TOOLS §1.1: MLonMCU's get_tvmc_compile_args for target etiss and the aww model).
import { describe, expect, it } from 'vitest';
import {
  inputShapesArg,
  tvmcCompileArgs,
  tvmcTuneArgs,
  tvmTargetDetails,
  type TvmcCompileOptions,
} from '../../src/frameworks/tvm/tvmc-args.js';

const AWW = { modelFile: 'aww.tflite', outDir: '/tmp/x', inputShapes: [{ name: 'input_1', shape: [1, 49, 10, 1] }] };
const ETISS = { c: [['model', 'etiss-rv32gc']] as [string, string][] };
const split = (line: string): string[] => line.trim().split(/\s+/);

// The documented command line, with the one quoted --input-shapes element restored.
const DOCUMENTED_TVMAOT = [
  ...split('compile aww.tflite --target c --target-c-model etiss-rv32gc --runtime crt --executor aot'),
  ...split('--pass-config tir.disable_vectorize=True --pass-config tir.usmp.enable=False'),
  '--input-shapes',
  'input_1:[1,49,10,1]',
  ...split('--opt-level 3 --output /tmp/x/default.tar -f mlf --model-format tflite'),
  ...split('--runtime-crt-system-lib 0 --executor-aot-unpacked-api 0 --executor-aot-interface-api packed'),
  ...split('--target-c-constants-byte-alignment 16 --target-c-workspace-byte-alignment 16'),
  ...split('--executor-aot-constant-byte-alignment 16 --executor-aot-workspace-byte-alignment 16'),
];

const args = (o: Partial<TvmcCompileOptions>): string[] => tvmcCompileArgs({ backend: 'tvmaot', ...AWW, target: ETISS, ...o });

describe('tvmcCompileArgs', () => {
  it('tvmaot matches the documented MLonMCU command line exactly', () => {
    expect(args({})).toEqual(DOCUMENTED_TVMAOT);
  });

  it('input shapes are one argv element with space-separated entries', () => {
    expect(inputShapesArg([{ name: 'a', shape: [1, 2] }, { name: 'b', shape: [3] }])).toBe('a:[1,2] b:[3]');
  });

  it('tvmaot + usmp turns USMP on with the default algorithm', () => {
    const a = args({ usmp: true });
    expect(a.slice(10, 16)).toEqual([
      '--pass-config', 'tir.disable_vectorize=True',
      '--pass-config', 'tir.usmp.algorithm=greedy_by_size',
      '--pass-config', 'tir.usmp.enable=True',
    ]);
  });

  it('tvmaot + unpacked_api switches to the C interface', () => {
    const a = args({ unpackedApi: true });
    expect(a.join(' ')).toContain('--runtime-crt-system-lib 0 --executor-aot-unpacked-api 1 --executor-aot-interface-api c --target-c-constants-byte-alignment 16');
    expect(a).not.toContain('packed');
  });

  it('tvmaotplus forces USMP (hill_climb) and the unpacked C interface', () => {
    const a = tvmcCompileArgs({ backend: 'tvmaotplus', ...AWW, target: ETISS });
    expect(a.join(' ')).toBe(
      'compile aww.tflite --target c --target-c-model etiss-rv32gc --runtime crt --executor aot ' +
        '--pass-config tir.disable_vectorize=True --pass-config tir.usmp.algorithm=hill_climb --pass-config tir.usmp.enable=True ' +
        '--input-shapes input_1:[1,49,10,1] --opt-level 3 --output /tmp/x/default.tar -f mlf --model-format tflite ' +
        '--runtime-crt-system-lib 0 --executor-aot-unpacked-api 1 --executor-aot-interface-api c ' +
        '--target-c-constants-byte-alignment 16 --target-c-workspace-byte-alignment 16 ' +
        '--executor-aot-constant-byte-alignment 16 --executor-aot-workspace-byte-alignment 16',
    );
  });

  it('tvmrt uses the graph executor with a system library and linked params, no USMP config', () => {
    const a = tvmcCompileArgs({ backend: 'tvmrt', ...AWW, target: ETISS });
    expect(a.join(' ')).toBe(
      'compile aww.tflite --target c --target-c-model etiss-rv32gc --runtime crt --executor graph ' +
        '--pass-config tir.disable_vectorize=True --input-shapes input_1:[1,49,10,1] ' +
        '--opt-level 3 --output /tmp/x/default.tar -f mlf --model-format tflite ' +
        '--runtime-crt-system-lib 1 --executor-graph-link-params 1',
    );
  });

  it('desired layout and tuning records go after the input shapes, in documented order', () => {
    const a = args({ desiredLayout: 'NCHW', tuningRecords: '/r/best.log' });
    const i = a.indexOf('--input-shapes');
    expect(a.slice(i, i + 6)).toEqual(['--input-shapes', 'input_1:[1,49,10,1]', '--tuning-records', '/r/best.log', '--desired-layout', 'NCHW']);
    // FILE stays before the nargs="+" --desired-layout.
    expect(a[1]).toBe('aww.tflite');
  });

  it('target_device=arm_cpu adds --target-c-device (Experiment B)', () => {
    const cm4 = tvmTargetDetails({ name: 'corstone300', descriptor: { arch: 'arm', cpu: 'cortex-m55', isa: 'armv8.1-m' } });
    const a = args({ target: cm4, targetDevice: 'arm_cpu' });
    expect(a.slice(2, 10)).toEqual([
      '--target', 'c', '--target-c-device', 'arm_cpu', '--target-c-mcpu', 'cortex-m55', '--target-c-model', 'corstone300-cortex-m55',
    ]);
  });

  it('ESP32-C3 contributes the documented target details', () => {
    const d = tvmTargetDetails({ name: 'esp32c3', descriptor: { arch: 'riscv32', cpu: 'esp32c3', isa: 'rv32imc' } });
    expect(args({ target: d }).slice(2, 12).join(' ')).toBe(
      '--target c --target-c-device riscv_cpu --target-c-mcpu esp32c3 --target-c-march rv32imc --target-c-model esp32c3_devkit',
    );
  });

  it('cmsisnn compiles for the cmsis-nn BYOC target first', () => {
    const d = tvmTargetDetails({ name: 'cortexm4_qemu', descriptor: { arch: 'arm', cpu: 'cortex-m4', isa: 'armv7e-m' } });
    expect(args({ target: d, cmsisnn: true }).slice(2, 10)).toEqual([
      '--target', 'cmsis-nn,c', '--target-cmsis-nn-mcpu', 'cortex-m4', '--target-c-mcpu', 'cortex-m4', '--target-c-model', 'cortexm4_qemu-cortex-m4',
    ]);
  });
});

describe('tvmcTuneArgs', () => {
  it('puts FILE last and uses MLonMCU defaults (ga, early stopping max(trials,10))', () => {
    const a = tvmcTuneArgs({ modelFile: 'aww.tflite', target: ETISS, trials: 4, tuner: 'ga', output: 'tune/tuning_records.log' });
    expect(a.join(' ')).toBe(
      'tune --target c --target-c-model etiss-rv32gc --early-stopping 10 --parallel 1 --timeout 10 --trials 4 --tuner ga ' +
        '--output tune/tuning_records.log aww.tflite',
    );
  });

  it('resumes from prior records', () => {
    const a = tvmcTuneArgs({ modelFile: 'm.tflite', target: { c: [] }, trials: 20, tuner: 'xgb', priorRecords: 'old.log', output: 'o.log' });
    expect(a.slice(-5)).toEqual(['--tuning-records', 'old.log', '--output', 'o.log', 'm.tflite']);
    expect(a).toContain('20');
  });
});
