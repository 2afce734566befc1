import type { AnalysisConfig } from './config.js';
import type { DerivedAttack, DiaryDays } from './days.js';
import type { AcuteMedicationClass } from './medications.js';
import { attacksByStartDate, countDays, summaryFromCounts } from './period-counts.js';
import { addDays, dayNumber, firstDayOfMonth, lastDayOfMonth, monthOf, nextMonth } from './time.js';

/**
 * Summaries over runs of local days: calendar months and 28-day periods. The counting and the
 * normalisation to 28 days live in period-counts.ts.
 */

export interface Per28 {
  headacheDays: number;
  migraineDays: number;
  moderateSevereHeadacheDays: number;
  acuteMedicationDays: number;
  migraineSpecificMedicationDays: number;
  attacks: number;
  migraineAttacks: number;
}

export interface PeriodSummary extends Per28 {
  start: string;
  end: string;
  /** Days of the period that have happened (a period in progress ends today). */
  days: number;
  recordedDays: number;
  compliance: number;
  sufficient: boolean;
  /** Headache days whose type the diary cannot decide (features not recorded). */
  migraineDaysUndetermined: number;
  medicationDaysByClass: Record<AcuteMedicationClass, number>;
  /** Days with any ICHD-3 8.2 class (ergot, triptan, non-opioid, opioid, combination). */
  overuseClassDays: number;
  /** Distinct 8.2 classes taken in the period. */
  overuseClassesUsed: number;
  migraineLikeDays: number;
  migraineLikeDaysUndetermined: number;
  tensionTypeLikeDays: number;
  meanPeakIntensity: number | null;
  meanDurationHours: number | null;
  /** Daily 0–10 neuropathic pain: days rated and their mean. */
  painRatedDays: number;
  meanDailyPain: number | null;
  /** Counts × 28 / recorded days; null when the period is insufficient or has no recorded day. */
  per28: Per28 | null;
}

export interface MonthSummary extends PeriodSummary {
  month: string;
}

export interface Period28Summary extends PeriodSummary {
  /** 1 is the 28 days from the reference date; 0 the 28 days before it. */
  index: number;
}

export { attacksByStartDate } from './period-counts.js';

/** Summary of the days from `start` to `end`, counting only days up to `today`. */
export function summarisePeriod(
  days: DiaryDays,
  byStart: ReadonlyMap<string, DerivedAttack[]>,
  start: string,
  end: string,
  today: string,
  cfg: AnalysisConfig,
): PeriodSummary {
  // Entries dated after "now" are outside the analysis, like the days they fall on.
  const lastDay = end < today ? end : today;
  return summaryFromCounts(countDays(days, byStart, start, lastDay), start, end, today, cfg);
}

/** The diary's recorded span up to today, or null when nothing was recorded by then. */
export function spanUntil(days: DiaryDays, today: string): { first: string; last: string } | null {
  if (days.first === null || days.last === null || days.first > today) return null;
  return { first: days.first, last: days.last < today ? days.last : today };
}

/** One summary per calendar month from the first to the last recorded day (up to today). */
export function monthlySummaries(days: DiaryDays, today: string, cfg: AnalysisConfig): MonthSummary[] {
  const span = spanUntil(days, today);
  if (span === null) return [];
  const byStart = attacksByStartDate(days.attacks);
  const out: MonthSummary[] = [];
  for (let m = monthOf(span.first), last = monthOf(span.last); m <= last; m = nextMonth(m)) {
    out.push({ month: m, ...summarisePeriod(days, byStart, firstDayOfMonth(m), lastDayOfMonth(m), today, cfg) });
  }
  return out;
}

export function period28Range(anchor: string, index: number): { start: string; end: string } {
  const start = addDays(anchor, (index - 1) * 28);
  return { start, end: addDays(start, 27) };
}

/** 28-day periods anchored on `anchor` (period 1 starts on it), covering the recorded span. */
export function period28Summaries(
  days: DiaryDays,
  anchor: string,
  today: string,
  cfg: AnalysisConfig,
): Period28Summary[] {
  const span = spanUntil(days, today);
  if (span === null) return [];
  const byStart = attacksByStartDate(days.attacks);
  const indexOf = (date: string): number => Math.floor((dayNumber(date) - dayNumber(anchor)) / 28) + 1;
  const out: Period28Summary[] = [];
  for (let i = indexOf(span.first), last = indexOf(span.last); i <= last; i++) {
    const { start, end } = period28Range(anchor, i);
    out.push({ index: i, ...summarisePeriod(days, byStart, start, end, today, cfg) });
  }
  return out;
}
