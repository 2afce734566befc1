import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import trigamma from '@stdlib/math-base-special-trigamma';
import { normalCdf } from './distributions.js';
import { checkDesign } from './firth.js';
import { MatrixCholesky, symmetricInverse } from './linear-algebra.js';

export interface NegativeBinomialFit {
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  p: number[];
  theta: number;
  thetaStdErr: number;
  /** 2 × log-likelihood, as glm.nb's twologlik. */
  twiceLogLik: number;
  /** Alternations between θ and the coefficients (glm.nb's outer loop). */
  iterations: number;
  /**
   * False when the alternation or the last IRLS fit did not settle, or θ did not: when the counts
   * are not overdispersed θ runs off towards infinity (R's theta.ml warns "iteration limit
   * reached"); the fit returned is then the Poisson limit, with theta and thetaStdErr Infinity.
   */
  converged: boolean;
}

/** glm.control(epsilon = 1e-14, maxit = 100), used for every loop as glm.nb does. */
const EPSILON = 1e-14;
const MAX_ITERATIONS = 100;
const DOUBLE_EPSILON = 2.220446049250313e-16;
/** theta.ml's own stopping rule: |Newton step| ≤ .Machine$double.eps^0.25. */
const THETA_STEP_TOLERANCE = DOUBLE_EPSILON ** 0.25;

/**
 * Negative binomial regression with log link and an offset, as R's
 * MASS::glm.nb(y ~ x + offset(o), control = glm.control(epsilon = 1e-14, maxit = 100))
 * (Venables & Ripley, Modern Applied Statistics with S, §7.4): a Poisson fit to start, then
 * alternately the coefficients by IRLS for fixed θ (glm.fit) and θ by theta.ml's Newton iterations
 * (which stop once a step is below .Machine$double.eps^0.25, so θ is glm.nb's θ rather than the
 * exact joint maximum; it is reproduced here step for step). Standard errors come from (X'WX)⁻¹ with
 * dispersion 1, z = β / SE, p two-sided normal; SE(θ) is theta.ml's √(1 / information).
 * `design[i]` includes the intercept column; `y` are counts; `offset` is e.g. log(diary days).
 */
export function negativeBinomialRegression(
  design: readonly (readonly number[])[],
  y: readonly number[],
  offset: readonly number[],
): NegativeBinomialFit {
  const p = checkDesign(design, 'design');
  const n = design.length;
  if (y.length !== n) throw new RangeError(`y: has ${y.length} values but design has ${n} rows`);
  if (offset.length !== n) throw new RangeError(`offset: has ${offset.length} values but design has ${n} rows`);
  y.forEach((value, i) => {
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`y[${i}]: must be a count (a non-negative integer), got ${value}`);
    }
  });
  offset.forEach((value, i) => {
    if (!Number.isFinite(value)) throw new RangeError(`offset[${i}]: must be a finite number, got ${value}`);
  });

  const model = new CountModel(design, y, offset, p);
  const { eta, mu } = model;
  // glm.nb's initial Poisson fit (glm.fit starts from μ = y + 0.1)
  for (let i = 0; i < n; i++) eta[i] = Math.log(y[i]! + 0.1);
  let fit = model.irls(Infinity);
  if (!fit.converged && !Number.isFinite(fit.deviance)) {
    throw new RangeError('design: the Poisson start did not converge');
  }
  let estimate = thetaMl(model.counts, mu);
  let theta = estimate.theta;
  let logLik = model.logLik(theta);
  const d1 = Math.sqrt(2 * Math.max(1, n - p));
  let previousLogLik = logLik + 2 * d1;
  let change = 1;
  let iterations = 0;
  let converged = false;
  while (estimate.settled) {
    if (Math.abs(previousLogLik - logLik) / d1 + Math.abs(change) <= EPSILON) {
      converged = true;
      break;
    }
    if (iterations === MAX_ITERATIONS) break;
    iterations++;
    // As glm.nb: the coefficients for the current θ, then θ from the μ before that fit.
    model.eta.set(mu.map(Math.log));
    const before = Float64Array.from(mu);
    fit = model.irls(theta);
    const afterFit = Float64Array.from(mu);
    estimate = thetaMl(model.counts, before);
    change = theta - estimate.theta;
    theta = estimate.theta;
    mu.set(afterFit);
    previousLogLik = logLik;
    logLik = model.logLik(theta);
  }
  converged = converged && fit.converged;
  let thetaStdErr = estimate.standardError;
  if (!estimate.settled) {
    // θ runs off towards infinity: the counts are not overdispersed. Report the Poisson limit.
    for (let i = 0; i < n; i++) eta[i] = Math.log(y[i]! + 0.1);
    model.irls(Infinity);
    theta = Infinity;
    thetaStdErr = Infinity;
    logLik = model.logLik(theta);
    converged = false;
  }

  const covariance = model.covariance(theta);
  const coefficients = Array.from(model.beta);
  const standardErrors = coefficients.map((_, j) => Math.sqrt(covariance[j * p + j]!));
  const z = coefficients.map((b, j) => b / standardErrors[j]!);
  return {
    coefficients,
    standardErrors,
    z,
    p: z.map((value) => 2 * normalCdf(-Math.abs(value))),
    theta,
    thetaStdErr,
    twiceLogLik: 2 * logLik,
    iterations,
    converged,
  };
}

