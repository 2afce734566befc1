/**
 * Exact null distribution of the Wilcoxon signed-rank statistic V for n untied, non-zero
 * differences, computed as R's psignrank/qsignrank (src/nmath/signrank.c): the number of subsets
 * of 1…n with each sum, times 2⁻ⁿ. The counts are exact below 2⁵³ (n < 50); the sums follow R's
 * order and R's factor exp(−n·ln 2), so tail probabilities agree with R to the last bit.
 */
export class SignedRankDistribution {
  private readonly counts: Float64Array;
  private readonly factor: number;
  private readonly max: number;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1 || n >= 50)
      throw new RangeError(`n must be a whole number from 1 to 49, got ${n}`);
    this.max = (n * (n + 1)) / 2;
    this.counts = new Float64Array(this.max + 1);
    this.counts[0] = 1;
    for (let rank = 1; rank <= n; rank++) {
      for (let sum = (rank * (rank + 1)) / 2; sum >= rank; sum--) {
        this.counts[sum] = (this.counts[sum] as number) + (this.counts[sum - rank] as number);
      }
    }
    this.factor = Math.exp(-n * Math.LN2);
  }

  /** Sum of the probabilities of 0 … last, in R's order. */
  private head(last: number): number {
    let p = 0;
    for (let i = 0; i <= last; i++) p += (this.counts[i] as number) * this.factor;
    return p;
  }

  /** P(V ≤ v), or P(V > v) when `upper` (R: psignrank(v, n, lower.tail = !upper)). */
  private tail(v: number, upper: boolean): number {
    const x = Math.round(v + 1e-7);
    if (x < 0) return upper ? 1 : 0;
    if (x >= this.max) return upper ? 0 : 1;
    // R sums the shorter side and uses the symmetry of the distribution for the other.
    const short = x <= this.max / 2;
    const p = short ? this.head(x) : this.head(this.max - x - 1);
    return short === upper ? 0.5 - p + 0.5 : p;
  }

  /** P(V ≤ v) (R: psignrank(v, n)). */
  cdf(v: number): number {
    return this.tail(v, false);
  }

  /** P(V > v) (R: psignrank(v, n, lower.tail = FALSE)). */
  upperTail(v: number): number {
    return this.tail(v, true);
  }

  /** Smallest v with P(V ≤ v) ≥ p, with R's 10ε allowance (R: qsignrank(p, n)). */
  quantile(p: number): number {
    if (p <= 0) return 0;
    if (p >= 1) return this.max;
    let cumulative = 0;
    let q = 0;
    if (p <= 0.5) {
      const target = p - 10 * Number.EPSILON;
      for (;;) {
        cumulative += (this.counts[q] as number) * this.factor;
        if (cumulative >= target) return q;
        q++;
      }
    }
    const target = 1 - p + 10 * Number.EPSILON;
    for (;;) {
      cumulative += (this.counts[q] as number) * this.factor;
      if (cumulative > target) return this.max - q;
      q++;
    }
  }
}
