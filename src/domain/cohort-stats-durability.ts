import { kaplanMeier, logRankTest, type SurvivalObservation } from '../stats/survival.js';
import type { CohortRow } from './cohort.js';
import { groupRows, type CohortGroupBy } from './cohort-stats-groups.js';
import { finite } from './cohort-stats-values.js';

/** A point of a Kaplan–Meier curve: the survival (no relapse yet) from `time` on. */
export interface SurvivalPoint {
  /** Days from the procedure. */
  time: number;
  survival: number;
  /** Pointwise interval on the log scale; null where it is undefined (survival 0). */
  lower: number | null;
  upper: number | null;
  nRisk: number;
  nEvent: number;
  nCensor: number;
}

export interface DurabilityGroup {
  group: string;
  /** Responders of the group. */
  n: number;
  /** Relapses among them. */
  events: number;
  /** Median days to relapse with its interval; null where the curve (or a limit) does not fall to 0.5. */
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  /** A step curve: survival 1 at day 0, then one point per distinct time (relapse or censoring). */
  curve: SurvivalPoint[];
}

/**
 * Time to relapse among responders (the rows' `durability`): Kaplan–Meier per group, with
 * Greenwood's variance and log-scale intervals (R: survfit(Surv(time, event) ~ group)), and the
 * log-rank test across the groups that have responders (R: survdiff); null for fewer than two
 * such groups or when nobody relapsed.
 */
export interface DurabilityStatistics {
  groupBy: CohortGroupBy;
  /** Responders that belong to no group (no surgeon recorded). */
  unknown: number;
  groups: DurabilityGroup[];
  logRankChiSquare: number | null;
  logRankDf: number | null;
  logRankP: number | null;
}

function observations(rows: readonly CohortRow[]): SurvivalObservation[] {
  const out: SurvivalObservation[] = [];
  for (const r of rows) {
    const { responded, time, event } = r.durability;
    if (responded === true && time !== null && event !== null) out.push({ time, event });
  }
  return out;
}

function durabilityGroup(group: string, obs: readonly SurvivalObservation[], level: number): DurabilityGroup {
  if (obs.length === 0) {
    return { group, n: 0, events: 0, median: null, medianLower: null, medianUpper: null, curve: [] };
  }
  const km = kaplanMeier(obs, level);
  return {
    group,
    n: km.n,
    events: km.events,
    median: finite(km.median.estimate),
    medianLower: finite(km.median.lower),
    medianUpper: finite(km.median.upper),
    curve: [
      { time: 0, survival: 1, lower: 1, upper: 1, nRisk: km.n, nEvent: 0, nCensor: 0 },
      ...km.steps.map((s) => ({
        time: s.time,
        survival: s.survival,
        lower: finite(s.lower),
        upper: finite(s.upper),
        nRisk: s.nRisk,
        nEvent: s.nEvent,
        nCensor: s.nCensor,
      })),
    ],
  };
}

export function durabilityStatistics(
  rows: readonly CohortRow[],
  groupBy: CohortGroupBy,
  level: number,
): DurabilityStatistics {
  const { groups, unknown } = groupRows(rows, groupBy);
  const byGroup = groups.map(({ group, rows: members }) => ({ group, obs: observations(members) }));
  const tested = byGroup.filter((g) => g.obs.length > 0).map((g) => g.obs);
  const anyEvent = tested.some((obs) => obs.some((o) => o.event));
  const logRank = tested.length >= 2 && anyEvent ? logRankTest(tested) : null;
  return {
    groupBy,
    unknown: observations(unknown).length,
    groups: byGroup.map(({ group, obs }) => durabilityGroup(group, obs, level)),
    logRankChiSquare: logRank ? finite(logRank.chiSquare) : null,
    logRankDf: logRank ? logRank.df : null,
    logRankP: logRank ? finite(logRank.p) : null,
  };
}
