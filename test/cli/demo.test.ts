import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { addDays } from '../../src/domain/time.js';
import { OPERATOR } from '../../src/cli/server-context.js';
import type { RequestContext } from '../../src/services/actor.js';
import { DiaryImportService, RegistryImportService, type ImportEntry } from '../../src/services/bulk-import.js';
import { InvalidInputError, ServiceError } from '../../src/services/errors.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { cohortCounts, cohortEntries, generateCohort } from '../../src/synthetic/cohort-generator.js';
import { demoRecords } from '../../src/synthetic/registry-generator.js';
import { run, useDatabase } from '../helpers/cli.js';
import { testDatabases } from '../helpers/databases.js';

const DEMO = ['demo', '--patients', '5', '--months', '3', '--seed', '7', '--end-date', '2025-06-30'];
const OPTIONS = { seed: 7, patients: 5, months: 3, endDate: '2025-06-30' };
const cohort = generateCohort(OPTIONS);
const counts = cohortCounts(cohort);

async function tableCounts(store: KyselyStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'sites',
    'patients',
    'attacks',
    'daily_records',
    'medication_intakes',
    'questionnaire_responses',
    'registry_records',
    'audit_log',
  ] as const) {
    const r = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

async function auditActions(store: KyselyStore): Promise<string[]> {
  const rows = await store.db.selectFrom('audit_log').select(['action', 'outcome']).orderBy('seq').execute();
  return rows.map((r) => `${r.action} ${r.outcome}`);
}

test('the small demo cohort is what the test expects', () => {
  // Pinned so that a change in the generator shows here first, not as a puzzling count below.
  expect(counts).toEqual({ sites: 3, patients: 5, procedures: 4, attacks: 110, dailyRecords: 394, questionnaires: 18 });
  expect(cohort.window).toEqual({ startDate: '2025-03-31', endDate: '2025-06-30', days: 92 });
});

describe.each(testDatabases())('relief demo on $name', (db) => {
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let restoreEnv: () => void;

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    restoreEnv = useDatabase(config);
  });

  afterEach(async () => {
    restoreEnv();
    await drop();
  });

  test('--logins creates a clinician, a researcher and a patient login once, with one-time passwords', async () => {
    const first = await run(...DEMO, '--logins');
    expect(first.code, first.stderr).toBe(0);
    const logins = first.stdout.slice(first.stdout.indexOf('Sign-in accounts')).trim().split('\n');
    expect(logins).toHaveLength(4);
    expect(logins[1]).toMatch(/^ {2}demo-clinician +clinician +one-time password: \S{12,}$/);
    expect(logins[2]).toMatch(/^ {2}demo-researcher +researcher +one-time password: \S{12,}$/);
    const patient = cohort.patients.find((p) => p.record.referenceDate !== undefined)!;
    expect(logins[3]).toMatch(
      new RegExp(`^ {2}demo-patient +patient +one-time password: \\S{12,} {2}patient ${patient.id}$`),
    );

    const store = await openStore(config);
    try {
      const services = createServices(store);
      const users = await services.admin.listUsers();
      const byName = new Map(users.map((u) => [u.username, u]));
      expect(byName.get('demo-clinician')).toMatchObject({ role: 'clinician', mustChangePassword: true });
      expect(byName.get('demo-clinician')!.siteIds.sort()).toEqual(cohort.sites.map((s) => s.id).sort());
      expect(byName.get('demo-researcher')).toMatchObject({ role: 'researcher', mustChangePassword: true });
      expect(byName.get('demo-patient')).toMatchObject({ role: 'patient', patientId: patient.id });

      const second = await run(...DEMO, '--logins');
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('  demo-patient     patient    (already there; password unchanged)');
      expect((await services.admin.listUsers()).length).toBe(users.length);
    } finally {
      await store.close();
    }
  });

  test('writes exactly the generated cohort, and a second run adds nothing', async () => {
    const first = await run(...DEMO);
    expect(first.stderr).toBe([20, 40, 60, 80, 100].map((p, i) => `demo: ${p} % (${i + 1}/5 patients)\n`).join(''));
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines.slice(0, 11)).toEqual([
      'Synthetic demo cohort, seed 7: diaries from 2025-03-31 to 2025-06-30 (92 days)',
      '  sites           3 (3 new)',
      '  patients        5 (5 new), 4 with a procedure date',
      '  attacks         110',
      '  daily records   394',
      '  questionnaires  18',
      '  procedures      4',
      '  treatments      12',
      '  adverse events  3',
      '  entries written 522 new, 0 already there',
      '  records written 19 new, 0 already there',
    ]);
    expect(lines[11]).toMatch(/^Done in \d+\.\d s \((SQLite|PostgreSQL) .*\)\. All of it is made up/);

    const store = await openStore(config);
    try {
      const expected = {
        sites: 3,
        patients: 5,
        attacks: 110,
        daily_records: 394,
        medication_intakes: 0,
        questionnaire_responses: 18,
        registry_records: 4 + 12 + 3,
        // One row per site, per patient record, per patient's diary import and per record import
        // of the 4 patients with a procedure.
        audit_log: 3 + 5 + 5 + 4,
      };
      expect(await tableCounts(store)).toEqual(expected);
      // PostgreSQL writes a few patients at once, so only the sites come in a fixed order.
      expect((await auditActions(store)).sort()).toEqual([
        ...Array(5).fill('diary.import ok'),
        ...Array(5).fill('patient.put ok'),
        ...Array(4).fill('registry.import ok'),
        ...Array(3).fill('site.put ok'),
      ]);

      const second = await run(...DEMO);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('  sites           3 (0 new)\n');
      expect(second.stdout).toContain('  patients        5 (0 new), 4 with a procedure date\n');
      expect(second.stdout).toContain('  entries written 0 new, 522 already there\n');
      expect(second.stdout).toContain('  records written 0 new, 19 already there\n');
      expect(await tableCounts(store)).toEqual({ ...expected, audit_log: 2 * (3 + 5 + 5 + 4) });
      expect((await auditActions(store)).slice(17).sort()).toEqual([
        ...Array(5).fill('diary.import unchanged'),
        ...Array(5).fill('patient.put unchanged'),
        ...Array(4).fill('registry.import unchanged'),
        ...Array(3).fill('site.put unchanged'),
      ]);
      const kinds = await store.db
        .selectFrom('registry_records')
        .select(['kind', 'category'])
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .groupBy(['kind', 'category'])
        .orderBy('kind')
        .orderBy('category')
        .execute();
      expect(kinds.map((k) => `${k.kind} ${k.category} ${Number(k.n)}`)).toEqual([
        'adverse-event I 2',
        'adverse-event IIIa 1',
        'procedure fat-transfer 4',
        'treatment botulinum-toxin 1',
        'treatment cgrp-antibody 2',
        'treatment nerve-block 2',
        'treatment oral-preventive 7',
      ]);
      // Every procedure has its 28-day summaries, anchored on its date, from the import.
      const procedures = cohort.patients.filter((p) => p.profile.procedure !== null);
      const anchors = await store.db
        .selectFrom('period28_summaries')
        .select(['patient_id', 'anchor_date'])
        .distinct()
        .orderBy('patient_id')
        .execute();
      expect(anchors.map((a) => [a.patient_id, a.anchor_date])).toEqual(
        procedures.map((p) => [p.id, p.profile.procedure!.date]),
      );
      const versions = await store.db.selectFrom('attacks').select('version').distinct().execute();
      expect(versions.map((v) => v.version)).toEqual([1]);

      // What the services read back is the generated diary, entry for entry.
      const services = createServices(store);
      for (const patient of cohort.patients) {
        const stored = await services.diary.diary(OPERATOR, patient.id);
        const byId = (q: { date: string; instrument: string }) => `${q.date} ${q.instrument}`;
        const sorted = <T extends { date: string; instrument: string }>(qs: T[]) =>
          [...qs].sort((a, b) => (byId(a) < byId(b) ? -1 : 1));
        expect({ ...stored, questionnaires: sorted(stored.questionnaires) }).toEqual({
          ...patient.diary,
          questionnaires: sorted(patient.diary.questionnaires),
        });
        const record = await services.patients.get(OPERATOR, patient.id);
        expect(record).toMatchObject({ ...patient.record, referenceDate: patient.record.referenceDate ?? null });
      }

      const treated = cohort.patients.find((p) => p.profile.procedure !== null)!;
      const analysis = await services.diary.analysis(OPERATOR, treated.id, { now: '2025-07-01T12:00:00Z' });
      // Month, recorded days, headache days; July 1st is recorded by an attack that ran past midnight.
      expect(analysis.months.map((m) => [m.month, m.recordedDays, m.headacheDays])).toEqual([
        ['2025-03', 1, 1],
        ['2025-04', 24, 12],
        ['2025-05', 21, 11],
        ['2025-06', 24, 4],
        ['2025-07', 1, 1],
      ]);
      expect(analysis.months).toEqual(analyzeDiary(treated.diary, { now: Date.parse('2025-07-01T12:00:00Z') }).months);
      expect(analysis.months.reduce((s, m) => s + m.attacks, 0)).toBe(treated.diary.attacks.length);
      expect(analysis.outcomes!.referenceDate).toBe(treated.profile.procedure!.date);
      expect(analysis.questionnaires.length).toBe(treated.diary.questionnaires.length);
    } finally {
      await store.close();
    }
  });

  test('a cohort made with other options is refused, and nothing of it is written', async () => {
    expect((await run(...DEMO)).code).toBe(0);
    const other = await run('demo', '--patients', '5', '--months', '4', '--seed', '7', '--end-date', '2025-06-30');
    expect(other.code).toBe(1);
    // PostgreSQL writes a few patients at once: any of the first may be the one reported.
    expect(other.stderr).toMatch(
      /^relief: demo patient demo-s7-p000[1-4] already exists with other data, made with another --months or --end-date: use the same options, another --seed, or an empty database\n$/,
    );
    const store = await openStore(config);
    try {
      const n = await tableCounts(store);
      expect([n.patients, n.attacks, n.daily_records]).toEqual([5, 110, 394]);
    } finally {
      await store.close();
    }
    // Another seed is another set of patients beside the first.
    expect(
      (await run('demo', '--patients', '2', '--months', '3', '--seed', '8', '--end-date', '2025-06-30')).code,
    ).toBe(0);
    const again = await openStore(config);
    try {
      const ids = await again.db.selectFrom('patients').select('id').orderBy('id').execute();
      expect(ids.map((r) => r.id)).toEqual([
        'demo-s7-p0001',
        'demo-s7-p0002',
        'demo-s7-p0003',
        'demo-s7-p0004',
        'demo-s7-p0005',
        'demo-s8-p0001',
        'demo-s8-p0002',
      ]);
    } finally {
      await again.close();
    }
  });
});

