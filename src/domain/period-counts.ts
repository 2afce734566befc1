import type { AnalysisConfig } from './config.js';
import { OVERUSE_CLASSES } from './config.js';
import type { DerivedAttack, DiaryDays } from './days.js';
import { ACUTE_MEDICATION_CLASSES, MIGRAINE_SPECIFIC_CLASSES, type AcuteMedicationClass } from './medications.js';
import type { PeriodSummary } from './periods.js';
import { dayNumber, eachDate } from './time.js';

/**
 * What a run of diary days adds up to, as sums that can be added: the counts of two adjacent
 * runs, added, are the counts of the whole run. Stored patient-period summaries are these counts,
 * so a follow-up window of several 28-day periods is the sum of its periods' rows, and every rate
 * and mean is derived from the sums exactly as from the diary itself (`summaryFromCounts`).
 */
export interface PeriodCounts {
  recordedDays: number;
  headacheDays: number;
  migraineDays: number;
  migraineDaysUndetermined: number;
  moderateSevereHeadacheDays: number;
  acuteMedicationDays: number;
  migraineSpecificMedicationDays: number;
  medicationDaysByClass: Record<AcuteMedicationClass, number>;
  overuseClassDays: number;
  migraineLikeDays: number;
  migraineLikeDaysUndetermined: number;
  tensionTypeLikeDays: number;
  /**
   * Recorded days with a fully reversible aura (DayFacts.aura). Counts stored before it was
   * counted lack it: unknown, not 0 (`lacksAuraDays`), until `relief verify summaries --repair`.
   */
  auraDays: number;
  /** Attacks counted on their start day, whether or not that day is otherwise recorded. */
  attacks: number;
  migraineAttacks: number;
  peakSum: number;
  peakCount: number;
  durationHoursSum: number;
  durationCount: number;
  painSum: number;
  painCount: number;
  /** Peak intensity and duration (days) of migraine attacks only, for the Migraine Headache Index. */
  migrainePeakSum: number;
  migrainePeakCount: number;
  migraineDurationDaysSum: number;
  migraineDurationCount: number;
}

const NUMERIC_FIELDS = [
  'recordedDays',
  'headacheDays',
  'migraineDays',
  'migraineDaysUndetermined',
  'moderateSevereHeadacheDays',
  'acuteMedicationDays',
  'migraineSpecificMedicationDays',
  'overuseClassDays',
  'migraineLikeDays',
  'migraineLikeDaysUndetermined',
  'tensionTypeLikeDays',
  'auraDays',
  'attacks',
  'migraineAttacks',
  'peakSum',
  'peakCount',
  'durationHoursSum',
  'durationCount',
  'painSum',
  'painCount',
  'migrainePeakSum',
  'migrainePeakCount',
  'migraineDurationDaysSum',
  'migraineDurationCount',
] as const satisfies ReadonlyArray<keyof PeriodCounts>;

const OVERUSE_CLASS_SET: ReadonlySet<AcuteMedicationClass> = new Set(OVERUSE_CLASSES);

export function emptyCounts(): PeriodCounts {
  const c = Object.fromEntries(NUMERIC_FIELDS.map((f) => [f, 0])) as Omit<PeriodCounts, 'medicationDaysByClass'>;
  const byClass = Object.fromEntries(ACUTE_MEDICATION_CLASSES.map((k) => [k, 0])) as Record<
    AcuteMedicationClass,
    number
  >;
  return { ...c, medicationDaysByClass: byClass };
}

/** True when nothing at all was counted (no recorded day, no attack): such a period needs no row. */
export function isEmptyCounts(c: PeriodCounts): boolean {
  return c.recordedDays === 0 && c.attacks === 0;
}

/** True for counts stored before aura days were counted: their `auraDays` is unknown. */
export function lacksAuraDays(c: { auraDays?: number }): boolean {
  return typeof c.auraDays !== 'number';
}

/** The sums of two runs; an unknown `auraDays` (`lacksAuraDays`) makes the sum's unknown too. */
export function addCounts(a: PeriodCounts, b: PeriodCounts): PeriodCounts {
  const out = emptyCounts();
  for (const f of NUMERIC_FIELDS) out[f] = a[f] + b[f];
  for (const k of ACUTE_MEDICATION_CLASSES)
    out.medicationDaysByClass[k] = a.medicationDaysByClass[k] + b.medicationDaysByClass[k];
  if (lacksAuraDays(a) || lacksAuraDays(b)) delete (out as Partial<PeriodCounts>).auraDays;
  return out;
}

export function sumCounts(list: readonly PeriodCounts[]): PeriodCounts {
  return list.reduce(addCounts, emptyCounts());
}

/**
 * `a − b`, field by field: what the counts of a run of days changed by when its diary changed
 * from `b` to `a`. Adding the difference to a period's counts (`addCounts`) gives the counts of
 * the changed period, exactly for every count and up to rounding for the sums of `SUMMED_FIELDS`.
 */
export function subtractCounts(a: PeriodCounts, b: PeriodCounts): PeriodCounts {
  const out = emptyCounts();
  for (const f of NUMERIC_FIELDS) out[f] = a[f] - b[f];
  for (const k of ACUTE_MEDICATION_CLASSES)
    out.medicationDaysByClass[k] = a.medicationDaysByClass[k] - b.medicationDaysByClass[k];
  return out;
}

/** True when every field is 0: adding these counts changes nothing. */
export function isZeroCounts(c: PeriodCounts): boolean {
  return (
    NUMERIC_FIELDS.every((f) => c[f] === 0) && ACUTE_MEDICATION_CLASSES.every((k) => c.medicationDaysByClass[k] === 0)
  );
}

