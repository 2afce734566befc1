import type { PeriodCounts } from '../domain/period-counts.js';

/** What the clinician's patient list needs from storage (part of `StoreTx`, see ports.ts). */

export interface PatientOverviewQuery {
  /** Only patients of these sites; undefined means every site. */
  siteIds?: readonly string[];
  /** Case-insensitive part of the display name or id. */
  search?: string;
  /** Month summaries from this month on (`YYYY-MM`). */
  monthsFrom: string;
  /** 28-day period summaries with an index from 0 to this. */
  maxPeriod: number;
  /** Diary entries whose days meet these local dates (inclusive). */
  daysFrom: string;
  daysTo: string;
}

export interface OverviewPatient {
  id: string;
  displayName: string;
  siteId: string;
  birthYear: number | null;
  sex: string | null;
  timeZone: string;
  conditions: string[];
}

export interface OverviewProcedure {
  patientId: string;
  id: string;
  date: string;
  type: string;
  /** Where it was done. */
  siteId: string | null;
}

export interface PatientOverviewData {
  /** By display name, then id. */
  patients: OverviewPatient[];
  /** Live procedures, by patient then date then id. */
  procedures: OverviewProcedure[];
  /** Stored 28-day period counts around each anchor (procedure date). */
  periods: { patientId: string; anchorDate: string; periodIndex: number; counts: PeriodCounts }[];
  /** Stored month counts, by patient then month. */
  months: { patientId: string; month: string; counts: PeriodCounts }[];
  /** Live questionnaire responses: the instrument stored beside each (`storedQuestionnaireScore`) and date. */
  questionnaires: { patientId: string; instrument: string; date: string }[];
  /** The days each live attack, daily record and medication meeting the range covers. */
  diarySpans: { patientId: string; from: string; to: string }[];
}

export interface PatientOverviewStoreTx {
  /**
   * Everything the patient list computes its flags from, for every patient selected, in a few
   * statements whatever their number: summary rows, procedure and questionnaire columns, and
   * the dates of recent diary entries; never a diary body.
   */
  patientOverviewData(query: PatientOverviewQuery): Promise<PatientOverviewData>;
}