describe('relief demo options', () => {
  test.each([
    [['--patients', '0'], 'relief: --patients: must be a positive whole number, not 0'],
    [['--patients', 'many'], 'relief: --patients: must be a positive whole number, not "many"'],
    [['--patients', '2.5'], 'relief: --patients: must be a positive whole number, not "2.5"'],
    [['--patients', '100001'], 'relief: --patients: must be at most 100,000, not 100001'],
    [['--months', '0'], 'relief: --months: must be a positive whole number, not 0'],
    [['--months', '121'], 'relief: --months: must be at most 120, not 121'],
    [['--seed', '-1'], 'relief: --seed: must be a whole number, not "-1"'],
    [['--seed', '4294967296'], 'relief: --seed: must be at most 4,294,967,295, not 4294967296'],
    [['--end-date', '2025-02-30'], 'relief: --end-date: must be a date YYYY-MM-DD, not "2025-02-30"'],
  ])('%j exits 2 and names the option', async (args, message) => {
    // No database is opened for a bad option: the environment points nowhere usable.
    const restore = useDatabase({ kind: 'sqlite', file: '/nonexistent/relief.sqlite' });
    try {
      const { code, stdout, stderr } = await run('demo', ...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`${message}\n`);
    } finally {
      restore();
    }
  });

  test('an unknown option exits 2', async () => {
    const { code, stderr } = await run('demo', '--patient', '5');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--patient'");
  });
});

