import type { AttackClassification } from './attack-classification.js';
import { withDefaults, type AnalysisConfig } from './config.js';
import { deriveDays, type DerivedAttack } from './days.js';
import type { Diary } from './diary.js';
import { medicationOveruse, type MedicationOveruse } from './medication-overuse.js';
import { computeOutcomes, type Outcomes } from './outcomes.js';
import { classifyPatient, type PatientClassification } from './patient-classification.js';
import { monthlySummaries, period28Summaries, spanUntil, type MonthSummary, type Period28Summary } from './periods.js';
import { scoreQuestionnaire, type QuestionnaireScore } from './questionnaires.js';
import { dayNumber, localDateAt } from './time.js';
import { analyzeTriggers, type TriggerResult, type TriggerSummary } from './triggers.js';

/** Everything Relief derives from one patient's diary. */
export interface DiaryAnalysis {
  patient: { id: string; timeZone: string; conditions: string[] };
  /** The local date the analysis was made on; later days are not counted as missing. */
  asOf: string;
  span: { first: string | null; last: string | null; days: number; recordedDays: number; compliance: number };
  months: MonthSummary[];
  /** Anchor of the 28-day periods: the reference date, or the first recorded day. */
  periodAnchor: string | null;
  periods28: Period28Summary[];
  attacks: AttackResult[];
  classification: PatientClassification;
  medicationOveruse: MedicationOveruse[];
  outcomes: Outcomes | null;
  questionnaires: QuestionnaireScore[];
  /** Personal trigger analysis: each factor at lag 1 and lag 0 (triggers.ts). */
  triggers: TriggerResult[];
  /** The at-risk days, onsets and factors behind `triggers`. */
  triggerAnalysis: TriggerSummary;
  warnings: string[];
  config: AnalysisConfig;
}

export interface AttackResult {
  id: string;
  source: DerivedAttack['source'];
  startDate: string;
  endDate: string;
  ongoing: boolean;
  durationHours: number | null;
  peakIntensity: number | null;
  migraine: boolean | null;
  classification: AttackClassification | null;
}

export interface AnalyzeOptions {
  /** The moment of analysis, in epoch milliseconds. */
  now: number;
  referenceDate?: string;
  config?: Partial<AnalysisConfig>;
}

export function analyzeDiary(diary: Diary, options: AnalyzeOptions): DiaryAnalysis {
  const cfg = withDefaults(options.config);
  const asOf = localDateAt(options.now, diary.patient.timeZone);
  const days = deriveDays(diary, cfg, options.now);
  const months = monthlySummaries(days, asOf, cfg);
  const referenceDate = options.referenceDate ?? diary.referenceDate;
  // Entries dated after "now" are outside the analysis.
  const span = spanUntil(days, asOf);
  const periodAnchor = referenceDate ?? span?.first ?? null;
  const attacks = days.attacks.filter((a) => span !== null && a.startDate <= span.last);
  const overuse = medicationOveruse(months, cfg);

  let recordedDays = 0;
  const warnings: string[] = [];
  for (const d of days.byDate.values()) {
    if (span === null || d.date > span.last) continue;
    if (d.recorded) recordedDays++;
    if (d.contradiction)
      warnings.push(`${d.date}: marked headache-free, but attack ${d.attackIds.join(', ')} covers it`);
  }
  warnings.sort();
  if (days.last !== null && days.last > asOf) warnings.push(`entries after ${asOf} are not analysed`);
  const spanDays = span ? dayNumber(span.last) - dayNumber(span.first) + 1 : 0;
  const triggers = analyzeTriggers(diary, days, asOf, cfg.triggers);
  warnings.push(...triggers.warnings);

  return {
    patient: { id: diary.patient.id, timeZone: diary.patient.timeZone, conditions: diary.patient.conditions },
    asOf,
    span: {
      first: span?.first ?? null,
      last: span?.last ?? null,
      days: spanDays,
      recordedDays,
      compliance: spanDays === 0 ? 0 : recordedDays / spanDays,
    },
    months,
    periodAnchor,
    periods28: periodAnchor ? period28Summaries(days, periodAnchor, asOf, cfg) : [],
    attacks: attacks.map((a) => ({
      id: a.id,
      source: a.source,
      startDate: a.startDate,
      endDate: a.endDate,
      ongoing: a.ongoing,
      durationHours: a.durationMinutes === null ? null : a.durationMinutes / 60,
      peakIntensity: a.peakNrs,
      migraine: a.migraine,
      classification: a.classification,
    })),
    classification: classifyPatient(attacks, months, overuse, cfg),
    medicationOveruse: overuse,
    outcomes: referenceDate ? computeOutcomes(days, referenceDate, asOf, cfg) : null,
    questionnaires: diary.questionnaires.map(scoreQuestionnaire),
    triggers: triggers.triggers,
    triggerAnalysis: triggers.summary,
    warnings,
    config: cfg,
  };
}
