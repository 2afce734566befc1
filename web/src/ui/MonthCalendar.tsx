import { useId } from 'react';
import type { CalendarDay } from '../../../src/domain/calendar-days';
import {
  addDays,
  dayNumber,
  firstDayOfMonth,
  lastDayOfMonth,
  nextMonth,
  previousMonth,
} from '../../../src/domain/time';
import { format, formatDate, formatNumber, t } from '../i18n/strings';
import './calendar.css';

/** What a day cell shows: its colour class and the words of its label. */
export type DayCategory = 'future' | 'not-recorded' | 'none' | 'mild' | 'moderate' | 'severe' | 'unknown';

export interface MonthCalendarProps {
  /** `YYYY-MM`. */
  month: string;
  /** Days of (at least) the month; a day missing here is "nothing recorded". */
  days: readonly CalendarDay[];
  /** The patient's local date: later days read "not yet" instead of "nothing recorded". */
  today?: string;
  /** Small cells and no buttons, for the printed one-page report. */
  compact?: boolean;
  /** Shows previous/next buttons that call this with the new `YYYY-MM`. */
  onMonthChange?: (month: string) => void;
  /** Bounds of the navigation (`YYYY-MM`, inclusive). */
  minMonth?: string;
  maxMonth?: string;
  /** Makes each day a button (e.g. to show its entries). */
  onSelectDay?: (date: string) => void;
  selectedDate?: string;
  /** Hides the key below the grid (e.g. when several calendars share one). */
  hideLegend?: boolean;
}

/** The `from`/`to` query of a month for `GET /patients/:patientId/days`. */
export function monthDaysPath(patientId: string, month: string): string {
  return `/patients/${encodeURIComponent(patientId)}/days?from=${firstDayOfMonth(month)}&to=${lastDayOfMonth(month)}`;
}

export function dayCategory(day: CalendarDay | undefined, date: string, today?: string): DayCategory {
  if (today !== undefined && date > today) return 'future';
  if (!day || !day.recorded) return 'not-recorded';
  if (!day.headache) return 'none';
  if (day.intensityLevel === null || day.intensityLevel === 'none') return 'unknown';
  return day.intensityLevel;
}

const STATE_TEXT: Record<DayCategory, string> = {
  future: t.insight.calendar.state.future,
  'not-recorded': t.insight.calendar.state.notRecorded,
  none: t.insight.calendar.state.none,
  mild: t.insight.calendar.state.mild,
  moderate: t.insight.calendar.state.moderate,
  severe: t.insight.calendar.state.severe,
  unknown: t.insight.calendar.state.unknown,
};

/** "moderate headache, migraine day, acute medication taken". */
export function dayDescription(day: CalendarDay | undefined, date: string, today?: string): string {
  const c = t.insight.calendar;
  const category = dayCategory(day, date, today);
  const parts = [category === 'none' && day?.confirmedHeadacheFree ? c.state.confirmedFree : STATE_TEXT[category]];
  if (day && category !== 'future') {
    if (day.headache && day.migraine === true) parts.push(c.migraine);
    if (day.aura) parts.push(c.aura);
    if (day.acuteMedication) parts.push(c.medication);
    if (day.pain !== null) parts.push(format(c.painRating, { pain: formatNumber(day.pain) }));
  }
  return parts.join(', ');
}

/** "3 November: moderate headache, migraine day, acute medication taken". */
export function dayLabel(day: CalendarDay | undefined, date: string, today?: string): string {
  return format(t.insight.calendar.dayLabel, {
    date: formatDate(date, { day: 'numeric', month: 'long' }),
    state: dayDescription(day, date, today),
  });
}

/** Dots that repeat the intensity in shape, so that colour is not the only cue (WCAG 1.4.1). */
const MARK: Record<DayCategory, string> = {
  future: '',
  'not-recorded': '',
  none: '✓',
  mild: '●',
  moderate: '●●',
  severe: '●●●',
  unknown: '?',
};

function PillIcon() {
  return (
    <svg className="cal-pill" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <rect x="1.5" y="5" width="13" height="6" rx="3" transform="rotate(-35 8 8)" fill="currentColor" />
      <line x1="8" y1="4" x2="8" y2="12" transform="rotate(-35 8 8)" stroke="var(--cal-pill-line)" strokeWidth="1.4" />
    </svg>
  );
}

/**
 * A month of local days coloured by headache intensity, acute-medication days marked with a pill,
 * "nothing recorded" (dashed, empty) apart from "no headache" (tick). A table with weekday column
 * headers and week row headers; each day carries its whole description for screen readers.
 */
