// What each TVM backend asks of mlif when the user sets nothing: the stack and heap it reserves
// and the validation tolerance. Measured, not guessed (BENCHMARKS.md, "TVM"): the MLPerf Tiny
// four with `-c mlif.stack_size=65536` on riscv_qemu and cortexm4_qemu (TVM 0.17.0).
import type { TvmBackendName } from '../../frameworks/tvm/tvmc-args.js';

export interface TvmBackendDefaults {
  /** Largest RAM Stack Peak measured, rounded up to 1 KiB, plus 3 KiB for models and targets not measured. */
  stackBytes: number;
  /** The wrappers allocate from static arenas (stack allocator, page allocator), never malloc. */
  heapBytes: number;
  /**
   * Largest |TVM - TFLite| in output LSB over the ten reference vectors of the four models.
   * TVM lowers requantization and softmax its own way: resnet differs by up to 46 LSB (4/10
   * vectors bit-exact), aww 18 (6/10), vww 2 (9/10); toycar is bit-exact; top-1 is the same
   * in 10/10 for all four.
   */
  validationToleranceLsb: number;
}

/** Measured peaks (bytes) behind the stack defaults, per backend: [model, target, peak]. */
export const MEASURED_STACK_PEAKS: Record<TvmBackendName, [string, string, number][]> = {
  tvmaot: [
    ['aww', 'riscv_qemu', 1324],
    ['aww', 'cortexm4_qemu', 2696],
    ['vww', 'riscv_qemu', 1276],
    ['vww', 'cortexm4_qemu', 4144],
  ],
  tvmaotplus: [
    ['aww', 'riscv_qemu', 380],
    ['aww', 'cortexm4_qemu', 1400],
    ['vww', 'riscv_qemu', 516],
    ['vww', 'cortexm4_qemu', 3464],
  ],
  // The four with the 6 KiB default of the time (every peak stayed below it), inputs copied in.
  tvmrt: [
    ['aww', 'riscv_qemu', 2560],
    ['aww', 'cortexm4_qemu', 2464],
    ['vww', 'riscv_qemu', 2560],
    ['vww', 'cortexm4_qemu', 3512],
    ['resnet', 'riscv_qemu', 2560],
    ['resnet', 'cortexm4_qemu', 2464],
    ['toycar', 'riscv_qemu', 2560],
    ['toycar', 'cortexm4_qemu', 2464],
  ],
};

const KiB = 1024;
/** For models and targets not measured (tvmaot's vww peak on Arm is 1.5x its aww peak). */
const STACK_MARGIN_BYTES = 3 * KiB;
/** Measured over aww, vww, resnet and toycar (see validationToleranceLsb). */
const MEASURED_MAX_LSB = 46;

export function stackDefaultFor(backend: TvmBackendName): number {
  const peak = Math.max(...MEASURED_STACK_PEAKS[backend].map(([, , p]) => p));
  return Math.ceil(peak / KiB) * KiB + STACK_MARGIN_BYTES;
}

export function tvmBackendDefaults(backend: TvmBackendName): TvmBackendDefaults {
  return { stackBytes: stackDefaultFor(backend), heapBytes: 0, validationToleranceLsb: MEASURED_MAX_LSB };
}
