import { normalCdf, normalQuantile } from './distributions.js';
import { checkLevel, type Interval } from './intervals.js';
import { chiSquareUpperTail } from './survival-chi-square.js';
import { symmetricInverse } from './linear-algebra.js';
import { factorSymmetric } from './survival-cholesky.js';
import { checkObservations, orderByTime, type SurvivalObservation } from './survival-times.js';

/**
 * Coefficients, standard errors, hazard ratios, intervals, z and p are NaN for a covariate R
 * reports as NA at the fit: one whose information has become negligible beside the others'
 * (cholesky2 below toler.chol), typically a coefficient running off to infinity alongside other
 * covariates. Such covariates do not count in the degrees of freedom or the Wald test, as in R.
 */
export interface CoxFit {
  coefficients: number[];
  standardErrors: number[];
  hazardRatios: number[];
  /** Wald intervals of the hazard ratios: exp(b ∓ z·se). */
  intervals: Interval[];
  z: number[];
  p: number[];
  /** Partial log-likelihood at 0 and at the fit. */
  logLikNull: number;
  logLik: number;
  likelihoodRatio: { chiSquare: number; df: number; p: number };
  wald: { chiSquare: number; df: number; p: number };
  /** Score (log-rank type) test at β = 0. */
  score: { chiSquare: number; df: number; p: number };
  iterations: number;
  converged: boolean;
  /**
   * R coxph.fit's check after convergence (warning "Loglik converged before variable j;
   * coefficient may be infinite"): the Newton step still left, |(u·V)_j| with u the score and V
   * the variance at the fit, exceeds both the tolerance and √tolerance·|β_j|. The partial
   * likelihood keeps rising as β_j grows (e.g. the covariate orders the events perfectly), so the
   * estimate is infinite and its standard error, interval and p are meaningless. Without
   * convergence, only where u·V is not finite.
   */
  infinite: boolean[];
}

export interface CoxOptions {
  /** Convergence: stop when |1 − previous/new partial log-likelihood| ≤ tolerance (R: coxph.control eps). */
  tolerance?: number;
  maxIterations?: number;
}

/** R coxph.control's toler.chol: a pivot below this × the largest marks a redundant column. */
const CHOLESKY_TOLERANCE = 2.220446049250313e-16 ** 0.75;

/**
 * Cox proportional hazards with Efron's approximation for tied event times, as R survival 3.5-3's
 * coxph(Surv(time, event) ~ x1 + …, ties = "efron") (coxfit6): Newton–Raphson from β = 0 on
 * centred and scaled covariates, halving the step while the partial likelihood falls, until the
 * relative change of the log-likelihood is ≤ tolerance (default 1e-12; R's default is 1e-9).
 * `covariates[i]` is the row of observation i. Throws where R would report an NA coefficient from
 * the start (no events; a covariate that is constant or a combination of others among those at
 * risk); one that R reports as NA at the fit is NaN (see CoxFit), and one that may be infinite is
 * flagged in `infinite`.
 */
