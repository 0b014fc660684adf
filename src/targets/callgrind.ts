// Exact instruction counts of a native program's marked regions with valgrind's callgrind.
//
// Every marker function gets `--dump-before=<marker>`: callgrind writes the events since the
// previous dump and zeroes its counters at each marker's entry, so dump k holds exactly the
// instructions from one marker's entry (inclusive) to the next one's (exclusive) — the same
// definition the QEMU plugin uses. Each dump names its trigger, so a region `<r>` is the sum
// of the dumps between `<r>_begin` and `<r>_end`. Deterministic for the same binary.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramToRun, StageContext, TargetRunResult } from '../core/component.js';

export interface CallgrindOptions {
  program: ProgramToRun;
  /** Marker symbol names by marker key, e.g. { setup_begin: 'mlif_marker_setup_begin' }. */
  markerSymbols: Record<string, string>;
  valgrind?: string;
}

interface Dump {
  part: number;
  trigger: string;
  instructions: number;
}

function readDumps(dir: string, base: string): Dump[] {
  const dumps: Dump[] = [];
  for (const f of readdirSync(dir)) {
    const m = new RegExp(`^${base}\\.(\\d+)$`).exec(f);
    if (!m) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const trigger = /^trigger: (.*)$/m.exec(text)?.[1] ?? '';
    const total = /^(?:summary|totals): (\d+)/m.exec(text)?.[1];
    dumps.push({ part: Number(m[1]), trigger, instructions: Number(total ?? 0) });
  }
  return dumps.sort((a, b) => a.part - b.part);
}

/** Region counts from dumps whose triggers name the markers' symbols. */
export function regionsFromDumps(dumps: Dump[], markerSymbols: Record<string, string>): Record<string, number> {
  const markerAt = dumps.map((d) => {
    const sym = /--dump-before=(\S+)/.exec(d.trigger)?.[1] ?? /Client Request|Program termination/.exec(d.trigger)?.[0];
    return Object.entries(markerSymbols).find(([, s]) => s === sym)?.[0];
  });
  const regions: Record<string, number> = {};
  for (const key of Object.keys(markerSymbols)) {
    const m = /^(.+)_begin$/.exec(key);
    if (!m || !markerSymbols[`${m[1]}_end`]) continue;
    const b = markerAt.indexOf(key);
    const e = markerAt.indexOf(`${m[1]}_end`, b + 1);
    if (b < 0 || e < 0) continue;
    // Dump i covers the stretch that ends at marker i; the region spans dumps b+1..e.
    let sum = 0;
    for (let i = b + 1; i <= e; i++) sum += dumps[i].instructions;
    regions[m[1]] = sum;
  }
  return regions;
}

export async function runCallgrind(ctx: StageContext, o: CallgrindOptions): Promise<TargetRunResult> {
  const base = 'callgrind.out';
  for (const f of readdirSync(ctx.dir)) if (f.startsWith(base)) rmSync(join(ctx.dir, f), { force: true });
  const args = [
    '--tool=callgrind',
    `--callgrind-out-file=${join(ctx.dir, base)}`,
    // The dumps' counters are what we need; the per-function profile would only cost time.
    '--dump-instr=no',
    '--compress-strings=no',
    ...Object.values(o.markerSymbols).map((s) => `--dump-before=${s}`),
    o.program.elf,
  ];
  const r = await ctx.exec(o.valgrind ?? 'valgrind', args, { allowFailure: true, timeoutMs: o.program.timeoutMs });
  const dumps = readDumps(ctx.dir, base);
  const crash = /Process terminating with default action of signal (\d+) \((\w+)\)[^\n]*\n(?:==\d+==\s+([^\n]*))?/.exec(r.stderr);
  return {
    stdout: r.stdout,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    limitHit: false,
    crash: crash ? `signal ${crash[1]} (${crash[2]})${crash[3] ? `: ${crash[3].trim()}` : ''}` : undefined,
    regions: regionsFromDumps(dumps, o.markerSymbols),
  };
}
