import { chiSquareQuantile, normalCdf, normalQuantile } from './distributions.js';
import type { Interval } from './intervals.js';
import { InPlaceCholesky, MatrixCholesky, type SymmetricFactor } from './linear-algebra.js';

export interface FirthOptions {
  /** Confidence level of the Wald and profile intervals; default 0.95. */
  level?: number;
  /** Coefficients (by column index) that get profile-penalised-likelihood intervals and LR p-values; default all. */
  profile?: readonly number[];
  /** Newton iterations allowed for each maximisation; default 200. */
  maxIterations?: number;
  /**
   * Convergence: the largest Newton step on any coefficient, the accuracy of the profile interval
   * ends and of the profile log-likelihood at 0; default 1e-10.
   */
  tolerance?: number;
}

export interface FirthFit {
  coefficients: number[];
  standardErrors: number[];
  wald: Interval[];
  waldP: number[];
  /** Profile penalised-likelihood intervals (Heinze & Schemper 2002); null for columns not profiled (or when the fit did not converge). */
  profile: (Interval | null)[];
  /** Penalised likelihood-ratio test of each coefficient = 0 (logistf's p); null for columns not profiled. */
  p: (number | null)[];
  /** l*(β̂) = l(β̂) + ½ log det(X'WX). */
  penalizedLogLik: number;
  /** Newton iterations of the fit. */
  iterations: number;
  /** False when the fit, a profile maximisation or an interval end did not converge. */
  converged: boolean;
}

/** Largest Newton step on any coefficient (logistf's maxstep). */
const MAX_STEP = 5;
const MAX_HALVINGS = 60;
const MAX_JOINT_STEPS = 30;
const MAX_SEARCH_STEPS = 200;
/** Rows × p² up to which Newton steps use the exact curvature of l* from the start. */
const EXACT_WORK = 4096;
/** Fisher steps that shrink by less than this factor switch to the exact curvature. */
const SLOW_RATE = 0.3;
/**
 * Designs of up to this many columns (the personal trigger analysis: intercept, exposure and
 * perimenstrual days) are factored in place, without allocating: a diary's analysis takes
 * thousands of 2 × 2 and 3 × 3 factorisations, and an ml-matrix object for each made it about
 * 30 % slower. Wider designs (the cohort predictors) use ml-matrix.
 */
const IN_PLACE_COLUMNS = 4;

/**
 * Logistic regression with Firth's penalty (Firth, Biometrika 1993; Heinze & Schemper, Stat Med
 * 2002;21:2409). `design[i]` is row i including the intercept column; `y[i]` is 0 or 1.
 *
 * The estimate maximises the penalised log-likelihood l*(β) = l(β) + ½ log det(X'WX),
 * W = diag(π(1 − π)), by Newton steps on Firth's modified score (the gradient of l*), as logistf
 * does: no step moves a coefficient by more than 5, and a step is halved while l* falls. The steps
 * use the Fisher information X'WX, or the exact curvature of l* (which includes the penalty's) where
 * that is cheap or the Fisher steps converge slowly, as they do under separation. The penalty keeps
 * the estimate finite under complete and quasi-complete separation. It has converged when no step
 * exceeds `tolerance`. Estimates, standard errors (from (X'WX)⁻¹ at the estimate) and Wald values
 * equal R's glm(..., method = "brglmFit", type = "AS_mean") (brglm2).
 *
 * For each profiled column j (as logistf's profile intervals and likelihood-ratio test; this is the
 * interval and p the personal trigger analysis reports):
 * - the profile penalised log-likelihood at b is the maximum of l* over the other coefficients with
 *   β_j = b, the penalty taken from the full X'WX (not from the design without column j);
 * - the interval is {b : 2(l*(β̂) − profile(b)) ≤ χ²₁(level)}. Its ends are found by the joint
 *   Newton iteration of Venzon & Moolgavkar (Appl Stat 1988;37:87), one evaluation of l* per step,
 *   started from the Wald end on the linear profile trace; where that does not settle, by a
 *   safeguarded Newton search on the profile itself;
 * - p is P(χ²₁ > 2(l*(β̂) − profile(0))), the penalised likelihood-ratio test of β_j = 0.
 * In samples of a few dozen rows with several covariates l* can have more than one local maximum in
 * the other coefficients; the profile is then maximised from more than one start, but as with any
 * local method (and logistf) a higher maximum elsewhere can be missed.
 *
 * Rows with identical covariates are merged into binomial counts first (exact, and what makes the
 * personal trigger analysis fast: its designs are an intercept and one or two binary columns).
 */
