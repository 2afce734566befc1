import type { CalendarDay } from '../../../src/domain/calendar-days';
import { firstDayOfMonth, lastDayOfMonth } from '../../../src/domain/time';
import { useApi } from '../api/use-api';
import { format, t } from '../i18n/strings';
import { CalendarLegend, MonthCalendar } from '../ui/MonthCalendar';
import { ErrorView, Loading } from '../ui/states';

/** The last months of the diary as compact calendars side by side, with one key below them. */
export function ReportCalendar({ patientId, months, today }: { patientId: string; months: string[]; today: string }) {
  const from = months.length > 0 ? firstDayOfMonth(months[0]!) : null;
  const to = months.length > 0 ? lastDayOfMonth(months.at(-1)!) : null;
  const days = useApi<{ items: CalendarDay[] }>(
    from && to ? `/patients/${encodeURIComponent(patientId)}/days?from=${from}&to=${to}` : null,
  );
  if (months.length === 0) return null;
  return (
    <section className="report-calendar" aria-labelledby="report-calendar-heading">
      <h2 id="report-calendar-heading">{format(t.report.calendar.heading, { n: months.length })}</h2>
      {days.error ? (
        <ErrorView error={days.error} onRetry={days.reload} />
      ) : !days.data ? (
        <Loading label={t.report.calendar.loading} />
      ) : (
        <>
          <div className="report-calendar-months">
            {months.map((month) => (
              <MonthCalendar key={month} month={month} days={days.data!.items} today={today} compact hideLegend />
            ))}
          </div>
          {/* Inside a calendar's frame, which holds the key's colours. */}
          <div className="month-calendar compact report-calendar-legend">
            <CalendarLegend compact />
          </div>
        </>
      )}
    </section>
  );
}
