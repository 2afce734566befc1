import { type ReactNode, useMemo, useState } from 'react';
import type { DiaryAnalysis } from '../../../src/domain/analysis';
import type { CalendarDay } from '../../../src/domain/calendar-days';
import { localDateAt, monthOf } from '../../../src/domain/time';
import { ApiError } from '../api/client';
import { useApi } from '../api/use-api';
import { TrendChart } from '../charts/TrendChart';
import { Link } from '../app/router';
import { format, formatDate, t } from '../i18n/strings';
import { MonthCalendar, monthDaysPath } from '../ui/MonthCalendar';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { Candidacy } from './patients/Candidacy';
import { Classification } from './patients/Classification';
import { ProcedureOutcomes } from './patients/ProcedureOutcomes';
import { Timeline, timelineEvents } from './patients/Timeline';
import type {
  AdverseEventView,
  CandidacyView,
  PatientView,
  ProcedureView,
  ScheduleView,
  TreatmentView,
} from './patients/types';
import './patients/patients.css';

const s = t.clinicPatients;
const p = s.page;

const SECTIONS = [
  ['diary', p.diaryHeading],
  ['outcomes', p.outcomesHeading],
  ['timeline', p.timelineHeading],
  ['classification', p.classificationHeading],
  ['candidacy', p.candidacyHeading],
] as const;

/** A part of the page that loads on its own: its error or a loading line until its data is there. */
function Part<T>({
  loaded,
  name,
  children,
}: {
  loaded: { data: T | undefined; error: Error | undefined; reload: () => void };
  name: string;
  children: (data: T) => ReactNode;
}) {
  if (loaded.error) return <ErrorView error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading label={format(p.loadingPart, { part: name })} />;
  return <>{children(loaded.data)}</>;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card patient-section" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export function PatientPage({ params }: { params: Record<string, string> }) {
  const patientId = params.patientId ?? '';
  const base = `/patients/${encodeURIComponent(patientId)}`;
  const patient = useApi<PatientView>(base);
  // Nothing else is asked for until the record answers: a patient the user may not see shows nothing.
  if (patient.error) {
    const missing = patient.error instanceof ApiError && patient.error.status === 404;
    return (
      <>
        <PageTitle title={missing ? p.notFoundTitle : t.common.errors.network}>
          {missing ? p.notFoundTitle : t.common.errors.network}
        </PageTitle>
        {missing ? <p role="alert">{p.notFound}</p> : <ErrorView error={patient.error} onRetry={patient.reload} />}
        <p>
          <Link to="/clinic">{p.back}</Link>
        </p>
      </>
    );
  }
  if (!patient.data) return <Loading />;
  return <PatientDetails patient={patient.data} base={base} />;
}

