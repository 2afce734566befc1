/**
 * Typed wrappers over the @stdlib distribution functions, named as in R (pnorm, qnorm, pt, qt,
 * qbeta, pbinom, qchisq). Lower tails only: for an upper tail, use the symmetry of the distribution or
 * pass the complementary argument, so that small p-values keep their relative accuracy.
 */
import betaQuantileImpl from '@stdlib/stats-base-dists-beta-quantile';
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf';
import chiSquareQuantileImpl from '@stdlib/stats-base-dists-chisquare-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal distribution function Φ(x) (R: pnorm(x)). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p) (R: qnorm(p)). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Student t distribution function (R: pt(x, df)). */
export function tCdf(x: number, df: number): number {
  return tCdfImpl(x, df);
}

/** Student t quantile (R: qt(p, df)). */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** Beta quantile (R: qbeta(p, a, b)). */
export function betaQuantile(p: number, a: number, b: number): number {
  return betaQuantileImpl(p, a, b);
}

/** Binomial distribution function P(X ≤ k), X ~ Bin(n, prob) (R: pbinom(k, n, prob)). */
export function binomialCdf(k: number, n: number, prob: number): number {
  return binomialCdfImpl(k, n, prob);
}

/** Chi-square quantile (R: qchisq(p, df)). */
export function chiSquareQuantile(p: number, df: number): number {
  return chiSquareQuantileImpl(p, df);
}
