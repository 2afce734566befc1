import { sql } from 'kysely';
import type { PeriodCounts } from '../domain/period-counts.js';
import { addDays } from '../domain/time.js';
import { summaryColumnValues } from '../services/summaries.js';
import type {
  DerivedColumns,
  MonthRange,
  MonthSummaryRow,
  Period28SummaryRow,
  PeriodIndexRange,
  Stored,
  SummaryColumnValues,
  SummaryEntries,
  SummaryEntry,
} from '../services/summary-ports.js';
import { procedureColumns, questionnaireColumns } from './derived-columns.js';
import { RegistryTx } from './registry-store.js';
import type { SummaryColumns } from './tables.js';

/** Rows per INSERT: SQLite binds at most 32,766 values in one statement (10 per row). */
const CHUNK = 1000;

const COUNT_COLUMNS = sql.raw(
  'recorded_days, migraine_days, headache_days, acute_medication_days, aura_days, medication_overuse, counts',
);
const UPDATE_COUNTS = sql.raw(
  'recorded_days = excluded.recorded_days, migraine_days = excluded.migraine_days, ' +
    'headache_days = excluded.headache_days, acute_medication_days = excluded.acute_medication_days, ' +
    'aura_days = excluded.aura_days, medication_overuse = excluded.medication_overuse, counts = excluded.counts',
);

/** The values of `COUNT_COLUMNS`, in that order: `summaryColumnValues` of the counts, and the counts. */
function columnValuesOf(counts: PeriodCounts) {
  const c = summaryColumnValues(counts);
  return sql.join([
    c.recordedDays,
    c.migraineDays,
    c.headacheDays,
    c.acuteMedicationDays,
    c.auraDays,
    Number(c.medicationOveruse),
    JSON.stringify(counts),
  ]);
}

function columnValues(r: SummaryColumns): SummaryColumnValues {
  return {
    recordedDays: r.recorded_days,
    migraineDays: r.migraine_days,
    headacheDays: r.headache_days,
    acuteMedicationDays: r.acute_medication_days,
    auraDays: r.aura_days,
    medicationOveruse: r.medication_overuse === 1,
  };
}

/** Patient-period summaries (months and 28-day periods). */
export abstract class SummaryTx extends RegistryTx {
  async lockSummaries(patientId: string): Promise<void> {
    // NO KEY UPDATE: entries inserted meanwhile only check the patient's key (KEY SHARE) and are
    // not held up; another lock of this kind, or an update of the patient row, waits.
    if (this.dialect === 'postgres') {
      await sql`select id from patients where id = ${patientId} for no key update`.execute(this.db);
    }
  }

  async listSummaryEntries(
    patientId: string,
    range?: { from: string; to: string },
    marginDays = 0,
  ): Promise<SummaryEntries> {
    const columns = sql`id, local_date, end_date, instant, body`;
    const meets = (oneDay: boolean) => {
      if (range === undefined) return sql``;
      const near = { from: addDays(range.from, -marginDays), to: addDays(range.to, marginDays) };
      // Daily records and medications cover one day (local_date = end_date): bounding local_date
      // from below keeps the index scan to the range instead of every earlier row.
      const within = (r: { from: string; to: string }) =>
        oneDay ? sql`local_date between ${r.from} and ${r.to}` : sql`local_date <= ${r.to} and end_date >= ${r.from}`;
      if (marginDays === 0) return sql`and ${within(range)}`;
      // Every attack near the range is read: the scan of attacks passes over all earlier ones, and
      // testing each of their bodies would cost more than reading the few near the range. Daily
      // records and medications beyond the range only when they record a medication time
      // ("takenAt" is only ever a key: quotes inside a JSON string are escaped).
      if (!oneDay) return sql`and ${within(near)}`;
      // The pattern is written in the statement: SQLite prepares a statement anew each time a
      // LIKE pattern is bound as a parameter, to see whether an index could serve it.
      return sql`and ${within(near)} and (${within(range)} or body like '%"takenAt"%')`;
    };
    const rows = await sql<{ kind: string; id: string; local_date: string; end_date: string; body: string }>`
      select 'attack' as kind, ${columns} from attacks
        where patient_id = ${patientId} and deleted_at is null ${meets(false)}
      union all
      select 'daily-record' as kind, ${columns} from daily_records
        where patient_id = ${patientId} and deleted_at is null ${meets(true)}
      union all
      select 'medication' as kind, ${columns} from medication_intakes
        where patient_id = ${patientId} and deleted_at is null ${meets(true)}
      order by local_date, instant nulls first, id`.execute(this.db);
    const out: SummaryEntries = { attacks: [], dailyRecords: [], medications: [] };
    const lists: Record<string, SummaryEntry[]> = {
      attack: out.attacks,
      'daily-record': out.dailyRecords,
      medication: out.medications,
    };
    for (const r of rows.rows) {
      const entry = {
        id: r.id,
        localDate: r.local_date,
        endDate: r.end_date,
        body: JSON.parse(r.body) as Record<string, unknown>,
      };
      lists[r.kind]!.push(entry);
    }
    return out;
  }

  async listMonthSummaries(patientId: string, range: MonthRange = {}): Promise<Stored<MonthSummaryRow>[]> {
    // Plain SQL: a diary write reads and writes these rows, and building the query costs as much as running it.
    const rows = await sql<SummaryColumns & { month: string }>`
      select * from month_summaries where patient_id = ${patientId}
        ${range.from === undefined ? sql`` : sql`and month >= ${range.from}`}
        ${range.to === undefined ? sql`` : sql`and month <= ${range.to}`}
      order by month`.execute(this.db);
    return rows.rows.map((r) => ({
      month: r.month,
      counts: JSON.parse(r.counts) as PeriodCounts,
      columns: columnValues(r),
    }));
  }

