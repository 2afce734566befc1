import type { ScheduledVisit } from '../../../../src/domain/follow-up';
import { useApi } from '../../api/use-api';
import { format, formatDate, t } from '../../i18n/strings';
import { ErrorView, Loading } from '../../ui/states';
import { OutcomeTable, type ProcedureOutcomeResponse } from '../OutcomeTable';
import type { ProcedureView, ScheduleView } from './types';

const s = t.clinicPatients.outcomes;

function FollowUpVisits({ procedureDate, visits }: { procedureDate: string; visits: readonly ScheduledVisit[] }) {
  const id = `follow-up-${procedureDate}`;
  return (
    <>
      <h3 id={id}>
        {s.followUp} · {format(s.procedure, { date: formatDate(procedureDate) })}
      </h3>
      <div className="table-scroll">
        <table className="criteria-table" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{s.visit}</th>
              <th scope="col">{s.due}</th>
              <th scope="col">{s.window}</th>
              <th scope="col">{s.status}</th>
              <th scope="col">{s.instruments}</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((v) => (
              <tr key={v.visitId} data-visit={v.visitId}>
                <th scope="row">{v.label}</th>
                <td>{formatDate(v.dueDate)}</td>
                <td>
                  {formatDate(v.opens)} – {formatDate(v.closes)}
                </td>
                <td>
                  <span className={`status-badge visit-${v.status}`}>{s.visitStatus[v.status] ?? v.status}</span>
                </td>
                <td>
                  {v.instruments
                    .map((i) =>
                      format(s.instrument, {
                        instrument: i.instrument,
                        status: s.instrumentStatus[i.status] ?? i.status,
                      }),
                    )
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ProcedureBlock({
  patientId,
  procedure,
  schedule,
}: {
  patientId: string;
  procedure: ProcedureView;
  schedule: ScheduleView | undefined;
}) {
  const path = `/patients/${encodeURIComponent(patientId)}/procedures/${encodeURIComponent(procedure.id)}/outcome`;
  const outcome = useApi<ProcedureOutcomeResponse>(path);
  const visits = schedule?.procedures.find((p) => p.procedureId === procedure.id)?.visits;
  return (
    <div className="procedure-block" data-procedure={procedure.id}>
      {outcome.error && <ErrorView error={outcome.error} onRetry={outcome.reload} />}
      {outcome.data ? (
        <OutcomeTable outcome={outcome.data} headingLevel={3} />
      ) : (
        !outcome.error && (
          <Loading label={format(t.clinicPatients.page.loadingPart, { part: t.clinicPatients.loadingNamed.outcome })} />
        )
      )}
      {visits && <FollowUpVisits procedureDate={procedure.data.date} visits={visits} />}
    </div>
  );
}

/** Each procedure, the latest first: its baseline against follow-up table and its follow-up visits. */
export function ProcedureOutcomes({
  patientId,
  procedures,
  schedule,
}: {
  patientId: string;
  procedures: readonly ProcedureView[];
  schedule: ScheduleView | undefined;
}) {
  if (procedures.length === 0) return <p>{s.none}</p>;
  const latestFirst = [...procedures].sort((a, b) => (a.data.date < b.data.date ? 1 : -1));
  return (
    <>
      {latestFirst.map((p) => (
        <ProcedureBlock key={p.id} patientId={patientId} procedure={p} schedule={schedule} />
      ))}
    </>
  );
}