describe('the progress bar on a terminal', () => {
  test('is redrawn in place', async () => {
    const { config, drop } = await testDatabases()[0]!.fresh();
    const restore = useDatabase(config);
    const descriptor = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      const { code, stderr } = await run('demo', '--patients', '3', '--months', '1', '--end-date', '2025-06-30');
      expect(code).toBe(0);
      const bar = (done: number) => `\r[${'#'.repeat(done * 10)}${'-'.repeat(30 - done * 10)}] ${done}/3 patients`;
      expect(stderr).toBe(`${bar(1)}${bar(2)}${bar(3)}\n`);
    } finally {
      if (descriptor) Object.defineProperty(process.stderr, 'isTTY', descriptor);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
      restore();
      await drop();
    }
  });
});

describe.each(testDatabases())('DiaryImportService on $name', (db) => {
  let services: ReliefServices;
  let store: KyselyStore;
  let drop: () => Promise<void>;
  const patient = cohort.patients[0]!;
  const entries = cohortEntries(patient);

  beforeEach(async () => {
    const fresh = await db.fresh();
    drop = fresh.drop;
    store = await openStore(fresh.config);
    services = createServices(store, { clock: () => new Date('2025-07-01T00:00:00Z') });
    for (const site of cohort.sites) await services.admin.putSite(OPERATOR, site.id, { name: site.name }, undefined);
    await services.patients.put(OPERATOR, patient.id, patient.record, undefined);
  });

  afterEach(async () => {
    await store.close();
    await drop();
  });

  const importer = () => new DiaryImportService(store, services.clock);
  const rejection = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  };

  test('stores entries as DiaryService.put would, and agrees with it on what is unchanged', async () => {
    const [attack, daily] = [
      entries.find((e) => e.kind === 'attack')!,
      entries.find((e) => e.kind === 'daily-record')!,
    ];
    // One entry through the ordinary PUT first: the import finds it unchanged.
    const put = await services.diary.put(OPERATOR, 'attack', patient.id, attack.id, attack.body, undefined);
    expect(put.status).toBe('created');
    expect(await importer().importEntries(OPERATOR, patient.id, entries)).toEqual({
      created: entries.length - 1,
      unchanged: 1,
    });
    const viaPut = await services.diary.put(OPERATOR, 'daily-record', patient.id, daily.id, daily.body, undefined);
    expect(viaPut.status).toBe('unchanged');
    const row = await store.db
      .selectFrom('daily_records')
      .selectAll()
      .where('id', '=', daily.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      patient_id: patient.id,
      local_date: daily.body.date,
      end_date: daily.body.date,
      instant: null,
      version: 1,
      created_at: '2025-07-01T00:00:00.000Z',
      deleted_at: null,
    });
  });

  test('anything but a new or identical entry fails the whole import, which writes nothing', async () => {
    const attack = entries.find((e) => e.kind === 'attack')!;
    const changed: ImportEntry = { ...attack, body: { ...attack.body, peakIntensity: 1 } };
    await services.diary.put(OPERATOR, 'attack', patient.id, changed.id, changed.body, undefined);
    const conflict = await rejection(importer().importEntries(OPERATOR, patient.id, entries));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toBe(`attack ${attack.id} exists with other content (version 1)`);

    const daily = entries.find((e) => e.kind === 'daily-record')!;
    const sameDay: ImportEntry = { ...daily, id: 'another-id' };
    const twice = await rejection(importer().importEntries(OPERATOR, patient.id, [daily, sameDay]));
    expect(twice.message).toBe(`there is already a daily record for ${String(daily.body.date)}`);

    const invalid = await rejection(
      importer().importEntries(OPERATOR, patient.id, [
        { kind: 'daily-record', id: 'x1', body: { date: '2025-13-01' } },
      ]),
    );
    expect(invalid.code).toBe('invalid');
    expect(invalid.message).toContain('entries.0.body.date');
    const mismatched = await rejection(importer().importEntries(OPERATOR, patient.id, [{ ...attack, id: 'other-id' }]));
    expect(mismatched.message).toBe('entries.0.body.id: must equal the entry id');

    expect(await tableCounts(store)).toMatchObject({ attacks: 1, daily_records: 0, questionnaire_responses: 0 });
    const outcomes = (await auditActions(store)).filter((a) => a.startsWith('diary.import'));
    // Invalid input is refused before any data is read, so only the two conflicts are audited.
    expect(outcomes).toEqual(['diary.import conflict', 'diary.import conflict']);
  });

  test('a clinician of another site cannot import into the patient', async () => {
    const outsider: RequestContext = {
      actor: { ...OPERATOR.actor, userId: 'u-1', role: 'clinician', siteIds: ['demo-site-9'] },
      requestId: null,
    };
    const denied = await rejection(importer().importEntries(outsider, patient.id, entries.slice(0, 3)));
    expect(denied.code).toBe('not_found');
    expect(await tableCounts(store)).toMatchObject({ attacks: 0, daily_records: 0 });
    expect((await auditActions(store)).at(-1)).toBe('diary.import denied');
  });
});

