import { useState } from 'react';
import type { CalendarDay } from '../../../../src/domain/calendar-days';
import { monthOf } from '../../../../src/domain/time';
import { useApi } from '../../api/use-api';
import { Link } from '../../app/router';
import { format, formatDate, t } from '../../i18n/strings';
import { dayDescription, MonthCalendar, monthDaysPath } from '../../ui/MonthCalendar';
import { ErrorView } from '../../ui/states';

/** The month calendar of My diary: navigable months, and the entries of the day chosen. */
export function DiaryCalendar({
  patientId,
  today,
  firstDay,
}: {
  patientId: string;
  today: string;
  firstDay: string | null;
}) {
  const m = t.insight.myDiary;
  const [month, setMonth] = useState(monthOf(today));
  const [selected, setSelected] = useState<string>();
  const days = useApi<{ items: CalendarDay[] }>(monthDaysPath(patientId, month));
  // While another month loads, the previous month's days are not shown in its place.
  const items = days.data?.items.filter((d) => monthOf(d.date) === month) ?? [];
  const chosen = selected && monthOf(selected) === month ? selected : undefined;
  const chosenDay = chosen ? items.find((d) => d.date === chosen) : undefined;
  const earliest = firstDay === null ? monthOf(today) : monthOf(firstDay < today ? firstDay : today);
  return (
    <section className="card insight-calendar" aria-labelledby="calendar-title" aria-busy={days.loading}>
      <h2 id="calendar-title">{m.calendarTitle}</h2>
      <p className="hint">{m.calendarHint}</p>
      {days.error ? (
        <ErrorView error={days.error} onRetry={days.reload} />
      ) : (
        <MonthCalendar
          month={month}
          days={items}
          today={today}
          onMonthChange={(next) => {
            setMonth(next);
            setSelected(undefined);
          }}
          minMonth={earliest}
          maxMonth={monthOf(today)}
          onSelectDay={setSelected}
          selectedDate={chosen}
        />
      )}
      {chosen && (
        <div className="day-details" aria-live="polite">
          <h3>{formatDate(chosen, { weekday: 'long', day: 'numeric', month: 'long' })}</h3>
          <p>{dayDescription(chosenDay, chosen, today)}</p>
          {chosenDay && chosenDay.attackIds.length > 0 && (
            <ul>
              {chosenDay.attackIds.map((id, i) => (
                <li key={id}>
                  <Link to={`/attacks/${encodeURIComponent(id)}`}>{format(m.attackLink, { n: i + 1 })}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
