import { betaQuantile, normalQuantile } from './distributions.js';
import { checkLevel, type Interval } from './intervals.js';

/** Throws unless x and n are counts with 0 ≤ x ≤ n and n ≥ 1. */
function checkCounts(x: number, n: number, xName = 'x', nName = 'n'): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${nName} must be a whole number ≥ 1, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) {
    throw new RangeError(`${xName} must be a whole number from 0 to ${nName} = ${n}, got ${x}`);
  }
}

/**
 * Wilson score interval without continuity correction (Wilson 1927; Newcombe 1998 method 3),
 * written as R's prop.test(x, n, correct = FALSE)$conf.int computes it.
 */
export function wilsonInterval(x: number, n: number, level = 0.95): Interval {
  checkCounts(x, n);
  checkLevel(level);
  const z = normalQuantile((1 + level) / 2);
  const p = x / n;
  const z22n = (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n));
  const upper = p >= 1 ? 1 : (p + z22n + spread) / (1 + 2 * z22n);
  const lower = p <= 0 ? 0 : (p + z22n - spread) / (1 + 2 * z22n);
  return { lower: Math.max(lower, 0), upper: Math.min(upper, 1) };
}

/**
 * Clopper–Pearson exact interval from beta quantiles (Clopper & Pearson 1934), as R's
 * binom.test(x, n, conf.level = level)$conf.int: the lower limit is 0 when x = 0, the upper 1 when x = n.
 */
export function clopperPearsonInterval(x: number, n: number, level = 0.95): Interval {
  checkCounts(x, n);
  checkLevel(level);
  const alpha = (1 - level) / 2;
  return {
    lower: x === 0 ? 0 : betaQuantile(alpha, x, n - x + 1),
    upper: x === n ? 1 : betaQuantile(1 - alpha, x + 1, n - x),
  };
}

export interface ProportionDifference extends Interval {
  /** p1 − p2 */
  estimate: number;
}

/**
 * Newcombe's hybrid score interval for p1 − p2 of two independent proportions (Newcombe,
 * Stat Med 1998;17:873, method 10), built from the Wilson limits (l, u) of each proportion:
 * lower = d − √((p1 − l1)² + (u2 − p2)²), upper = d + √((u1 − p1)² + (p2 − l2)²).
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, level = 0.95): ProportionDifference {
  checkCounts(x1, n1, 'x1', 'n1');
  checkCounts(x2, n2, 'x2', 'n2');
  checkLevel(level);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, level);
  const w2 = wilsonInterval(x2, n2, level);
  const estimate = p1 - p2;
  return {
    estimate,
    lower: estimate - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: estimate + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}
