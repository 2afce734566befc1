import { chiSquareUpperTail } from './survival-chi-square.js';
import { factorSymmetric } from './survival-cholesky.js';
import { checkObservations, orderByTime, type SurvivalObservation } from './survival-times.js';

export interface LogRankResult {
  chiSquare: number;
  df: number;
  p: number;
  observed: number[];
  expected: number[];
  /** Variance–covariance matrix of observed − expected (R: survdiff()$var). */
  variance: number[][];
}

/**
 * Log-rank test for k ≥ 2 groups, as R survival 3.5-3's survdiff(Surv(time, event) ~ group)
 * (rho = 0, Mantel–Haenszel variance with the hypergeometric tie correction). As in R, groups
 * with no expected events (including groups without observations, which R cannot have) are left
 * out: chiSquare uses the other groups' variance block without its first row and column, and df
 * is their number − 1. When fewer than two groups have expected events there is nothing to
 * compare: chiSquare 0, df 0, p 1 with one such group (as R) and p NaN with none (no events at
 * all; R reports df −1 and p NA). A singular block (R stops) is solved with a generalised inverse.
 * O(n log n + m·k²) for m distinct event times.
 */
export function logRankTest(groups: readonly (readonly SurvivalObservation[])[]): LogRankResult {
  if (!Array.isArray(groups) || groups.length < 2) {
    throw new RangeError(`groups must hold at least 2 groups, got ${Array.isArray(groups) ? groups.length : 'none'}`);
  }
  groups.forEach((g, i) => checkObservations(g, `groups[${i}]`));
  const k = groups.length;
  const times: number[] = [];
  const events: boolean[] = [];
  const groupOf: number[] = [];
  const atRisk = new Float64Array(k);
  groups.forEach((g, i) => {
    atRisk[i] = g.length;
    for (const o of g) {
      times.push(o.time);
      events.push(o.event);
      groupOf.push(i);
    }
  });
  const n = times.length;
  if (n === 0) throw new RangeError('groups hold no observations');

  const { index, time } = orderByTime(times);
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  let nRisk = n;
  for (let start = 0; start < n;) {
    const t = time[start]!;
    let end = start;
    let deaths = 0;
    for (; end < n && time[end] === t; end++) {
      const i = index[end]!;
      if (events[i]) {
        deaths++;
        observed[groupOf[i]!]!++;
      }
    }
    if (deaths > 0) {
      for (let g = 0; g < k; g++) expected[g]! += (deaths * atRisk[g]!) / nRisk;
      if (nRisk > 1) {
        // Hypergeometric covariance of the deaths among the groups at risk.
        const factor = (deaths * (nRisk - deaths)) / (nRisk * (nRisk - 1));
        for (let a = 0; a < k; a++) {
          const term = factor * atRisk[a]!;
          variance[a * k + a]! += term;
          for (let b = 0; b < k; b++) variance[a * k + b]! -= (term * atRisk[b]!) / nRisk;
        }
      }
    }
    for (let s = start; s < end; s++) atRisk[groupOf[index[s]!]!]!--;
    nRisk -= end - start;
    start = end;
  }

  const tested: number[] = [];
  for (let g = 0; g < k; g++) if (expected[g]! > 0) tested.push(g);
  let chiSquare = 0;
  let df = 0;
  let p = tested.length === 1 ? 1 : Number.NaN;
  if (tested.length >= 2) {
    const kept = tested.slice(1);
    const m = kept.length;
    const block = new Float64Array(m * m);
    const difference = kept.map((g) => observed[g]! - expected[g]!);
    kept.forEach((a, r) => kept.forEach((b, c) => (block[r * m + c] = variance[a * k + b]!)));
    const solution = factorSymmetric(block, m, 1e-10).solve(difference);
    chiSquare = difference.reduce((sum, d, r) => sum + d * solution[r]!, 0);
    df = m;
    p = chiSquareUpperTail(chiSquare, df);
  }
  return {
    chiSquare,
    df,
    p,
    observed: Array.from(observed),
    expected: Array.from(expected),
    variance: Array.from({ length: k }, (_, a) => Array.from(variance.subarray(a * k, (a + 1) * k))),
  };
}
