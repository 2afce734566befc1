import type { MonthSummary } from '../../../src/domain/periods';
import { monthOf } from '../../../src/domain/time';
import { format, formatCount, formatDate, t } from '../i18n/strings';

const m = t.report.months;

/**
 * The last months of the diary as raw day counts (what the patient recorded, never scaled); a
 * month with nothing recorded says so instead of showing zeros, and one under the sufficiency
 * threshold is marked.
 */
export function MonthsTable({ months, asOf }: { months: readonly MonthSummary[]; asOf: string }) {
  if (months.length === 0) return <p>{m.none}</p>;
  return (
    <table className="report-table report-months">
      <caption>{format(m.caption, { n: months.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{m.month}</th>
          <th scope="col" className="num">
            {m.headacheDays}
          </th>
          <th scope="col" className="num">
            {m.migraineDays}
          </th>
          <th scope="col" className="num">
            {m.medicationDays}
          </th>
          <th scope="col">{m.recordedDays}</th>
        </tr>
      </thead>
      <tbody>
        {months.map((month) => {
          const name = formatDate(`${month.month}-01`, { month: 'short', year: 'numeric' });
          const empty = month.recordedDays === 0;
          const count = (n: number) => (empty ? t.report.notRecorded : formatCount(n));
          return (
            <tr key={month.month} data-month={month.month}>
              <th scope="row">{month.month === monthOf(asOf) ? format(m.soFar, { month: name }) : name}</th>
              <td className="num" data-col="headache">
                {count(month.headacheDays)}
              </td>
              <td className="num" data-col="migraine">
                {count(month.migraineDays)}
                {!empty && month.migraineDaysUndetermined > 0 && (
                  <span className="report-muted"> {format(m.undetermined, { n: month.migraineDaysUndetermined })}</span>
                )}
              </td>
              <td className="num" data-col="medication">
                {count(month.acuteMedicationDays)}
              </td>
              <td data-col="recorded">
                {format(m.recordedOf, { recorded: month.recordedDays, days: month.days })}
                {!empty && !month.sufficient && <span className="report-muted"> {m.insufficient}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
