import type { AnalysisConfig } from './config.js';
import { OVERUSE_CLASSES } from './config.js';
import type { DerivedAttack, DiaryDays } from './days.js';
import { ACUTE_MEDICATION_CLASSES, MIGRAINE_SPECIFIC_CLASSES, type AcuteMedicationClass } from './medications.js';
import { addDays, dayNumber, eachDate, firstDayOfMonth, lastDayOfMonth, monthOf, nextMonth } from './time.js';

/**
 * Counts over a run of local days. Rates are normalised to 28 days as count × 28 / recorded days
 * (clinical-reference §2; Di Tanna et al., BMC Med Res Methodol 2019), and only when the share of
 * recorded days reaches the compliance threshold: a period below it is "insufficient" and keeps
 * its raw counts, never a scaled rate.
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

const OVERUSE_CLASS_SET: ReadonlySet<AcuteMedicationClass> = new Set(OVERUSE_CLASSES);

/** Attacks grouped by start date, for period look-ups. */
export function attacksByStartDate(attacks: readonly DerivedAttack[]): Map<string, DerivedAttack[]> {
  const m = new Map<string, DerivedAttack[]>();
  for (const a of attacks) {
    const list = m.get(a.startDate);
    if (list) list.push(a);
    else m.set(a.startDate, [a]);
  }
  return m;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

function zeroClasses(): Record<AcuteMedicationClass, number> {
  return Object.fromEntries(ACUTE_MEDICATION_CLASSES.map((c) => [c, 0])) as Record<AcuteMedicationClass, number>;
}

export function summarisePeriod(
  days: DiaryDays,
  byStart: ReadonlyMap<string, DerivedAttack[]>,
  start: string,
  end: string,
  today: string,
  cfg: AnalysisConfig,
): PeriodSummary {
  const lastDay = end < today ? end : today;
  const s: PeriodSummary = {
    start,
    end,
    days: Math.max(0, dayNumber(lastDay) - dayNumber(start) + 1),
    recordedDays: 0,
    compliance: 0,
    sufficient: false,
    headacheDays: 0,
    migraineDays: 0,
    migraineDaysUndetermined: 0,
    moderateSevereHeadacheDays: 0,
    acuteMedicationDays: 0,
    migraineSpecificMedicationDays: 0,
    medicationDaysByClass: zeroClasses(),
    overuseClassDays: 0,
    overuseClassesUsed: 0,
    migraineLikeDays: 0,
    migraineLikeDaysUndetermined: 0,
    tensionTypeLikeDays: 0,
    attacks: 0,
    migraineAttacks: 0,
    meanPeakIntensity: null,
    meanDurationHours: null,
    painRatedDays: 0,
    meanDailyPain: null,
    per28: null,
  };
  const peaks: number[] = [];
  const durations: number[] = [];
  const pains: number[] = [];
  const classesUsed = new Set<AcuteMedicationClass>();
  // Entries dated after "now" are outside the analysis, like the days they fall on.
  for (const date of eachDate(start, lastDay)) {
    for (const a of byStart.get(date) ?? []) {
      s.attacks++;
      if (a.migraine === true) s.migraineAttacks++;
      if (a.peakNrs !== null) peaks.push(a.peakNrs);
      if (a.durationMinutes !== null) durations.push(a.durationMinutes / 60);
    }
    const d = days.byDate.get(date);
    if (!d?.recorded) continue;
    s.recordedDays++;
    if (d.pain !== null) pains.push(d.pain);
    if (d.headache) s.headacheDays++;
    if (d.migraine === true) s.migraineDays++;
    if (d.migraine === null) s.migraineDaysUndetermined++;
    if (d.moderateSevere) s.moderateSevereHeadacheDays++;
    if (d.migraineLike === true) s.migraineLikeDays++;
    if (d.migraineLike === null) s.migraineLikeDaysUndetermined++;
    if (d.tensionTypeLike) s.tensionTypeLikeDays++;
    if (d.medicationClasses.size > 0) s.acuteMedicationDays++;
    let specific = false;
    let overuse = false;
    for (const c of d.medicationClasses) {
      s.medicationDaysByClass[c]++;
      if (MIGRAINE_SPECIFIC_CLASSES.has(c)) specific = true;
      if (OVERUSE_CLASS_SET.has(c)) {
        overuse = true;
        classesUsed.add(c);
      }
    }
    if (specific) s.migraineSpecificMedicationDays++;
    if (overuse) s.overuseClassDays++;
  }
  s.overuseClassesUsed = classesUsed.size;
  s.meanPeakIntensity = mean(peaks);
  s.meanDurationHours = mean(durations);
  s.painRatedDays = pains.length;
  s.meanDailyPain = mean(pains);
  s.compliance = s.days === 0 ? 0 : s.recordedDays / s.days;
  s.sufficient = s.days > 0 && s.recordedDays > 0 && s.compliance >= cfg.complianceThreshold;
  if (s.sufficient) {
    const k = 28 / s.recordedDays;
    s.per28 = {
      headacheDays: s.headacheDays * k,
      migraineDays: s.migraineDays * k,
      moderateSevereHeadacheDays: s.moderateSevereHeadacheDays * k,
      acuteMedicationDays: s.acuteMedicationDays * k,
      migraineSpecificMedicationDays: s.migraineSpecificMedicationDays * k,
      attacks: s.attacks * k,
      migraineAttacks: s.migraineAttacks * k,
    };
  }
  return s;
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
