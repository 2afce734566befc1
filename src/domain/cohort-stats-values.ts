import type { CohortRow } from './cohort.js';

/** A figure as reported: null where the computation gives NaN or ±Infinity (too few values). */
export function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** 50 % responders (x) among the rows whose response can be judged at window `w` (n). */
export function responders50(rows: readonly CohortRow[], w: number): { x: number; n: number } {
  let x = 0;
  let n = 0;
  for (const r of rows) {
    const responder = r.windows[w]!.responder50;
    if (responder === null) continue;
    n++;
    if (responder) x++;
  }
  return { x, n };
}
