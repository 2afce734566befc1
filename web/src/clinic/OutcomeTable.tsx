import type { ReactNode } from 'react';
import type { ProcedureOutcome, QuestionnaireChange, VisitOutcome } from '../../../src/domain/registry-outcomes';
import type { PeriodSummary } from '../../../src/domain/periods';
import { format, formatCount, formatDate, formatPercent, formatRate, formatSigned, t } from '../i18n/strings';
import './outcome-table.css';

/** `GET /patients/:patientId/procedures/:procedureId/outcome`. */
export interface ProcedureOutcomeResponse extends ProcedureOutcome {
  patientId: string;
  procedureId: string;
  /** The date the outcome is as of (the patient's local date). */
  today: string;
}

const s = t.clinicForms.outcome;

function DiaryCell({ summary, inProgress }: { summary: PeriodSummary; inProgress: boolean }) {
  const state = summary.sufficient ? s.sufficient : s.insufficient;
  return (
    <td data-col="diary">
      <span className="outcome-dates">
        {format(s.periodDates, { start: formatDate(summary.start), end: formatDate(summary.end) })}
      </span>
      {format(s.recorded, { recorded: summary.recordedDays, days: summary.days })} ·{' '}
      <span className={summary.sufficient ? 'outcome-ok' : 'outcome-warn'}>{state}</span>
      {inProgress && <> · {s.inProgress}</>}
    </td>
  );
}

function questionnaireCell(col: string, q: QuestionnaireChange | null): ReactNode {
  if (q === null)
    return (
      <td data-col={col} className="num">
        {s.none}
      </td>
    );
  return (
    <td data-col={col} className="num">
      {q.change === null
        ? formatCount(q.value)
        : format(s.scoreWithChange, { value: formatCount(q.value), change: formatSigned(q.change, 0) })}
    </td>
  );
}

function responderText(r: boolean | null): string {
  return r === null ? s.notMeasurable : r ? s.yes : s.no;
}

function VisitRow({ visit, thresholds }: { visit: VisitOutcome; thresholds: number[] }) {
  const diaryColumns = 5 + thresholds.length;
  const q = visit.questionnaires;
  const blocked =
    visit.status === 'not-started'
      ? format(s.notReached, { start: formatDate(visit.diaryPeriods.start) })
      : visit.status === 'insufficient-diary' || visit.mmd === null
        ? s.insufficientDiary
        : null;
  return (
    <tr data-visit={visit.visitId} className={blocked ? 'outcome-blocked' : undefined}>
      <th scope="row">
        {visit.label}
        <span className="outcome-dates">{formatDate(visit.dueDate)}</span>
      </th>
      {visit.status === 'not-started' ? (
        <td colSpan={diaryColumns} data-col="status" className="outcome-status">
          {blocked}
        </td>
      ) : (
        <>
          <DiaryCell summary={visit.summary} inProgress={visit.status === 'in-progress'} />
          {blocked !== null ? (
            <td colSpan={diaryColumns - 1} data-col="status" className="outcome-status">
              {blocked}
            </td>
          ) : (
            <>
              <td data-col="mmd" className="num">
                {formatRate(visit.mmd!)}
              </td>
              <td data-col="change" className="num">
                {visit.mmdChange === null ? s.noBaseline : formatSigned(visit.mmdChange)}
              </td>
              <td data-col="percent" className="num">
                {visit.mmdPercentChange === null ? s.notMeasurable : formatPercent(visit.mmdPercentChange, 1, true)}
              </td>
              {thresholds.map((threshold) => {
                const r = visit.responders.find((x) => x.threshold === threshold);
                return (
                  <td key={threshold} data-col={`responder-${Math.round(threshold * 100)}`}>
                    {responderText(r?.responder ?? null)}
                  </td>
                );
              })}
              <td data-col="mhi" className="num">
                {visit.mhi?.value == null
                  ? s.none
                  : visit.mhiPercentChange === null
                    ? formatRate(visit.mhi.value)
                    : format(s.valueWithPercent, {
                        value: formatRate(visit.mhi.value),
                        change: formatPercent(visit.mhiPercentChange, 1, true),
                      })}
              </td>
            </>
          )}
        </>
      )}
      {questionnaireCell('midas', q.midas)}
      {questionnaireCell('hit6', q.hit6)}
      <td data-col="pgic">
        {q.pgic === null
          ? s.none
          : format(s.pgicScore, {
              answer: t.clinicForms.pgicAnswers[q.pgic.answer] ?? q.pgic.answer,
              score: q.pgic.score,
            })}
      </td>
    </tr>
  );
}