export function firthLogistic(
  design: readonly (readonly number[])[],
  y: readonly number[],
  options: FirthOptions = {},
): FirthFit {
  const p = checkDesign(design, 'design');
  if (y.length !== design.length) {
    throw new RangeError(`y: has ${y.length} values but design has ${design.length} rows`);
  }
  y.forEach((value, i) => {
    if (value !== 0 && value !== 1) throw new RangeError(`y[${i}]: must be 0 or 1, got ${value}`);
  });
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`options.level: must lie strictly between 0 and 1, got ${level}`);
  const maxIterations = options.maxIterations ?? 200;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`options.maxIterations: must be a positive integer, got ${maxIterations}`);
  }
  const tolerance = options.tolerance ?? 1e-10;
  if (!(tolerance > 0 && Number.isFinite(tolerance))) {
    throw new RangeError(`options.tolerance: must be a positive number, got ${tolerance}`);
  }
  const profiled = options.profile ?? design[0]!.map((_, j) => j);
  for (const j of profiled) {
    if (!Number.isInteger(j) || j < 0 || j >= p) {
      throw new RangeError(`options.profile: column ${j} is not a column of the ${p}-column design`);
    }
  }

  const model = new FirthModel(binomialRows(design, y, p));
  const beta = new Float64Array(p);
  if (model.value(beta) === -Infinity) {
    throw new RangeError('design: the columns are linearly dependent (X′X is singular)');
  }
  const fit = maximise(model, beta, -1, tolerance, maxIterations);
  const penalizedLogLik = fit.value;
  const coefficients = Array.from(beta);
  const covariance = new Float64Array(p * p);
  model.infoFactor.inverse(covariance);

  const z = normalQuantile((1 + level) / 2);
  const standardErrors = coefficients.map((_, j) => Math.sqrt(covariance[j * p + j]!));
  const wald = coefficients.map((b, j) => ({ lower: b - z * standardErrors[j]!, upper: b + z * standardErrors[j]! }));
  const waldP = coefficients.map((b, j) => 2 * normalCdf(-Math.abs(b / standardErrors[j]!)));

  const cutoff = chiSquareQuantile(level, 1);
  const profile: (Interval | null)[] = coefficients.map(() => null);
  const lrP: (number | null)[] = coefficients.map(() => null);
  const estimate = { beta: Float64Array.from(beta), covariance, value: penalizedLogLik };
  let converged = fit.converged;
  for (const j of profiled) {
    if (profile[j] !== null || !fit.converged) continue;
    const interval = {
      lower: profileEnd(model, estimate, j, -1, cutoff, tolerance, maxIterations),
      upper: profileEnd(model, estimate, j, 1, cutoff, tolerance, maxIterations),
    };
    profile[j] = interval;
    const atZero = profileAt(model, estimate, j, 0, tolerance, maxIterations);
    const statistic = Math.max(0, 2 * (penalizedLogLik - atZero.value));
    // P(χ²₁ > s) = 2Φ(−√s), accurate far into the tail.
    lrP[j] = 2 * normalCdf(-Math.sqrt(statistic));
    converged &&= atZero.converged && !Number.isNaN(interval.lower) && !Number.isNaN(interval.upper);
  }

  return {
    coefficients,
    standardErrors,
    wald,
    waldP,
    profile,
    p: lrP,
    penalizedLogLik,
    iterations: fit.iterations,
    converged,
  };
}

/** Checks a design matrix (rows of equal length, finite numbers) and returns its number of columns. */
export function checkDesign(design: readonly (readonly number[])[], name: string): number {
  if (design.length === 0) throw new RangeError(`${name}: has no rows`);
  const p = design[0]!.length;
  if (p === 0) throw new RangeError(`${name}: has no columns`);
  design.forEach((row, i) => {
    if (row.length !== p) throw new RangeError(`${name}[${i}]: has ${row.length} columns, row 0 has ${p}`);
    row.forEach((value, j) => {
      if (!Number.isFinite(value)) throw new RangeError(`${name}[${i}][${j}]: must be a finite number, got ${value}`);
    });
  });
  return p;
}

/** Binary outcomes as binomial counts: distinct covariate rows with their trials and events. */
interface BinomialRows {
  rows: number;
  x: Float64Array;
  trials: Float64Array;
  events: Float64Array;
}

/**
 * Merges rows with identical covariates when there are few distinct ones (at most half the rows);
 * otherwise keeps every row with one trial.
 */
