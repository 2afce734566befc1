import { useMemo } from 'react';
import type { CohortStatisticsReport } from '../../../src/domain/cohort-stats';
import { ApiError } from '../api/client';
import { useApi } from '../api/use-api';
import { navigate, useLocation } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, t } from '../i18n/strings';
import { downloadCsv, toCsv } from '../ui/csv';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { ChangeChart } from './ChangeChart';
import { CohortFilterForm } from './CohortFilterForm';
import { cohortApiPath, cohortPagePath, type CohortQuery, readCohortQuery } from './cohort-query';
import { ComparisonTables, PredictorsTable } from './ComparisonTables';
import { CohortSection } from './DataTable';
import { DurabilityChart } from './DurabilityChart';
import { windowName } from './format';
import { FunnelChart } from './FunnelChart';
import { patientColumns } from './patient-rows';
import { RespondersChart } from './RespondersChart';
import './cohort.css';

const s = t.cohort;

/**
 * The registry's cohort page (clinicians, researchers, admins): a filter kept in the address, and
 * the statistics `GET /cohort` computes for it, each chart with the table behind it and its CSV.
 */
export function CohortPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const { search } = useLocation();
  const searchKey = search.toString();
  const q = useMemo(() => readCohortQuery(new URLSearchParams(searchKey)), [searchKey]);
  const apiPath = cohortApiPath(q);
  const cohort = useApi<CohortStatisticsReport>(apiPath);
  const allSites = useApi<{ items: { id: string; name: string }[] }>(user.role === 'admin' ? '/sites' : null);
  const sites = user.role === 'admin' ? (allSites.data?.items ?? []) : user.siteIds.map((id) => ({ id }));

  const show = (next: CohortQuery) => navigate(cohortPagePath(next));
  // The funnel's unit only changes the view: the address keeps it, without a new history entry.
  const showFunnel = (by: 'surgeon' | 'site') => {
    window.history.replaceState(null, '', cohortPagePath({ ...q, funnel: by }));
    window.dispatchEvent(new PopStateEvent('popstate'));
  };

  return (
    <div className="cohort-page">
      <PageTitle title={s.title}>{s.title}</PageTitle>
      <p className="cohort-intro">{s.intro}</p>
      <CohortFilterForm
        initial={q}
        error={cohort.error}
        sites={sites}
        researcher={user.role === 'researcher'}
        onSubmit={(next) => show({ ...next, funnel: q.funnel })}
      />
      {cohort.loading ? (
        <Loading />
      ) : cohort.error ? (
        <CohortError error={cohort.error} onRetry={cohort.reload} />
      ) : cohort.data ? (
        <CohortResults report={cohort.data} funnel={q.funnel} onFunnel={showFunnel} />
      ) : null}
    </div>
  );
}

function CohortError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 400) return null; // shown at the fields
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="error-view" role="alert">
        <p>{format(s.tooSmall, { message: error.message })}</p>
      </div>
    );
  }
  return <ErrorView error={error} onRetry={onRetry} />;
}

function CohortResults({
  report,
  funnel,
  onFunnel,
}: {
  report: CohortStatisticsReport;
  funnel: 'surgeon' | 'site';
  onFunnel: (by: 'surgeon' | 'site') => void;
}) {
  const stats = report.statistics;
  const compared = stats.windows.find((w) => w.visitId === stats.window);
  const windowWords = compared ? windowName(compared.months) : stats.window;
  const visitIds = report.windows.map((w) => w.visitId);
  const downloadRows = () => downloadCsv('cohort-patients.csv', toCsv(report.patients, patientColumns(visitIds)));
  return (
    <div className="cohort-results">
      <p className="cohort-summary" role="status">
        <strong>{format(s.asOf, { n: report.n, date: formatDate(report.asOf) })}</strong>{' '}
        {format(s.levelNote, { level: stats.level * 100 })}
      </p>
      {report.n === 0 ? (
        <p className="cohort-empty">{s.empty}</p>
      ) : (
        <>
          <RespondersChart windows={stats.windows} />
          <DurabilityChart durability={stats.durability} />
          <ChangeChart windows={stats.windows} level={stats.level} />
          <FunnelChart funnels={stats.funnels} by={funnel} window={windowWords} onChange={onFunnel} />
          <ComparisonTables comparisons={stats.comparisons} window={windowWords} />
          <PredictorsTable predictors={stats.predictors} window={windowWords} />
          <CohortSection id="cohort-rows" title={s.patients.heading}>
            <p className="hint">{s.patients.explain}</p>
            <button type="button" className="no-print" onClick={downloadRows}>
              {format(s.patients.download, { n: report.patients.length })}
            </button>
          </CohortSection>
        </>
      )}
    </div>
  );
}
