import { query } from '../api/client';

/**
 * A cohort as the page's address keeps it: the API's own query parameters (so a bookmarked or
 * shared address asks the API exactly the same), plus `funnel`, which only chooses what the page
 * shows and is never sent.
 */
export interface CohortQuery {
  procedureType: string;
  siteId: string[];
  surgeon: string;
  from: string;
  to: string;
  condition: string;
  headacheType: string;
  groupBy: string;
  window: string;
  funnel: 'surgeon' | 'site';
}

export const COHORT_PAGE = '/clinic/cohort';

export const EMPTY_QUERY: CohortQuery = {
  procedureType: '',
  siteId: [],
  surgeon: '',
  from: '',
  to: '',
  condition: '',
  headacheType: '',
  groupBy: '',
  window: '',
  funnel: 'surgeon',
};

export function readCohortQuery(search: URLSearchParams): CohortQuery {
  const text = (name: string) => search.get(name) ?? '';
  return {
    procedureType: text('procedureType'),
    siteId: search
      .getAll('siteId')
      .flatMap((s) => s.split(','))
      .filter((s) => s !== ''),
    surgeon: text('surgeon'),
    from: text('from'),
    to: text('to'),
    condition: text('condition'),
    headacheType: text('headacheType'),
    groupBy: text('groupBy'),
    window: text('window'),
    funnel: search.get('funnel') === 'site' ? 'site' : 'surgeon',
  };
}

function apiParams(q: CohortQuery) {
  return {
    procedureType: q.procedureType,
    siteId: q.siteId,
    surgeon: q.surgeon.trim(),
    from: q.from,
    to: q.to,
    condition: q.condition,
    headacheType: q.headacheType,
    groupBy: q.groupBy,
    window: q.window,
  };
}

/** `GET /cohort` for this cohort (empty values are left out: the API's defaults apply). */
export function cohortApiPath(q: CohortQuery): string {
  return `/cohort${query(apiParams(q))}`;
}

/** The page's address for this cohort. */
export function cohortPagePath(q: CohortQuery): string {
  return COHORT_PAGE + query({ ...apiParams(q), funnel: q.funnel === 'site' ? 'site' : undefined });
}

/**
 * The form field an API issue belongs to: the route names `query.from`, the cohort service
 * `filter.from` (a researcher's whole-year rule) and `filter.siteIds` for the sites.
 */
export function cohortFieldOf(path: string): string {
  const field = path.replace(/^(query|filter)\./, '').replace(/\.\d+$/, '');
  return field === 'siteIds' ? 'siteId' : field;
}
