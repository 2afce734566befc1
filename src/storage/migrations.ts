import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { PeriodCounts } from '../domain/period-counts.js';
import { summaryColumnValues } from '../services/summaries.js';
import { procedureColumns, questionnaireColumns } from './derived-columns.js';

/**
 * The one set of migrations for SQLite and PostgreSQL. Migrations are append-only: a change to
 * the schema is a new entry, never an edit of one that may have run somewhere.
 */
const ENTRY_TABLES = ['attacks', 'daily_records', 'medication_intakes', 'questionnaire_responses'] as const;

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'clinician', 'researcher', 'patient')`))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('must_change_password', 'integer', (c) => c.notNull())
      .addColumn('failed_logins', 'integer', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('disabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('site_memberships')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addPrimaryKeyConstraint('site_memberships_pk', ['user_id', 'site_id'])
      .execute();

    await db.schema
      .createTable('patients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('user_id', 'text', (c) => c.unique().references('users.id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('birth_year', 'integer')
      .addColumn('sex', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('conditions', 'text', (c) => c.notNull())
      .addColumn('reference_date', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('patients_site').on('patients').column('site_id').execute();

    await db.schema
      .createTable('care_team')
      .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addPrimaryKeyConstraint('care_team_pk', ['patient_id', 'user_id'])
      .execute();

    for (const table of ENTRY_TABLES) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('local_date', 'text', (c) => c.notNull())
        .addColumn('end_date', 'text', (c) => c.notNull())
        .addColumn('instant', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema.createIndex(`${table}_patient_date`).on(table).columns(['patient_id', 'local_date']).execute();
    }
    // One live daily record per patient and day; a deleted one may be followed by a new one.
    await db.schema
      .createIndex('daily_records_one_per_day')
      .on('daily_records')
      .columns(['patient_id', 'local_date'])
      .unique()
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    // No foreign keys here: the log outlives what it describes and is only ever appended to.
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_role', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('patient_id', 'text')
      .addColumn('entity_type', 'text')
      .addColumn('entity_id', 'text')
      .addColumn('request_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_patient').on('audit_log').columns(['patient_id', 'seq']).execute();

    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
  },
};

/**
 * The registry: procedures, treatments and adverse events; the clinician's candidacy assessment;
 * per-site settings; and patient-period summaries kept in step with the diary.
 */
const registry: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('registry_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('procedure', 'treatment', 'adverse-event')`))
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text')
      // Procedure type, treatment type or Clavien–Dindo grade: what lists and cohorts filter on.
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.references('sites.id'))
      .addColumn('surgeon', 'text')
      .addColumn('procedure_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema
      .createIndex('registry_records_patient')
      .on('registry_records')
      .columns(['patient_id', 'kind', 'start_date'])
      .execute();
    await db.schema
      .createIndex('registry_records_kind_site')
      .on('registry_records')
      .columns(['kind', 'site_id', 'start_date'])
      .execute();

    await db.schema
      .createTable('candidacy_assessments')
      .addColumn('patient_id', 'text', (c) => c.primaryKey().references('patients.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('site_settings')
      .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // Counts per calendar month and per 28-day period (anchored on a procedure date), written in
    // the transaction of every diary write. A period with nothing recorded has no row.
    await db.schema
      .createTable('month_summaries')
      .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('recorded_days', 'integer', (c) => c.notNull())
      .addColumn('migraine_days', 'integer', (c) => c.notNull())
      .addColumn('headache_days', 'integer', (c) => c.notNull())
      .addColumn('acute_medication_days', 'integer', (c) => c.notNull())
      .addColumn('counts', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('month_summaries_pk', ['patient_id', 'month'])
      .execute();
    await db.schema
      .createTable('period28_summaries')
      .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
      .addColumn('anchor_date', 'text', (c) => c.notNull())
      .addColumn('period_index', 'integer', (c) => c.notNull())
      .addColumn('recorded_days', 'integer', (c) => c.notNull())
      .addColumn('migraine_days', 'integer', (c) => c.notNull())
      .addColumn('headache_days', 'integer', (c) => c.notNull())
      .addColumn('acute_medication_days', 'integer', (c) => c.notNull())
      .addColumn('counts', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('period28_summaries_pk', ['patient_id', 'anchor_date', 'period_index'])
      .execute();
    // Summaries read the live attacks meeting a few days: this index finds them by both ends
    // without visiting each earlier attack's row (an attack has no bound on its length).
    await db.schema
      .createIndex('attacks_live_span')
      .on('attacks')
      .columns(['patient_id', 'local_date', 'end_date'])
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
    // Cohort queries read three count columns of many periods: this index answers them without
    // visiting each row and its counts JSON.
    await db.schema
      .createIndex('period28_summaries_cohort')
      .on('period28_summaries')
      .columns(['patient_id', 'anchor_date', 'period_index', 'recorded_days', 'migraine_days', 'headache_days'])
      .execute();
  },
};

/**
 * What cohort queries read as columns instead of JSON: each questionnaire response's instrument
 * and score (`storedQuestionnaireScore`), each procedure's adjuncts and trigger sites
 * (`procedureCohortFacts`), and each summary row's aura days and medication overuse
 * (`summaryColumnValues`). Storage writes them with every response, record and summary row;
 * this fills them in for the rows already stored, with the same functions. Rows whose counts were
 * stored before aura days were counted keep them unknown (null), as their counts do.
 */
const cohortColumns: Migration = {
  async up(db: Kysely<unknown>) {
    // SQLite runs migrations outside a transaction (PostgreSQL inside one): one transaction makes
    // the change all or nothing, and commits the backfill once. Kysely then records the migration;
    // a crash in between leaves the change made but unrecorded, and the next run finds it done.
    if (!db.isTransaction && (await hasColumn(db, 'questionnaire_responses', 'score'))) return;
    await inTransaction(db, async (db) => {
      await db.schema.alterTable('questionnaire_responses').addColumn('instrument', 'text').execute();
      await db.schema.alterTable('questionnaire_responses').addColumn('score', 'integer').execute();
      await db.schema.alterTable('registry_records').addColumn('adjuncts', 'text').execute();
      await db.schema.alterTable('registry_records').addColumn('trigger_sites', 'integer').execute();
      for (const table of SUMMARY_TABLES) {
        await db.schema.alterTable(table).addColumn('aura_days', 'integer').execute();
        await db.schema
          .alterTable(table)
          .addColumn('medication_overuse', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      }
      await backfillQuestionnaires(db);
      await backfillProcedures(db);
      await backfillSummaries(db, 'month_summaries', ['patient_id', 'month']);
      await backfillSummaries(db, 'period28_summaries', ['patient_id', 'anchor_date', 'period_index']);
      // Cohorts read the botulinum toxin and nerve block records of every patient: this index
      // finds them among the other treatments (and the procedures of one type).
      await db.schema
        .createIndex('registry_records_kind_category')
        .on('registry_records')
        .columns(['kind', 'category'])
        .execute();
      // The cohort index now also answers the baseline period's columns. Unique (its first three
      // columns are the primary key) and analysed below: otherwise SQLite reads one period
      // through the primary key's index and the row, rather than from this index alone.
      await db.schema.dropIndex('period28_summaries_cohort').execute();
      await db.schema
        .createIndex('period28_summaries_cohort')
        .on('period28_summaries')
        .columns([
          'patient_id',
          'anchor_date',
          'period_index',
          'recorded_days',
          'migraine_days',
          'headache_days',
          'aura_days',
          'medication_overuse',
        ])
        .unique()
        .execute();
      // Cohort queries read the live MIDAS and HIT-6 scores of each patient in date order: this
      // index answers them without visiting the rows and their bodies.
      await db.schema
        .createIndex('questionnaire_responses_cohort')
        .on('questionnaire_responses')
        .columns(['patient_id', 'local_date', 'id', 'instrument', 'score'])
        .where(sql<boolean>`deleted_at is null and instrument in ('MIDAS', 'HIT-6')`)
        .execute();
      // Statistics of the new indexes for the planners.
      for (const table of ['questionnaire_responses', 'registry_records', 'period28_summaries']) {
        await sql`analyze ${sql.table(table)}`.execute(db);
      }
    });
  },
};

/** Each patient's diary preferences (`PatientPreferences`); a patient without a row uses the defaults. */
const patientPreferences: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('patient_preferences')
      .addColumn('patient_id', 'text', (c) => c.primaryKey().references('patients.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const SUMMARY_TABLES = ['month_summaries', 'period28_summaries'] as const;

/** Rows read and written per statement by the backfills (at most 5 values a row are bound). */
const BACKFILL_CHUNK = 2000;

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

async function inTransaction(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

/**
 * `update <table> set … from (values …) as v where <keys match>`: one statement per chunk of
 * rows. VALUES columns are named column1, column2, … in both databases; parameters arrive as
 * text on PostgreSQL, hence the casts of the numbers.
 */
async function updateRows(
  db: Kysely<unknown>,
  table: string,
  keys: readonly { column: string; integer?: boolean }[],
  set: readonly { column: string; integer?: boolean }[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const value = (i: number, integer = false) => {
    const ref = sql.ref(`v.column${i + 1}`);
    return integer ? sql`cast(${ref} as integer)` : ref;
  };
  const assignments = set.map((c, i) => sql`${sql.ref(c.column)} = ${value(keys.length + i, c.integer)}`);
  const matches = keys.map((k, i) => sql`${sql.ref(`${table}.${k.column}`)} = ${value(i, k.integer)}`);
  const values = rows.map((r) => sql`(${sql.join(r)})`);
  await sql`update ${sql.table(table)} set ${sql.join(assignments)}
    from (values ${sql.join(values)}) as v where ${sql.join(matches, sql` and `)}`.execute(db);
}

async function backfillQuestionnaires(db: Kysely<unknown>): Promise<void> {
  for (let after = ''; ;) {
    const { rows } = await sql<{ id: string; body: string }>`
      select id, body from questionnaire_responses where id > ${after} order by id limit ${BACKFILL_CHUNK}`.execute(db);
    if (rows.length === 0) return;
    const values = rows.map((r) => {
      const c = questionnaireColumns(JSON.parse(r.body));
      return [r.id, c.instrument, c.score];
    });
    await updateRows(
      db,
      'questionnaire_responses',
      [{ column: 'id' }],
      [{ column: 'instrument' }, { column: 'score', integer: true }],
      values,
    );
    after = rows.at(-1)!.id;
  }
}

async function backfillProcedures(db: Kysely<unknown>): Promise<void> {
  for (let after = ''; ;) {
    const { rows } = await sql<{ id: string; body: string }>`
      select id, body from registry_records where kind = 'procedure' and id > ${after}
      order by id limit ${BACKFILL_CHUNK}`.execute(db);
    if (rows.length === 0) return;
    const values = rows.map((r) => {
      const c = procedureColumns(JSON.parse(r.body) as Record<string, unknown>);
      return [r.id, c.adjuncts, c.trigger_sites];
    });
    await updateRows(
      db,
      'registry_records',
      [{ column: 'id' }],
      [{ column: 'adjuncts' }, { column: 'trigger_sites', integer: true }],
      values,
    );
    after = rows.at(-1)!.id;
  }
}

/** Fills in a summary table's new columns from each row's counts, in the order of its primary key `keys`. */
async function backfillSummaries(db: Kysely<unknown>, table: string, keys: readonly string[]): Promise<void> {
  const keyColumns = keys.map((column) => ({ column, integer: column === 'period_index' }));
  const keyList = sql.join(keys.map((k) => sql.ref(k)));
  let after: unknown[] | null = null;
  for (;;) {
    const page: { rows: (Record<string, unknown> & { counts: string })[] } = await sql<
      Record<string, unknown> & { counts: string }
    >`
      select ${keyList}, counts from ${sql.table(table)}
      ${after === null ? sql`` : sql`where (${keyList}) > (${sql.join(after)})`}
      order by ${keyList} limit ${BACKFILL_CHUNK}`.execute(db);
    if (page.rows.length === 0) return;
    const values = page.rows.map((r) => {
      const c = summaryColumnValues(JSON.parse(r.counts) as PeriodCounts);
      return [...keys.map((k) => r[k]), c.auraDays, Number(c.medicationOveruse)];
    });
    await updateRows(
      db,
      table,
      keyColumns,
      [
        { column: 'aura_days', integer: true },
        { column: 'medication_overuse', integer: true },
      ],
      values,
    );
    const last = page.rows.at(-1)!;
    after = keys.map((k) => last[k]);
  }
}

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_registry': registry,
  '0003_cohort_columns': cohortColumns,
  '0004_patient_preferences': patientPreferences,
};

class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

/** Brings the database to the latest schema; returns the names of the migrations it ran. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    migrationTableName: 'relief_migrations',
    migrationLockTableName: 'relief_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
