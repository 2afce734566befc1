import { format, formatNumber, formatPercent, t } from '../i18n/strings';

/**
 * How the cohort page writes numbers. Tables show rounded figures; their CSV files carry the
 * API's values unrounded, so anyone can recompute from them.
 */

const s = t.cohort;

/** A proportion as a percentage with one decimal ("42.1 %"), or a dash. */
export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? s.dash : formatPercent(rate * 100, digits);
}

/** A number with fixed decimals, or a dash. */
export function decimal(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? s.dash : formatNumber(x, digits);
}

/** A p-value with three decimals, "< 0.001" below that. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return s.dash;
  return p < 0.001 ? '< 0.001' : formatNumber(p, 3);
}

/** A follow-up window by its months ("12 months"). */
export function windowName(months: number): string {
  return format(s.windowLabel, { n: months });
}

/** A facet label "12 months · n = 36" on two lines, for narrow charts. */
export function twoLines(facet: string): string {
  return facet.replace(' · ', '\n');
}

/** A group of the durability curves or comparisons in words (site ids and surgeon codes as they are). */
export function groupName(group: string): string {
  return s.groups[group] ?? s.procedureTypes[group] ?? group;
}