/**
 * The fields that sum values which need not be whole numbers (hours, days, ratings), each with the
 * count of values it sums. Every other field counts days or attacks and is a whole number.
 */
export const SUMMED_FIELDS = [
  ['peakSum', 'peakCount'],
  ['durationHoursSum', 'durationCount'],
  ['painSum', 'painCount'],
  ['migrainePeakSum', 'migrainePeakCount'],
  ['migraineDurationDaysSum', 'migraineDurationCount'],
] as const satisfies ReadonlyArray<readonly [keyof PeriodCounts, keyof PeriodCounts]>;

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

/** Counts the days from `start` to `end` inclusive (the caller cuts `end` at today when it must). */
export function countDays(
  days: DiaryDays,
  byStart: ReadonlyMap<string, DerivedAttack[]>,
  start: string,
  end: string,
): PeriodCounts {
  const c = emptyCounts();
  for (const date of eachDate(start, end)) {
    for (const a of byStart.get(date) ?? []) {
      c.attacks++;
      if (a.peakNrs !== null) {
        c.peakSum += a.peakNrs;
        c.peakCount++;
      }
      if (a.durationMinutes !== null) {
        c.durationHoursSum += a.durationMinutes / 60;
        c.durationCount++;
      }
      if (a.migraine === true) {
        c.migraineAttacks++;
        if (a.peakNrs !== null) {
          c.migrainePeakSum += a.peakNrs;
          c.migrainePeakCount++;
        }
        if (a.durationMinutes !== null) {
          c.migraineDurationDaysSum += a.durationMinutes / 1440;
          c.migraineDurationCount++;
        }
      }
    }
    const d = days.byDate.get(date);
    if (!d?.recorded) continue;
    c.recordedDays++;
    if (d.pain !== null) {
      c.painSum += d.pain;
      c.painCount++;
    }
    if (d.headache) c.headacheDays++;
    if (d.migraine === true) c.migraineDays++;
    if (d.migraine === null) c.migraineDaysUndetermined++;
    if (d.moderateSevere) c.moderateSevereHeadacheDays++;
    if (d.migraineLike === true) c.migraineLikeDays++;
    if (d.migraineLike === null) c.migraineLikeDaysUndetermined++;
    if (d.tensionTypeLike) c.tensionTypeLikeDays++;
    if (d.aura) c.auraDays++;
    if (d.medicationClasses.size > 0) c.acuteMedicationDays++;
    let specific = false;
    let overuse = false;
    for (const k of d.medicationClasses) {
      c.medicationDaysByClass[k]++;
      if (MIGRAINE_SPECIFIC_CLASSES.has(k)) specific = true;
      if (OVERUSE_CLASS_SET.has(k)) overuse = true;
    }
    if (specific) c.migraineSpecificMedicationDays++;
    if (overuse) c.overuseClassDays++;
  }
  return c;
}

const meanOf = (sum: number, n: number): number | null => (n === 0 ? null : sum / n);

/**
 * A period's summary from its counts. Rates are normalised to 28 days as count × 28 / recorded
 * days (clinical-reference §2; Di Tanna et al., BMC Med Res Methodol 2019), and only when the
 * share of recorded days reaches the compliance threshold: a period below it is "insufficient"
 * and keeps its raw counts, never a scaled rate. A period in progress has only its days up to
 * `today`.
 */
export function summaryFromCounts(
  c: PeriodCounts,
  start: string,
  end: string,
  today: string,
  cfg: AnalysisConfig,
): PeriodSummary {
  const lastDay = end < today ? end : today;
  const days = Math.max(0, dayNumber(lastDay) - dayNumber(start) + 1);
  const compliance = days === 0 ? 0 : c.recordedDays / days;
  const sufficient = days > 0 && c.recordedDays > 0 && compliance >= cfg.complianceThreshold;
  const k = sufficient ? 28 / c.recordedDays : 0;
  return {
    start,
    end,
    days,
    recordedDays: c.recordedDays,
    compliance,
    sufficient,
    headacheDays: c.headacheDays,
    migraineDays: c.migraineDays,
    migraineDaysUndetermined: c.migraineDaysUndetermined,
    moderateSevereHeadacheDays: c.moderateSevereHeadacheDays,
    acuteMedicationDays: c.acuteMedicationDays,
    migraineSpecificMedicationDays: c.migraineSpecificMedicationDays,
    medicationDaysByClass: { ...c.medicationDaysByClass },
    overuseClassDays: c.overuseClassDays,
    overuseClassesUsed: OVERUSE_CLASSES.filter((k) => c.medicationDaysByClass[k] > 0).length,
    migraineLikeDays: c.migraineLikeDays,
    migraineLikeDaysUndetermined: c.migraineLikeDaysUndetermined,
    tensionTypeLikeDays: c.tensionTypeLikeDays,
    attacks: c.attacks,
    migraineAttacks: c.migraineAttacks,
    meanPeakIntensity: meanOf(c.peakSum, c.peakCount),
    meanDurationHours: meanOf(c.durationHoursSum, c.durationCount),
    painRatedDays: c.painCount,
    meanDailyPain: meanOf(c.painSum, c.painCount),
    per28: sufficient
      ? {
          headacheDays: c.headacheDays * k,
          migraineDays: c.migraineDays * k,
          moderateSevereHeadacheDays: c.moderateSevereHeadacheDays * k,
          acuteMedicationDays: c.acuteMedicationDays * k,
          migraineSpecificMedicationDays: c.migraineSpecificMedicationDays * k,
          attacks: c.attacks * k,
          migraineAttacks: c.migraineAttacks * k,
        }
      : null,
  };
}