describe.each(testDatabases())('RegistryImportService on $name', (db) => {
  let services: ReliefServices;
  let store: KyselyStore;
  let drop: () => Promise<void>;
  const patient = cohort.patients.find((p) => p.profile.procedure !== null)!;
  const records = demoRecords(patient, OPTIONS.endDate);
  const procedure = records.find((r) => r.kind === 'procedure')!;

  beforeEach(async () => {
    const fresh = await db.fresh();
    drop = fresh.drop;
    store = await openStore(fresh.config);
    services = createServices(store, { clock: () => new Date('2025-07-01T00:00:00Z') });
    for (const site of cohort.sites) await services.admin.putSite(OPERATOR, site.id, { name: site.name }, undefined);
    await services.patients.put(OPERATOR, patient.id, patient.record, undefined);
    await new DiaryImportService(store, services.clock).importEntries(OPERATOR, patient.id, cohortEntries(patient));
  });

  afterEach(async () => {
    await store.close();
    await drop();
  });

  const importer = () => new RegistryImportService(store, services.clock);
  const failure = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  };
  const stored = async () =>
    (await store.db.selectFrom('registry_records').select(['id', 'kind', 'version']).orderBy('id').execute()).map(
      (r) => `${r.kind} ${r.id} v${r.version}`,
    );

  test('writes the records as the registry service would, anchors the summaries, and a repeat is unchanged', async () => {
    expect(await importer().importRecords(OPERATOR, patient.id, records)).toEqual({
      created: records.length,
      unchanged: 0,
    });
    const listed = await services.registry.list(OPERATOR, 'procedure', patient.id);
    expect(listed.map((r) => [r.id, r.data])).toEqual([[procedure.id, { ...procedure.body }]]);
    // The registry service sees the same body as already there.
    const again = await services.registry.put(
      OPERATOR,
      'procedure',
      patient.id,
      procedure.id,
      procedure.body,
      undefined,
    );
    expect(again.status).toBe('unchanged');
    const anchors = await store.db.selectFrom('period28_summaries').select('anchor_date').distinct().execute();
    expect(anchors.map((a) => a.anchor_date)).toEqual([patient.profile.procedure!.date]);
    expect(await importer().importRecords(OPERATOR, patient.id, records)).toEqual({
      created: 0,
      unchanged: records.length,
    });
    expect((await auditActions(store)).filter((a) => a.startsWith('registry.import'))).toEqual([
      'registry.import ok',
      'registry.import unchanged',
    ]);
  });

  test('anything but a new or identical record fails the whole import, which writes nothing', async () => {
    await importer().importRecords(OPERATOR, patient.id, [procedure]);
    const before = await stored();
    const changed = { ...procedure, body: { ...procedure.body, surgeon: 'S9' } };
    const conflict = await failure(importer().importRecords(OPERATOR, patient.id, [...records.slice(1), changed]));
    expect([conflict.code, conflict.message]).toEqual([
      'conflict',
      `procedure ${procedure.id} exists with other content (version 1)`,
    ]);
    const sameId = await failure(
      importer().importRecords(OPERATOR, patient.id, [{ kind: 'treatment', id: procedure.id, body: records[1]!.body }]),
    );
    expect(sameId.message).toBe(`id "${procedure.id}" is already used by a procedure of this patient`);
    const ae = { term: 'seroma', onset: '2025-06-01', grade: 'I', relation: 'related' };
    const orphan = await failure(
      importer().importRecords(OPERATOR, patient.id, [
        { kind: 'adverse-event', id: 'ae-x', body: { ...ae, procedureId: 'elsewhere' } },
      ]),
    );
    expect(orphan.message).toBe('records.0.body.procedureId: no procedure "elsewhere" of this patient');
    const procedureDate = procedure.body.date as string;
    const early = await failure(
      importer().importRecords(OPERATOR, patient.id, [
        {
          kind: 'adverse-event',
          id: 'ae-z',
          body: { ...ae, onset: addDays(procedureDate, -1), procedureId: procedure.id },
        },
      ]),
    );
    expect(early.message).toBe(`records.0.body.onset: must not be before the procedure (${procedureDate})`);
    const nowhere = await failure(
      importer().importRecords(OPERATOR, patient.id, [
        { ...procedure, id: 'proc-x', body: { ...procedure.body, siteId: 'no-such-site' } },
      ]),
    );
    expect(nowhere.message).toBe('records.0.body.siteId: no site "no-such-site"');
    const invalid = await failure(
      importer().importRecords(OPERATOR, patient.id, [
        { kind: 'adverse-event', id: 'ae-y', body: { ...ae, grade: 'VI' } },
        { kind: 'procedure', id: 'bad id', body: procedure.body },
      ]),
    );
    expect(invalid.code).toBe('invalid');
    expect((invalid as InvalidInputError).issues.map((i) => i.path)).toEqual(['records.0.body.grade', 'records.1.id']);
    expect(await stored()).toEqual(before);
  });

  test('researchers, and clinicians of other sites, cannot import', async () => {
    const as = (role: 'researcher' | 'clinician', siteIds: string[]): RequestContext => ({
      actor: { ...OPERATOR.actor, userId: `u-${role}`, role, siteIds },
      requestId: null,
    });
    expect(
      (await failure(importer().importRecords(as('researcher', [patient.record.siteId]), patient.id, records))).code,
    ).toBe('forbidden');
    expect((await failure(importer().importRecords(as('clinician', ['demo-site-9']), patient.id, records))).code).toBe(
      'not_found',
    );
    expect(await stored()).toEqual([]);
    expect((await auditActions(store)).slice(-2)).toEqual(['registry.import denied', 'registry.import denied']);
  });
});
