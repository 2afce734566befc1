import type { PeriodCounts } from '../domain/period-counts.js';
import type { EntryRecord } from './model.js';

/** An entry as summaries read it. */
export type SummaryEntry = Pick<EntryRecord, 'id' | 'localDate' | 'endDate' | 'body'>;

export interface SummaryEntries {
  attacks: SummaryEntry[];
  dailyRecords: SummaryEntry[];
  medications: SummaryEntry[];
}

/** A calendar month's stored counts (`month` is `YYYY-MM`). */
export interface MonthSummaryRow {
  month: string;
  counts: PeriodCounts;
}

/** A 28-day period's stored counts; period 1 starts on the anchor (procedure) date, 0 is the 28 days before. */
export interface Period28SummaryRow {
  periodIndex: number;
  counts: PeriodCounts;
}

/**
 * What a row also stores as columns, for cohort queries in SQL (`summaryColumnValues` of its
 * counts), as stored.
 */
export interface SummaryColumnValues {
  recordedDays: number;
  migraineDays: number;
  headacheDays: number;
  acuteMedicationDays: number;
  /** Null for counts stored before aura days were counted (`lacksAuraDays`). */
  auraDays: number | null;
  /** The ICHD-3 8.2 thresholds met in the period (`overuseAtThresholds`, summaries' configuration). */
  medicationOveruse: boolean;
}

/** A row as read back: its counts (JSON) and the values of its columns. */
export type Stored<Row> = Row & { columns: SummaryColumnValues };

/** Months `YYYY-MM`, inclusive; an open end is unbounded. */
export interface MonthRange {
  from?: string;
  to?: string;
}

/** Period indexes, inclusive; an open end is unbounded. */
export interface PeriodIndexRange {
  fromIndex?: number;
  toIndex?: number;
}

/**
 * What keeping patient-period summaries needs from storage (part of `StoreTx`, see ports.ts).
 * Only periods with something recorded have a row; besides its counts a row stores
 * `summaryColumnValues` of them as columns, for cohort queries in SQL.
 */
export interface SummaryStoreTx {
  /**
   * Makes the transaction the only one changing the patient's summaries until it ends. On
   * PostgreSQL another process may write the same patient at the same time: summary rows are
   * changed by what a write adds and removes, so two such writes must not interleave. (SQLite
   * takes its write lock when a transaction begins.)
   */
  lockSummaries(patientId: string): Promise<void>;
  /**
   * The patient's live attacks, daily records and medications that meet the local dates
   * `from`–`to` (all of them without a range), each kind in `listEntries` order, with only what
   * `assembleDiary` reads; and, within `marginDays` beyond the range, those whose body records a
   * medication time (`takenAt`), which may fall inside the range. A diary write reads its entries
   * this way, so this is one statement.
   */
  listSummaryEntries(
    patientId: string,
    range?: { from: string; to: string },
    marginDays?: number,
  ): Promise<SummaryEntries>;
  /** The patient's live procedure dates, each once and in order: the anchors of their 28-day periods. */
  procedureDates(patientId: string): Promise<string[]>;
  /** The patient's month rows, ordered by month. */
  listMonthSummaries(patientId: string, range?: MonthRange): Promise<Stored<MonthSummaryRow>[]>;
  /** The patient's period rows of one anchor, ordered by index. */
  listPeriod28Summaries(
    patientId: string,
    anchorDate: string,
    range?: PeriodIndexRange,
  ): Promise<Stored<Period28SummaryRow>[]>;
  /** The anchor dates the patient has period rows for, in order. */
  summaryAnchors(patientId: string): Promise<string[]>;
  /** Inserts or replaces these month rows. */
  upsertMonthSummaries(patientId: string, rows: readonly MonthSummaryRow[]): Promise<void>;
  /** Inserts or replaces these period rows of one anchor. */
  upsertPeriod28Summaries(patientId: string, anchorDate: string, rows: readonly Period28SummaryRow[]): Promise<void>;
  /** Deletes the patient's month rows in the range (all without one); returns how many. */
  deleteMonthSummaries(patientId: string, range?: MonthRange): Promise<number>;
  /** Deletes the period rows of one anchor in the range (the whole anchor without one); returns how many. */
  deletePeriod28Summaries(patientId: string, anchorDate: string, range?: PeriodIndexRange): Promise<number>;
  /**
   * The patient's live questionnaire responses and procedures, each in id order, with what
   * storage keeps beside their bodies for cohorts: a response's instrument and score
   * (`storedQuestionnaireScore`), a procedure's adjuncts and trigger sites (`procedureCohortFacts`),
   * as they were when the row was written.
   */
  listDerivedColumns(patientId: string): Promise<DerivedColumns>;
  /** Stores those columns of each of the patient's responses and procedures anew from its body. */
  rewriteDerivedColumns(patientId: string): Promise<void>;
}

export interface DerivedColumns {
  questionnaires: { id: string; body: Record<string, unknown>; instrument: string | null; score: number | null }[];
  procedures: { id: string; body: Record<string, unknown>; adjuncts: string[] | null; triggerSites: number | null }[];
}