  async listPeriod28Summaries(
    patientId: string,
    anchorDate: string,
    range: PeriodIndexRange = {},
  ): Promise<Stored<Period28SummaryRow>[]> {
    const rows = await sql<SummaryColumns & { period_index: number }>`
      select * from period28_summaries where patient_id = ${patientId} and anchor_date = ${anchorDate}
        ${range.fromIndex === undefined ? sql`` : sql`and period_index >= ${range.fromIndex}`}
        ${range.toIndex === undefined ? sql`` : sql`and period_index <= ${range.toIndex}`}
      order by period_index`.execute(this.db);
    return rows.rows.map((r) => ({
      periodIndex: Number(r.period_index),
      counts: JSON.parse(r.counts) as PeriodCounts,
      columns: columnValues(r),
    }));
  }

  async procedureDates(patientId: string): Promise<string[]> {
    const rows = await sql<{ start_date: string }>`
      select distinct start_date from registry_records
        where patient_id = ${patientId} and kind = 'procedure' and deleted_at is null
      order by start_date`.execute(this.db);
    return rows.rows.map((r) => r.start_date);
  }

  async summaryAnchors(patientId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('period28_summaries')
      .select('anchor_date')
      .distinct()
      .where('patient_id', '=', patientId)
      .orderBy('anchor_date')
      .execute();
    return rows.map((r) => r.anchor_date);
  }

  async upsertMonthSummaries(patientId: string, rows: readonly MonthSummaryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows.slice(i, i + CHUNK).map((r) => sql`(${patientId}, ${r.month}, ${columnValuesOf(r.counts)})`);
      await sql`
        insert into month_summaries (patient_id, month, ${COUNT_COLUMNS}) values ${sql.join(values)}
        on conflict (patient_id, month) do update set ${UPDATE_COUNTS}`.execute(this.db);
    }
  }

  async upsertPeriod28Summaries(
    patientId: string,
    anchorDate: string,
    rows: readonly Period28SummaryRow[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows
        .slice(i, i + CHUNK)
        .map((r) => sql`(${patientId}, ${anchorDate}, ${r.periodIndex}, ${columnValuesOf(r.counts)})`);
      await sql`
        insert into period28_summaries (patient_id, anchor_date, period_index, ${COUNT_COLUMNS})
        values ${sql.join(values)}
        on conflict (patient_id, anchor_date, period_index) do update set ${UPDATE_COUNTS}`.execute(this.db);
    }
  }

  async deleteMonthSummaries(patientId: string, range: MonthRange = {}): Promise<number> {
    let q = this.db.deleteFrom('month_summaries').where('patient_id', '=', patientId);
    if (range.from !== undefined) q = q.where('month', '>=', range.from);
    if (range.to !== undefined) q = q.where('month', '<=', range.to);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listDerivedColumns(patientId: string): Promise<DerivedColumns> {
    const questionnaires = await this.db
      .selectFrom('questionnaire_responses')
      .select(['id', 'body', 'instrument', 'score'])
      .where('patient_id', '=', patientId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
    const procedures = await this.db
      .selectFrom('registry_records')
      .select(['id', 'body', 'adjuncts', 'trigger_sites'])
      .where('patient_id', '=', patientId)
      .where('kind', '=', 'procedure')
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
    return {
      questionnaires: questionnaires.map((r) => ({
        id: r.id,
        body: JSON.parse(r.body) as Record<string, unknown>,
        instrument: r.instrument,
        score: r.score,
      })),
      procedures: procedures.map((r) => ({
        id: r.id,
        body: JSON.parse(r.body) as Record<string, unknown>,
        adjuncts: r.adjuncts === null ? null : (JSON.parse(r.adjuncts) as string[]),
        triggerSites: r.trigger_sites,
      })),
    };
  }

  async rewriteDerivedColumns(patientId: string): Promise<void> {
    const questionnaires = await this.db
      .selectFrom('questionnaire_responses')
      .select(['id', 'body', 'instrument', 'score'])
      .where('patient_id', '=', patientId)
      .execute();
    for (const r of questionnaires) {
      const columns = questionnaireColumns(JSON.parse(r.body));
      if (columns.instrument === r.instrument && columns.score === r.score) continue;
      await this.db.updateTable('questionnaire_responses').set(columns).where('id', '=', r.id).execute();
    }
    const procedures = await this.db
      .selectFrom('registry_records')
      .select(['id', 'body', 'adjuncts', 'trigger_sites'])
      .where('patient_id', '=', patientId)
      .where('kind', '=', 'procedure')
      .execute();
    for (const r of procedures) {
      const columns = procedureColumns(JSON.parse(r.body) as Record<string, unknown>);
      if (columns.adjuncts === r.adjuncts && columns.trigger_sites === r.trigger_sites) continue;
      await this.db.updateTable('registry_records').set(columns).where('id', '=', r.id).execute();
    }
  }

  async deletePeriod28Summaries(patientId: string, anchorDate: string, range: PeriodIndexRange = {}): Promise<number> {
    let q = this.db
      .deleteFrom('period28_summaries')
      .where('patient_id', '=', patientId)
      .where('anchor_date', '=', anchorDate);
    if (range.fromIndex !== undefined) q = q.where('period_index', '>=', range.fromIndex);
    if (range.toIndex !== undefined) q = q.where('period_index', '<=', range.toIndex);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