function binomialRows(design: readonly (readonly number[])[], y: readonly number[], p: number): BinomialRows {
  const n = design.length;
  const codes = new Int32Array(n);
  let patterns = 1;
  for (let j = 0; j < p && patterns <= n / 2; j++) {
    const levels = new Map<number, number>();
    for (let i = 0; i < n && patterns * levels.size <= n / 2; i++) {
      const value = design[i]![j]!;
      let level = levels.get(value);
      if (level === undefined) {
        level = levels.size;
        levels.set(value, level);
      }
      codes[i]! += level * patterns;
    }
    patterns *= levels.size;
  }
  if (patterns > n / 2) {
    const x = new Float64Array(n * p);
    design.forEach((row, i) => x.set(row, i * p));
    return { rows: n, x, trials: new Float64Array(n).fill(1), events: Float64Array.from(y) };
  }
  const slot = new Int32Array(patterns).fill(-1);
  const x = new Float64Array(patterns * p);
  const trials = new Float64Array(patterns);
  const events = new Float64Array(patterns);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    let s = slot[codes[i]!]!;
    if (s < 0) {
      s = rows++;
      slot[codes[i]!] = s;
      x.set(design[i]!, s * p);
    }
    trials[s]! += 1;
    events[s]! += y[i]!;
  }
  return { rows, x: x.subarray(0, rows * p), trials: trials.subarray(0, rows), events: events.subarray(0, rows) };
}

/** The penalised log-likelihood, its gradient and the information at the last point evaluated. */
class FirthModel {
  readonly rows: number;
  readonly p: number;
  readonly x: Float64Array;
  readonly trials: Float64Array;
  readonly events: Float64Array;
  /** π and π(1 − π) per row at the last point passed to value(). */
  readonly pi: Float64Array;
  readonly weight: Float64Array;
  /** X'WX, its Cholesky factor and inverse, and the gradient of l*. */
  readonly info: Float64Array;
  readonly infoFactor: SymmetricFactor;
  readonly inverse: Float64Array;
  readonly gradient: Float64Array;
  /** Work space for the maximisation and profile steps. */
  readonly scratch: Float64Array;
  readonly step: Float64Array;
  readonly trial: Float64Array;
  readonly retry: Float64Array;
  readonly subInfo: Float64Array;
  readonly subFactor: SymmetricFactor;
  /**
   * Whether Newton steps use the exact curvature of l* (see computeCurvature) from the start: when
   * it is cheap (few distinct rows); otherwise only once the Fisher steps converge slowly.
   */
  readonly preferExact: boolean;
  /** −∇²l* (exact), its Cholesky factor and inverse, and work space for it. */
  readonly curvature: Float64Array;
  readonly curvatureFactor: SymmetricFactor;
  readonly curvatureInverse: Float64Array;
  private readonly tensor: Float64Array;
  private readonly products: Float64Array;
  private readonly firstTerm: Float64Array;

  constructor(data: BinomialRows) {
    this.rows = data.rows;
    this.p = data.x.length / data.rows;
    this.x = data.x;
    this.trials = data.trials;
    this.events = data.events;
    const p = this.p;
    this.pi = new Float64Array(this.rows);
    this.weight = new Float64Array(this.rows);
    this.info = new Float64Array(p * p);
    const factor = (): SymmetricFactor => (p <= IN_PLACE_COLUMNS ? new InPlaceCholesky(p) : new MatrixCholesky());
    this.infoFactor = factor();
    this.inverse = new Float64Array(p * p);
    this.gradient = new Float64Array(p);
    this.scratch = new Float64Array(p);
    this.step = new Float64Array(p);
    this.trial = new Float64Array(p);
    this.retry = new Float64Array(p);
    this.subInfo = new Float64Array(p * p);
    this.subFactor = factor();
    this.preferExact = this.rows * p * p <= EXACT_WORK;
    this.curvature = new Float64Array(p * p);
    this.curvatureFactor = factor();
    this.curvatureInverse = new Float64Array(p * p);
    this.tensor = new Float64Array(p * p * p);
    this.products = new Float64Array(p * p * p);
    this.firstTerm = new Float64Array(p * p);
  }

