import { medianOfSorted } from '../stats/descriptive.js';
import { tInterval, wilcoxonSignedRank } from '../stats/paired.js';
import { newcombeDifference, wilsonInterval } from '../stats/proportions.js';
import type { CohortReport, CohortRow, CohortWindowSummary } from './cohort.js';
import { durabilityStatistics, type DurabilityStatistics } from './cohort-stats-durability.js';
import { funnels, type Funnel } from './cohort-stats-funnel.js';
import { COHORT_GROUPINGS, groupRows, type CohortGroupBy, type CohortGrouping } from './cohort-stats-groups.js';
import { predictorAnalysis, type PredictorAnalysis } from './cohort-stats-predictors.js';
import { finite, responders50 } from './cohort-stats-values.js';

export { COHORT_GROUP_BY, COHORT_GROUPINGS, type CohortGroupBy, type CohortGrouping } from './cohort-stats-groups.js';
export type { DurabilityGroup, DurabilityStatistics, SurvivalPoint } from './cohort-stats-durability.js';
export type { Funnel, FunnelPosition, FunnelUnit } from './cohort-stats-funnel.js';
export { COHORT_PREDICTORS, type PredictorAnalysis, type PredictorTerm } from './cohort-stats-predictors.js';

/**
 * Outcome statistics of a cohort, computed from its de-identified rows only (src/domain/cohort.ts),
 * so that anyone holding `patients[]` can recompute them (clinical-reference §5; each figure names
 * the R function it matches, and test/domain/cohort-stats.test.ts checks them against R):
 *
 * - per follow-up window: responder rates with Wilson intervals; MMD, MIDAS and HIT-6 change as a
 *   mean with its t interval and as a median with the Hodges–Lehmann estimate, its interval and
 *   the Wilcoxon signed-rank p;
 * - durability: Kaplan–Meier of the time to relapse among responders, per group, with the log-rank
 *   test across groups;
 * - at one window: 50 % responder rates per procedure type, decompression, site and surgeon, each
 *   against the largest group (Newcombe interval of the difference); Firth logistic regression of
 *   50 % response on the patient's characteristics; funnel limits per surgeon and per site.
 *
 * Where too few values make a figure undefined (an interval from one value, a p from none) it is
 * null, never an error.
 */

export interface CohortStatisticsConfig {
  /** Confidence level of every interval. */
  level: number;
  /**
   * The regression of response is refused below this many events of the rarer outcome per
   * predictor (Peduzzi et al., J Clin Epidemiol 1996;49:1373: 10).
   */
  minEventsPerPredictor: number;
}

export const DEFAULT_COHORT_STATISTICS_CONFIG: CohortStatisticsConfig = { level: 0.95, minEventsPerPredictor: 10 };

/** The window of the comparisons, the regression and the funnels unless another is asked for. */
export const DEFAULT_STATISTICS_WINDOW = 'm12';

export interface CohortStatisticsOptions {
  /** Groups of the durability curves; `none`: the whole cohort. */
  groupBy?: CohortGroupBy;
  /** Visit id of the window the comparisons, the regression and the funnels read. */
  window?: string;
  config?: Partial<CohortStatisticsConfig>;
}

