import { medianOfSorted } from './descriptive.js';
import { normalCdf, normalQuantile, tCdf, tQuantile } from './distributions.js';
import { checkLevel, type Interval } from './intervals.js';
import { SignedRankDistribution } from './signed-rank-distribution.js';
import { walshMedian, walshOrderStatistic } from './walsh-averages.js';

function checkValues(values: readonly number[], name: string): void {
  if (values.length === 0) throw new RangeError(`${name} must hold at least one number`);
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) throw new RangeError(`${name}[${i}] must be a finite number, got ${value}`);
  });
}

/** x rounded to two significant digits, ties to even, as R's signif(x, 2) (src/nmath/fprec.c). */
function signif2(x: number): number {
  const scale = 10 ** (1 - Math.floor(Math.log10(x)));
  const scaled = x * scale;
  const rounded = scaled - Math.floor(scaled) === 0.5 ? 2 * Math.round(scaled / 2) : Math.round(scaled);
  return rounded / scale;
}

/** Sum of t³ − t over groups of t equal values of an ascending array (the tie term of the variance). */
function tieSum(sorted: Float64Array): number {
  let sum = 0;
  for (let start = 0; start < sorted.length;) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const t = end - start;
    sum += t * t * t - t;
    start = end;
  }
  return sum;
}

interface SignedRanks {
  /** Non-zero values ranked. */
  n: number;
  /** Sum of the mid-ranks of |x| over positive x (R: sum(rank(abs(x))[x > 0])). */
  positiveRankSum: number;
  /** Sum of t³ − t over groups of t tied |x|. */
  ties: number;
}

/**
 * Signed ranks of the non-zero values of an ascending array, shifted by −shift: walking outwards
 * from zero through the negatives and the positives visits |x − shift| in ascending order.
 */
function signedRanks(sorted: Float64Array, shift = 0): SignedRanks {
  const value = (k: number): number => (sorted[k] as number) - shift;
  let firstNonNegative = 0;
  while (firstNonNegative < sorted.length && value(firstNonNegative) < 0) firstNonNegative++;
  let firstPositive = firstNonNegative;
  while (firstPositive < sorted.length && value(firstPositive) === 0) firstPositive++;
  let neg = firstNonNegative - 1;
  let pos = firstPositive;
  let rank = 0;
  let positiveRankSum = 0;
  let ties = 0;
  while (neg >= 0 || pos < sorted.length) {
    const size = Math.min(neg >= 0 ? -value(neg) : Infinity, pos < sorted.length ? value(pos) : Infinity);
    let t = 0;
    while (neg >= 0 && -value(neg) === size) {
      neg--;
      t++;
    }
    let positives = 0;
    while (pos < sorted.length && value(pos) === size) {
      pos++;
      positives++;
    }
    t += positives;
    positiveRankSum += positives * (rank + (t + 1) / 2);
    ties += t * t * t - t;
    rank += t;
  }
  return { n: rank, positiveRankSum, ties };
}

/** Variance of V under the null, with the tie correction (Lehmann 1975). */
function signedRankSigma(n: number, ties: number): number {
  return Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - ties / 48);
}

/**
 * R's standardised statistic for the location d (the function W inside wilcox.test.default):
 * the signed-rank statistic of x − d with zeros dropped, tie-corrected and, when `correct`,
 * continuity-corrected towards zero. NaN when every x equals d.
 */
function standardisedStatistic(sorted: Float64Array, d: number, correct: boolean): number {
  const { n, positiveRankSum, ties } = signedRanks(sorted, d);
  const z = positiveRankSum - (n * (n + 1)) / 4;
  return (z - (correct ? Math.sign(z) * 0.5 : 0)) / signedRankSigma(n, ties);
}

export interface WilcoxonResult extends Interval {
  /** Differences used (zeros dropped). */
  n: number;
  /** Zero differences dropped. */
  zeros: number;
  /** R's V: the sum of the ranks of the positive differences. */
  statistic: number;
  p: number;
  /** Exact null distribution (small n, no ties, no zeros) or normal approximation with continuity correction. */
  exact: boolean;
  /** Hodges–Lehmann estimate (pseudomedian). */
  estimate: number;
  /**
   * Confidence level of [lower, upper]: the requested level, or, with too few differences to reach
   * it, the lower level R reports (conf.level attribute); 0 when no interval exists.
   */
  level: number;
}

/**
 * One-sample / paired Wilcoxon signed-rank test on differences, as R's wilcox.test(d,
 * conf.int = TRUE, conf.level = level) with its defaults (two-sided, correct = TRUE, exact = NULL).
 *
 * Zero differences are dropped (Wilcoxon's convention). With fewer than 50 differences left and
 * no ties nor zeros, the p-value (twice the smaller tail, at most 1) and the interval come from the
 * exact distribution of V: the interval runs between the Walsh averages at the signed-rank
 * quantiles (Bauer 1972). Otherwise the p-value uses the normal approximation with tie-corrected
 * variance and continuity correction, and the interval limits are the shifts d at which the
 * corrected statistic of the differences − d crosses ±z: R searches for them with uniroot
 * (tolerance 1e-4); Relief returns the exact crossing points, which are Walsh averages. When the
 * level cannot be reached, R doubles α until it can and reports the level reached: `level` carries it.
 *
 * The estimate is the Hodges–Lehmann estimate (Hodges & Lehmann 1963), the median of the Walsh
 * averages of the non-zero differences. In the normal case R reports a root of the uncorrected
 * statistic, which is that median or, when the statistic is zero between the two middle averages,
 * some point between them whose midpoint the median is.
 *
 * Degenerate data, as R: when every difference is zero (n = 0), p, estimate and interval are NaN;
 * when all non-zero differences are equal but there are zeros or ties, the interval is NaN and the
 * estimate is that value.
 */
