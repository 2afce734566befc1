import { firthLogistic } from '../stats/regression.js';
import type { CohortRow } from './cohort.js';
import { finite } from './cohort-stats-values.js';

/** A predictor of response: its name in the result, what one unit is, and its value in a row (null: unknown). */
interface Predictor {
  predictor: string;
  description: string;
  value(row: CohortRow): number | null;
}

const flag = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

/**
 * The characteristics whose association with 50 % response is estimated, each adjusted for the
 * others. Sex is female against male or other; a row of unknown sex is left out.
 */
export const COHORT_PREDICTORS: readonly Predictor[] = [
  {
    predictor: 'age',
    description: 'age at the procedure, per 10 years',
    value: (r) => (r.age === null ? null : r.age / 10),
  },
  {
    predictor: 'female',
    description: 'female (against male or other)',
    value: (r) => (r.sex === 'female' ? 1 : r.sex === 'male' || r.sex === 'other' ? 0 : null),
  },
  {
    predictor: 'baselineMmd',
    description: 'baseline migraine days per 28 days, per day',
    value: (r) => r.baseline.mmd,
  },
  {
    predictor: 'chronic',
    description: 'chronic (≥ 15 headache days per 28 at baseline) against episodic',
    value: (r) => (r.headacheType === null ? null : r.headacheType === 'chronic' ? 1 : 0),
  },
  { predictor: 'aura', description: 'aura in the baseline period', value: (r) => flag(r.predictors.aura) },
  {
    predictor: 'medicationOveruse',
    description: 'medication overuse (ICHD-3 8.2 thresholds) in the baseline period',
    value: (r) => flag(r.predictors.medicationOveruse),
  },
  {
    predictor: 'triggerSites',
    description: 'number of trigger sites, per site',
    value: (r) => r.predictors.triggerSites,
  },
  {
    predictor: 'priorToxinOrBlockResponse',
    description: 'a documented response to botulinum toxin or a nerve block before the procedure',
    value: (r) => flag(r.predictors.priorToxinOrBlockResponse),
  },
];

export interface PredictorTerm {
  predictor: string;
  description: string;
  /** Procedures judged at the window without this value. */
  missing: number;
  /** exp(coefficient): the odds of response per unit, the others held fixed. */
  oddsRatio: number | null;
  /** Profile penalised-likelihood interval (Heinze & Schemper, Stat Med 2002;21:2409). */
  lower: number | null;
  upper: number | null;
  /** Penalised likelihood-ratio test of no association. */
  p: number | null;
}

/**
 * Who benefits: Firth-penalised logistic regression of 50 % response at one window on every
 * predictor at once (Firth, Biometrika 1993;80:27; R: glm(responder ~ ..., family = binomial,
 * method = "brglmFit", type = "AS_mean") with profile intervals as logistf), over the complete
 * cases. Refused, with the reason in `refused`, when the rarer outcome has fewer than
 * `minEventsPerPredictor` events per predictor, or a predictor does not vary or is a linear function
 * of others (each named).
 */
