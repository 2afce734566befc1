import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { OPERATOR } from '../../src/cli/server-context.js';
import type { RequestContext } from '../../src/services/actor.js';
import { DiaryImportService, type ImportEntry } from '../../src/services/bulk-import.js';
import { ServiceError } from '../../src/services/errors.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { cohortCounts, cohortEntries, generateCohort } from '../../src/synthetic/cohort-generator.js';
import { testDatabases } from '../helpers/databases.js';

/** Runs the CLI in-process and captures what it prints. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Points the CLI at `config` through its environment variables; returns the undo. */
function useDatabase(config: DatabaseConfig): () => void {
  const saved = { dir: process.env.RELIEF_DATA_DIR, url: process.env.RELIEF_DATABASE_URL };
  if (config.kind === 'sqlite') {
    process.env.RELIEF_DATA_DIR = path.dirname(config.file);
    delete process.env.RELIEF_DATABASE_URL;
  } else {
    process.env.RELIEF_DATABASE_URL = config.url;
    delete process.env.RELIEF_DATA_DIR;
  }
  return () => {
    for (const [key, value] of [
      ['RELIEF_DATA_DIR', saved.dir],
      ['RELIEF_DATABASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

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
  expect(counts).toEqual({ sites: 3, patients: 5, procedures: 4, attacks: 110, dailyRecords: 394, questionnaires: 12 });
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

  test('writes exactly the generated cohort, and a second run adds nothing', async () => {
    const first = await run(...DEMO);
    expect(first.stderr).toBe([20, 40, 60, 80, 100].map((p, i) => `demo: ${p} % (${i + 1}/5 patients)\n`).join(''));
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'Synthetic demo cohort, seed 7: diaries from 2025-03-31 to 2025-06-30 (92 days)',
      '  sites           3 (3 new)',
      '  patients        5 (5 new), 4 with a procedure date',
      '  attacks         110',
      '  daily records   394',
      '  questionnaires  12',
      '  entries written 516 new, 0 already there',
    ]);
    expect(lines[7]).toMatch(/^Done in \d+\.\d s \((SQLite|PostgreSQL) .*\)\. All of it is made up/);

    const store = await openStore(config);
    try {
      const expected = {
        sites: 3,
        patients: 5,
        attacks: 110,
        daily_records: 394,
        medication_intakes: 0,
        questionnaire_responses: 12,
        // One row per site, per patient record and per patient's diary import.
        audit_log: 3 + 5 + 5,
      };
      expect(await tableCounts(store)).toEqual(expected);
      // PostgreSQL writes a few patients at once, so only the sites come in a fixed order.
      expect((await auditActions(store)).sort()).toEqual([
        ...Array(5).fill('diary.import ok'),
        ...Array(5).fill('patient.put ok'),
        ...Array(3).fill('site.put ok'),
      ]);

      const second = await run(...DEMO);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('  sites           3 (0 new)\n');
      expect(second.stdout).toContain('  patients        5 (0 new), 4 with a procedure date\n');
      expect(second.stdout).toContain('  entries written 0 new, 516 already there\n');
      expect(await tableCounts(store)).toEqual({ ...expected, audit_log: 2 * (3 + 5 + 5) });
      expect((await auditActions(store)).slice(13).sort()).toEqual([
        ...Array(5).fill('diary.import unchanged'),
        ...Array(5).fill('patient.put unchanged'),
        ...Array(3).fill('site.put unchanged'),
      ]);
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
