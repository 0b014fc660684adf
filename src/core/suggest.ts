import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word`, or undefined when nothing is reasonably close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  // Allow roughly one edit per three characters: "optimise"→"optimize", "awv"→"aww".
  return bestD <= Math.max(2, Math.ceil(word.length / 3)) ? best : undefined;
}
