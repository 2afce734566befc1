import type { BaselineProfile, CohortQuestionnaire } from '../domain/cohort.js';

/** What cohort queries need from storage (part of `StoreTx`, see ports.ts). */

/** Which procedures to read; every field narrows the selection. */
export interface CohortQuery {
  procedureType?: string;
  /** Sites where the procedure was done (a procedure without a site counts as its patient's site's). */
  siteIds?: readonly string[];
  /** Only patients of these sites (the caller's sites); undefined means every site. */
  patientSiteIds?: readonly string[];
  surgeon?: string;
  /** Procedure dates, inclusive. */
  from?: string;
  to?: string;
  /** One of the patient's conditions. */
  condition?: string;
  /** Period summaries 0…maxPeriod of each procedure's anchor are returned; every period from 0 when absent. */
  maxPeriod?: number;
}

/** A live procedure with what a cohort needs of its patient and its period summaries. */
export interface CohortProcedureRow {
  procedureId: string;
  patientId: string;
  date: string;
  procedureType: string;
  siteId: string;
  surgeon: string | null;
  /** Adjunct procedures of the body. */
  adjuncts: string[];
  birthYear: number | null;
  sex: string | null;
  conditions: readonly string[];
  /**
   * Summary rows 0…maxPeriod (or from 0 on) of the periods anchored on the procedure date, by
   * period index (a missing one recorded nothing). Periods with the same counts may share one
   * object: none is changed.
   */
  periods: (CohortPeriodCounts | undefined)[];
  /**
   * The baseline period's (index 0) aura days and medication overuse as its row stores them
   * (`summaryColumnValues`: what `baselineProfileOf` gives of its counts); both null without a
   * row, aura days null in a row stored before they were counted.
   */
  baselineProfile: BaselineProfile;
  /** Distinct Guyuron trigger sites among the procedure's recipient sites (`triggerSiteCount`). */
  triggerSites: number;
  /**
   * A live botulinum toxin or nerve block record started before the procedure date with relief at
   * least the candidacy threshold of the patient's site (`priorToxinOrBlockResponse`).
   */
  priorToxinOrBlockResponse: boolean;
  /** The patient's live MIDAS and HIT-6 responses, scored, by date then id. */
  questionnaires: CohortQuestionnaire[];
}

/** The summary columns of one 28-day period anchored on a procedure's date. */
export interface CohortPeriodCounts {
  recordedDays: number;
  migraineDays: number;
  headacheDays: number;
}

/** A live adverse event of a patient of the cohort. */
export interface CohortAdverseEventRow {
  patientId: string;
  procedureId: string | null;
  onset: string;
  grade: string;
  relation: string;
}

export interface CohortData {
  procedures: CohortProcedureRow[];
  adverseEvents: CohortAdverseEventRow[];
  /** Every live procedure of the cohort's patients, selected or not: unlinked events follow the latest. */
  patientProcedures: { patientId: string; procedureId: string; date: string }[];
}

export interface CohortStoreTx {
  /**
   * The selected procedures with their period summaries from 0 (summary rows only, never the
   * diary), their predictors and their patients' MIDAS and HIT-6 scores, and every live adverse
   * event of their patients, in a few statements whatever the size.
   */
  cohortData(query: CohortQuery): Promise<CohortData>;
}
