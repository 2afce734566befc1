import type { DiaryAnalysis } from '../../../src/domain/analysis';
import type { SiteSettings } from '../../../src/domain/site-settings';
import { localDateAt } from '../../../src/domain/time';
import { query } from '../api/client';
import { useApi } from '../api/use-api';
import { Link } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, t } from '../i18n/strings';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { KeyNumbers } from './KeyNumbers';
import { MonthsTable } from './MonthsTable';
import { ReportCalendar } from './ReportCalendar';
import { ReportFootnote } from './ReportFootnote';
import { ReportHeader } from './ReportHeader';
import {
  baselineSchedule,
  latestProcedureDate,
  reportFigures,
  type BaselineSchedule,
  type PatientView,
  type ProcedureView,
} from './report-data';
import './report.css';

/**
 * The one-page doctor-visit report: on screen a white A4 sheet with a print button, in print (or
 * "Save as PDF") exactly one A4 page. A patient sees their own (`/report`); the care team any
 * patient they may see (`/clinic/patients/:patientId/report`); the API refuses anyone else.
 */
export function ReportPage({ params }: { params: Record<string, string> }) {
  const user = useUser();
  const patientId = params.patientId ?? user.patientId;
  if (patientId === undefined || patientId === null) {
    return (
      <>
        <PageTitle title={t.report.title}>{t.report.title}</PageTitle>
        <ErrorView error={new Error(t.report.errors.noPatient)} />
      </>
    );
  }
  return <Report patientId={patientId} fromClinic={params.patientId !== undefined} />;
}

function Report({ patientId, fromClinic }: { patientId: string; fromClinic: boolean }) {
  const user = useUser();
  const base = `/patients/${encodeURIComponent(patientId)}`;
  const patient = useApi<PatientView>(base);
  // The care team reads the site's follow-up schedule, as the clinic's outcome table does; a
  // patient cannot, and the report then uses the default schedule (and says so).
  const care = user.role === 'clinician' || user.role === 'admin';
  const settings = useApi<{ data: SiteSettings }>(
    care && patient.data ? `/sites/${encodeURIComponent(patient.data.siteId)}/settings` : null,
  );
  const settingsSettled = !care || settings.data !== undefined || settings.error !== undefined;
  const procedures = useApi<{ items: ProcedureView[] }>(`${base}/procedures`);
  // The patient's own local date: what "today" means for their diary.
  const today = patient.data ? localDateAt(Date.now(), patient.data.timeZone) : null;
  const procedureDate = procedures.data && today ? latestProcedureDate(procedures.data.items, today) : null;
  const analysis = useApi<DiaryAnalysis>(
    procedures.data && today ? `${base}/analysis${query({ referenceDate: procedureDate })}` : null,
  );

  const error = patient.error ?? procedures.error ?? analysis.error;
  const title = patient.data ? format(t.report.documentTitle, { name: patient.data.displayName }) : t.report.title;
  return (
    <div className="report-page">
      <div className="report-toolbar no-print">
        {fromClinic && <Link to={`/clinic/patients/${encodeURIComponent(patientId)}`}>{t.report.backToPatient}</Link>}
        <button type="button" className="primary" onClick={() => window.print()} disabled={!analysis.data}>
          {t.report.print}
        </button>
        <p className="hint">{t.report.printHint}</p>
      </div>
      <article className="report-sheet">
        <PageTitle title={title}>{t.report.title}</PageTitle>
        {error ? (
          <ErrorView
            error={error}
            onRetry={() => {
              patient.reload();
              procedures.reload();
              analysis.reload();
            }}
          />
        ) : !patient.data || !analysis.data || today === null || !settingsSettled ? (
          <Loading />
        ) : (
          <ReportBody
            patient={patient.data}
            analysis={analysis.data}
            procedureDate={procedureDate}
            today={today}
            patientId={patientId}
            schedule={baselineSchedule(settings.data?.data.followUp ?? null)}
          />
        )}
      </article>
    </div>
  );
}

function ReportBody(props: {
  patient: PatientView;
  analysis: DiaryAnalysis;
  procedureDate: string | null;
  today: string;
  patientId: string;
  schedule: BaselineSchedule;
}) {
  const { patient, analysis, procedureDate, today, patientId, schedule } = props;
  const figures = reportFigures(analysis, procedureDate, schedule);
  return (
    <>
      <ReportHeader patient={patient} analysis={analysis} procedureDate={procedureDate} printed={formatDate(today)} />
      <KeyNumbers figures={figures} />
      <MonthsTable months={figures.months} asOf={analysis.asOf} />
      <ReportCalendar patientId={patientId} months={figures.months.map((m) => m.month).slice(-3)} today={today} />
      <ReportFootnote analysis={analysis} schedule={schedule} />
    </>
  );
}
