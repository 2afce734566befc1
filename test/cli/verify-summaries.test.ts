import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PeriodCounts } from '../../src/domain/period-counts.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import { syncAnchors } from '../../src/services/summaries.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { addPatient, addSite, SEEDER } from '../helpers/api.js';
import { run, useDatabase } from '../helpers/cli.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from '../storage/close-and-drop.js';

describe.each(testDatabases())('relief verify summaries on $name', (db) => {
  let store: KyselyStore;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let services: ReliefServices;
  let restoreEnv: () => void;

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config, { migrate: true });
    restoreEnv = useDatabase(config);
    services = createServices(store);
    await addSite(services, 's1');
    await addPatient(services, 'p1', 's1', { timeZone: 'Europe/Paris' });
    await addPatient(services, 'p2', 's1', { timeZone: 'Europe/Paris' });
    // p1: a migraine attack over the night of 31 January, a procedure on 1 February.
    await services.diary.put(
      SEEDER,
      'attack',
      'p1',
      'a1',
      {
        id: 'a1',
        start: '2024-01-31T22:00:00+01:00',
        end: '2024-02-01T03:00:00+01:00',
        aura: [{ type: 'visual' }],
      },
      undefined,
    );
    await store.transaction(async (tx) => {
      await tx.insertRecord({
        id: 'proc1',
        patientId: 'p1',
        kind: 'procedure',
        startDate: '2024-02-01',
        endDate: null,
        category: 'fat-transfer',
        siteId: 's1',
        surgeon: 'S1',
        procedureId: null,
        body: { type: 'fat-transfer', date: '2024-02-01' },
        version: 1,
        createdAt: '2024-02-01T00:00:00.000Z',
        updatedAt: '2024-02-01T00:00:00.000Z',
        deletedAt: null,
      });
      await syncAnchors(tx, (await tx.getPatient('p1'))!);
    });
    // p2: a headache-free day on 3 March.
    await services.diary.put(SEEDER, 'daily-record', 'p2', 'd1', { date: '2024-03-03', noHeadache: true }, undefined);
  });

  afterEach(async () => {
    restoreEnv();
    await closeAndDrop(store, config, drop);
  });

  const auditTail = async (n: number) =>
    (await store.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(n).execute())
      .reverse()
      .map((r) => `${r.action} ${r.patient_id ?? '-'} ${r.actor_user_id} ${r.outcome}`);

  async function tamper(): Promise<void> {
    // A column cohort queries read, a count inside the JSON, a missing row and an extra one.
    await store.db
      .updateTable('month_summaries')
      .set({ migraine_days: 9 })
      .where('patient_id', '=', 'p1')
      .where('month', '=', '2024-02')
      .execute();
    const jan = await store.db
      .selectFrom('month_summaries')
      .select('counts')
      .where('patient_id', '=', 'p1')
      .where('month', '=', '2024-01')
      .executeTakeFirstOrThrow();
    const counts = JSON.parse(jan.counts) as PeriodCounts;
    await store.db
      .updateTable('month_summaries')
      .set({ counts: JSON.stringify({ ...counts, attacks: 3 }) })
      .where('patient_id', '=', 'p1')
      .where('month', '=', '2024-01')
      .execute();
    await store.db
      .deleteFrom('period28_summaries')
      .where('patient_id', '=', 'p1')
      .where('period_index', '=', 1)
      .execute();
    await store.db
      .insertInto('month_summaries')
      .values({
        patient_id: 'p2',
        month: '2024-04',
        recorded_days: 2,
        migraine_days: 0,
        headache_days: 0,
        acute_medication_days: 0,
        aura_days: 1,
        medication_overuse: 0,
        counts: JSON.stringify({ ...counts, recordedDays: 2 }),
      })
      .execute();
  }

  test('exits 0 when the summaries match the diary, and audits the check', async () => {
    const res = await run('verify', 'summaries');
    expect(res).toEqual({ code: 0, stdout: 'summaries match the diary: 2 patient(s) checked\n', stderr: '' });
    expect(await auditTail(1)).toEqual(['summaries.verify - operator:cli ok']);
  });

  test('names each difference and exits 1; --repair rewrites them; verify then passes', async () => {
    await tamper();
    const res = await run('verify', 'summaries');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      [
        'summaries DIFFER: 4 difference(s) in 2 of 2 patient(s)',
        '  patient p1  month_summaries 2024-01  attacks: stored 3, expected 1',
        '  patient p1  month_summaries 2024-02  migraine_days: stored 9, expected 1',
        '  patient p1  period28_summaries 2024-02-01#1: row missing (expected recordedDays 1)',
        '  patient p2  month_summaries 2024-04: extra row (stored recordedDays 2)',
        '',
      ].join('\n'),
    );

    const one = await run('verify', 'summaries', '--json', '--patient', 'p2');
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toEqual({
      patients: 1,
      differingPatients: ['p2'],
      differences: [
        {
          patientId: 'p2',
          table: 'month_summaries',
          key: '2024-04',
          problem: 'extra',
          field: null,
          stored: 2,
          expected: null,
        },
      ],
      totalDifferences: 1,
      repaired: [],
    });

    const repaired = await run('verify', 'summaries', '--repair');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('summaries DIFFER: 4 difference(s) in 2 of 2 patient(s)\n');
    expect(repaired.stdout).toContain(
      'repaired: summaries rewritten from the diary for 2 patient(s)\n  patient p1\n  patient p2\n',
    );
    expect(await auditTail(3)).toEqual([
      'summaries.verify - operator:cli ok',
      'summaries.repair p1 operator:cli ok',
      'summaries.repair p2 operator:cli ok',
    ]);

    const after = await run('verify', 'summaries');
    expect(after).toEqual({ code: 0, stdout: 'summaries match the diary: 2 patient(s) checked\n', stderr: '' });
    const feb = await store.read((tx) => tx.listMonthSummaries('p1', { from: '2024-02', to: '2024-02' }));
    expect(feb[0]!.columns.migraineDays).toBe(1);
    expect((await store.read((tx) => tx.listPeriod28Summaries('p1', '2024-02-01'))).map((r) => r.periodIndex)).toEqual([
      0, 1,
    ]);
    expect(await store.read((tx) => tx.listMonthSummaries('p2'))).toHaveLength(1);
  });

  test('takes a sum within rounding of its recount as equal, and names one further off', async () => {
    // January holds the 5-hour attack: durationHoursSum 5. Diary writes change stored sums by
    // differences, so they may drift by rounding; counts must match exactly.
    const setJanuary = async (change: Partial<PeriodCounts>) => {
      const jan = await store.db
        .selectFrom('month_summaries')
        .select('counts')
        .where('patient_id', '=', 'p1')
        .where('month', '=', '2024-01')
        .executeTakeFirstOrThrow();
      const counts = { ...(JSON.parse(jan.counts) as PeriodCounts), ...change };
      await store.db
        .updateTable('month_summaries')
        .set({ counts: JSON.stringify(counts) })
        .where('patient_id', '=', 'p1')
        .where('month', '=', '2024-01')
        .execute();
    };
    await setJanuary({ durationHoursSum: 5 + 4e-15 });
    expect(await run('verify', 'summaries')).toEqual({
      code: 0,
      stdout: 'summaries match the diary: 2 patient(s) checked\n',
      stderr: '',
    });
    await setJanuary({ durationHoursSum: 5.000001, durationCount: 2 });
    const res = await run('verify', 'summaries', '--patient', 'p1');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      [
        'summaries DIFFER: 2 difference(s) in 1 of 1 patient(s)',
        '  patient p1  month_summaries 2024-01  durationHoursSum: stored 5.000001, expected 5',
        '  patient p1  month_summaries 2024-01  durationCount: stored 2, expected 1',
        '',
      ].join('\n'),
    );
  });

  test('names the rows an older Relief stored without aura days; --repair counts them', async () => {
    for (const table of ['month_summaries', 'period28_summaries'] as const) {
      for (const row of await store.db.selectFrom(table).selectAll().execute()) {
        const { auraDays: _unknown, ...counts } = JSON.parse(row.counts) as PeriodCounts;
        await store.db
          .updateTable(table)
          .set({ counts: JSON.stringify(counts) })
          .where('patient_id', '=', row.patient_id)
          .where('counts', '=', row.counts)
          .execute();
      }
    }
    const res = await run('verify', 'summaries');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      [
        'summaries DIFFER: 5 difference(s) in 2 of 2 patient(s)',
        '  patient p1  month_summaries 2024-01  auraDays: stored nothing, expected 1',
        '  patient p1  month_summaries 2024-02  auraDays: stored nothing, expected 1',
        '  patient p1  period28_summaries 2024-02-01#0  auraDays: stored nothing, expected 1',
        '  patient p1  period28_summaries 2024-02-01#1  auraDays: stored nothing, expected 1',
        '  patient p2  month_summaries 2024-03  auraDays: stored nothing, expected 0',
        '',
      ].join('\n'),
    );
    expect((await run('verify', 'summaries', '--repair')).code).toBe(0);
    expect(await run('verify', 'summaries')).toEqual({
      code: 0,
      stdout: 'summaries match the diary: 2 patient(s) checked\n',
      stderr: '',
    });
    const [jan] = await store.read((tx) => tx.listMonthSummaries('p1', { from: '2024-01', to: '2024-01' }));
    expect(jan!.counts.auraDays).toBe(1);
  });

  test('names a column cohorts read that differs from its counts or its body; --repair rewrites it', async () => {
    await services.diary.put(
      SEEDER,
      'questionnaire',
      'p2',
      'q1',
      {
        instrument: 'HIT-6',
        date: '2024-03-03',
        answers: ['never', 'rarely', 'sometimes', 'very-often', 'always', 'always'],
      },
      undefined,
    );
    await services.diary.put(
      SEEDER,
      'questionnaire',
      'p2',
      'q2',
      { instrument: 'PGIC', date: '2024-03-04', answer: 'much-improved' },
      undefined,
    );
    expect((await run('verify', 'summaries')).code).toBe(0);
    const stored = () =>
      store.db.selectFrom('questionnaire_responses').select(['id', 'instrument', 'score']).orderBy('id').execute();
    expect(await stored()).toEqual([
      { id: 'q1', instrument: 'HIT-6', score: 61 },
      { id: 'q2', instrument: 'PGIC', score: 2 },
    ]);

    await store.db
      .updateTable('period28_summaries')
      .set({ aura_days: null })
      .where('patient_id', '=', 'p1')
      .where('period_index', '=', 0)
      .execute();
    await store.db
      .updateTable('month_summaries')
      .set({ medication_overuse: 1 })
      .where('patient_id', '=', 'p2')
      .execute();
    await store.db.updateTable('questionnaire_responses').set({ score: 60 }).where('id', '=', 'q1').execute();
    await store.db
      .updateTable('questionnaire_responses')
      .set({ instrument: null, score: null })
      .where('id', '=', 'q2')
      .execute();
    // proc1 has no recipient sites and no adjuncts.
    await store.db
      .updateTable('registry_records')
      .set({ adjuncts: '["neurectomy"]', trigger_sites: 2 })
      .where('id', '=', 'proc1')
      .execute();
    const res = await run('verify', 'summaries');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      [
        'summaries DIFFER: 7 difference(s) in 2 of 2 patient(s)',
        '  patient p1  period28_summaries 2024-02-01#0  aura_days: stored nothing, expected 1',
        '  patient p1  registry_records proc1  adjuncts: stored ["neurectomy"], expected []',
        '  patient p1  registry_records proc1  trigger_sites: stored 2, expected 0',
        '  patient p2  month_summaries 2024-03  medication_overuse: stored 1, expected 0',
        '  patient p2  questionnaire_responses q1  score: stored 60, expected 61',
        '  patient p2  questionnaire_responses q2  instrument: stored nothing, expected PGIC',
        '  patient p2  questionnaire_responses q2  score: stored nothing, expected 2',
        '',
      ].join('\n'),
    );
    expect((await run('verify', 'summaries', '--repair')).code).toBe(0);
    expect(await run('verify', 'summaries')).toEqual({
      code: 0,
      stdout: 'summaries match the diary: 2 patient(s) checked\n',
      stderr: '',
    });
    expect(await stored()).toEqual([
      { id: 'q1', instrument: 'HIT-6', score: 61 },
      { id: 'q2', instrument: 'PGIC', score: 2 },
    ]);
    const proc1 = store.db
      .selectFrom('registry_records')
      .select(['adjuncts', 'trigger_sites'])
      .where('id', '=', 'proc1');
    expect(await proc1.executeTakeFirst()).toEqual({ adjuncts: '[]', trigger_sites: 0 });
  });

  test('an unknown patient is an error naming it', async () => {
    const res = await run('verify', 'summaries', '--patient', 'nobody');
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'relief: no patient "nobody"\n' });
    expect(await auditTail(1)).toEqual(['summaries.verify - operator:cli not_found']);
  });
});
