import type { AnalysisConfig } from './config.js';
import type { ScheduledVisit } from './follow-up.js';
import { medicationOveruse, recentOveruse, type OveruseLevel } from './medication-overuse.js';
import type { MonthSummary } from './periods.js';
import type { ProcedureOutcome, VisitOutcome } from './registry-outcomes.js';
import { addDays, daysBetween, dayNumber, monthOf } from './time.js';

/**
 * The flags of a clinician's patient list, each with the numbers behind it. Every flag applies a
 * rule defined elsewhere in the domain; only which stretch of time it looks at is decided here
 * (docs/clinical-rules.md, "Patient list flags"):
 *
 * - follow-up overdue: a visit of a procedure's follow-up schedule is overdue (follow-up.ts);
 * - medication overuse: the ICHD-3 8.2 thresholds (medication-overuse.ts) are met in a recent
 *   month (`recentOveruse`: the current calendar month so far or the month before), as the
 *   patient's own warning says;
 * - worsening after a procedure: at the latest visit of the latest procedure whose diary window
 *   has ended and is sufficient, Guyuron's worsening, a ≥ 10 % rise in MHI (Guyuron & Pourtaheri,
 *   PRS 2019;143:877; outcomes.ts, `compareWindow`). No source defines worsening by monthly
 *   migraine days, so a rise in MMD alone does not flag;
 * - diary compliance low: fewer recorded days in the last 28 days than the compliance rule of
 *   every period summary asks (80 %, `AnalysisConfig.complianceThreshold`).
 */

export const PATIENT_FLAGS = ['follow-up-overdue', 'medication-overuse', 'worsening', 'low-compliance'] as const;
export type PatientFlagName = (typeof PATIENT_FLAGS)[number];

/** Where a patient stands with procedures, from the latest one's follow-up schedule. */
export const PATIENT_STATUSES = ['no-procedure', 'procedure-planned', 'in-follow-up', 'follow-up-ended'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export interface PatientFlagConfig {
  /** Days the compliance flag looks back over, today included (28: one diary period). */
  complianceDays: number;
}

export const DEFAULT_PATIENT_FLAG_CONFIG: PatientFlagConfig = { complianceDays: 28 };

/** One procedure's follow-up schedule as of today. */
export interface ProcedureSchedule {
  procedureId: string;
  procedureDate: string;
  visits: readonly ScheduledVisit[];
}

export interface OverdueVisit {
  procedureId: string;
  procedureDate: string;
  visitId: string;
  label: string;
  dueDate: string;
  /** The last day of the visit's window. */
  closes: string;
  /** Days since the window closed. */
  daysOverdue: number;
  /** Instruments not done. */
  missing: string[];
}

export interface FollowUpOverdueFlag {
  flag: 'follow-up-overdue';
  /** Every overdue visit, the longest overdue first. */
  visits: OverdueVisit[];
}

export interface OveruseEvidence {
  /** ICHD-3 code (8.2.1 … 8.2.6) and name of the rule. */
  code: string;
  name: string;
  /** Days of the class (or classes) in the month, and the rule's threshold. */
  days: number;
  thresholdDays: number;
  /** "risk" at the threshold; "meets-criteria" once it has held for more than 3 months with ≥ 15 headache days. */
  level: OveruseLevel;
}

export interface MedicationOveruseFlag {
  flag: 'medication-overuse';
  /** The latest month at a threshold (`YYYY-MM`). */
  month: string;
  /** True when that month is the current one (counted up to today). */
  monthInProgress: boolean;
  headacheDays: number;
  rules: OveruseEvidence[];
}

export interface WorseningFlag {
  flag: 'worsening';
  procedureId: string;
  procedureDate: string;
  visitId: string;
  label: string;
  baselineMmd: number;
  mmd: number;
  mmdChange: number;
  /** MHI change from baseline in percent (at least +10); null from a baseline MHI of 0. */
  mhiPercentChange: number | null;
}

export interface LowComplianceFlag {
  flag: 'low-compliance';
  from: string;
  to: string;
  recordedDays: number;
  days: number;
  compliance: number;
  /** The share of recorded days asked for. */
  threshold: number;
}

export type PatientFlag = FollowUpOverdueFlag | MedicationOveruseFlag | WorseningFlag | LowComplianceFlag;

/** Visits overdue in any procedure's schedule (`followUpSchedule` status `overdue`). */
export function followUpOverdueFlag(
  schedules: readonly ProcedureSchedule[],
  today: string,
): FollowUpOverdueFlag | null {
  const visits: OverdueVisit[] = [];
  for (const s of schedules) {
    for (const v of s.visits) {
      if (v.status !== 'overdue') continue;
      visits.push({
        procedureId: s.procedureId,
        procedureDate: s.procedureDate,
        visitId: v.visitId,
        label: v.label,
        dueDate: v.dueDate,
        closes: v.closes,
        daysOverdue: daysBetween(v.closes, today),
        missing: v.instruments.filter((i) => i.status !== 'done').map((i) => i.instrument),
      });
    }
  }
  if (visits.length === 0) return null;
  visits.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.procedureId < b.procedureId ? -1 : 1));
  return { flag: 'follow-up-overdue', visits };
}