  /** l*(β); −∞ when X'WX is numerically singular there. Leaves π, W, X'WX and its factor for β. */
  value(beta: Float64Array): number {
    const { rows, p, x, trials, weight, info } = this;
    info.fill(0);
    let loglik = 0;
    // Two rows at a time, sharing the updates of X'WX; an odd last row pairs with itself at weight 0.
    for (let i = 0; i < rows; i += 2) {
      const j = i + 1 < rows ? i + 1 : i;
      const first = i * p;
      const second = j * p;
      let eta1 = 0;
      let eta2 = 0;
      for (let k = 0; k < p; k++) {
        const coefficient = beta[k]!;
        eta1 += x[first + k]! * coefficient;
        eta2 += x[second + k]! * coefficient;
      }
      loglik += this.rowLikelihood(i, eta1);
      const mw1 = trials[i]! * weight[i]!;
      let mw2 = 0;
      if (j !== i) {
        loglik += this.rowLikelihood(j, eta2);
        mw2 = trials[j]! * weight[j]!;
      }
      for (let a = 0; a < p; a++) {
        const u1 = mw1 * x[first + a]!;
        const u2 = mw2 * x[second + a]!;
        const row = a * p;
        for (let b = 0; b <= a; b++) info[row + b]! += u1 * x[first + b]! + u2 * x[second + b]!;
      }
    }
    if (!this.infoFactor.factor(info, p)) return -Infinity;
    return loglik + 0.5 * this.infoFactor.logDeterminant();
  }

  /** Stores π and π(1 − π) of row i at linear predictor η; returns its log-likelihood term. */
  private rowLikelihood(i: number, eta: number): number {
    // With e = exp(−|η|): π, π(1 − π) and log(1 + exp(η)) without overflow or cancellation.
    const e = Math.exp(-Math.abs(eta));
    const onePlus = 1 + e;
    this.pi[i] = eta >= 0 ? 1 / onePlus : e / onePlus;
    this.weight[i] = e / (onePlus * onePlus);
    return this.events[i]! * eta - this.trials[i]! * ((eta > 0 ? eta : 0) + Math.log1p(e));
  }

  /**
   * Gradient of l* at the point of the last value() call: Firth's modified score
   * X'(y − π + h(½ − π)), h the hat values of W^½X, h_i = m_i w_i x_i'(X'WX)⁻¹x_i.
   */
  computeGradient(): void {
    const { rows, p, x, inverse, gradient } = this;
    this.infoFactor.inverse(inverse);
    gradient.fill(0);
    for (let i = 0; i < rows; i += 2) {
      const j = i + 1 < rows ? i + 1 : i;
      const first = i * p;
      const second = j * p;
      // x'(X'WX)⁻¹x from the symmetric quadratic form
      let quadratic1 = 0;
      let quadratic2 = 0;
      for (let a = 0; a < p; a++) {
        const row = a * p;
        let sum1 = 0;
        let sum2 = 0;
        for (let b = 0; b < a; b++) {
          const entry = inverse[row + b]!;
          sum1 += entry * x[first + b]!;
          sum2 += entry * x[second + b]!;
        }
        const diagonal = inverse[row + a]!;
        const x1 = x[first + a]!;
        const x2 = x[second + a]!;
        quadratic1 += x1 * (2 * sum1 + diagonal * x1);
        quadratic2 += x2 * (2 * sum2 + diagonal * x2);
      }
      const residual1 = this.modifiedResidual(i, quadratic1);
      const residual2 = j !== i ? this.modifiedResidual(j, quadratic2) : 0;
      for (let k = 0; k < p; k++) gradient[k]! += residual1 * x[first + k]! + residual2 * x[second + k]!;
    }
  }

