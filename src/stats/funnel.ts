import { binomialCdf, normalQuantile } from './distributions.js';
import type { Interval } from './intervals.js';

/** P(X ≤ k) for X ~ Bin(n, prob), 0 below the support. */
function pbinom(k: number, n: number, prob: number): number {
  return k < 0 ? 0 : binomialCdf(k, n, prob);
}

/**
 * Binomial quantile as R's qbinom(p, n, prob): the smallest r with P(X ≤ r) ≥ p, with R's fuzz
 * p·(1 − 64ε) for left continuity, found by stepping from the Cornish–Fisher approximation.
 */
export function binomialQuantile(p: number, n: number, prob: number): number {
  if (prob === 0 || n === 0) return 0;
  if (prob === 1) return n;
  if (p + 1.01 * Number.EPSILON >= 1) return n;
  const mu = n * prob;
  const sigma = Math.sqrt(n * prob * (1 - prob));
  const gamma = (1 - prob - prob) / sigma;
  const z = normalQuantile(p);
  let r = Math.floor(mu + sigma * (z + (gamma * (z * z - 1)) / 6) + 0.5);
  r = Math.min(Math.max(r, 0), n);
  const target = p * (1 - 64 * Number.EPSILON);
  if (pbinom(r, n, prob) >= target) {
    while (r > 0 && pbinom(r - 1, n, prob) >= target) r -= 1;
  } else {
    while (r < n && pbinom(r, n, prob) < target) r += 1;
  }
  return r;
}

/**
 * The limit below which a proportion p of Bin(n, p0) lies, as a proportion, interpolated
 * between counts (Spiegelhalter, Stat Med 2005;24:1185, appendix): r_p = qbinom(p, n, p0),
 * α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)), limit (r_p − α)/n, clamped to [0, 1].
 */
function funnelLimit(p: number, n: number, p0: number): number {
  const r = binomialQuantile(p, n, p0);
  const atR = pbinom(r, n, p0);
  const alpha = (atR - p) / (atR - pbinom(r - 1, n, p0));
  return Math.min(1, Math.max(0, (r - alpha) / n));
}

/**
 * Funnel-plot control limits for a proportion p0 at sample size n, as proportions, with the
 * given two-sided coverage (0.95, 0.998): exact binomial with interpolation (Spiegelhalter 2005),
 * the limits being the (1 ∓ coverage)/2 points. At p0 = 0 both limits are 0; at p0 = 1 the
 * interpolation spreads the atom at n over [n − 1, n], so the limits are (n − 1 + p)/n.
 */
export function binomialFunnelLimits(p0: number, n: number, coverage: number): Interval {
  if (!(p0 >= 0 && p0 <= 1)) throw new RangeError(`p0 must lie in [0, 1], got ${p0}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
  if (!(coverage > 0 && coverage < 1))
    throw new RangeError(`coverage must lie strictly between 0 and 1, got ${coverage}`);
  return {
    lower: funnelLimit((1 - coverage) / 2, n, p0),
    upper: funnelLimit((1 + coverage) / 2, n, p0),
  };
}
