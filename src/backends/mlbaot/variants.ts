// Per-layer code variants of mlbaot and the tune stage's choice among them.
//
// Every MAC layer (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED) can be generated in one of a few
// variants; the other operators have a single implementation ('shared'). A variant is forced for
// all layers with `mlbaot.variant=<name>`, or chosen per layer by tuning records
// (`{ layers: { "<operator index>": "<variant>" } }`, tune/tune.json of `-f autotune` or
// `mlbench flow tune`, reusable through `mlbaot.tuning_records=FILE`).
//
// Tuning measures each variant once for all layers (N variants = N profiled runs): the per-layer
// counts are inclusive instruction counts of each layer function, which do not depend on the
// variants of other layers, so the per-layer minimum is also the model's minimum.
import type { Operator } from '../../core/model.js';

export const VARIANTS = ['shared', 'specialized', 'blocked'] as const;
export type Variant = (typeof VARIANTS)[number];
/** Config choices of `mlbaot.variant`: `default` = per-layer defaults or tuning records. */
export const VARIANT_CHOICES: readonly string[] = ['default', ...VARIANTS];

/**
 * What each variant is, for `--config` help and the records:
 * - shared: one out-of-line kernel instance per distinct window/stride/dilation (and input depth of
 *   spatial kernels), shapes passed at run time; smallest code.
 * - specialized: an instance with every shape (sizes, channels, padding, zero points, clamp) a
 *   literal: GCC unrolls and folds the index arithmetic; code per distinct layer shape.
 * - blocked: specialized, with the layer's alternative loop nest (depthwise: channel-major with the
 *   taps, bias and requantization constants in registers; conv and fully connected: the channel /
 *   K loop unrolled by 4).
 */
export const VARIANT_HELP: Record<Variant, string> = {
  shared: 'shared kernel instance, run-time shapes (smallest code)',
  specialized: 'fully specialized instance: all shapes compile-time',
  blocked: 'specialized with the alternative loop nest / blocking',
};

const MAC_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

/** Variants a layer can be generated in; non-MAC operators have their one implementation. */
export function variantsFor(op: Pick<Operator, 'opcode'>): readonly Variant[] {
  return MAC_OPS.has(op.opcode) ? VARIANTS : ['shared'];
}

/**
 * Variant when neither config nor tuning say otherwise: fully connected layers get compile-time
 * shapes with the unrolled K loop (each runs once per inference with a large K, so a shared
 * instance with run-time K costs ~15-25% more instructions for a few hundred bytes of code);
 * convolutions keep the shared instances (code shared across layers).
 */
export function defaultVariant(op: Pick<Operator, 'opcode'>): Variant {
  return op.opcode === 'FULLY_CONNECTED' ? 'blocked' : 'shared';
}

export function isVariant(v: unknown): v is Variant {
  return typeof v === 'string' && (VARIANTS as readonly string[]).includes(v);
}

/** Tuning records as stored in tune/tune.json. */
export interface TuningRecords {
  backend: 'mlbaot';
  version: 1;
  objective: string;
  /** Variants measured, in measurement order. */
  variants: string[];
  /** Chosen variant per operator index (every operator with a layer function). */
  layers: Record<string, string>;
  /** Instructions per operator index and variant (inclusive counts of the layer function). */
  measured: Record<string, Record<string, number>>;
  /** Whole-model metrics of each measured variant (Run Instructions, ROM Total, ...). */
  totals: Record<string, Record<string, number | string>>;
  /** Activation arena of the tuned build (never above the untuned build's). */
  arenaBytes: number;
  /** Sum of the chosen layers' instructions (the tuned model's layer instructions). */
  predictedLayerInstructions: number;
}

/**
 * The tuner's choice for one layer. Objective: fewest instructions; ROM is the tie-breaker.
 * Variants within `tolerance` (relative, e.g. 0.01 = 1%) of the best count as ties: among ties
 * the layer's default variant wins if present, else the earliest in VARIANTS (ordered from the
 * smallest code to the largest). So a tuned layer is never slower than its default, and never
 * bigger unless it is more than `tolerance` faster.
 */