/**
 * ICHD-3 8.2 (medication-overuse.ts) over the patient's month summaries, ascending and up to the
 * current month: flagged when a rule's threshold is met in a recent month (`recentOveruse`; the
 * current one counted up to today, a month in progress can only add days). The level needs the
 * `sustainedMonths` months before, so pass at least those.
 */
export function medicationOveruseFlag(
  months: readonly MonthSummary[],
  today: string,
  cfg: AnalysisConfig,
): MedicationOveruseFlag | null {
  const current = monthOf(today);
  const rules = recentOveruse(
    medicationOveruse(
      months.filter((m) => m.month <= current),
      cfg,
    ),
    today,
  );
  let latest: string | null = null;
  for (const r of rules) for (const m of r.months) if (latest === null || m.month > latest) latest = m.month;
  if (latest === null) return null;
  const evidence: OveruseEvidence[] = [];
  let headacheDays = 0;
  for (const r of rules) {
    const m = r.months.find((x) => x.month === latest);
    if (!m) continue;
    headacheDays = m.headacheDays;
    evidence.push({ code: r.code, name: r.name, days: m.days, thresholdDays: r.thresholdDays, level: m.level });
  }
  return {
    flag: 'medication-overuse',
    month: latest,
    monthInProgress: latest === current,
    headacheDays,
    rules: evidence,
  };
}

/**
 * Worsening after the latest procedure, from its outcome's visits (`procedureOutcome`): the
 * latest visit whose window is `complete` (ended, sufficient, with a sufficient baseline) decides.
 * Worse is Guyuron's worsening, MHI up ≥ 10 % (Guyuron & Pourtaheri, PRS 2019;143:877); an
 * earlier visit that was worse but has since been followed by a better one no longer flags.
 */
export function worseningFlag(
  procedureId: string,
  outcome: Pick<ProcedureOutcome, 'procedureDate' | 'baseline' | 'visits'>,
): WorseningFlag | null {
  const baselineMmd = outcome.baseline.mmd;
  if (baselineMmd === null) return null;
  let latest: VisitOutcome | undefined;
  for (const v of outcome.visits) {
    if (v.status !== 'complete' || v.mmd === null || v.mmdChange === null) continue;
    if (latest === undefined || v.diaryPeriods.to > latest.diaryPeriods.to) latest = v;
  }
  if (latest === undefined || latest.mmd === null || latest.mmdChange === null) return null;
  if (latest.guyuron.worsening !== true) return null;
  return {
    flag: 'worsening',
    procedureId,
    procedureDate: outcome.procedureDate,
    visitId: latest.visitId,
    label: latest.label,
    baselineMmd,
    mmd: latest.mmd,
    mmdChange: latest.mmdChange,
    mhiPercentChange: latest.mhiPercentChange,
  };
}

/** The days `[from, to]` the compliance flag looks at, ending today. */
export function complianceWindow(
  today: string,
  flags: PatientFlagConfig = DEFAULT_PATIENT_FLAG_CONFIG,
): { from: string; to: string } {
  return { from: addDays(today, -(flags.complianceDays - 1)), to: today };
}

/**
 * Recorded days within `[from, to]`: days covered by at least one entry's span (an attack's days,
 * a daily record's or a medication's day), each day once.
 */
export function recordedDaysIn(spans: ReadonlyArray<{ from: string; to: string }>, from: string, to: string): number {
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) return 0;
  const covered = new Uint8Array(last - first + 1);
  for (const s of spans) {
    const a = Math.max(first, dayNumber(s.from));
    const b = Math.min(last, dayNumber(s.to));
    for (let d = a; d <= b; d++) covered[d - first] = 1;
  }
  return covered.reduce((n, c) => n + c, 0);
}

/**
 * Low diary compliance: the share of recorded days in the window below the compliance threshold
 * of every period summary (`summaryFromCounts`: 23 of 28 days pass at 80 %, 22 do not).
 */
export function lowComplianceFlag(
  recordedDays: number,
  today: string,
  cfg: AnalysisConfig,
  flags: PatientFlagConfig = DEFAULT_PATIENT_FLAG_CONFIG,
): LowComplianceFlag | null {
  const { from, to } = complianceWindow(today, flags);
  const compliance = recordedDays / flags.complianceDays;
  if (compliance >= cfg.complianceThreshold) return null;
  return {
    flag: 'low-compliance',
    from,
    to,
    recordedDays,
    days: flags.complianceDays,
    compliance,
    threshold: cfg.complianceThreshold,
  };
}

/**
 * The patient's status from the latest procedure's schedule: none recorded; dated after today
 * (planned); in follow-up until the window of its last visit closes; then follow-up ended.
 */
export function patientStatus(latest: ProcedureSchedule | null, today: string): PatientStatus {
  if (latest === null) return 'no-procedure';
  if (latest.procedureDate > today) return 'procedure-planned';
  let lastCloses = latest.procedureDate;
  for (const v of latest.visits) if (v.closes > lastCloses) lastCloses = v.closes;
  return today <= lastCloses ? 'in-follow-up' : 'follow-up-ended';
}