  /**
   * The exact negative Hessian of l* at the point of the last computeGradient() into `curvature`:
   * X'WX − ½ Σ m h̃ w'' x x' + ½ [tr(Σ T_k Σ T_l)]_kl, with Σ = (X'WX)⁻¹, h̃ = x'Σx,
   * T_k = Σ m w' x_k x x', w' and w'' the derivatives of w = π(1 − π) in η. The Fisher information
   * X'WX alone misses the penalty's curvature, which matters in small or separated data.
   */
  computeCurvature(): void {
    const { rows, p, x, trials, pi, weight, inverse, tensor, products, firstTerm, curvature, info } = this;
    tensor.fill(0);
    firstTerm.fill(0);
    for (let i = 0, offset = 0; i < rows; i++, offset += p) {
      let quadratic = 0;
      for (let a = 0; a < p; a++) {
        const row = a * p;
        let sum = 0;
        for (let b = 0; b < a; b++) sum += inverse[row + b]! * x[offset + b]!;
        const xa = x[offset + a]!;
        quadratic += xa * (2 * sum + inverse[row + a]! * xa);
      }
      const m = trials[i]!;
      const w = weight[i]!;
      const slope = m * w * (1 - 2 * pi[i]!); // m dw/dη
      const bend = m * quadratic * w * (1 - 6 * w); // m h̃ d²w/dη²
      for (let k = 0; k < p; k++) {
        const xk = x[offset + k]!;
        for (let a = 0; a <= k; a++) {
          const xa = x[offset + a]!;
          firstTerm[k * p + a]! += bend * xk * xa;
          const weightKA = slope * xk * xa;
          const base = (k * p + a) * p;
          for (let b = 0; b <= a; b++) tensor[base + b]! += weightKA * x[offset + b]!;
        }
      }
    }
    // T is symmetric in all three indices: copy k ≥ a ≥ b to the other orders.
    for (let k = 0; k < p; k++) {
      for (let a = 0; a <= k; a++) {
        for (let b = 0; b <= a; b++) {
          const value = tensor[(k * p + a) * p + b]!;
          tensor[(k * p + b) * p + a] = value;
          tensor[(a * p + k) * p + b] = value;
          tensor[(a * p + b) * p + k] = value;
          tensor[(b * p + k) * p + a] = value;
          tensor[(b * p + a) * p + k] = value;
        }
      }
    }
    // products_k = Σ T_k
    for (let k = 0; k < p; k++) {
      for (let r = 0; r < p; r++) {
        for (let c = 0; c < p; c++) {
          let sum = 0;
          for (let t = 0; t < p; t++) sum += inverse[r * p + t]! * tensor[(k * p + t) * p + c]!;
          products[(k * p + r) * p + c] = sum;
        }
      }
    }
    for (let k = 0; k < p; k++) {
      for (let l = 0; l <= k; l++) {
        let trace = 0;
        for (let a = 0; a < p; a++) {
          for (let b = 0; b < p; b++) trace += products[(k * p + a) * p + b]! * products[(l * p + b) * p + a]!;
        }
        const value = info[k * p + l]! - 0.5 * firstTerm[k * p + l]! + 0.5 * trace;
        curvature[k * p + l] = value;
        curvature[l * p + k] = value;
      }
    }
  }

  /** Row i's term of the modified score: y − mπ + h(½ − π) with h = m w x'(X'WX)⁻¹x. */
  private modifiedResidual(i: number, quadratic: number): number {
    const prob = this.pi[i]!;
    const m = this.trials[i]!;
    return this.events[i]! - m * prob + 0.5 * m * this.weight[i]! * quadratic * (1 - 2 * prob);
  }
}

interface Maximum {
  value: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximises l* over all coefficients except `fixed` (−1: none), starting from and updating `beta`.
 * Newton steps on the free coefficients, with X'WX or the exact curvature, capped at MAX_STEP and
 * halved while l* falls; stops when no step exceeds `tolerance` (or, with `valueOnly`, when the
 * step would raise l* by at most `tolerance`). On return the model holds the state at `beta`.
 */
function maximise(
  model: FirthModel,
  beta: Float64Array,
  fixed: number,
  tolerance: number,
  maxIterations: number,
  valueOnly = false,
): Maximum {
  const { p, step, trial, retry, gradient } = model;
  let value = model.value(beta);
  if (value === -Infinity) return { value, iterations: 0, converged: false };
  model.computeGradient();
  let exact = model.preferExact;
  let previousLargest = Infinity;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // The exact Newton step where l* is locally concave in the free coefficients, else the Fisher step.
    if (exact) model.computeCurvature();
    if (!(exact && freeStep(model, fixed, true)) && !freeStep(model, fixed, false)) {
      return { value, iterations: iteration, converged: false };
    }
    let largest = 0;
    let gain = 0;
    for (let k = 0; k < p; k++) {
      largest = Math.max(largest, Math.abs(step[k]!));
      gain += 0.5 * gradient[k]! * step[k]!;
    }
    if (largest <= tolerance) return { value, iterations: iteration - 1, converged: true };
    if (largest < 0.5 && largest > SLOW_RATE * previousLargest) exact = true;
    previousLargest = largest;
    // Newton decrement: the step would raise l* by about `gain`; when only the maximum value is
    // wanted and that is negligible, the value plus the gain is the maximum.
    if (valueOnly && gain <= tolerance) return { value: value + gain, iterations: iteration - 1, converged: true };
    if (largest > MAX_STEP) {
      const scale = MAX_STEP / largest;
      for (let k = 0; k < p; k++) step[k]! *= scale;
    }
    const floor = value - 1e-13 * (1 + Math.abs(value));
    let accepted = false;
    for (let halving = 0; halving <= MAX_HALVINGS; halving++) {
      for (let k = 0; k < p; k++) trial[k] = beta[k]! + step[k]!;
      const next = model.value(trial);
      if (next >= floor) {
        value = next;
        accepted = true;
        break;
      }
      for (let k = 0; k < p; k++) step[k]! *= 0.5;
    }
    if (!accepted) {
      model.value(beta);
      model.computeGradient();
      return { value, iterations: iteration, converged: false };
    }
    // Along the step, l* rises at rate `slope` at the start. When the Fisher information understates
    // the curvature of l* (the penalty's own curvature matters in small or separated data) the step
    // overshoots and the iteration can cycle; then go to the secant estimate of the maximum along
    // the step instead. This also works where l* is flat to rounding and halving cannot tell.
    let slope = 0;
    for (let k = 0; k < p; k++) slope += gradient[k]! * step[k]!;
    model.computeGradient();
    let slopeAfter = 0;
    for (let k = 0; k < p; k++) slopeAfter += gradient[k]! * step[k]!;
    if (slopeAfter < -0.5 * slope) {
      const fraction = slope / (slope - slopeAfter);
      for (let k = 0; k < p; k++) retry[k] = beta[k]! + fraction * step[k]!;
      const next = model.value(retry);
      if (next >= floor) {
        value = next;
        trial.set(retry);
      } else {
        model.value(trial);
      }
      model.computeGradient();
    }
    beta.set(trial);
    if (!gradient.every(Number.isFinite)) return { value, iterations: iteration, converged: false };
  }
  return { value, iterations: maxIterations, converged: false };
}

