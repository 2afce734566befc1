import { type SqlBool, sql } from 'kysely';
import type { PeriodCounts } from '../domain/period-counts.js';
import type {
  OverviewProcedure,
  PatientOverviewData,
  PatientOverviewQuery,
} from '../services/patient-overview-ports.js';
import { CohortTx } from './cohort-store.js';

/**
 * The clinician's patient list: the selected patients and, for all of them at once, their
 * procedures, period and month summary rows, questionnaire instruments and dates, and the days of
 * their recent diary entries. Each read is one statement over the patients' subquery, so a list
 * of a thousand patients is a handful of indexed reads; no diary body is read.
 */
export abstract class PatientOverviewTx extends CohortTx {
  async patientOverviewData(q: PatientOverviewQuery): Promise<PatientOverviewData> {
    const empty: PatientOverviewData = {
      patients: [],
      procedures: [],
      periods: [],
      months: [],
      questionnaires: [],
      diarySpans: [],
    };
    if (q.siteIds !== undefined && q.siteIds.length === 0) return empty;

    const selected = () => {
      let b = this.db.selectFrom('patients');
      if (q.siteIds !== undefined) b = b.where('site_id', 'in', [...q.siteIds]);
      if (q.search) {
        const pattern = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        b = b.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['display_name']), 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['id']), 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      return b;
    };
    const patientRows = await selected()
      .select(['id', 'display_name', 'site_id', 'birth_year', 'sex', 'time_zone', 'conditions'])
      .orderBy('display_name')
      .orderBy('id')
      .execute();
    if (patientRows.length === 0) return empty;
    const ids = selected().select('id');
    // The subquery compiles in parentheses of its own.
    const ofSelected = sql<SqlBool>`patient_id in ${ids}`;

    const procedureRows = await this.db
      .selectFrom('registry_records')
      .select(['patient_id', 'id', 'start_date', 'category', 'site_id'])
      .where('kind', '=', 'procedure')
      .where('deleted_at', 'is', null)
      .where(ofSelected)
      .orderBy('patient_id')
      .orderBy('start_date')
      .orderBy('id')
      .execute();
    const procedures: OverviewProcedure[] = procedureRows.map((r) => ({
      patientId: r.patient_id,
      id: r.id,
      date: r.start_date,
      type: r.category,
      siteId: r.site_id,
    }));

    const periodRows = (await this.rowArrays(
      this.db
        .selectFrom('period28_summaries')
        .select(['patient_id', 'anchor_date', 'period_index', 'counts'])
        .where(ofSelected)
        .where('period_index', '>=', 0)
        .where('period_index', '<=', q.maxPeriod),
    )) as [string, string, number, string][];

    const monthRows = (await this.rowArrays(
      this.db
        .selectFrom('month_summaries')
        .select(['patient_id', 'month', 'counts'])
        .where(ofSelected)
        .where('month', '>=', q.monthsFrom)
        .orderBy('patient_id')
        .orderBy('month'),
    )) as [string, string, string][];

    const questionnaireRows = (await this.rowArrays(
      this.db
        .selectFrom('questionnaire_responses')
        .select(['patient_id', 'instrument', 'local_date'])
        .where(ofSelected)
        .where('deleted_at', 'is', null)
        .where('instrument', 'is not', null),
    )) as [string, string, string][];

    // Distinct spans: a day with a daily record and a medication is one row.
    const spans = sql`select patient_id, local_date, end_date from attacks
            where ${ofSelected} and deleted_at is null
            and local_date <= ${q.daysTo} and end_date >= ${q.daysFrom}
          union
          select patient_id, local_date, end_date from daily_records
            where ${ofSelected} and deleted_at is null
            and local_date between ${q.daysFrom} and ${q.daysTo}
          union
          select patient_id, local_date, end_date from medication_intakes
            where ${ofSelected} and deleted_at is null
            and local_date between ${q.daysFrom} and ${q.daysTo}`;
    const spanRows = (await this.rowArrays({ compile: () => spans.compile(this.db) })) as [string, string, string][];

    return {
      patients: patientRows.map((r) => ({
        id: r.id,
        displayName: r.display_name,
        siteId: r.site_id,
        birthYear: r.birth_year,
        sex: r.sex,
        timeZone: r.time_zone,
        conditions: JSON.parse(r.conditions) as string[],
      })),
      procedures,
      periods: periodRows.map(([patientId, anchorDate, periodIndex, counts]) => ({
        patientId,
        anchorDate,
        periodIndex: Number(periodIndex),
        counts: JSON.parse(counts) as PeriodCounts,
      })),
      months: monthRows.map(([patientId, month, counts]) => ({
        patientId,
        month,
        counts: JSON.parse(counts) as PeriodCounts,
      })),
      questionnaires: questionnaireRows.map(([patientId, instrument, date]) => ({ patientId, instrument, date })),
      diarySpans: spanRows.map(([patientId, from, to]) => ({ patientId, from, to })),
    };
  }
}