export interface PredictorAnalysis {
  window: string;
  outcome: 'responder50';
  /** Procedures judged at the window. */
  nEvaluable: number;
  /** Of those, with every predictor known (the model's rows); the others are dropped. */
  n: number;
  nDropped: number;
  responders: number;
  nonResponders: number;
  /** The rarer outcome's count per predictor. */
  eventsPerPredictor: number | null;
  minEventsPerPredictor: number;
  /** Why the model was not fitted; null when it was. */
  refused: string | null;
  terms: PredictorTerm[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A residual shorter than this fraction of its column's length makes the column linearly dependent.
 * Exact dependence leaves rounding error (about 1e-16); the fit itself stops at a Cholesky pivot of
 * X′X at or below 1e-13 of its diagonal entry (src/stats/linear-algebra.ts), a residual of about
 * 3e-7 of the length, so every design this check passes can be fitted.
 */
const DEPENDENCE_TOLERANCE = 1e-6;

/**
 * Predictors whose column is a linear function of earlier ones in the complete cases, each with
 * those it depends on: the rank check the fit needs (X′X must be invertible). Modified Gram–Schmidt
 * (Björck, Numerical Methods for Least Squares Problems, SIAM 1996, §2.4) on the design's columns,
 * the intercept first and then the predictors in order, each scaled to length 1; a column whose
 * residual is shorter than DEPENDENCE_TOLERANCE lies in the span of the columns kept before it, and
 * solving R c = Qᵀx for its coefficients on them names the predictors involved. Columns in `skip`
 * (constant ones, refused apart) are left out.
 */
function linearDependencies(
  cases: readonly (readonly number[])[],
  k: number,
  skip: ReadonlySet<number>,
): { predictor: number; on: number[] }[] {
  const n = cases.length;
  const dot = (a: Float64Array, b: Float64Array): number => {
    let sum = 0;
    for (let t = 0; t < n; t++) sum += a[t]! * b[t]!;
    return sum;
  };
  const scale = (a: Float64Array, by: number): void => {
    for (let t = 0; t < n; t++) a[t] = a[t]! * by;
  };
  const basis: Float64Array[] = [new Float64Array(n).fill(1 / Math.sqrt(n))];
  /** The predictor of each kept column; −1: the intercept. */
  const kept = [-1];
  /** Column i of R: the coefficients of kept column i on the basis, R[i][i] last. */
  const r: number[][] = [[1]];
  const dependencies: { predictor: number; on: number[] }[] = [];
  for (let j = 0; j < k; j++) {
    if (skip.has(j)) continue;
    const z = Float64Array.from(cases, (c) => c[j]!);
    scale(z, 1 / Math.sqrt(dot(z, z)));
    const projections = basis.map((q) => {
      const projection = dot(q, z);
      for (let t = 0; t < n; t++) z[t] = z[t]! - projection * q[t]!;
      return projection;
    });
    const residual = Math.sqrt(dot(z, z));
    if (residual >= DEPENDENCE_TOLERANCE) {
      scale(z, 1 / residual);
      basis.push(z);
      kept.push(j);
      r.push([...projections, residual]);
      continue;
    }
    // Back substitution: the coefficients c of the scaled column on the kept columns.
    const c = new Float64Array(kept.length);
    for (let i = kept.length - 1; i >= 0; i--) {
      let sum = projections[i]!;
      for (let l = i + 1; l < kept.length; l++) sum -= r[l]![i]! * c[l]!;
      c[i] = sum / r[i]![i]!;
    }
    const on = kept.filter((p, i) => p >= 0 && Math.abs(c[i]!) > 1e-9);
    dependencies.push({ predictor: j, on });
  }
  return dependencies;
}

/** Lexicographic order of rows, so that the fit does not depend on the (random) order of the rows. */
function compareRows(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function predictorAnalysis(
  rows: readonly CohortRow[],
  w: number,
  window: string,
  config: { level: number; minEventsPerPredictor: number },
): PredictorAnalysis {
  const missing = COHORT_PREDICTORS.map(() => 0);
  const cases: number[][] = [];
  let nEvaluable = 0;
  for (const r of rows) {
    const responder = r.windows[w]!.responder50;
    if (responder === null) continue;
    nEvaluable++;
    const values = COHORT_PREDICTORS.map((p) => p.value(r));
    values.forEach((v, j) => {
      if (v === null) missing[j]!++;
    });
    if (values.every((v) => v !== null)) cases.push([...(values as number[]), responder ? 1 : 0]);
  }
  const k = COHORT_PREDICTORS.length;
  const n = cases.length;
  const responders = cases.filter((c) => c[k] === 1).length;
  const nonResponders = n - responders;
  const rarer = Math.min(responders, nonResponders);
  const needed = config.minEventsPerPredictor * k;
  const base = {
    window,
    outcome: 'responder50' as const,
    nEvaluable,
    n,
    nDropped: nEvaluable - n,
    responders,
    nonResponders,
    eventsPerPredictor: n === 0 ? null : rarer / k,
    minEventsPerPredictor: config.minEventsPerPredictor,
  };
  const terms = (fit?: { oddsRatio: number; lower: number | null; upper: number | null; p: number | null }[]) =>
    COHORT_PREDICTORS.map((p, j): PredictorTerm => ({
      predictor: p.predictor,
      description: p.description,
      missing: missing[j]!,
      oddsRatio: fit?.[j]?.oddsRatio ?? null,
      lower: fit?.[j]?.lower ?? null,
      upper: fit?.[j]?.upper ?? null,
      p: fit?.[j]?.p ?? null,
    }));

  const reasons: string[] = [];
  if (n === 0) {
    reasons.push(`no procedure judged at ${window} has every predictor recorded`);
  } else {
    const constant = COHORT_PREDICTORS.filter((_, j) => cases.every((c) => c[j] === cases[0]![j]));
    for (const p of constant) {
      reasons.push(
        `${p.predictor} does not vary (all ${plural(n, 'complete case')} have the same value), so its effect cannot be estimated`,
      );
    }
    const skip = new Set(constant.map((p) => COHORT_PREDICTORS.indexOf(p)));
    for (const { predictor, on } of linearDependencies(cases, k, skip)) {
      const names = on.map((j) => COHORT_PREDICTORS[j]!.predictor);
      const list = names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
      reasons.push(
        `${COHORT_PREDICTORS[predictor]!.predictor} is a linear function of ${list} in all ` +
          `${plural(n, 'complete case')} (the predictors are linearly dependent), so their effects cannot be told apart`,
      );
    }
    if (rarer < needed) {
      const which = responders <= nonResponders ? 'responders' : 'non-responders';
      reasons.push(
        `the rarer outcome (${which}) has ${plural(rarer, 'event')} among ${plural(n, 'complete case')}, ` +
          `${(rarer / k).toFixed(1)} per predictor for ${k} predictors; at least ${needed} ` +
          `(${config.minEventsPerPredictor} per predictor, Peduzzi et al., J Clin Epidemiol 1996) are needed`,
      );
    }
  }
  if (reasons.length > 0) return { ...base, refused: `not fitted: ${reasons.join('; ')}`, terms: terms() };

  cases.sort(compareRows);
  const design = cases.map((c) => [1, ...c.slice(0, k)]);
  const y = cases.map((c) => c[k]!);
  const columns = COHORT_PREDICTORS.map((_, j) => j + 1);
  const fit = firthLogistic(design, y, { level: config.level, profile: columns });
  if (!fit.converged) {
    return {
      ...base,
      refused: `not fitted: the penalised likelihood did not converge in ${fit.iterations} iterations`,
      terms: terms(),
    };
  }
  return {
    ...base,
    refused: null,
    terms: terms(
      columns.map((c) => {
        const ci = fit.profile[c] ?? null;
        return {
          oddsRatio: Math.exp(fit.coefficients[c]!),
          lower: ci === null ? null : finite(Math.exp(ci.lower)),
          upper: ci === null ? null : finite(Math.exp(ci.upper)),
          p: fit.p[c] ?? null,
        };
      }),
    ),
  };
}