export function wilcoxonSignedRank(differences: readonly number[], level = 0.95): WilcoxonResult {
  checkValues(differences, 'differences');
  checkLevel(level);
  const x = differences.filter((d) => d !== 0);
  const n = x.length;
  const zeros = differences.length - n;
  if (n === 0) {
    return {
      n,
      zeros,
      statistic: 0,
      p: Number.NaN,
      exact: false,
      estimate: Number.NaN,
      lower: Number.NaN,
      upper: Number.NaN,
      level: 0,
    };
  }
  const sorted = Float64Array.from(x).sort();
  const { positiveRankSum: statistic, ties } = signedRanks(sorted);
  const count = (n * (n + 1)) / 2;
  const hodgesLehmann = walshMedian(sorted);
  const alpha = 1 - level;

  if (n < 50 && ties === 0 && zeros === 0) {
    const distribution = new SignedRankDistribution(n);
    const tail = statistic > (n * (n + 1)) / 4 ? distribution.upperTail(statistic - 1) : distribution.cdf(statistic);
    let lowerRank = distribution.quantile(alpha / 2);
    if (lowerRank === 0) lowerRank = 1;
    const achievedAlpha = 2 * distribution.cdf(lowerRank - 1);
    return {
      n,
      zeros,
      statistic,
      p: Math.min(2 * tail, 1),
      exact: true,
      estimate: hodgesLehmann,
      lower: walshOrderStatistic(sorted, lowerRank),
      upper: walshOrderStatistic(sorted, count - lowerRank + 1),
      level: achievedAlpha - alpha > alpha / 2 ? 1 - signif2(achievedAlpha) : level,
    };
  }

  const sigma = signedRankSigma(n, ties);
  const z0 = statistic - (n * (n + 1)) / 4;
  const z = (z0 - Math.sign(z0) * 0.5) / sigma;
  const p = 2 * normalCdf(-Math.abs(z));
  const base = { n, zeros, statistic, p, exact: false };

  const atMin = standardisedStatistic(sorted, sorted[0] as number, true);
  const atMax = standardisedStatistic(sorted, sorted[n - 1] as number, true);
  if (!Number.isFinite(atMin) || !Number.isFinite(atMax)) {
    const midrange = ((sorted[0] as number) + (sorted[n - 1] as number)) / 2;
    return { ...base, estimate: midrange, lower: Number.NaN, upper: Number.NaN, level: 0 };
  }
  // R widens the interval (doubles α) until ±z lies within the statistic's range over [min, max].
  let a = alpha;
  while (atMin < -normalQuantile(a / 2) || atMax > normalQuantile(a / 2)) a *= 2;
  const reached = a >= 1 || alpha < a * 0.75 ? 1 - Math.min(1, a) : level;
  if (a >= 1) {
    const middle = medianOfSorted(sorted);
    return { ...base, estimate: hodgesLehmann, lower: middle, upper: middle, level: reached };
  }

  // Between consecutive Walsh averages no x − d is zero or tied in size except for equal x, so the
  // statistic there depends only on how many averages exceed d (Tukey's identity): the k-th
  // interval (k = 1 … count − 1, ascending) has count − k of them. It falls as d grows.
  const persistentSigma = signedRankSigma(n, tieSum(sorted));
  const between = (k: number): number => {
    const zd = count - k - (n * (n + 1)) / 4;
    return (zd - Math.sign(zd) * 0.5) / persistentSigma;
  };
  /** The Walsh average where the statistic falls below q (R's uniroot root, exactly). */
  const crossing = (q: number): number => {
    let low = 1;
    let high = count;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (between(mid) < q) high = mid;
      else low = mid + 1;
    }
    return walshOrderStatistic(sorted, low);
  };
  const zq = -normalQuantile(a / 2);
  return { ...base, estimate: hodgesLehmann, lower: crossing(zq), upper: crossing(-zq), level: reached };
}

export interface MeanInterval extends Interval {
  n: number;
  mean: number;
  sd: number;
  se: number;
  df: number;
  t: number;
  p: number;
}

/**
 * Mean with a t interval and a two-sided test of mean 0, as R's t.test(x, conf.level = level).
 * Where R stops (one value; data "essentially constant", i.e. se < 10ε·|mean|) Relief returns the
 * mean with t, p and the interval NaN (R's own result when every value is 0), and with one value
 * also sd and se NaN.
 */
export function tInterval(values: readonly number[], level = 0.95): MeanInterval {
  checkValues(values, 'values');
  checkLevel(level);
  const n = values.length;
  // Two passes, as R's mean: the second corrects the rounding of the first.
  let mean = values.reduce((s, v) => s + v, 0) / n;
  mean += values.reduce((s, v) => s + (v - mean), 0) / n;
  const df = n - 1;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / df) : Number.NaN;
  const se = sd / Math.sqrt(n);
  if (!(se >= 10 * Number.EPSILON * Math.abs(mean)) || se === 0) {
    return { n, mean, sd, se, df, t: Number.NaN, p: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  }
  const t = mean / se;
  const q = tQuantile(1 - (1 - level) / 2, df);
  return { n, mean, sd, se, df, t, p: 2 * tCdf(-Math.abs(t), df), lower: (t - q) * se, upper: (t + q) * se };
}