/** x of n with its Wilson interval (R: prop.test(x, n, correct = FALSE)$conf.int); nulls when n is 0. */
export interface ProportionEstimate {
  x: number;
  n: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface ResponderRate extends ProportionEstimate {
  /** MMD reduction of at least this many per cent. */
  threshold: 50 | 75 | 100;
}

/**
 * Change from baseline (follow-up − baseline) over `n` procedures: mean with its t interval
 * (R: t.test(d)), sample median, Hodges–Lehmann estimate with its interval and the Wilcoxon
 * signed-rank p (R: wilcox.test(d, conf.int = TRUE): exact for fewer than 50 differences without
 * ties or zeros, else the normal approximation with continuity correction).
 */
export interface ChangeStatistics {
  n: number;
  mean: number | null;
  sd: number | null;
  meanLower: number | null;
  meanUpper: number | null;
  median: number | null;
  hodgesLehmann: number | null;
  hodgesLehmannLower: number | null;
  hodgesLehmannUpper: number | null;
  /**
   * Confidence level of the Hodges–Lehmann interval: the requested level, or the lower one R
   * reports (attr(conf.int, "conf.level")) when too few differences cannot reach it; null
   * without an interval.
   */
  hodgesLehmannLevel: number | null;
  wilcoxonP: number | null;
}

export interface WindowStatistics {
  visitId: string;
  label: string;
  months: number;
  /** Procedures whose 50 % response can be judged in the window (as `windows[].nSufficient`). */
  nSufficient: number;
  /** ≥ 50, 75 and 100 % MMD reduction among nSufficient. */
  responders: ResponderRate[];
  /** Over the nSufficient procedures. */
  mmdChange: ChangeStatistics;
  /** Visit score − baseline score, over the procedures that have both. */
  midasChange: ChangeStatistics;
  hit6Change: ChangeStatistics;
}

export interface ComparedGroup extends ProportionEstimate {
  group: string;
  /** rate − the reference group's rate, with Newcombe's hybrid score interval; null for the reference. */
  difference: number | null;
  differenceLower: number | null;
  differenceUpper: number | null;
}

/** 50 % responders per group at one window, each group against the reference. */
export interface GroupComparison {
  by: CohortGrouping;
  window: string;
  /** The group with the most procedures judged at the window (ties: the first by name). */
  reference: string | null;
  /** Procedures judged at the window that belong to no group (no surgeon recorded). */
  unknown: number;
  groups: ComparedGroup[];
}

export interface CohortStatistics {
  level: number;
  /** The window of `comparisons`, `predictors` and `funnels`. */
  window: string;
  groupBy: CohortGroupBy;
  windows: WindowStatistics[];
  durability: DurabilityStatistics;
  comparisons: GroupComparison[];
  predictors: PredictorAnalysis;
  funnels: Funnel[];
}

/** A cohort with its statistics (`relief cohort --json`, `GET /cohort`). */
export interface CohortStatisticsReport extends CohortReport {
  statistics: CohortStatistics;
}

/** Wilson interval of x/n, or nulls when n is 0. */
export function proportion(x: number, n: number, level: number): ProportionEstimate {
  if (n === 0) return { x, n, rate: null, lower: null, upper: null };
  const ci = wilsonInterval(x, n, level);
  return { x, n, rate: x / n, lower: ci.lower, upper: ci.upper };
}

/**
 * The change statistics of `values`. They are sorted first, so that the sums do not depend on the
 * (random) order of the rows. One value has a mean and a median but no interval and no test; the
 * t interval needs values that are not all equal (R's t.test refuses constant data); the
 * Wilcoxon test needs a difference other than 0, and the Hodges–Lehmann interval two non-zero
 * differences that are not equal (R's wilcox.test gives NaN for tied ones and a point for one).
 * With few values the interval is the widest R can give, at the lower level R reports (it warns
 * "requested conf.level not achievable"): `hodgesLehmannLevel` carries it.
 */
export function changeStatistics(values: readonly number[], level: number): ChangeStatistics {
  const xs = Float64Array.from(values).sort();
  const n = xs.length;
  const out: ChangeStatistics = {
    n,
    mean: null,
    sd: null,
    meanLower: null,
    meanUpper: null,
    median: null,
    hodgesLehmann: null,
    hodgesLehmannLower: null,
    hodgesLehmannUpper: null,
    hodgesLehmannLevel: null,
    wilcoxonP: null,
  };
  if (n === 0) return out;
  out.median = medianOfSorted(xs);
  let sum = 0;
  for (const x of xs) sum += x;
  out.mean = sum / n;
  if (n === 1) return out;
  const list = Array.from(xs);
  if (xs[0] === xs[n - 1]) {
    out.sd = 0;
  } else {
    const t = tInterval(list, level);
    Object.assign(out, { mean: t.mean, sd: t.sd, meanLower: finite(t.lower), meanUpper: finite(t.upper) });
  }
  const nonZero = list.filter((x) => x !== 0);
  if (nonZero.length === 0) return out;
  const w = wilcoxonSignedRank(list, level);
  out.wilcoxonP = finite(w.p);
  out.hodgesLehmann = finite(w.estimate);
  if (nonZero.length >= 2 && nonZero.some((x) => x !== nonZero[0])) {
    out.hodgesLehmannLower = finite(w.lower);
    out.hodgesLehmannUpper = finite(w.upper);
    if (out.hodgesLehmannLower !== null) out.hodgesLehmannLevel = w.level;
  }
  return out;
}

const THRESHOLDS = [50, 75, 100] as const;

/** One pass over the rows: the changes and responders at window `w`. */
function windowStatistics(
  rows: readonly CohortRow[],
  w: number,
  visit: Pick<CohortWindowSummary, 'visitId' | 'label' | 'months'>,
  level: number,
): WindowStatistics {
  const responders = [0, 0, 0];
  const mmd: number[] = [];
  const midas: number[] = [];
  const hit6: number[] = [];
  for (const r of rows) {
    const at = r.windows[w]!;
    if (at.responder50 !== null) {
      mmd.push(at.mmdChange!);
      if (at.responder50) responders[0]!++;
      if (at.responder75 === true) responders[1]!++;
      if (at.responder100 === true) responders[2]!++;
    }
    if (at.midas !== null && r.baseline.midas !== null) midas.push(at.midas - r.baseline.midas);
    if (at.hit6 !== null && r.baseline.hit6 !== null) hit6.push(at.hit6 - r.baseline.hit6);
  }
  return {
    visitId: visit.visitId,
    label: visit.label,
    months: visit.months,
    nSufficient: mmd.length,
    responders: THRESHOLDS.map((threshold, i) => ({ threshold, ...proportion(responders[i]!, mmd.length, level) })),
    mmdChange: changeStatistics(mmd, level),
    midasChange: changeStatistics(midas, level),
    hit6Change: changeStatistics(hit6, level),
  };
}

/**
 * 50 % responders at window `w` per group, against the group with the most procedures judged
 * there (ties: the first by name): the difference of rates with Newcombe's hybrid score interval
 * (Newcombe, Stat Med 1998;17:873, method 10).
 */
function comparison(
  rows: readonly CohortRow[],
  by: CohortGrouping,
  w: number,
  window: string,
  level: number,
): GroupComparison {
  const { groups, unknown } = groupRows(rows, by);
  const counted = groups.map(({ group, rows: members }) => ({ group, ...responders50(members, w) }));
  let reference: { group: string; x: number; n: number } | null = null;
  for (const g of counted) if (g.n > 0 && (reference === null || g.n > reference.n)) reference = g;
  return {
    by,
    window,
    reference: reference?.group ?? null,
    unknown: responders50(unknown, w).n,
    groups: counted.map(({ group, x, n }): ComparedGroup => {
      const base = { group, ...proportion(x, n, level) };
      if (reference === null || group === reference.group || n === 0) {
        return { ...base, difference: null, differenceLower: null, differenceUpper: null };
      }
      const d = newcombeDifference(x, n, reference.x, reference.n, level);
      return { ...base, difference: d.estimate, differenceLower: d.lower, differenceUpper: d.upper };
    }),
  };
}

/** The statistics of a cohort's rows; `windows` are the report's windows, in the rows' order. */
export function cohortStatistics(
  rows: readonly CohortRow[],
  windows: readonly Pick<CohortWindowSummary, 'visitId' | 'label' | 'months'>[],
  options: CohortStatisticsOptions = {},
): CohortStatistics {
  const config = { ...DEFAULT_COHORT_STATISTICS_CONFIG, ...options.config };
  const { level } = config;
  const groupBy = options.groupBy ?? 'none';
  const window = options.window ?? DEFAULT_STATISTICS_WINDOW;
  const w = windows.findIndex((v) => v.visitId === window);
  if (w < 0) {
    throw new RangeError(`window: "${window}" is not a follow-up window (${windows.map((v) => v.visitId).join(', ')})`);
  }
  return {
    level,
    window,
    groupBy,
    windows: windows.map((visit, i) => windowStatistics(rows, i, visit, level)),
    durability: durabilityStatistics(rows, groupBy, level),
    comparisons: COHORT_GROUPINGS.map((by) => comparison(rows, by, w, window, level)),
    predictors: predictorAnalysis(rows, w, window, config),
    funnels: funnels(rows, w, window),
  };
}
