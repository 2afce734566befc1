import type { AnalysisConfig } from './config.js';
import { emptyCounts, sumCounts, summaryFromCounts, type PeriodCounts } from './period-counts.js';
import { period28Range } from './periods.js';
import type { FollowUpVisit, Instrument } from './site-settings.js';
import { addDays, lastDayOfMonth } from './time.js';

/**
 * A procedure's follow-up schedule: when each visit is due, the window in which it counts, and
 * which of its instruments are done. The visits and their windows are the site's settings
 * (`DEFAULT_SITE_SETTINGS` in site-settings.ts, documented in docs/clinical-rules.md).
 */

export type InstrumentStatus = 'done' | 'pending' | 'missing';
export type VisitStatus = 'upcoming' | 'due' | 'overdue' | 'completed';

export interface InstrumentState {
  instrument: Instrument;
  status: InstrumentStatus;
  /** The date of the questionnaire that counts (the latest in the window). */
  date?: string;
  /** The diary's share of recorded days over the visit's periods (the diary instrument only). */
  compliance?: number;
}

export interface ScheduledVisit {
  visitId: string;
  label: string;
  months: number;
  dueDate: string;
  opens: string;
  closes: string;
  diaryStart: string;
  diaryEnd: string;
  instruments: InstrumentState[];
  status: VisitStatus;
}

export interface DiaryState {
  /** Every period of the visit has ended (its last day is before today). */
  ended: boolean;
  sufficient: boolean;
  compliance: number;
}

export interface ScheduleInput {
  procedureDate: string;
  visits: readonly FollowUpVisit[];
  today: string;
  questionnaires: ReadonlyArray<{ instrument: string; date: string }>;
  /** The diary over the 28-day periods `from`…`to` (anchored on the procedure date). */
  diary: (from: number, to: number) => DiaryState;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The procedure date plus whole calendar months; a day the month does not have becomes its last
 * day (31 January + 1 month = 29 February in a leap year), as calendars and clinics count months.
 */
export function visitDueDate(procedureDate: string, months: number): string {
  const year = Number(procedureDate.slice(0, 4));
  const monthIndex = Number(procedureDate.slice(5, 7)) - 1 + months;
  const day = Number(procedureDate.slice(8, 10));
  const y = year + Math.floor(monthIndex / 12);
  const month = `${String(y).padStart(4, '0')}-${pad2((((monthIndex % 12) + 12) % 12) + 1)}`;
  const last = Number(lastDayOfMonth(month).slice(8, 10));
  return `${month}-${pad2(Math.min(day, last))}`;
}

/** The visit's due date and the window [opens, closes] in which it counts. */
export function visitWindow(
  procedureDate: string,
  visit: Pick<FollowUpVisit, 'months' | 'windowBeforeDays' | 'windowAfterDays'>,
): { dueDate: string; opens: string; closes: string } {
  const dueDate = visitDueDate(procedureDate, visit.months);
  return {
    dueDate,
    opens: addDays(dueDate, -visit.windowBeforeDays),
    closes: addDays(dueDate, visit.windowAfterDays),
  };
}

/** The latest response of an instrument dated within [opens, closes], if any. */
export function latestInWindow<T extends { instrument: string; date: string }>(
  responses: readonly T[],
  instrument: string,
  opens: string,
  closes: string,
): T | undefined {
  let best: T | undefined;
  for (const r of responses) {
    if (r.instrument !== instrument || r.date < opens || r.date > closes) continue;
    if (best === undefined || r.date >= best.date) best = r;
  }
  return best;
}

/**
 * Every visit of the schedule as of `today`. A questionnaire dated after today is left out, like
 * every entry dated after "now" (docs/clinical-rules.md).
 */
export function followUpSchedule(input: ScheduleInput): ScheduledVisit[] {
  const { procedureDate, today } = input;
  const questionnaires = input.questionnaires.filter((q) => q.date <= today);
  return input.visits.map((visit): ScheduledVisit => {
    const { dueDate, opens, closes } = visitWindow(procedureDate, visit);
    const instruments = visit.instruments.map((instrument): InstrumentState => {
      if (instrument === 'diary') {
        const d = input.diary(visit.diaryPeriods.from, visit.diaryPeriods.to);
        const status: InstrumentStatus = !d.ended ? 'pending' : d.sufficient ? 'done' : 'missing';
        return { instrument, status, compliance: d.compliance };
      }
      const response = latestInWindow(questionnaires, instrument, opens, closes);
      if (response) return { instrument, status: 'done', date: response.date };
      return { instrument, status: today <= closes ? 'pending' : 'missing' };
    });
    let status: VisitStatus;
    if (instruments.every((i) => i.status === 'done')) status = 'completed';
    else if (today < opens) status = 'upcoming';
    else if (today <= closes) status = 'due';
    else status = 'overdue';
    return {
      visitId: visit.id,
      label: visit.label,
      months: visit.months,
      dueDate,
      opens,
      closes,
      diaryStart: period28Range(procedureDate, visit.diaryPeriods.from).start,
      diaryEnd: period28Range(procedureDate, visit.diaryPeriods.to).end,
      instruments,
      status,
    };
  });
}

/**
 * The diary state of periods `from`…`to` from per-period counts (keyed by 28-day period index
 * on the procedure date; a missing period recorded nothing). Sufficiency is the compliance rule
 * of every other summary (`summaryFromCounts`), over the days that have happened.
 */
export function diaryStateFromCounts(
  procedureDate: string,
  today: string,
  counts: ReadonlyMap<number, PeriodCounts>,
  cfg: AnalysisConfig,
): (from: number, to: number) => DiaryState {
  return (from, to) => {
    const start = period28Range(procedureDate, from).start;
    const end = period28Range(procedureDate, to).end;
    const parts: PeriodCounts[] = [];
    for (let i = from; i <= to; i++) parts.push(counts.get(i) ?? emptyCounts());
    const summary = summaryFromCounts(sumCounts(parts), start, end, today, cfg);
    return { ended: end < today, sufficient: summary.sufficient, compliance: summary.compliance };
  };
}
