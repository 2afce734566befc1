import { type FormEvent, useState } from 'react';
import { COHORT_GROUP_BY } from '../../../src/domain/cohort-stats-groups';
import { CONDITIONS } from '../../../src/domain/diary';
import { PROCEDURE_TYPES } from '../../../src/domain/registry';
import { DEFAULT_SITE_SETTINGS } from '../../../src/domain/site-settings';
import { ApiError } from '../api/client';
import { Link } from '../app/router';
import { t } from '../i18n/strings';
import { Choices, FormErrors, SelectField, TextField } from '../ui/forms';
import { COHORT_PAGE, cohortApiPath, cohortFieldOf, type CohortQuery } from './cohort-query';
import { windowName } from './format';

const s = t.cohort.filter;

/** The follow-up windows a cohort reports (every visit of the default schedule but the baseline). */
export const COHORT_WINDOWS = DEFAULT_SITE_SETTINGS.followUp.filter((v) => v.months > 0);
const DEFAULT_WINDOW = 'm12';

const any = { value: '', label: s.any };

/** Field labels, also under the names the API's issues carry (`filter.from`, `filter.siteIds`). */
const LABELS: Record<string, string> = {
  procedureType: s.procedureType,
  siteId: s.sites,
  surgeon: s.surgeon,
  from: s.from,
  to: s.to,
  condition: s.condition,
  headacheType: s.headacheType,
  groupBy: s.groupBy,
  window: s.window,
};
const SUMMARY_LABELS: Record<string, string> = {
  ...LABELS,
  ...Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [`filter.${k}`, v])),
  'filter.siteIds': s.sites,
};

/** The API's issues by form field. */
function issuesOf(error: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return map;
  for (const issue of error.issues) {
    const field = cohortFieldOf(issue.path);
    map.set(field, [...(map.get(field) ?? []), issue.message]);
  }
  return map;
}

/**
 * The cohort's filter. It edits a copy; "Show cohort" puts it in the page's address, which the page
 * reads (so the address can be bookmarked and shared). The API's 400 issues appear at their fields.
 */
export function CohortFilterForm({
  initial,
  error,
  sites,
  researcher,
  onSubmit,
}: {
  initial: CohortQuery;
  error: unknown;
  sites: readonly { id: string; name?: string }[];
  researcher: boolean;
  onSubmit: (q: CohortQuery) => void;
}) {
  const [q, setQ] = useState(initial);
  // A new cohort in the address (back, forward, a link) replaces the edits; the form itself stays,
  // and so does the focus on its button.
  const applied = cohortApiPath(initial);
  const [shown, setShown] = useState(applied);
  if (shown !== applied) {
    setShown(applied);
    setQ(initial);
  }
  const set = (patch: Partial<CohortQuery>) => setQ((prev) => ({ ...prev, ...patch }));
  const issues = issuesOf(error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(q);
  };
  const dateHint = researcher ? s.wholeYearsHint : undefined;
  return (
    <form className="card cohort-filter" onSubmit={submit} aria-labelledby="cohort-filter-heading" noValidate>
      <h2 id="cohort-filter-heading">{s.legend}</h2>
      {error instanceof ApiError && error.status === 400 && <FormErrors error={error} labels={SUMMARY_LABELS} />}
      <div className="cohort-filter-grid">
        <SelectField
          label={s.procedureType}
          value={q.procedureType}
          onChange={(e) => set({ procedureType: e.target.value })}
          errors={issues.get('procedureType')}
          options={[any, ...PROCEDURE_TYPES.map((p) => ({ value: p, label: t.cohort.procedureTypes[p] ?? p }))]}
        />
        <TextField
          label={s.surgeon}
          hint={s.surgeonHint}
          value={q.surgeon}
          onChange={(e) => set({ surgeon: e.target.value })}
          errors={issues.get('surgeon')}
          autoComplete="off"
        />
        <TextField
          label={s.from}
          hint={dateHint}
          type="date"
          value={q.from}
          onChange={(e) => set({ from: e.target.value })}
          errors={issues.get('from')}
        />
        <TextField
          label={s.to}
          hint={dateHint}
          type="date"
          value={q.to}
          onChange={(e) => set({ to: e.target.value })}
          errors={issues.get('to')}
        />
        <SelectField
          label={s.condition}
          value={q.condition}
          onChange={(e) => set({ condition: e.target.value })}
          errors={issues.get('condition')}
          options={[any, ...CONDITIONS.map((c) => ({ value: c, label: t.cohort.conditions[c] ?? c }))]}
        />
        <SelectField
          label={s.headacheType}
          value={q.headacheType}
          onChange={(e) => set({ headacheType: e.target.value })}
          errors={issues.get('headacheType')}
          options={[any, ...['chronic', 'episodic'].map((h) => ({ value: h, label: t.cohort.headacheTypes[h]! }))]}
        />
        <SelectField
          label={s.groupBy}
          value={q.groupBy || 'none'}
          onChange={(e) => set({ groupBy: e.target.value })}
          errors={issues.get('groupBy')}
          options={COHORT_GROUP_BY.map((g) => ({ value: g, label: t.cohort.groupBy[g] ?? g }))}
        />
        <SelectField
          label={s.window}
          hint={s.windowHint}
          value={q.window || DEFAULT_WINDOW}
          onChange={(e) => set({ window: e.target.value })}
          errors={issues.get('window')}
          options={COHORT_WINDOWS.map((v) => ({ value: v.id, label: windowName(v.months) }))}
        />
      </div>
      {sites.length > 0 && (
        <Choices
          legend={s.sites}
          type="checkbox"
          name="siteId"
          options={sites.map((site) => ({
            value: site.id,
            label: site.name && site.name !== site.id ? `${site.name} (${site.id})` : site.id,
          }))}
          value={q.siteId}
          onChange={(siteId) => set({ siteId })}
          errors={issues.get('siteId')}
        />
      )}
      <p className="hint">{s.sitesHint}</p>
      <div className="cohort-actions">
        <button type="submit" className="primary">
          {s.submit}
        </button>
        <Link to={COHORT_PAGE} className="button">
          {s.reset}
        </Link>
      </div>
      <p className="hint">{s.shareHint}</p>
    </form>
  );
}