function PatientDetails({ patient, base }: { patient: PatientView; base: string }) {
  const procedures = useApi<{ items: ProcedureView[] }>(`${base}/procedures`);
  const treatments = useApi<{ items: TreatmentView[] }>(`${base}/treatments`);
  const adverseEvents = useApi<{ items: AdverseEventView[] }>(`${base}/adverse-events`);
  const schedule = useApi<ScheduleView>(`${base}/follow-up`);
  const candidacy = useApi<CandidacyView>(`${base}/candidacy`);
  // The patient's local date by the server's clock (the follow-up answer gives it).
  const today = schedule.data?.today ?? localDateAt(Date.now(), patient.timeZone);
  // The analysis is anchored on the latest procedure done, so its baseline and periods are that procedure's.
  const anchor = useMemo(() => {
    const dates = (procedures.data?.items ?? []).map((x) => x.data.date).filter((d) => d <= today);
    return dates.sort().at(-1);
  }, [procedures.data, today]);
  const ready = procedures.data !== undefined && (schedule.data !== undefined || schedule.error !== undefined);
  const analysis = useApi<DiaryAnalysis>(ready ? `${base}/analysis${anchor ? `?referenceDate=${anchor}` : ''}` : null);
  const [chosenMonth, setMonth] = useState<string>();
  const month = chosenMonth ?? monthOf(today);
  const days = useApi<{ items: CalendarDay[] }>(monthDaysPath(patient.id, month));

  const records = {
    data:
      procedures.data && treatments.data && adverseEvents.data
        ? {
            procedures: procedures.data.items,
            treatments: treatments.data.items,
            adverseEvents: adverseEvents.data.items,
          }
        : undefined,
    error: procedures.error ?? treatments.error ?? adverseEvents.error,
    reload: () => {
      procedures.reload();
      treatments.reload();
      adverseEvents.reload();
    },
  };
  const age = patient.birthYear === null ? null : Number(today.slice(0, 4)) - patient.birthYear;
  const link = (path: string) => `/clinic${base}/${path}`;

  return (
    <div className="patient-page">
      <div className="patient-header">
        <div>
          <Link className="back-link" to="/clinic">
            ← {p.back}
          </Link>
          <PageTitle title={patient.displayName}>{patient.displayName}</PageTitle>
          <dl className="patient-facts" aria-label={p.facts}>
            <div>
              <dt>{p.age}</dt>
              <dd>
                {age === null
                  ? p.unknown
                  : format(p.ageValue, { age: `${age - 1}–${age}`, year: String(patient.birthYear) })}
              </dd>
            </div>
            <div>
              <dt>{p.sex}</dt>
              <dd>{patient.sex === null ? p.unknown : (s.sexes[patient.sex] ?? patient.sex)}</dd>
            </div>
            <div>
              <dt>{p.conditions}</dt>
              <dd>{patient.conditions.map((c) => s.conditions[c] ?? c).join(', ')}</dd>
            </div>
            <div>
              <dt>{p.site}</dt>
              <dd>{patient.siteId}</dd>
            </div>
            <div>
              <dt>{p.timeZone}</dt>
              <dd>{patient.timeZone}</dd>
            </div>
            <div>
              <dt>{p.id}</dt>
              <dd>{patient.id}</dd>
            </div>
          </dl>
        </div>
        <nav className="record-actions" aria-labelledby="record-actions-title">
          <h2 id="record-actions-title">{p.actions}</h2>
          <ul>
            <li>
              <Link className="button" to={link('procedures/new')}>
                {p.recordProcedure}
              </Link>
            </li>
            <li>
              <Link className="button" to={link('treatments/new')}>
                {p.recordTreatment}
              </Link>
            </li>
            <li>
              <Link className="button" to={link('adverse-events/new')}>
                {p.recordComplication}
              </Link>
            </li>
            <li>
              <Link className="button" to={link('questionnaires/new')}>
                {p.recordQuestionnaire}
              </Link>
            </li>
            <li>
              <Link className="button primary" to={link('report')}>
                {p.report}
              </Link>
            </li>
          </ul>
        </nav>
      </div>

      <nav className="page-contents" aria-label={p.contents}>
        <ul>
          {SECTIONS.map(([id, title]) => (
            <li key={id}>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="diary" title={p.diaryHeading}>
        <Part loaded={analysis} name={s.loadingNamed.analysis}>
          {(a) =>
            a.span.first === null ? (
              <p>{p.noDiary}</p>
            ) : (
              <>
                <p className="hint">
                  {format(p.analysisAsOf, {
                    date: formatDate(a.asOf),
                    recorded: a.span.recordedDays,
                    days: a.span.days,
                    first: formatDate(a.span.first),
                  })}
                </p>
                <div className="diary-grid">
                  <div>
                    <h3>{p.trendHeading}</h3>
                    <TrendChart
                      months={a.months}
                      periods28={a.periods28}
                      outcomes={a.outcomes}
                      procedureDates={(procedures.data?.items ?? []).map((x) => x.data.date)}
                      switchable
                    />
                  </div>
                  <div>
                    <h3>{p.calendarHeading}</h3>
                    {days.error ? (
                      <ErrorView error={days.error} onRetry={days.reload} />
                    ) : (
                      <MonthCalendar
                        month={month}
                        days={days.data?.items.filter((d) => monthOf(d.date) === month) ?? []}
                        today={today}
                        onMonthChange={setMonth}
                        minMonth={monthOf(a.span.first)}
                        maxMonth={monthOf(today)}
                      />
                    )}
                  </div>
                </div>
              </>
            )
          }
        </Part>
      </Section>

      <Section id="outcomes" title={p.outcomesHeading}>
        <Part loaded={procedures} name={s.loadingNamed.records}>
          {(list) => <ProcedureOutcomes patientId={patient.id} procedures={list.items} schedule={schedule.data} />}
        </Part>
      </Section>

      <Section id="timeline" title={p.timelineHeading}>
        <Part loaded={records} name={s.loadingNamed.records}>
          {(r) =>
            analysis.data || analysis.error ? (
              <Timeline
                events={timelineEvents({
                  patientId: patient.id,
                  analysis: analysis.data,
                  procedures: r.procedures,
                  treatments: r.treatments,
                  adverseEvents: r.adverseEvents,
                  procedureTypes: s.procedureTypes,
                })}
              />
            ) : (
              <Loading label={format(p.loadingPart, { part: s.loadingNamed.analysis })} />
            )
          }
        </Part>
      </Section>

      <Section id="classification" title={p.classificationHeading}>
        <Part loaded={analysis} name={s.loadingNamed.analysis}>
          {(a) => <Classification analysis={a} />}
        </Part>
      </Section>

      <Section id="candidacy" title={p.candidacyHeading}>
        <Part loaded={candidacy} name={s.loadingNamed.candidacy}>
          {(c) => <Candidacy candidacy={c} />}
        </Part>
      </Section>
    </div>
  );
}