/**
 * Newton step `matrix`⁻¹ score on the free coefficients into model.step (0 for `fixed`), where
 * `matrix` is X'WX (with its Cholesky factor) or the exact curvature. False when the matrix is not
 * positive definite on the free coefficients.
 */
function freeStep(model: FirthModel, fixed: number, exact: boolean): boolean {
  const { p, step, gradient } = model;
  const matrix = exact ? model.curvature : model.info;
  step.set(gradient);
  if (fixed < 0) {
    if (exact && !model.curvatureFactor.factor(matrix, p)) return false;
    (exact ? model.curvatureFactor : model.infoFactor).solve(step);
    return true;
  }
  const q = p - 1;
  if (q === 0) {
    step[0] = 0;
    return true;
  }
  const { subInfo, subFactor, scratch } = model;
  for (let a = 0, sa = 0; a < p; a++) {
    if (a === fixed) continue;
    for (let b = 0, sb = 0; b <= a; b++) {
      if (b === fixed) continue;
      subInfo[sa * q + sb] = matrix[a * p + b]!;
      sb++;
    }
    scratch[sa] = gradient[a]!;
    sa++;
  }
  if (!subFactor.factor(subInfo, q)) return false;
  subFactor.solve(scratch);
  for (let a = p - 1, sa = q - 1; a >= 0; a--) {
    if (a === fixed) step[a] = 0;
    else step[a] = scratch[sa--]!;
  }
  return true;
}

interface Estimate {
  beta: Float64Array;
  covariance: Float64Array;
  value: number;
}

/**
 * The profile penalised log-likelihood at β_j = b, started from the estimate moved along the
 * linear profile trace (the other coefficients shifted by Σ_kj / Σ_jj · (b − β̂_j)), and in small
 * samples with several covariates also from the estimate itself, keeping the higher maximum.
 */
function profileAt(
  model: FirthModel,
  estimate: Estimate,
  j: number,
  b: number,
  tolerance: number,
  maxIterations: number,
): Maximum {
  const { p } = model;
  const beta = new Float64Array(p);
  const shift = b - estimate.beta[j]!;
  const sjj = estimate.covariance[j * p + j]!;
  for (let k = 0; k < p; k++) beta[k] = estimate.beta[k]! + (estimate.covariance[k * p + j]! / sjj) * shift;
  beta[j] = b;
  const maximum = maximise(model, beta, j, tolerance, maxIterations, true);
  if (!(model.preferExact && p >= 3)) return maximum;
  // Small samples, several covariates: l* may have more than one local maximum; start also from β̂.
  beta.set(estimate.beta);
  beta[j] = b;
  const other = maximise(model, beta, j, tolerance, maxIterations, true);
  return other.converged && other.value > maximum.value ? other : maximum;
}

/** An interval end and the coefficients at the profile maximum there. */
interface EndPoint {
  end: number;
  beta: Float64Array;
}

