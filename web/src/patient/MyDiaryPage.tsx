import { useApi } from '../api/use-api';
import { useUser } from '../app/session';
import { TrendChart } from '../charts/TrendChart';
import { t } from '../i18n/strings';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { DiaryCalendar } from './insight/DiaryCalendar';
import { dueQuestionnaires } from './insight/due';
import { DueQuestionnaires } from './insight/DueQuestionnaires';
import { MyTriggers } from './insight/MyTriggers';
import { overuseWarnings } from './insight/overuse';
import { OveruseWarnings } from './insight/OveruseWarnings';
import type { Analysis, FollowUpSchedule } from './insight/types';
import './insight/insight.css';

/**
 * My diary: questionnaires due, medication-overuse warnings, the month calendar, trends against
 * the procedure and baseline, and the patient's own triggers. Everything comes from the server's
 * analysis of the stored diary (the same rules as the care team sees).
 */
export function MyDiaryPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const patientId = user.patientId!;
  const base = `/patients/${encodeURIComponent(patientId)}`;
  const analysis = useApi<Analysis>(`${base}/analysis`);
  const followUp = useApi<FollowUpSchedule>(`${base}/follow-up`);
  const m = t.insight.myDiary;

  let body;
  if (analysis.error) body = <ErrorView error={analysis.error} onRetry={analysis.reload} />;
  else if (!analysis.data) body = <Loading />;
  else {
    const a = analysis.data;
    const procedureDates = followUp.data?.procedures.map((p) => p.procedureDate) ?? [];
    body = (
      <>
        {followUp.error ? (
          <ErrorView error={followUp.error} onRetry={followUp.reload} />
        ) : (
          followUp.data && <DueQuestionnaires items={dueQuestionnaires(followUp.data)} />
        )}
        <OveruseWarnings warnings={overuseWarnings(a.medicationOveruse, a.asOf)} />
        {a.span.first === null && <p className="card">{m.noDiary}</p>}
        <DiaryCalendar patientId={patientId} today={a.asOf} firstDay={a.span.first} />
        <section className="card insight-trends" aria-labelledby="trends-title">
          <h2 id="trends-title">{m.trendsTitle}</h2>
          <p className="hint">{m.trendsHint}</p>
          <TrendChart
            months={a.months}
            periods28={a.periods28}
            outcomes={a.outcomes}
            procedureDates={procedureDates.length > 0 ? procedureDates : undefined}
            switchable
          />
        </section>
        <MyTriggers analysis={a} />
      </>
    );
  }
  return (
    <div className="my-diary">
      <PageTitle title={m.title}>{m.title}</PageTitle>
      {body}
    </div>
  );
}