export function MonthCalendar(props: MonthCalendarProps) {
  const { month, days, today, compact = false, onMonthChange, minMonth, maxMonth, onSelectDay, selectedDate } = props;
  const c = t.insight.calendar;
  const captionId = useId();
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = firstDayOfMonth(month);
  const last = lastDayOfMonth(month);
  // Weeks start on Monday: 1970-01-01 (day 0) was a Thursday.
  const weekday = (date: string) => (((dayNumber(date) + 3) % 7) + 7) % 7;
  const weeks: (string | null)[][] = [];
  let week: (string | null)[] = Array.from({ length: weekday(first) }, () => null);
  for (let date = first; date <= last; date = addDays(date, 1)) {
    week.push(date);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);

  const monthName = (m: string) => formatDate(firstDayOfMonth(m), { month: 'long', year: 'numeric' });
  const prev = previousMonth(month);
  const next = nextMonth(month);
  const canPrev = minMonth === undefined || prev >= minMonth;
  const canNext = maxMonth === undefined || next <= maxMonth;

  return (
    <div className={compact ? 'month-calendar compact' : 'month-calendar'}>
      {onMonthChange && !compact && (
        <nav className="cal-nav no-print" aria-label={c.navigation}>
          <button
            type="button"
            onClick={() => onMonthChange(prev)}
            disabled={!canPrev}
            aria-label={format(c.previous, { month: monthName(prev) })}
          >
            <span aria-hidden="true">‹</span>
          </button>
          <span className="cal-nav-month" aria-live="polite">
            {monthName(month)}
          </span>
          <button
            type="button"
            onClick={() => onMonthChange(next)}
            disabled={!canNext}
            aria-label={format(c.next, { month: monthName(next) })}
          >
            <span aria-hidden="true">›</span>
          </button>
        </nav>
      )}
      <table className="cal-grid" aria-labelledby={captionId}>
        <caption id={captionId} className={onMonthChange && !compact ? 'visually-hidden' : undefined}>
          {monthName(month)}
        </caption>
        <thead>
          <tr>
            <td className="cal-corner" />
            {c.weekdays.map((name, i) => (
              <th key={name} scope="col" abbr={c.weekdaysLong[i]}>
                {compact ? name.slice(0, 1) : name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => {
            const start = w.find((d) => d !== null)!;
            return (
              <tr key={start}>
                <th scope="row" className="cal-week">
                  <span className="visually-hidden">
                    {format(c.weekOf, { date: formatDate(start, { day: 'numeric', month: 'long' }) })}
                  </span>
                </th>
                {w.map((date, i) => {
                  if (date === null) return <td key={`empty-${i}`} className="cal-day cal-outside" />;
                  const day = byDate.get(date);
                  const category = dayCategory(day, date, today);
                  const label = dayLabel(day, date, today);
                  const medication = category !== 'future' && day?.acuteMedication === true;
                  const content = (
                    <>
                      <span className="cal-date" aria-hidden="true">
                        {Number(date.slice(8, 10))}
                      </span>
                      {medication && <PillIcon />}
                      <span className="cal-mark" aria-hidden="true">
                        {MARK[category]}
                      </span>
                    </>
                  );
                  const classes = [
                    'cal-day',
                    `cal-${category}`,
                    medication ? 'cal-medication' : '',
                    date === today ? 'cal-today' : '',
                    date === selectedDate ? 'cal-selected' : '',
                  ].filter(Boolean);
                  return (
                    <td key={date} className={classes.join(' ')} data-date={date} data-category={category}>
                      {onSelectDay && !compact ? (
                        <button
                          type="button"
                          className="cal-button"
                          aria-label={label}
                          aria-pressed={date === selectedDate}
                          onClick={() => onSelectDay(date)}
                        >
                          {content}
                        </button>
                      ) : (
                        <>
                          {content}
                          <span className="visually-hidden">{label}</span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!props.hideLegend && <CalendarLegend compact={compact} />}
    </div>
  );
}

/** The key of the calendar's colours and marks. */
export function CalendarLegend({ compact = false }: { compact?: boolean }) {
  const l = t.insight.calendar.legend;
  const items: { category: DayCategory; text: string }[] = [
    { category: 'not-recorded', text: l.notRecorded },
    { category: 'none', text: l.none },
    { category: 'mild', text: l.mild },
    { category: 'moderate', text: l.moderate },
    { category: 'severe', text: l.severe },
    { category: 'unknown', text: l.unknown },
  ];
  return (
    <div className={compact ? 'cal-legend compact' : 'cal-legend'}>
      <p className="visually-hidden">{t.insight.calendar.legendTitle}</p>
      <ul>
        {items.map((item) => (
          <li key={item.category}>
            <span className={`cal-swatch cal-${item.category}`} aria-hidden="true">
              <span className="cal-mark">{MARK[item.category]}</span>
            </span>
            {item.text}
          </li>
        ))}
        <li>
          <span className="cal-swatch cal-none cal-medication" aria-hidden="true">
            <PillIcon />
          </span>
          {l.medication}
        </li>
      </ul>
    </div>
  );
}