/** The counts grouped by value, so that the θ terms (digamma, trigamma, log-gamma) are evaluated once per value. */
interface Counts {
  y: Float64Array;
  values: Float64Array;
  multiplicity: Float64Array;
}

class CountModel {
  readonly n: number;
  readonly p: number;
  readonly x: Float64Array;
  readonly offset: Float64Array;
  readonly counts: Counts;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly beta: Float64Array;
  private readonly previous: Float64Array;
  private readonly normal: Float64Array;
  private readonly factor = new MatrixCholesky();
  private readonly rhs: Float64Array;

  constructor(design: readonly (readonly number[])[], y: readonly number[], offset: readonly number[], p: number) {
    const n = design.length;
    this.n = n;
    this.p = p;
    this.x = new Float64Array(n * p);
    design.forEach((row, i) => this.x.set(row, i * p));
    this.offset = Float64Array.from(offset);
    const tally = new Map<number, number>();
    for (const value of y) tally.set(value, (tally.get(value) ?? 0) + 1);
    this.counts = {
      y: Float64Array.from(y),
      values: Float64Array.from([...tally.keys()].sort((a, b) => a - b)),
      multiplicity: Float64Array.from([...tally.keys()].sort((a, b) => a - b).map((value) => tally.get(value)!)),
    };
    this.eta = new Float64Array(n);
    this.mu = new Float64Array(n);
    this.beta = new Float64Array(p);
    this.previous = new Float64Array(p);
    this.normal = new Float64Array(p * p);
    this.rhs = new Float64Array(p);
  }

  /** Sum of the deviance residuals at this.mu (θ = ∞: Poisson), as R's poisson() and negative.binomial(θ). */
  deviance(theta: number): number {
    const { n, mu } = this;
    const y = this.counts.y;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      const m = mu[i]!;
      if (theta === Infinity) sum += (yi > 0 ? yi * Math.log(yi / m) : 0) - (yi - m);
      else sum += yi * Math.log(Math.max(1, yi) / m) - (yi + theta) * Math.log((yi + theta) / (m + theta));
    }
    return 2 * sum;
  }

  private updateMu(): void {
    const { n, p, x, offset, eta, mu, beta } = this;
    for (let i = 0, row = 0; i < n; i++, row += p) {
      let value = offset[i]!;
      for (let k = 0; k < p; k++) value += x[row + k]! * beta[k]!;
      eta[i] = value;
      mu[i] = Math.max(Math.exp(value), DOUBLE_EPSILON);
    }
  }

  /** Fills the normal equations X'WX (and X'Wz when `z`) at this.eta for the given θ. */
  private normalEquations(theta: number, z: boolean): void {
    const { n, p, x, offset, eta, mu, normal, rhs } = this;
    const y = this.counts.y;
    normal.fill(0);
    rhs.fill(0);
    for (let i = 0, row = 0; i < n; i++, row += p) {
      const m = mu[i]!;
      // log link: dμ/dη = μ; variance μ + μ²/θ; working weight (dμ/dη)² / variance
      const variance = theta === Infinity ? m : m + (m * m) / theta;
      const w = (m * m) / variance;
      const working = z ? eta[i]! - offset[i]! + (y[i]! - m) / m : 0;
      for (let a = 0; a < p; a++) {
        const wa = w * x[row + a]!;
        rhs[a]! += wa * working;
        for (let b = 0; b <= a; b++) normal[a * p + b]! += wa * x[row + b]!;
      }
    }
  }

  /**
   * Iteratively reweighted least squares from this.eta for fixed θ, as R's glm.fit: stops when the
   * deviance changes by less than 1e-14 relative; halves the step while the deviance is not finite.
   */
  irls(theta: number): { deviance: number; converged: boolean } {
    const { n, p, eta, mu, beta, previous, factor, rhs } = this;
    for (let i = 0; i < n; i++) mu[i] = Math.max(Math.exp(eta[i]!), DOUBLE_EPSILON);
    let old = this.deviance(theta);
    let hasPrevious = false;
    for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
      this.normalEquations(theta, true);
      if (!factor.factor(this.normal, p)) {
        throw new RangeError('design: the columns are linearly dependent (X′WX is singular)');
      }
      beta.set(rhs);
      factor.solve(beta);
      this.updateMu();
      let deviance = this.deviance(theta);
      for (let halving = 0; !Number.isFinite(deviance) && hasPrevious && halving < MAX_ITERATIONS; halving++) {
        for (let k = 0; k < p; k++) beta[k] = (beta[k]! + previous[k]!) / 2;
        this.updateMu();
        deviance = this.deviance(theta);
      }
      if (Math.abs(deviance - old) / (Math.abs(deviance) + 0.1) < EPSILON) return { deviance, converged: true };
      old = deviance;
      previous.set(beta);
      hasPrevious = true;
    }
    return { deviance: old, converged: false };
  }

  /** (X'WX)⁻¹ at the current μ and θ. */
  covariance(theta: number): Float64Array {
    this.normalEquations(theta, false);
    const inverse = symmetricInverse(this.normal, this.p);
    if (inverse === null) throw new RangeError('design: the columns are linearly dependent (X′WX is singular)');
    return inverse;
  }

  /**
   * glm.nb's log-likelihood at this.mu, Σ lgamma(θ+y) − lgamma(θ) − lgamma(y+1) + θ log θ
   * + y log μ − (θ+y) log(θ+μ), regrouped so that it stays exact as θ grows large.
   */
  logLik(theta: number): number {
    const { n, mu } = this;
    const { y, values, multiplicity } = this.counts;
    let sum = gammaSums(this.counts, theta).logRatio;
    for (let v = 0; v < values.length; v++) sum -= multiplicity[v]! * gammaln(values[v]! + 1);
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      const m = mu[i]!;
      // (θ + y) log(1 + μ/θ) → μ as θ → ∞ (the Poisson limit)
      sum += (yi > 0 ? yi * Math.log(m) : 0) - (theta === Infinity ? m : (theta + yi) * Math.log1p(m / theta));
    }
    return sum;
  }
}