export function coxProportionalHazards(
  covariates: readonly (readonly number[])[],
  observations: readonly SurvivalObservation[],
  level = 0.95,
  options: CoxOptions = {},
): CoxFit {
  checkObservations(observations, 'observations');
  checkLevel(level);
  const n = observations.length;
  if (n === 0) throw new RangeError('observations must not be empty');
  if (!observations.some((o) => o.event)) {
    throw new RangeError('observations hold no events: a Cox model needs at least one');
  }
  const p = checkCovariates(covariates, n);
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  if (!(tolerance > 0)) throw new RangeError(`options.tolerance must be > 0, got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`options.maxIterations must be a positive integer, got ${maxIterations}`);
  }

  const { index, time } = orderByTime(observations.map((o) => o.time));
  const status = Uint8Array.from(index, (i) => (observations[i]!.event ? 1 : 0));
  // Centred and scaled like R (scale = n / Σ|x − mean|), so exp(xβ) stays in range; the estimates do
  // not depend on it, but which column counts as redundant does. As coxph (nocenter = c(-1, 0, 1)),
  // a column holding only −1, 0 and 1 is left as it is.
  const scale = new Float64Array(p);
  const x = new Float64Array(n * p); // row-major, in time order
  for (let j = 0; j < p; j++) {
    let mean = 0;
    scale[j] = 1;
    if (!covariates.every((row) => row[j] === -1 || row[j] === 0 || row[j] === 1)) {
      for (let i = 0; i < n; i++) mean += covariates[i]![j]!;
      mean /= n;
      let absolute = 0;
      for (let i = 0; i < n; i++) absolute += Math.abs(covariates[i]![j]! - mean);
      if (absolute > 0) scale[j] = n / absolute;
    }
    for (let k = 0; k < n; k++) x[k * p + j] = (covariates[index[k]!]![j]! - mean) * scale[j]!;
  }
  const evaluate = (beta: Float64Array) => efronLikelihood(time, status, x, p, beta);

  let beta = new Float64Array(p);
  const start = evaluate(beta);
  const startFactor = factorSymmetric(start.information, p, CHOLESKY_TOLERANCE);
  if (startFactor.rank < p) {
    const j = startFactor.redundant[0]!;
    throw new RangeError(
      `covariates column ${j} is constant, or a combination of the other columns, among those at risk at the event times`,
    );
  }
  const startStep = startFactor.solve(start.score);
  const scoreStatistic = dot(start.score, startStep);

  // R coxfit6: newBeta is the candidate; beta the last accepted point.
  let best = start.logLik;
  let newBeta = beta.map((b, j) => b + startStep[j]!);
  let halving = 0;
  let converged = false;
  let iterations = 0;
  let final = start;
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const current = evaluate(newBeta);
    const finite =
      Number.isFinite(current.logLik) &&
      current.score.every(Number.isFinite) &&
      current.information.every(Number.isFinite);
    if (finite && Math.abs(1 - best / current.logLik) <= tolerance) {
      beta = newBeta;
      final = current;
      converged = true;
      break;
    }
    if (!finite || current.logLik < best) {
      halving++;
      newBeta = newBeta.map((b, j) => (b + halving * beta[j]!) / (halving + 1));
    } else {
      halving = 0;
      best = current.logLik;
      const step = factorSymmetric(current.information, p, CHOLESKY_TOLERANCE).solve(current.score);
      beta = newBeta;
      newBeta = newBeta.map((b, j) => b + step[j]!);
    }
  }
  if (!converged) {
    iterations = maxIterations;
    final = evaluate(beta);
  }

  // The variance on the scaled covariates: the inverse of the information over the columns that
  // R's cholesky2 keeps at the fit; the others are NA in R, NaN here.
  const kept = keptColumns(factorSymmetric(final.information, p, CHOLESKY_TOLERANCE).redundant, p);
  const variance = keptInverse(final.information, p, kept);
  const coefficients = Array.from(beta, (b, j) => (kept.includes(j) ? b * scale[j]! : Number.NaN));
  const standardErrors = coefficients.map((_, j) => Math.sqrt(variance[j * p + j]!) * scale[j]!);
  const zLevel = normalQuantile(1 - (1 - level) / 2);
  const z = coefficients.map((b, j) => b / standardErrors[j]!);
  // Wald statistic βᵀ·I·β over the kept columns, I the information at the fit (the same on the scaled covariates).
  const information = final.information;
  let wald = 0;
  for (const a of kept) for (const b of kept) wald += beta[a]! * information[a * p + b]! * beta[b]!;
  const likelihoodRatio = 2 * (final.logLik - start.logLik);
  const df = kept.length;
  return {
    coefficients,
    standardErrors,
    hazardRatios: coefficients.map(Math.exp),
    intervals: coefficients.map((b, j) => ({
      lower: Math.exp(b - zLevel * standardErrors[j]!),
      upper: Math.exp(b + zLevel * standardErrors[j]!),
    })),
    z,
    p: z.map((value) => 2 * normalCdf(-Math.abs(value))),
    logLikNull: start.logLik,
    logLik: final.logLik,
    likelihoodRatio: test(likelihoodRatio, df),
    wald: test(wald, df),
    score: test(scoreStatistic, df),
    iterations,
    converged,
    infinite: infiniteCoefficients(final.score, variance, scale, coefficients, converged, tolerance),
  };
}

function keptColumns(redundant: readonly number[], p: number): number[] {
  return Array.from({ length: p }, (_, j) => j).filter((j) => !redundant.includes(j));
}

/** The inverse of the kept rows and columns of `information`, as a p × p matrix with NaN elsewhere. */
function keptInverse(information: Float64Array, p: number, kept: readonly number[]): Float64Array {
  const q = kept.length;
  const sub = new Float64Array(q * q);
  kept.forEach((a, i) => kept.forEach((b, j) => (sub[i * q + j] = information[a * p + b]!)));
  const inverse = symmetricInverse(sub, q);
  if (inverse === null) throw new RangeError('covariates: the information matrix at the fit is singular');
  const variance = new Float64Array(p * p).fill(Number.NaN);
  kept.forEach((a, i) => kept.forEach((b, j) => (variance[a * p + b] = inverse[i * q + j]!)));
  return variance;
}

/**
 * R coxph.fit: infs = |u %*% var| on the original covariates, flagged where it exceeds eps and
 * toler.inf·|β| (toler.inf = √eps, coxph.control's default); unconverged, where it is not finite.
 * With x̃ = (x − mean)·scale, u = ũ / scale and var = ṽar·scale·scaleᵀ, so (u·var)_j = scale_j (ũ·ṽar)_j.
 * Columns R reports as NA have no variance and are not flagged, as in R.
 */
function infiniteCoefficients(
  score: Float64Array,
  variance: Float64Array,
  scale: Float64Array,
  coefficients: readonly number[],
  converged: boolean,
  tolerance: number,
): boolean[] {
  const p = scale.length;
  const toleranceInfinite = Math.sqrt(tolerance);
  return coefficients.map((b, j) => {
    if (Number.isNaN(b)) return false;
    let step = 0;
    for (let i = 0; i < p; i++) if (!Number.isNaN(variance[i * p + j]!)) step += score[i]! * variance[i * p + j]!;
    const infs = Math.abs(step * scale[j]!);
    if (!Number.isFinite(infs)) return true;
    return converged && infs > tolerance && infs > toleranceInfinite * Math.abs(b);
  });
}

/** A chi-square test; none (p NaN) when every coefficient is NA at the fit. */
function test(chiSquare: number, df: number) {
  return { chiSquare, df, p: df === 0 ? Number.NaN : chiSquareUpperTail(Math.max(chiSquare, 0), df) };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function checkCovariates(covariates: readonly (readonly number[])[], n: number): number {
  if (!Array.isArray(covariates) || covariates.length !== n) {
    throw new RangeError(
      `covariates must hold one row per observation (${n}), got ${Array.isArray(covariates) ? covariates.length : 'none'}`,
    );
  }
  const p = Array.isArray(covariates[0]) ? covariates[0].length : 0;
  if (p === 0) throw new RangeError('covariates rows must hold at least one value');
  covariates.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== p) {
      throw new RangeError(`covariates[${i}] must hold ${p} values like the first row`);
    }
    row.forEach((value, j) => {
      if (!Number.isFinite(value)) throw new RangeError(`covariates[${i}][${j}] must be a finite number, got ${value}`);
    });
  });
  return p;
}

interface Likelihood {
  logLik: number;
  score: Float64Array;
  /** Observed information (minus the Hessian), row-major p × p. */
  information: Float64Array;
}

/**
 * Efron partial log-likelihood, score and information at β (R coxfit6_iter), walking from the
 * latest time backwards so that the risk-set sums grow by each tie group. With d events tied at a
 * time, the k-th of d terms adds k/d of their risk to the denominator; censored at that time are
 * in the risk set.
 */
function efronLikelihood(
  time: Float64Array,
  status: Uint8Array,
  x: Float64Array,
  p: number,
  beta: Float64Array,
): Likelihood {
  const n = time.length;
  const score = new Float64Array(p);
  const information = new Float64Array(p * p);
  const riskSum = new Float64Array(p); // Σ risk·x over the risk set
  const riskSquares = new Float64Array(p * p); // Σ risk·x·xᵀ
  const deadSum = new Float64Array(p);
  const deadSquares = new Float64Array(p * p);
  let logLik = 0;
  let denominator = 0;

  for (let person = n - 1; person >= 0;) {
    const t = time[person]!;
    let deaths = 0;
    let deadRisk = 0;
    for (; person >= 0 && time[person] === t; person--) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += beta[j]! * x[person * p + j]!;
      const risk = Math.exp(eta);
      const sums = status[person] ? deadSum : riskSum;
      const squares = status[person] ? deadSquares : riskSquares;
      if (status[person]) {
        deaths++;
        deadRisk += risk;
        logLik += eta;
        for (let j = 0; j < p; j++) score[j]! += x[person * p + j]!;
      } else {
        denominator += risk;
      }
      for (let a = 0; a < p; a++) {
        const xa = risk * x[person * p + a]!;
        sums[a]! += xa;
        for (let b = 0; b <= a; b++) squares[a * p + b]! += xa * x[person * p + b]!;
      }
    }
    if (deaths === 0) continue;
    for (let k = 0; k < deaths; k++) {
      denominator += deadRisk / deaths;
      logLik -= Math.log(denominator);
      for (let a = 0; a < p; a++) riskSum[a]! += deadSum[a]! / deaths;
      for (let a = 0; a < p; a++) {
        const meanA = riskSum[a]! / denominator;
        score[a]! -= meanA;
        for (let b = 0; b <= a; b++) {
          riskSquares[a * p + b]! += deadSquares[a * p + b]! / deaths;
          information[a * p + b]! += (riskSquares[a * p + b]! - meanA * riskSum[b]!) / denominator;
        }
      }
    }
    deadSum.fill(0);
    deadSquares.fill(0);
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) information[b * p + a] = information[a * p + b]!;
  return { logLik, score, information };
}
