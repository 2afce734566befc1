import type { CohortRow } from './cohort.js';

/** The groupings a cohort is compared by. */
export const COHORT_GROUPINGS = ['procedureType', 'decompression', 'site', 'surgeon'] as const;
export type CohortGrouping = (typeof COHORT_GROUPINGS)[number];

/** Durability curves per group of one grouping, or of the whole cohort (`none`). */
export const COHORT_GROUP_BY = ['none', ...COHORT_GROUPINGS] as const;
export type CohortGroupBy = (typeof COHORT_GROUP_BY)[number];

/** The group of the whole cohort. */
export const WHOLE_COHORT = 'all';

/**
 * A row's group: its procedure type, `decompression` or `no-decompression` (an adjunct nerve
 * decompression or not), its site, its surgeon's code (null when none is recorded), or `all`.
 */
export function groupOf(row: CohortRow, by: CohortGroupBy): string | null {
  switch (by) {
    case 'none':
      return WHOLE_COHORT;
    case 'procedureType':
      return row.procedureType;
    case 'decompression':
      return row.predictors.decompression ? 'decompression' : 'no-decompression';
    case 'site':
      return row.siteId;
    case 'surgeon':
      return row.surgeon;
  }
}

/** Rows by group, groups in order of their names; rows of no group apart. */
export function groupRows(
  rows: readonly CohortRow[],
  by: CohortGroupBy,
): { groups: { group: string; rows: CohortRow[] }[]; unknown: CohortRow[] } {
  const byGroup = new Map<string, CohortRow[]>();
  const unknown: CohortRow[] = [];
  for (const r of rows) {
    const g = groupOf(r, by);
    if (g === null) {
      unknown.push(r);
      continue;
    }
    const list = byGroup.get(g);
    if (list) list.push(r);
    else byGroup.set(g, [r]);
  }
  const groups = [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, members]) => ({ group, rows: members }));
  return { groups, unknown };
}