function durabilityText(d: ProcedureOutcome['durability']): string {
  if (!d.evaluable) return s.durability.notEvaluable;
  if (!d.responded) return s.durability.noResponse;
  if (d.relapsed) return format(s.durability.relapsed, { responseDay: d.responseDay!, relapseDay: d.relapseDay! });
  return format(s.durability.censored, { responseDay: d.responseDay!, censoredDay: d.censoredDay! });
}

/**
 * The baseline against each follow-up visit of one procedure: the diary's 28-day period(s) with
 * how many days were recorded, MMD with its change and responder flags, MHI, MIDAS, HIT-6 and
 * PGIC, and the durability of the response. A visit whose period has not started, or whose
 * diary is insufficient, says so instead of showing numbers.
 */
export function OutcomeTable({
  outcome,
  headingLevel = 2,
}: {
  outcome: ProcedureOutcomeResponse;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const b = outcome.baseline;
  const thresholds = outcome.visits[0]?.responders.map((r) => r.threshold) ?? [0.5, 0.75, 1];
  const captionId = `outcome-${outcome.procedureId}`;
  const baselineBlocked = b.mmd === null;
  return (
    <section className="outcome" aria-labelledby={`${captionId}-h`}>
      <Heading id={`${captionId}-h`}>{s.title}</Heading>
      <div className="table-scroll" role="region" aria-labelledby={`${captionId}-caption`} tabIndex={0}>
        <table className="outcome-table" data-testid="outcome-table">
          <caption id={`${captionId}-caption`}>
            {format(s.caption, { date: formatDate(outcome.procedureDate), today: formatDate(outcome.today) })}
          </caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                {s.visit}
              </th>
              <th scope="col" rowSpan={2}>
                {s.diary}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.mmd}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.change}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.percentChange}
              </th>
              <th scope="colgroup" colSpan={thresholds.length} className="outcome-group">
                {s.responderGroup}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.mhi}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.midas}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {s.hit6}
              </th>
              <th scope="col" rowSpan={2}>
                {s.pgic}
              </th>
            </tr>
            <tr>
              {thresholds.map((th) => (
                <th scope="col" key={th}>
                  <span className="visually-hidden">{s.responderGroup} </span>
                  {format(th >= 1 ? s.responderAll : s.responder, { percent: Math.round(th * 100) })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr data-visit="baseline" className={baselineBlocked ? 'outcome-blocked' : undefined}>
              <th scope="row">{s.baseline}</th>
              <DiaryCell summary={b.summary} inProgress={b.summary.end > outcome.today} />
              {baselineBlocked ? (
                <td colSpan={4 + thresholds.length} data-col="status" className="outcome-status">
                  {b.summary.start > outcome.today
                    ? format(s.notReached, { start: formatDate(b.summary.start) })
                    : s.insufficientDiary}
                </td>
              ) : (
                <>
                  <td data-col="mmd" className="num">
                    {formatRate(b.mmd!)}
                  </td>
                  <td data-col="change" className="num">
                    {s.none}
                  </td>
                  <td data-col="percent" className="num">
                    {s.none}
                  </td>
                  {thresholds.map((th) => (
                    <td key={th} data-col={`responder-${Math.round(th * 100)}`}>
                      {s.none}
                    </td>
                  ))}
                  <td data-col="mhi" className="num">
                    {b.mhi?.value == null ? s.none : formatRate(b.mhi.value)}
                  </td>
                </>
              )}
              <td data-col="midas" className="num">
                {b.midas === null ? s.none : formatCount(b.midas.score)}
              </td>
              <td data-col="hit6" className="num">
                {b.hit6 === null ? s.none : formatCount(b.hit6.total)}
              </td>
              <td data-col="pgic">{s.none}</td>
            </tr>
            {outcome.visits.map((v) => (
              <VisitRow key={v.visitId} visit={v} thresholds={thresholds} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="outcome-durability" data-testid="outcome-durability">
        <strong>{s.durability.title}:</strong> {durabilityText(outcome.durability)}
      </p>
      {b.mhi && <p className="hint">{format(s.mhiUnitHint, { unit: b.mhi.unit })}</p>}
    </section>
  );
}
