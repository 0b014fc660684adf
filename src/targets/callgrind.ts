// Exact instruction counts of a native program's marked regions with valgrind's callgrind.
//
// Every marker function gets `--dump-before=<marker>`: callgrind writes the events since the
// previous dump and zeroes its counters at each marker's entry, so dump k holds exactly the
// instructions from one marker's entry (inclusive) to the next one's (exclusive) — the same
// definition the QEMU plugin uses. Each dump names its trigger, so a region `<r>` is the sum
// of the dumps between `<r>_begin` and `<r>_end`. Deterministic for the same binary.
import { toolVersion } from '../core/tool-version.js';
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
  text: string;
}

function readDumps(dir: string, base: string): Dump[] {
  const dumps: Dump[] = [];
  for (const f of readdirSync(dir)) {
    const m = new RegExp(`^${base}\\.(\\d+)$`).exec(f);
    if (!m) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const trigger = /^desc: Trigger: (.*)$/m.exec(text)?.[1] ?? '';
    const total = /^(?:summary|totals): (\d+)/m.exec(text)?.[1];
    dumps.push({ part: Number(m[1]), trigger, instructions: Number(total ?? 0), text });
  }
  return dumps.sort((a, b) => a.part - b.part);
}

/** For each region `<r>`, the dumps (indices) between `<r>_begin` and `<r>_end`. */
function regionDumps(dumps: Dump[], markerSymbols: Record<string, string>): Record<string, number[]> {
  const markerAt = dumps.map((d) => {
    const sym = /--dump-before=(\S+)/.exec(d.trigger)?.[1];
    return Object.entries(markerSymbols).find(([, s]) => s === sym)?.[0];
  });
  const regions: Record<string, number[]> = {};
  for (const key of Object.keys(markerSymbols)) {
    const m = /^(.+)_begin$/.exec(key);
    if (!m || !markerSymbols[`${m[1]}_end`]) continue;
    const b = markerAt.indexOf(key);
    const e = markerAt.indexOf(`${m[1]}_end`, b + 1);
    if (b < 0 || e < 0) continue;
    // Dump i covers the stretch that ends at marker i; the region spans dumps b+1..e.
    regions[m[1]] = Array.from({ length: e - b }, (_, i) => b + 1 + i);
  }
  return regions;
}

/** Region counts from dumps whose triggers name the markers' symbols. */
export function regionsFromDumps(dumps: Dump[], markerSymbols: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [region, idx] of Object.entries(regionDumps(dumps, markerSymbols))) {
    out[region] = idx.reduce((a, i) => a + dumps[i].instructions, 0);
  }
  return out;
}

/**
 * Inclusive instruction counts of functions in one dump: each function's own cost lines plus
 * the inclusive cost recorded under each of its `calls=` lines (callgrind's format).
 */
export function inclusiveCosts(text: string, names: ReadonlySet<string>): Map<string, number> {
  const costs = new Map<string, number>();
  let fn: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      fn = line.slice(3);
    } else if (/^[+\-*\d]/.test(line) && fn !== undefined && names.has(fn)) {
      // Own cost lines and the inclusive cost line after each `calls=` both end in the Ir count.
      const cost = Number(line.trim().split(/\s+/).pop());
      if (Number.isFinite(cost)) costs.set(fn, (costs.get(fn) ?? 0) + cost);
    }
  }
  return costs;
}

async function valgrindVersion(): Promise<Record<string, string> | undefined> {
  const v = await toolVersion('valgrind');
  return v ? { valgrind: v } : undefined;
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
  // Per-layer counts: layer functions' inclusive costs inside the run region.
  let layerCounts: { name: string; instructions: number }[] | undefined;
  const runDumps = regionDumps(dumps, o.markerSymbols).run;
  if (o.program.layerRanges?.length && runDumps) {
    const names = new Set(o.program.layerRanges.map((l) => l.name));
    const total = new Map<string, number>();
    for (const i of runDumps) for (const [n, c] of inclusiveCosts(dumps[i].text, names)) total.set(n, (total.get(n) ?? 0) + c);
    layerCounts = o.program.layerRanges.map((l) => ({ name: l.name, instructions: total.get(l.name) ?? 0 }));
  }
  return {
    stdout: r.stdout,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    limitHit: false,
    crash: crash ? `signal ${crash[1]} (${crash[2]})${crash[3] ? `: ${crash[3].trim()}` : ''}` : undefined,
    regions: regionsFromDumps(dumps, o.markerSymbols),
    layerCounts,
    toolVersions: await valgrindVersion(),
  };
}
