// The host itself: native gcc build, native run under valgrind's callgrind for exact
// instruction counts of the marked regions. No memory map: the program links natively.
// callgrind has no instruction limit, so a runaway host program is stopped by mlif.timeout and
// a run that sets mlif.instruction_limit is refused rather than silently unlimited;
// with `profile`, layer counts are the layer functions' inclusive costs in the run region.
import type { Availability, ProgramToRun, StageContext, Target, TargetRunResult, Toolchain } from '../core/component.js';
import { runCallgrind } from './callgrind.js';
import { onPath } from './qemu/toolchain.js';

/** Marker keys the mlif program defines; symbol = `mlif_marker_<key>`. */
export function markerSymbolsOf(program: ProgramToRun): Record<string, string> {
  return Object.fromEntries(Object.keys(program.markers).map((k) => [k, `mlif_marker_${k}`]));
}

export const hostX86Target: Target = {
  name: 'host_x86',
  kind: 'target',
  aliases: ['host'],
  description: 'the build machine (x86-64, gcc), instructions counted exactly by valgrind --tool=callgrind',
  config: [],
  unenforceableConfig: {
    'mlif.instruction_limit':
      'valgrind cannot stop a program after a number of instructions; mlif.timeout (wall clock) bounds a runaway host program',
  },
  descriptor: {
    arch: 'x86_64',
    cpu: 'host',
    isa: 'x86-64',
    flashBytes: Number.MAX_SAFE_INTEGER,
    ramBytes: Number.MAX_SAFE_INTEGER,
    counter: 'valgrind callgrind Ir between marker functions (exact, repeatable)',
  },
  async availability(env): Promise<Availability> {
    const missing: string[] = [];
    const valgrind = env.tools.valgrind ?? 'valgrind';
    if (!onPath('gcc')) missing.push('gcc not on PATH');
    if (!onPath(valgrind)) missing.push(`${valgrind} not on PATH`);
    return { usable: missing.length === 0, missing, howToGet: 'apt-get install gcc valgrind' };
  },
  toolchain(): Toolchain {
    return { cc: 'gcc', binutilsPrefix: '', cflags: [], ldflags: [], defines: { MLIF_TARGET_HOST: '1' } };
  },
  async execute(ctx: StageContext, program: ProgramToRun): Promise<TargetRunResult> {
    return runCallgrind(ctx, { program, markerSymbols: markerSymbolsOf(program), valgrind: ctx.env.tools.valgrind });
  },
};