/**
 * One end of the profile interval of coefficient j (direction −1: lower, +1: upper): the joint
 * Newton iteration of Venzon & Moolgavkar (Appl Stat 1988;37:87), which moves β_j and the other
 * coefficients together and takes one evaluation of l* per step; where it does not settle, the
 * safeguarded search on the profile itself. In small samples with several covariates l* can have
 * more than one local maximum in the other coefficients, and a local method can follow a lower one;
 * there both methods run, and an end counts only if the profile there, maximised from either
 * method's coefficients, does not exceed the cut-off (of two such ends, the outer one).
 */
function profileEnd(
  model: FirthModel,
  estimate: Estimate,
  j: number,
  direction: 1 | -1,
  cutoff: number,
  tolerance: number,
  maxIterations: number,
): number {
  const joint = jointProfileEnd(model, estimate, j, direction, cutoff, tolerance);
  if (joint !== null && !(model.preferExact && model.p >= 3)) return joint.end;
  const search = searchProfileEnd(model, estimate, j, direction, cutoff, tolerance, maxIterations);
  if (joint === null) return search.end;
  if (Math.abs(joint.end - search.end) <= 1e3 * tolerance * Math.max(1, Math.abs(joint.end))) return joint.end;
  const ceiling = estimate.value - cutoff / 2 + 1e3 * tolerance;
  const candidates = [joint, search];
  const valid = candidates.filter(
    (candidate) =>
      Number.isFinite(candidate.end) &&
      candidates.every((from) => {
        const beta = Float64Array.from(from.beta);
        beta[j] = candidate.end;
        return maximise(model, beta, j, tolerance, maxIterations, true).value <= ceiling;
      }),
  );
  if (valid.length === 0) return Number.NaN;
  return valid.reduce((a, b) => (direction * a.end >= direction * b.end ? a : b)).end;
}

/**
 * Venzon–Moolgavkar: at β (β_j = b), with score g and Σ = (X'WX)⁻¹ (or the inverse of the exact
 * curvature, see computeCurvature), u = Σg, the quadratic model of
 * the profile near b is P(b + δ) = L + Gδ − ½δ²/Σ_jj, with L = l*(β) + ½(g'u − u_j²/Σ_jj) (the value
 * once the other coefficients are optimised) and G = u_j/Σ_jj (its slope). The step solves
 * P(b + δ) = l*(β̂) − χ²/2 on the side of the end sought and moves the other coefficients by
 * u_k + Σ_kj(δ − u_j)/Σ_jj. Returns null when the iteration does not settle.
 */
function jointProfileEnd(
  model: FirthModel,
  estimate: Estimate,
  j: number,
  direction: 1 | -1,
  cutoff: number,
  tolerance: number,
): EndPoint | null {
  const { p, gradient } = model;
  const u = model.step;
  let exact = model.preferExact;
  const target = estimate.value - cutoff / 2;
  const start = estimate.beta[j]!;
  const beta = Float64Array.from(estimate.beta);
  const sjj = estimate.covariance[j * p + j]!;
  const t = Math.sqrt(cutoff * sjj);
  for (let k = 0; k < p; k++) beta[k]! += direction * t * (estimate.covariance[k * p + j]! / sjj);
  let previousMove = Infinity;
  let previousLargest = Infinity;
  for (let step = 0; step < MAX_JOINT_STEPS; step++) {
    const value = model.value(beta);
    if (value === -Infinity) return null;
    model.computeGradient();
    let inverse = model.inverse;
    if (exact) {
      model.computeCurvature();
      if (model.curvatureFactor.factor(model.curvature, p)) {
        model.curvatureFactor.inverse(model.curvatureInverse);
        inverse = model.curvatureInverse;
      }
    }
    let gu = 0;
    for (let a = 0; a < p; a++) {
      let sum = 0;
      for (let b = 0; b < p; b++) sum += inverse[a * p + b]! * gradient[b]!;
      u[a] = sum;
      gu += gradient[a]! * sum;
    }
    const ujj = u[j]!;
    const vjj = inverse[j * p + j]!;
    const slope = ujj / vjj;
    const level = value + 0.5 * (gu - (ujj * ujj) / vjj);
    const discriminant = slope * slope + (2 * (level - target)) / vjj;
    if (!(discriminant >= 0)) return null;
    const move = (slope + direction * Math.sqrt(discriminant)) * vjj;
    let largest = 0;
    for (let k = 0; k < p; k++) {
      const delta = k === j ? move : u[k]! + (inverse[k * p + j]! * (move - ujj)) / vjj;
      beta[k]! += delta;
      largest = Math.max(largest, Math.abs(delta));
    }
    if (!(largest <= MAX_STEP) || !(direction * (beta[j]! - start) > 0)) return null;
    if (largest <= tolerance) return { end: beta[j]!, beta };
    // Only β_j is returned. Its error after this step is about rate × |move| / (1 − rate) while the
    // steps contract at the observed rate; the other coefficients affect it only through the value
    // of the profile, which `level` already corrects to first order (their decrement, level − value).
    const rate = Math.abs(move / previousMove);
    if (
      step > 0 &&
      rate < 0.5 &&
      largest < 0.5 * previousLargest &&
      (rate * Math.abs(move)) / (1 - rate) <= tolerance &&
      level - value <= tolerance * Math.abs(slope)
    ) {
      return { end: beta[j]!, beta };
    }
    if (largest > SLOW_RATE * previousLargest) exact = true;
    previousMove = move;
    previousLargest = largest;
  }
  return null;
}