export function chooseVariant(counts: Record<string, number>, fallback: string, tolerance = 0): string {
  const entries = Object.entries(counts).filter(([, n]) => Number.isFinite(n));
  if (entries.length === 0) return fallback;
  const best = Math.min(...entries.map(([, n]) => n));
  const ties = entries.filter(([, n]) => n <= best * (1 + tolerance)).map(([v]) => v);
  if (ties.includes(fallback)) return fallback;
  const rank = (v: string): number => {
    const i = (VARIANTS as readonly string[]).indexOf(v);
    return i < 0 ? VARIANTS.length : i;
  };
  return ties.sort((a, b) => rank(a) - rank(b))[0];
}

/** Per-layer choices from per-variant profiles (layer function name -> instructions). */
export function selectVariants(
  ops: Pick<Operator, 'opcode' | 'index'>[],
  profiles: Record<string, { name: string; instructions: number }[]>,
  tolerance = 0,
): { layers: Record<string, string>; measured: Record<string, Record<string, number>>; predicted: number } {
  const measured: Record<string, Record<string, number>> = {};
  for (const [variant, rows] of Object.entries(profiles)) {
    for (const row of rows) {
      const m = /^mlb_layer_(\d+)_/.exec(row.name);
      if (!m) continue;
      (measured[m[1]] ??= {})[variant] = row.instructions;
    }
  }
  const layers: Record<string, string> = {};
  let predicted = 0;
  for (const op of ops) {
    const key = String(op.index);
    const counts = measured[key];
    if (!counts) continue; // no layer function (RESHAPE aliases)
    const allowed = Object.fromEntries(Object.entries(counts).filter(([v]) => (variantsFor(op) as readonly string[]).includes(v)));
    const choice = chooseVariant(allowed, defaultVariant(op), tolerance);
    layers[key] = choice;
    predicted += counts[choice] ?? 0;
  }
  return { layers, measured, predicted };
}

/** The variant of each operator: forced by config, else from the records, else the default. */
export function resolveVariants(
  ops: Pick<Operator, 'opcode' | 'index'>[],
  forced: string,
  records: { layers?: Record<string, unknown> } | undefined,
): Map<number, Variant> {
  const out = new Map<number, Variant>();
  for (const op of ops) {
    const allowed = variantsFor(op);
    let v: Variant = defaultVariant(op);
    const fromRecords = records?.layers?.[String(op.index)];
    if (isVariant(forced) && allowed.includes(forced)) v = forced;
    else if (forced === 'default' && isVariant(fromRecords) && allowed.includes(fromRecords)) v = fromRecords;
    out.set(op.index, v);
  }
  return out;
}

/**
 * Tuning must not grow the activation arena (RAM): the channel-major depthwise variant cannot
 * overlap its output with its input. While the chosen variants' arena exceeds the defaults',
 * such layers fall back, cheapest instruction loss first, to their best row-major variant.
 */
export function keepArena(
  ops: Pick<Operator, 'opcode' | 'index'>[],
  layers: Record<string, string>,
  measured: Record<string, Record<string, number>>,
  arenaOf: (layers: Record<string, string>) => number,
  tolerance = 0,
): { layers: Record<string, string>; downgraded: string[] } {
  const target = arenaOf({});
  const out = { ...layers };
  const downgraded: string[] = [];
  const candidates = ops
    .filter((op) => op.opcode === 'DEPTHWISE_CONV_2D' && out[String(op.index)] === 'blocked')
    .map((op) => {
      const key = String(op.index);
      const counts = Object.fromEntries(Object.entries(measured[key] ?? {}).filter(([v]) => v !== 'blocked'));
      const alt = chooseVariant(counts, defaultVariant(op), tolerance);
      return { key, alt, loss: (counts[alt] ?? 0) - (measured[key]?.blocked ?? 0) };
    })
    .sort((a, b) => a.loss - b.loss);
  for (const c of candidates) {
    if (arenaOf(out) <= target) break;
    out[c.key] = c.alt;
    downgraded.push(c.key);
  }
  return { layers: out, downgraded };
}
