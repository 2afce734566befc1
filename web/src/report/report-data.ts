import type { DiaryAnalysis } from '../../../src/domain/analysis';
import type { MedicationOveruse } from '../../../src/domain/medication-overuse';
import { latestInWindow, visitWindow } from '../../../src/domain/follow-up';
import { mmdChangeFrom } from '../../../src/domain/outcomes';
import type { MonthSummary, Period28Summary, PeriodSummary } from '../../../src/domain/periods';
import type { QuestionnaireScore } from '../../../src/domain/questionnaires';
import { DEFAULT_SITE_SETTINGS, type FollowUpVisit } from '../../../src/domain/site-settings';

/**
 * The figures of the doctor-visit report, taken from the diary analysis (src/domain/analysis.ts)
 * without recounting anything: the baseline period, the last complete 28-day period, their
 * change, the latest MIDAS and HIT-6 against baseline, the last months and medication overuse.
 */

/** `GET /patients/:id`: the fields the report shows. */
export interface PatientView {
  id: string;
  siteId: string;
  displayName: string;
  birthYear: number | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  timeZone: string;
  conditions: string[];
  referenceDate: string | null;
}

/** `GET /patients/:id/procedures`: one item (its body under `data`). */
export interface ProcedureView {
  id: string;
  data: { date: string; type?: string };
}

/**
 * Where the baseline comes from: the 28 days before the latest procedure, before the patient's
 * reference date when no procedure is recorded, or the first 28 days from the first recorded day
 * when there is neither.
 */
export type BaselineKind = 'procedure' | 'reference' | 'first-days';

export interface ReportBaseline {
  kind: BaselineKind;
  /** The procedure or reference date (null for the first recorded days). */
  date: string | null;
  summary: PeriodSummary;
}

export interface ScoreChange {
  baseline: QuestionnaireScore | null;
  latest: QuestionnaireScore | null;
  /** latest − baseline, when both exist. */
  change: number | null;
}

export interface ReportFigures {
  baseline: ReportBaseline | null;
  /** The last 28-day period that has ended after the baseline; null while none has. */
  recent: Period28Summary | null;
  mmdChange: number | null;
  mmdPercentChange: number | null;
  midas: ScoreChange;
  hit6: ScoreChange;
  /** The last calendar months of the diary, oldest first. */
  months: MonthSummary[];
  /** Medication-overuse rules reached in the months shown, with those months only. */
  overuse: MedicationOveruse[];
}

export const REPORT_MONTHS = 6;

/** The latest procedure on or before `today`: the visit is about the most recent one. */
export function latestProcedureDate(procedures: readonly ProcedureView[], today: string): string | null {
  let latest: string | null = null;
  for (const p of procedures) {
    const date = p.data.date;
    if (date <= today && (latest === null || date > latest)) latest = date;
  }
  return latest;
}

/** MMD: migraine days per 28 days; null when the period's diary is not sufficient (docs/clinical-rules.md, Periods). */
export const mmdOf = (summary: PeriodSummary | null | undefined): number | null => summary?.per28?.migraineDays ?? null;

function baselineOf(analysis: DiaryAnalysis, procedureDate: string | null): ReportBaseline | null {
  if (analysis.outcomes !== null) {
    const { referenceDate } = analysis.outcomes;
    return {
      kind: referenceDate === procedureDate ? 'procedure' : 'reference',
      date: referenceDate,
      summary: analysis.outcomes.baseline.summary,
    };
  }
  // Without a reference date the periods start on the first recorded day (src/domain/analysis.ts).
  const first = analysis.periods28.find((p) => p.index === 1);
  if (first === undefined || analysis.periodAnchor !== analysis.span.first) return null;
  return { kind: 'first-days', date: null, summary: first };
}

/** The window of a follow-up schedule's baseline visit (0 months), around the procedure date. */
export type BaselineVisitWindow = Pick<FollowUpVisit, 'months' | 'windowBeforeDays' | 'windowAfterDays'>;

/**
 * Where the baseline visit's window comes from: the site's follow-up schedule (read by a
 * clinician, as the clinic's outcome table uses it) or Relief's default schedule (a patient cannot
 * read site settings).
 */
export interface BaselineSchedule {
  source: 'site' | 'default';
  visit: BaselineVisitWindow;
}

/** The baseline visit of a follow-up schedule; the default schedule's when it has none. */
export function baselineSchedule(followUp: readonly FollowUpVisit[] | null): BaselineSchedule {
  const own = followUp?.find((v) => v.months === 0);
  if (own) return { source: 'site', visit: own };
  const visit = DEFAULT_SITE_SETTINGS.followUp.find((v) => v.months === 0)!;
  return { source: 'default', visit };
}

/**
 * MIDAS or HIT-6 at baseline and now. With a reference date, the baseline is the latest response
 * in the baseline visit's window (docs/clinical-rules.md, "Registry outcomes and follow-up") and
 * "latest" the latest response after it; without one, the first response against the latest.
 */
export function scoreChange(
  scores: readonly QuestionnaireScore[],
  instrument: 'MIDAS' | 'HIT-6',
  referenceDate: string | null,
  asOf: string,
  baselineVisit: BaselineVisitWindow = baselineSchedule(null).visit,
): ScoreChange {
  const own = scores
    .filter((s) => s.instrument === instrument && s.date <= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let baseline: QuestionnaireScore | null;
  let latest: QuestionnaireScore | null;
  if (referenceDate !== null) {
    const { opens, closes } = visitWindow(referenceDate, baselineVisit);
    baseline = latestInWindow(own, instrument, opens, closes) ?? null;
    latest = own.filter((s) => s.date > closes).at(-1) ?? null;
  } else {
    baseline = own[0] ?? null;
    latest = own.length > 1 ? own.at(-1)! : null;
  }
  const change = baseline !== null && latest !== null ? latest.score - baseline.score : null;
  return { baseline, latest, change };
}

/**
 * Everything the report shows, from one analysis anchored on `procedureDate` (when there is one);
 * MIDAS and HIT-6 at baseline from the window of `schedule`'s baseline visit.
 */
export function reportFigures(
  analysis: DiaryAnalysis,
  procedureDate: string | null,
  schedule: BaselineSchedule = baselineSchedule(null),
): ReportFigures {
  const baseline = baselineOf(analysis, procedureDate);
  const firstAfterBaseline = baseline?.kind === 'first-days' ? 2 : 1;
  const ended = analysis.periods28.filter((p) => p.index >= firstAfterBaseline && p.end < analysis.asOf);
  const recent = ended.at(-1) ?? null;
  const { mmdChange, mmdPercentChange } = mmdChangeFrom(mmdOf(baseline?.summary), mmdOf(recent));
  const referenceDate = baseline?.kind === 'first-days' ? null : (baseline?.date ?? null);
  const months = analysis.months.slice(-REPORT_MONTHS);
  const shown = new Set(months.map((m) => m.month));
  const overuse = analysis.medicationOveruse
    .map((o) => {
      const inShown = o.months.filter((m) => shown.has(m.month));
      const status = inShown.some((m) => m.level === 'meets-criteria') ? 'meets-criteria' : 'risk';
      return { ...o, status, months: inShown } satisfies MedicationOveruse;
    })
    .filter((o) => o.months.length > 0);
  return {
    baseline,
    recent,
    mmdChange,
    mmdPercentChange,
    midas: scoreChange(analysis.questionnaires, 'MIDAS', referenceDate, analysis.asOf, schedule.visit),
    hit6: scoreChange(analysis.questionnaires, 'HIT-6', referenceDate, analysis.asOf, schedule.visit),
    months,
    overuse,
  };
}