/**
 * One end of the profile interval of coefficient j (direction −1: lower, +1: upper). Solves
 * r(t) = √χ²₁(level) for the distance t ≥ 0 from β̂_j, r(t) = √(2(l*(β̂) − profile(β̂_j ± t))), by
 * Newton's method (dr/dt = ∓ score_j / r, the score of β_j at the profile maximum), falling back to
 * interpolation inside the bracket when a step leaves it, and doubling t until the end is bracketed.
 */
function searchProfileEnd(
  model: FirthModel,
  estimate: Estimate,
  j: number,
  direction: 1 | -1,
  cutoff: number,
  tolerance: number,
  maxIterations: number,
): EndPoint {
  const { p } = model;
  const target = Math.sqrt(cutoff);
  const start = estimate.beta[j]!;
  const sjj = estimate.covariance[j * p + j]!;
  // The last profile maximum found (at distance anchorT from β̂_j) and the trace there, dβ/dβ_j.
  const anchor = Float64Array.from(estimate.beta);
  let anchorT = 0;
  const trace = new Float64Array(p);
  for (let k = 0; k < p; k++) trace[k] = estimate.covariance[k * p + j]! / sjj;
  const beta = new Float64Array(p);
  let t = target * Math.sqrt(sjj);
  let inner = 0;
  let innerRoot = 0;
  let outer = Infinity;
  let outerRoot = Infinity;
  for (let step = 0; step < MAX_SEARCH_STEPS; step++) {
    // Start along the trace from the anchor; from the anchor itself where that start fails.
    for (let k = 0; k < p; k++) beta[k] = anchor[k]! + trace[k]! * direction * (t - anchorT);
    let maximum = maximise(model, beta, j, tolerance, maxIterations, true);
    if (!maximum.converged) {
      beta.set(anchor);
      beta[j] = start + direction * t;
      maximum = maximise(model, beta, j, tolerance, maxIterations, true);
      if (!maximum.converged) break;
    }
    anchor.set(beta);
    anchorT = t;
    trace.fill(0);
    trace[j] = 1;
    model.infoFactor.solve(trace);
    const traceJ = trace[j]!;
    for (let k = 0; k < p; k++) trace[k]! /= traceJ;

    const root = Math.sqrt(Math.max(0, 2 * (estimate.value - maximum.value)));
    const slope = (-direction * model.gradient[j]!) / root;
    if (root < target) {
      inner = t;
      innerRoot = root;
    } else {
      outer = t;
      outerRoot = root;
    }
    let next = t - (root - target) / slope;
    if (!(slope > 0 && next > inner && next < outer)) {
      if (outer === Infinity) next = 2 * t;
      else {
        next = inner + ((target - innerRoot) * (outer - inner)) / (outerRoot - innerRoot);
        if (!(next > inner && next < outer)) next = 0.5 * (inner + outer);
      }
    }
    // Until the end is bracketed, at most double the distance (a flat profile sends Newton far out).
    if (outer === Infinity) next = Math.min(next, 2 * t);
    if (Math.abs(next - t) <= tolerance * Math.max(1, Math.abs(start + direction * next))) {
      return { end: start + direction * next, beta: anchor };
    }
    // l* falls without bound in every direction (Firth's penalty), so this only guards the loop.
    if (next > 1e8 * (1 + Math.sqrt(sjj))) return { end: direction * Infinity, beta: anchor };
    t = next;
  }
  return { end: Number.NaN, beta: anchor }; // reported through FirthFit.converged
}
