import fc from 'fast-check';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { procedureCohortFacts } from '../../src/domain/cohort.js';
import { TRIGGER_SITES } from '../../src/domain/diary.js';
import { emptyCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import { ADJUNCT_PROCEDURES } from '../../src/domain/registry.js';
import { HIT6_ANSWERS, storedQuestionnaireScore } from '../../src/domain/questionnaires.js';
import { summaryColumnValues } from '../../src/services/summaries.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Tables } from '../../src/storage/tables.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

/**
 * Migration 0003 fills in the columns cohorts read for rows stored before it: each response's
 * instrument and score, each procedure's adjuncts and trigger sites, each summary row's aura days
 * and medication overuse, from the same functions storage writes them with. More rows than one
 * backfill statement takes, over two patients, so that its paging is crossed.
 */

const PATIENTS = ['pa', 'pb'];
const now = '2024-01-01T00:00:00.000Z';

/** Inserts rows in statements of 200, by column name (the schema is 0002's: no typed builder). */
async function insert(db: Kysely<Tables>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0]!);
  for (let i = 0; i < rows.length; i += 200) {
    const values = rows.slice(i, i + 200).map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      values ${sql.join(values)}`.execute(db);
  }
}

const item = fc.integer({ min: 0, max: 90 });
const questionnaireBody = fc.oneof(
  fc.record({
    instrument: fc.constant('MIDAS'),
    answers: fc.record({
      missedWorkOrSchool: item,
      reducedWorkOrSchool: item,
      missedHousework: item,
      reducedHousework: item,
      missedFamilySocialLeisure: item,
    }),
  }),
  fc.record({
    instrument: fc.constant('HIT-6'),
    answers: fc.array(fc.constantFrom(...HIT6_ANSWERS), { minLength: 6, maxLength: 6 }),
  }),
  fc.record({ instrument: fc.constant('PGIC'), answer: fc.constantFrom('much-improved', 'no-change') }),
  fc.record({ instrument: fc.constant('DN4'), answers: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }) }),
  // Not a valid response: no score.
  fc.record({ instrument: fc.constant('MIDAS'), answers: fc.constant({}) }),
);

const days = fc.integer({ min: 0, max: 28 });
/** Counts with aura days (or without, as stored before they were counted) and medication days by class. */
const periodCounts = fc
  .record({
    recordedDays: days,
    auraDays: fc.option(days, { nil: undefined }),
    triptan: days,
    opioid: days,
    ergot: days,
  })
  .map(({ recordedDays, auraDays, triptan, opioid, ergot }): PeriodCounts => {
    const c = emptyCounts();
    const counts = {
      ...c,
      recordedDays,
      overuseClassDays: Math.max(triptan, opioid, ergot),
      medicationDaysByClass: { ...c.medicationDaysByClass, triptan, opioid, ergot },
    };
    if (auraDays === undefined) delete (counts as Partial<PeriodCounts>).auraDays;
    else counts.auraDays = auraDays;
    return counts;
  });

/** Procedure bodies with what cohorts read of them: adjuncts and recipient sites (trigger sites or not). */
const procedureBody = fc.record({
  adjuncts: fc.option(fc.subarray([...ADJUNCT_PROCEDURES]), { nil: undefined }),
  recipientSites: fc.array(
    fc.record({ site: fc.constantFrom(...TRIGGER_SITES, 'chest-wall'), side: fc.constantFrom('left', 'right') }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** Runs the migrations up to 0003, this file's subject (later ones are not its concern); returns the names run. */
async function migrateThrough0003(db: Kysely<Tables>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    migrationTableName: 'relief_migrations',
    migrationLockTableName: 'relief_migrations_lock',
  });
  const { error, results } = await migrator.migrateTo('0003_cohort_columns');
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

describe.each(testDatabases())('migration 0003 on $name', (db) => {
  let store: KyselyStore;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config, { migrate: false });
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
      migrationTableName: 'relief_migrations',
      migrationLockTableName: 'relief_migrations_lock',
    });
    const { error } = await migrator.migrateTo('0002_registry');
    expect(error).toBeUndefined();
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  it('fills in the questionnaire scores and the summary columns of the rows already stored', async () => {
    await insert(store.db, 'sites', [{ id: 's1', name: 'S1', version: 1, created_at: now, updated_at: now }]);
    await insert(
      store.db,
      'patients',
      PATIENTS.map((id) => ({
        id,
        site_id: 's1',
        display_name: id,
        time_zone: 'UTC',
        conditions: '[]',
        version: 1,
        created_at: now,
        updated_at: now,
      })),
    );
    const bodies = fc.sample(questionnaireBody, { numRuns: 2600, seed: 3 });
    await insert(
      store.db,
      'questionnaire_responses',
      bodies.map((b, i) => ({
        id: `q${String(i).padStart(5, '0')}`,
        patient_id: PATIENTS[i % 2],
        local_date: '2024-01-01',
        end_date: '2024-01-01',
        body: JSON.stringify({ ...b, date: '2024-01-01' }),
        version: 1,
        created_at: now,
        updated_at: now,
        // Deleted responses are scored too: a later write may bring one back.
        deleted_at: i % 7 === 0 ? now : null,
      })),
    );
    const procedures = fc.sample(procedureBody, { numRuns: 2600, seed: 5 });
    const record = (i: number, kind: string, body: object) => ({
      id: `${kind}${String(i).padStart(5, '0')}`,
      patient_id: PATIENTS[i % 2],
      kind,
      start_date: '2024-01-01',
      category: kind === 'procedure' ? 'fat-transfer' : 'nerve-block',
      body: JSON.stringify(body),
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await insert(store.db, 'registry_records', [
      ...procedures.map((b, i) => record(i, 'procedure', { type: 'fat-transfer', date: '2024-01-01', ...b })),
      ...[0, 1, 2].map((i) => record(i, 'treatment', { type: 'nerve-block', start: '2024-01-01', percentRelief: 60 })),
    ]);
    const counts = fc.sample(periodCounts, { numRuns: 2600, seed: 4 });
    const summary = (c: PeriodCounts) => ({
      recorded_days: c.recordedDays,
      migraine_days: 0,
      headache_days: 0,
      acute_medication_days: 0,
      counts: JSON.stringify(c),
    });
    await insert(
      store.db,
      'period28_summaries',
      counts.map((c, i) => ({
        patient_id: PATIENTS[i % 2],
        anchor_date: '2024-01-01',
        period_index: Math.floor(i / 2) - 5,
        ...summary(c),
      })),
    );
    await insert(
      store.db,
      'month_summaries',
      counts.slice(0, 240).map((c, i) => ({
        patient_id: PATIENTS[i % 2],
        month: `${2000 + Math.floor(i / 24)}-${String(((i >> 1) % 12) + 1).padStart(2, '0')}`,
        ...summary(c),
      })),
    );

    expect(await migrateThrough0003(store.db)).toEqual(['0003_cohort_columns']);

    const responses = await store.db.selectFrom('questionnaire_responses').selectAll().orderBy('id').execute();
    expect(responses).toHaveLength(2600);
    for (const r of responses) {
      const scored = storedQuestionnaireScore(JSON.parse(r.body));
      expect({ id: r.id, instrument: r.instrument, score: r.score }).toEqual({
        id: r.id,
        instrument: scored?.instrument ?? null,
        score: scored?.score ?? null,
      });
    }
    // Every kind of body is there: each instrument, and invalid ones without a score.
    expect(new Set(responses.map((r) => r.instrument))).toEqual(new Set(['MIDAS', 'HIT-6', 'PGIC', 'DN4', null]));

    const records = await store.db.selectFrom('registry_records').selectAll().orderBy('id').execute();
    expect(records).toHaveLength(2603);
    for (const r of records) {
      const facts = r.kind === 'procedure' ? procedureCohortFacts(JSON.parse(r.body) as Record<string, unknown>) : null;
      expect({ id: r.id, adjuncts: r.adjuncts, trigger_sites: r.trigger_sites }).toEqual({
        id: r.id,
        adjuncts: facts === null ? null : JSON.stringify(facts.adjuncts),
        trigger_sites: facts?.triggerSites ?? null,
      });
    }
    const procedureRows = records.filter((r) => r.kind === 'procedure');
    expect(new Set(procedureRows.map((r) => r.trigger_sites))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(procedureRows.some((r) => r.adjuncts === '[]')).toBe(true);
    expect(procedureRows.some((r) => r.adjuncts!.includes('nerve-decompression'))).toBe(true);

    for (const table of ['period28_summaries', 'month_summaries'] as const) {
      const rows = await store.db.selectFrom(table).selectAll().execute();
      expect(rows).toHaveLength(table === 'month_summaries' ? 240 : 2600);
      for (const r of rows) {
        const expected = summaryColumnValues(JSON.parse(r.counts) as PeriodCounts);
        expect({ aura_days: r.aura_days, medication_overuse: r.medication_overuse }).toEqual({
          aura_days: expected.auraDays,
          medication_overuse: Number(expected.medicationOveruse),
        });
      }
      // Both kinds of rows are there: with aura days unknown, and meeting the overuse thresholds.
      expect(rows.some((r) => r.aura_days === null)).toBe(true);
      expect(rows.some((r) => r.medication_overuse === 1)).toBe(true);
      expect(rows.some((r) => r.medication_overuse === 0)).toBe(true);
    }
  });

  it('runs on an empty database', async () => {
    expect(await migrateThrough0003(store.db)).toEqual(['0003_cohort_columns']);
    expect(await migrateThrough0003(store.db)).toEqual([]);
  });

  // SQLite only: PostgreSQL runs the migration and its record in one transaction.
  it.skipIf(db.name === 'postgres')(
    'finds its change made when a crash came between its commit and its record',
    async () => {
      expect(await migrateThrough0003(store.db)).toEqual(['0003_cohort_columns']);
      await sql`delete from relief_migrations where name = '0003_cohort_columns'`.execute(store.db);
      expect(await migrateThrough0003(store.db)).toEqual(['0003_cohort_columns']);
      expect(await migrateThrough0003(store.db)).toEqual([]);
    },
  );
});
