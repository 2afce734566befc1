import { binomialFunnelLimits } from '../stats/funnel.js';
import type { CohortRow } from './cohort.js';
import { groupRows } from './cohort-stats-groups.js';
import { responders50 } from './cohort-stats-values.js';

/** Where a unit's rate lies against a pair of limits (on a limit, or at the overall rate, is inside). */
export type FunnelPosition = 'inside' | 'above' | 'below';

export interface FunnelUnit {
  /** The surgeon's code or the site id. */
  unit: string;
  /** 50 % responders of n procedures judged at the window. */
  x: number;
  n: number;
  rate: number;
  /** Limits around the overall rate at this n: 95 % and 99.8 % (about 2 and 3 standard deviations). */
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
  position95: FunnelPosition;
  position998: FunnelPosition;
}

/**
 * A funnel plot of 50 % response at one window (Spiegelhalter, Stat Med 2005;24:1185): each
 * surgeon's or site's rate against its n, with exact binomial limits (interpolated) around the
 * overall rate of the cohort. Units without a procedure judged at the window are left out.
 */
export interface Funnel {
  by: 'surgeon' | 'site';
  window: string;
  /** The whole cohort at the window: the rate the limits surround (null when n is 0). */
  x: number;
  n: number;
  rate: number | null;
  /** Procedures judged at the window without a unit (no surgeon recorded). */
  unknown: number;
  units: FunnelUnit[];
}

/** Rates within this of a limit are on it: limits and rates are computed differently. */
const TOLERANCE = 1e-12;

/**
 * A unit at the overall rate is inside. Only at an overall rate of 0 or 1 does this decide: every
 * unit is then at it, while the interpolated limits at 1 lie below 1.
 */
function position(rate: number, p0: number, lower: number, upper: number): FunnelPosition {
  if (rate === p0) return 'inside';
  if (rate > upper + TOLERANCE) return 'above';
  if (rate < lower - TOLERANCE) return 'below';
  return 'inside';
}

export function funnels(rows: readonly CohortRow[], w: number, window: string): Funnel[] {
  const overall = responders50(rows, w);
  const p0 = overall.n === 0 ? null : overall.x / overall.n;
  return (['surgeon', 'site'] as const).map((by): Funnel => {
    const { groups, unknown } = groupRows(rows, by);
    const units: FunnelUnit[] = [];
    if (p0 !== null) {
      for (const { group, rows: members } of groups) {
        const { x, n } = responders50(members, w);
        if (n === 0) continue;
        const rate = x / n;
        const l95 = binomialFunnelLimits(p0, n, 0.95);
        const l998 = binomialFunnelLimits(p0, n, 0.998);
        units.push({
          unit: group,
          x,
          n,
          rate,
          lower95: l95.lower,
          upper95: l95.upper,
          lower998: l998.lower,
          upper998: l998.upper,
          position95: position(rate, p0, l95.lower, l95.upper),
          position998: position(rate, p0, l998.lower, l998.upper),
        });
      }
    }
    return { by, window, ...overall, rate: p0, unknown: responders50(unknown, w).n, units };
  });
}