/**
 * Over the counts y: Σ lgamma(θ+y) − lgamma(θ) − y log θ, Σ digamma(θ+y) − digamma(θ) and
 * Σ trigamma(θ) − trigamma(θ+y), as the finite sums Σ_{k<y} log(1 + k/θ), Σ_{k<y} 1/(θ+k) and
 * Σ_{k<y} 1/(θ+k)², accumulated along the sorted distinct counts (special functions bridge long gaps).
 * The sums keep full precision where the differences of special functions cancel (large θ).
 */
function gammaSums(
  counts: Counts,
  theta: number,
): { logRatio: number; digammaDifference: number; trigammaDifference: number } {
  const { values, multiplicity } = counts;
  let logRatio = 0;
  let digammaDifference = 0;
  let trigammaDifference = 0;
  let k = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  for (let v = 0; v < values.length; v++) {
    const value = values[v]!;
    if (value - k > 256) {
      c += gammaln(theta + value) - gammaln(theta + k) - (value - k) * Math.log(theta);
      d += digamma(theta + value) - digamma(theta + k);
      e += trigamma(theta + k) - trigamma(theta + value);
      k = value;
    }
    for (; k < value; k++) {
      const term = 1 / (theta + k);
      c += Math.log1p(k / theta);
      d += term;
      e += term * term;
    }
    logRatio += multiplicity[v]! * c;
    digammaDifference += multiplicity[v]! * d;
    trigammaDifference += multiplicity[v]! * e;
  }
  return { logRatio, digammaDifference, trigammaDifference };
}

/**
 * MASS::theta.ml with limit = 100: Newton's method for θ from n / Σ(y/μ − 1)², stopping when a step
 * is at most .Machine$double.eps^0.25; the standard error uses the information before the last step.
 */
function thetaMl(counts: Counts, mu: Float64Array): { theta: number; standardError: number; settled: boolean } {
  const { y } = counts;
  const n = y.length;
  let dispersion = 0;
  for (let i = 0; i < n; i++) dispersion += (y[i]! / mu[i]! - 1) ** 2;
  let theta = n / dispersion;
  let step = 1;
  let information = Number.NaN;
  let iteration = 1;
  for (; iteration < MAX_ITERATIONS && Math.abs(step) > THETA_STEP_TOLERANCE; iteration++) {
    theta = Math.abs(theta);
    // theta.ml's score and information, regrouped as in logLik:
    // digamma(θ+y) − digamma(θ) + log θ + 1 − log(θ+μ) − (y+θ)/(μ+θ) and
    // trigamma(θ) − trigamma(θ+y) − 1/θ + 2/(μ+θ) − (y+θ)/(μ+θ)² = … − (μ² + θy)/(θ(μ+θ)²).
    const sums = gammaSums(counts, theta);
    let score = sums.digammaDifference;
    information = sums.trigammaDifference;
    for (let i = 0; i < n; i++) {
      const m = mu[i]!;
      const yi = y[i]!;
      const sum = m + theta;
      score += (m - yi) / sum - Math.log1p(m / theta);
      information -= (m * m + theta * yi) / (theta * sum * sum);
    }
    step = score / information;
    theta += step;
  }
  // theta.ml warns "iteration limit reached" (as when the counts are not overdispersed and θ → ∞)
  // or "estimate truncated at zero".
  const settled = iteration < MAX_ITERATIONS && theta >= 0;
  return { theta: Math.max(theta, 0), standardError: Math.sqrt(1 / information), settled };
}
