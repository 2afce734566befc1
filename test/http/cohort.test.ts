import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cohortStatistics } from '../../src/domain/cohort-stats.js';
import { period28Range } from '../../src/domain/periods.js';
import { cohortResponseSchema } from '../../src/http/cohort-schema.js';
import { addDays } from '../../src/domain/time.js';
import { DiaryImportService, type ImportEntry } from '../../src/services/bulk-import.js';
import { CohortService } from '../../src/services/cohort-service.js';
import { ServiceError } from '../../src/services/errors.js';
import { MIGRAINE_FEATURES } from '../helpers/diary.js';
import { testDatabases } from '../helpers/databases.js';
import { expectClose } from '../stats/reference.js';
import {
  addPatient,
  addSite,
  addUser,
  auditSince,
  auditSeq,
  bearer,
  json,
  ManualClock,
  SEEDER,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';

/**
 * A small registry written through the API and the services, read back as a cohort on 2026-01-01.
 * Periods are [recorded days, migraine days]: each migraine day is an attack with the features of
 * ICHD-3 1.1, the other recorded days are headache-free daily records; 28 recorded days make MMD
 * the raw count, and headache days equal migraine days.
 *
 * pa1 (site A, S1) 2025-01-01: baseline 28/16 (chronic); m1 28/4 (−12, −75 %); m3 28/6 (−10,
 *   −62.5 %); m6 20 recorded days (insufficient); m12 28/2 (−14, −87.5 %). Adverse events: grade I
 *   linked, 2025-01-05; grade IIIa not linked, 2025-07-01.
 * pa2 (site A, S2) 2025-06-01: baseline 28/8 (episodic); m1 28/2 (−6, −75 %); m3 28/8 (0); m6 28/0
 *   (−8, −100 %). Grade II linked, 2025-06-20.
 * pb1 (site B, S3) 2025-03-01: baseline 28/6 (episodic); m1 28/3 (−3, exactly −50 %); nothing
 *   after. Grade IIIb linked, 2025-03-03; a second procedure on 2025-09-01, deleted.
 */

const TODAY = '2026-01-01';

type Periods = Record<number, [number, number]>;

interface Seeded {
  id: string;
  site: string;
  surgeon: string;
  date: string;
  periods: Periods;
  birthYear: number;
  sex: 'female' | 'male';
  conditions: string[];
}

const PATIENTS: Seeded[] = [
  {
    id: 'pa1',
    site: 'site-a',
    surgeon: 'S1',
    date: '2025-01-01',
    periods: { 0: [28, 16], 1: [28, 4], 3: [28, 6], 6: [20, 1], 13: [28, 2] },
    birthYear: 1980,
    sex: 'female',
    conditions: ['migraine'],
  },
  {
    id: 'pa2',
    site: 'site-a',
    surgeon: 'S2',
    date: '2025-06-01',
    periods: { 0: [28, 8], 1: [28, 2], 3: [28, 8], 6: [28, 0] },
    birthYear: 1990,
    sex: 'male',
    conditions: ['migraine', 'occipital-neuralgia'],
  },
  {
    id: 'pb1',
    site: 'site-b',
    surgeon: 'S3',
    date: '2025-03-01',
    periods: { 0: [28, 6], 1: [28, 3] },
    birthYear: 1975,
    sex: 'female',
    conditions: ['migraine'],
  },
];

const EVENTS = [
  { patientId: 'pa1', id: 'ae-a1', grade: 'I', onset: '2025-01-05', procedureId: 'proc-pa1' },
  { patientId: 'pa1', id: 'ae-a2', grade: 'IIIa', onset: '2025-07-01' },
  { patientId: 'pa2', id: 'ae-a3', grade: 'II', onset: '2025-06-20', procedureId: 'proc-pa2' },
  { patientId: 'pb1', id: 'ae-b1', grade: 'IIIb', onset: '2025-03-03', procedureId: 'proc-pb1' },
];

/** The diary entries that give each period its [recorded, migraine] days. */
function diaryOf(p: Seeded): ImportEntry[] {
  const out: ImportEntry[] = [];
  for (const [index, [recorded, migraine]] of Object.entries(p.periods)) {
    const { start } = period28Range(p.date, Number(index));
    for (let i = 0; i < recorded; i++) {
      const date = addDays(start, i);
      if (i < migraine) {
        const id = `${p.id}-a-${date}`;
        out.push({
          kind: 'attack',
          id,
          body: { id, start: `${date}T08:00:00+01:00`, end: `${date}T16:00:00+01:00`, ...MIGRAINE_FEATURES },
        });
      } else {
        out.push({ kind: 'daily-record', id: `${p.id}-d-${date}`, body: { date, noHeadache: true } });
      }
    }
  }
  return out;
}

function procedureBody(p: Seeded, date = p.date) {
  return {
    date,
    surgeon: p.surgeon,
    siteId: p.site,
    donorSites: ['abdomen'],
    harvest: { technique: 'syringe-coleman', cannulaGauge: 14 },
    processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
    recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 3 }],
    adjuncts: p.id === 'pa1' ? ['nerve-decompression'] : [],
    anaesthesia: 'local',
  };
}

const NONE = { I: 0, II: 0, IIIa: 0, IIIb: 0, IVa: 0, IVb: 0, V: 0 };

/** The window fields this test checks, by visit id. */
function windows(body: { windows: Record<string, unknown>[] }) {
  return Object.fromEntries(
    body.windows.map((w) => [
      w.visitId,
      {
        n: w.n,
        nSufficient: w.nSufficient,
        mmdChange: w.mmdChange,
        responders: w.responders,
        complications: w.complications,
      },
    ]),
  );
}

describe.each(testDatabases())('GET /api/v1/cohort on $name', (db) => {
  let api: TestApi;
  const users = {} as Record<'admin' | 'clinicianA' | 'researcherA' | 'researcherNone' | 'patient', SeededUser>;

  const get = (user: SeededUser, query = '') =>
    api.app.inject({ method: 'GET', url: `/api/v1/cohort${query}`, headers: bearer(user.token) });
  const cohort = async (user: SeededUser, query = '') => {
    const res = await get(user, query);
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };

  beforeAll(async () => {
    // Cohorts this small are refused to researchers by default; that rule has a test of its own.
    api = await startApi(db, { clock: new ManualClock(`${TODAY}T09:00:00Z`).now, minResearchCohort: 1 });
    const { services } = api;
    await addSite(services, 'site-a');
    await addSite(services, 'site-b');
    for (const p of PATIENTS) {
      await addPatient(services, p.id, p.site, {
        birthYear: p.birthYear,
        sex: p.sex,
        conditions: p.conditions as never,
      });
    }
    users.admin = await addUser(services, { username: 'root', role: 'admin' });
    users.clinicianA = await addUser(services, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] });
    users.researcherA = await addUser(services, { username: 'res-a', role: 'researcher', siteIds: ['site-a'] });
    users.researcherNone = await addUser(services, { username: 'res-none', role: 'researcher' });
    users.patient = await addUser(services, { username: 'pat-a1', role: 'patient', patientId: 'pa1' });

    const importer = new DiaryImportService(api.store, services.clock);
    const put = async (path: string, payload: object) => {
      const res = await api.app.inject({
        method: 'PUT',
        url: `/api/v1${path}`,
        headers: bearer(users.admin.token),
        payload,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    for (const p of PATIENTS) {
      await importer.importEntries(SEEDER, p.id, diaryOf(p));
      await put(`/patients/${p.id}/procedures/proc-${p.id}`, procedureBody(p));
    }
    for (const { patientId, id, ...e } of EVENTS) {
      await put(`/patients/${patientId}/adverse-events/${id}`, { term: 'complication', relation: 'related', ...e });
    }
    // A deleted procedure is in no cohort.
    await put('/patients/pb1/procedures/proc-pb1-2', procedureBody(PATIENTS[2]!, '2025-09-01'));
    const del = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/patients/pb1/procedures/proc-pb1-2',
      headers: bearer(users.admin.token),
    });
    expect(del.statusCode).toBe(204);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('an admin sees every site: the windows worked by hand', async () => {
    const body = await cohort(users.admin);
    expect(body.asOf).toBe(TODAY);
    expect(body.n).toBe(3);
    expect(windows(body)).toEqual({
      m1: {
        n: 3,
        nSufficient: 3,
        mmdChange: { mean: -7, median: -6 },
        responders: { '50': 3, '75': 2, '100': 0 },
        complications: { ...NONE, I: 1, II: 1, IIIb: 1 },
      },
      m3: {
        // pb1 has no diary in period 3.
        n: 3,
        nSufficient: 2,
        mmdChange: { mean: -5, median: -5 },
        responders: { '50': 1, '75': 0, '100': 0 },
        complications: { ...NONE, I: 1, II: 1, IIIb: 1 },
      },
      m6: {
        // pa1 recorded 20 of 28 days; pb1 nothing.
        n: 3,
        nSufficient: 1,
        mmdChange: { mean: -8, median: -8 },
        responders: { '50': 1, '75': 1, '100': 1 },
        complications: { ...NONE, I: 1, II: 1, IIIb: 1 },
      },
      m12: {
        // Only pa1's period 13 (to 2025-12-30) has ended; its IIIa of 2025-07-01 now counts.
        n: 1,
        nSufficient: 1,
        mmdChange: { mean: -14, median: -14 },
        responders: { '50': 1, '75': 1, '100': 0 },
        complications: { ...NONE, I: 1, IIIa: 1 },
      },
      m24: {
        n: 0,
        nSufficient: 0,
        mmdChange: { mean: null, median: null },
        responders: { '50': 0, '75': 0, '100': 0 },
        complications: NONE,
      },
    });
    const pa1 = body.patients.find((p: { baseline: { mmd: number } }) => p.baseline.mmd === 16);
    expect(pa1).toMatchObject({
      procedureType: 'fat-transfer',
      siteId: 'site-a',
      surgeon: 'S1',
      adjuncts: ['nerve-decompression'],
      age: 45,
      sex: 'female',
      conditions: ['migraine'],
      headacheType: 'chronic',
      baseline: { recordedDays: 28, mmd: 16 },
      durability: { responded: true, time: 13 * 28, event: false },
      complications: [
        { grade: 'I', onsetDay: 4 },
        { grade: 'IIIa', onsetDay: 181 },
      ],
    });
    expect(pa1.windows.map((w: { mmd: number | null }) => w.mmd)).toEqual([4, 6, null, 2, null]);
  });

  test('statistics: recomputable from the rows, worked by hand and with R at 1 month, grouped by site', async () => {
    const body = await cohort(users.admin, '?window=m1&groupBy=site');
    // The answer is what the OpenAPI document says, field for field.
    expect(cohortResponseSchema.safeParse(body).error).toBeUndefined();
    const again = cohortStatistics(body.patients, body.windows, { groupBy: 'site', window: 'm1' });
    expect(body.statistics).toEqual(JSON.parse(JSON.stringify(again)));
    const s = body.statistics;
    expect([s.level, s.window, s.groupBy]).toEqual([0.95, 'm1', 'site']);

    // m1: changes −12, −6 and −3, all at least −50 %. R: prop.test(3, 3, correct = FALSE),
    // t.test(d), wilcox.test(d, conf.int = TRUE) (exact; 95 % is not achievable with 3 values).
    const m1 = s.windows[0];
    expect(m1.responders.map((r: { threshold: number; x: number; n: number }) => [r.threshold, r.x, r.n])).toEqual([
      [50, 3, 3],
      [75, 2, 3],
      [100, 0, 3],
    ]);
    expectClose(m1.responders[0].lower, 0.4385029682449547, 'Wilson lower of 3/3');
    expect(m1.responders[0].upper).toBe(1);
    expect(m1.mmdChange).toMatchObject({ n: 3, mean: -7, median: -6, hodgesLehmann: -6.75 });
    expectClose(m1.mmdChange.meanLower, -18.383749100790279, 't lower');
    expectClose(m1.mmdChange.meanUpper, 4.383749100790279, 't upper');
    expectClose(m1.mmdChange.wilcoxonP, 0.25, 'Wilcoxon p');
    expect([m1.mmdChange.hodgesLehmannLower, m1.mmdChange.hodgesLehmannUpper]).toEqual([-12, -3]);
    // R: attr(wilcox.test(c(-12, -6, -3), conf.int = TRUE)$conf.int, "conf.level") is 0.75.
    expect(m1.mmdChange.hodgesLehmannLevel).toBe(0.75);
    // No questionnaire was recorded.
    expect(m1.midasChange.n).toBe(0);

    // All three responded and none relapsed: pa1 censored on day 364, pa2 on 168 (period 6), pb1 on 28.
    expect(
      s.durability.groups.map((g: { group: string; n: number; events: number; median: number | null; curve: [] }) => [
        g.group,
        g.n,
        g.events,
        g.median,
        g.curve.map((p: { time: number; survival: number }) => [p.time, p.survival]),
      ]),
    ).toEqual([
      [
        'site-a',
        2,
        0,
        null,
        [
          [0, 1],
          [168, 1],
          [364, 1],
        ],
      ],
      [
        'site-b',
        1,
        0,
        null,
        [
          [0, 1],
          [28, 1],
        ],
      ],
    ]);
    // Nobody relapsed: no log-rank test.
    expect(s.durability.logRankP).toBeNull();

    // At m1, site A (2/2) is the reference; site B (1/1) differs by 0, Newcombe −0.793 to 0.658.
    const sites = s.comparisons.find((c: { by: string }) => c.by === 'site');
    expect(sites).toMatchObject({ window: 'm1', reference: 'site-a', unknown: 0 });
    const siteB = sites.groups[1];
    expect(siteB).toMatchObject({ group: 'site-b', x: 1, n: 1, difference: 0 });
    expectClose(siteB.differenceLower, -0.7934506856227626, 'Newcombe lower');
    expectClose(siteB.differenceUpper, 0.6576197724933468, 'Newcombe upper');
    // Three surgeons with one procedure each: the first by name is the reference.
    expect(s.comparisons.find((c: { by: string }) => c.by === 'surgeon').reference).toBe('S1');
    // Everyone responded: every unit is at the overall rate of 1.
    const funnel = s.funnels.find((f: { by: string }) => f.by === 'site');
    expect([funnel.x, funnel.n, funnel.rate]).toEqual([3, 3, 1]);
    expect(funnel.units.map((u: { unit: string; position95: string }) => [u.unit, u.position95])).toEqual([
      ['site-a', 'inside'],
      ['site-b', 'inside'],
    ]);
    // Three procedures are far too few for the regression of response.
    expect(s.predictors.refused).toMatch(/^not fitted: .*at least 80 \(10 per predictor, Peduzzi/);

    // By default: the whole cohort and the 12-month window.
    const plain = (await cohort(users.admin)).statistics;
    expect([plain.window, plain.groupBy, plain.durability.groups.map((g: { group: string }) => g.group)]).toEqual([
      'm12',
      'none',
      ['all'],
    ]);
  });

  test('the OpenAPI document describes the statistics and the new parameters', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const operation = json(res).paths['/api/v1/cohort'].get;
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['asOf', 'filter', 'n', 'windows', 'patients', 'statistics']);
    expect(Object.keys(schema.properties.statistics.properties)).toEqual([
      'level',
      'window',
      'groupBy',
      'windows',
      'durability',
      'comparisons',
      'predictors',
      'funnels',
    ]);
    const parameters = Object.fromEntries(
      operation.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema]),
    );
    expect(parameters.groupBy.enum).toEqual(['none', 'procedureType', 'decompression', 'site', 'surgeon']);
    expect(parameters.window.enum).toEqual(['m1', 'm3', 'm6', 'm12', 'm24']);
  });

  test('the cohort is de-identified: no names, ids or dates of the patients', async () => {
    const text = JSON.stringify(await cohort(users.admin));
    const secrets = [
      ...PATIENTS.flatMap((p) => [`"${p.id}"`, `Patient ${p.id}`, `proc-${p.id}`, p.date]),
      ...EVENTS.flatMap((e) => [e.id, e.onset]),
      'proc-pb1-2',
      '2025-09-01',
      'pat-a1',
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text.match(/\d{4}-\d{2}-\d{2}/g)).toEqual([TODAY]);
    const rows = (await cohort(users.admin)).patients.map((p: { row: string }) => p.row);
    expect(rows).toEqual(['R0001', 'R0002', 'R0003']);
  });

  test('a researcher or clinician of site A sees site A only; without sites, nothing', async () => {
    for (const user of [users.researcherA, users.clinicianA]) {
      const body = await cohort(user);
      expect(body.n).toBe(2);
      expect(body.patients.map((p: { siteId: string }) => p.siteId)).toEqual(['site-a', 'site-a']);
      expect(windows(body).m1).toEqual({
        n: 2,
        nSufficient: 2,
        mmdChange: { mean: -9, median: -9 },
        responders: { '50': 2, '75': 2, '100': 0 },
        complications: { ...NONE, I: 1, II: 1 },
      });
      // Asking for another site gives an empty cohort, not that site's.
      expect((await cohort(user, '?siteId=site-b')).n).toBe(0);
      expect((await cohort(user, '?siteId=site-a,site-b')).n).toBe(2);
    }
    expect((await cohort(users.researcherNone)).n).toBe(0);
  });

  test('each filter narrows the cohort', async () => {
    const baselines = async (query: string) =>
      (await cohort(users.admin, query)).patients.map((p: { baseline: { mmd: number } }) => p.baseline.mmd).sort();
    expect(await baselines('')).toEqual([16, 6, 8].sort());
    expect(await baselines('?siteId=site-b')).toEqual([6]);
    expect(await baselines('?siteId=site-a&siteId=site-b')).toEqual([16, 6, 8].sort());
    expect(await baselines('?siteId=site-a,site-b')).toEqual([16, 6, 8].sort());
    expect(await baselines('?surgeon=S2')).toEqual([8]);
    expect(await baselines('?from=2025-02-01')).toEqual([6, 8].sort());
    expect(await baselines('?to=2025-02-01')).toEqual([16]);
    expect(await baselines('?from=2025-03-01&to=2025-03-01')).toEqual([6]);
    expect(await baselines('?condition=occipital-neuralgia')).toEqual([8]);
    expect(await baselines('?headacheType=chronic')).toEqual([16]);
    expect(await baselines('?headacheType=episodic')).toEqual([6, 8].sort());
    expect(await baselines('?procedureType=fat-transfer&siteId=site-a&headacheType=episodic')).toEqual([8]);
    const b = await cohort(users.admin, '?siteId=site-b');
    expect(b.filter).toEqual({ siteIds: ['site-b'] });
    expect(windows(b).m1).toMatchObject({ n: 1, nSufficient: 1, mmdChange: { mean: -3, median: -3 } });
    expect(windows(b).m1.responders).toEqual({ '50': 1, '75': 0, '100': 0 });
  });

  test('researchers select whole years and see no cohort smaller than five, audited as denied', async () => {
    const guarded = new CohortService(api.store, api.services.clock);
    const researcher = { actor: users.researcherA.ctx.actor, requestId: 'r-small' };
    const before = await auditSeq(api.store);
    // Site A has two procedures: too few to show a researcher, while a clinician sees them.
    const small = await guarded.cohort(researcher, {}).catch((e: unknown) => e);
    expect(small).toBeInstanceOf(ServiceError);
    expect((small as ServiceError).code).toBe('forbidden');
    expect((await guarded.cohort(users.clinicianA.ctx, {})).n).toBe(2);
    // An empty cohort tells nothing and is shown.
    expect((await guarded.cohort(researcher, { siteIds: ['site-b'] })).n).toBe(0);
    const rows = await auditSince(api.store, before);
    expect(rows.map((r) => [r.actorRole, r.outcome])).toEqual([
      ['researcher', 'denied'],
      ['clinician', 'ok'],
      ['researcher', 'ok'],
    ]);

    // Dates narrower than a year would give back the procedure dates that rows leave out.
    const res = await get(users.researcherA, '?from=2025-02-01&to=2025-11-30');
    expect(res.statusCode).toBe(400);
    expect(json(res).error.issues).toEqual([
      { path: 'filter.from', message: 'researchers select whole years: must be a 1 January (YYYY-01-01)' },
      { path: 'filter.to', message: 'researchers select whole years: must be a 31 December (YYYY-12-31)' },
    ]);
    expect((await cohort(users.researcherA, '?from=2025-01-01&to=2025-12-31')).n).toBe(2);
    expect((await cohort(users.clinicianA, '?from=2025-02-01')).n).toBe(1);
  });

  test('each request leaves one audit row naming the filter; a patient is refused', async () => {
    const before = await auditSeq(api.store);
    await cohort(users.researcherA, '?siteId=site-a&headacheType=episodic');
    const rows = await auditSince(api.store, before);
    expect(rows.map(({ at: _at, seq: _seq, prevHash: _p, hash: _h, requestId: _r, ...rest }) => rest)).toEqual([
      {
        actorUserId: users.researcherA.user.id,
        actorRole: 'researcher',
        action: 'cohort.read',
        patientId: null,
        entityType: 'cohort',
        entityId: '{"headacheType":"episodic","siteIds":["site-a"]}',
        outcome: 'ok',
      },
    ]);

    const mid = await auditSeq(api.store);
    const refused = await get(users.patient);
    expect(refused.statusCode).toBe(403);
    expect(json(refused).error.code).toBe('forbidden');
    expect(await auditSince(api.store, mid)).toMatchObject([
      { actorRole: 'patient', action: 'GET /cohort', patientId: null, outcome: 'denied' },
    ]);
    // The service refuses a patient too, whatever calls it.
    await expect(api.services.cohort.cohort(users.patient.ctx, {})).rejects.toMatchObject({ code: 'forbidden' });
    expect((await auditSince(api.store, mid)).at(-1)).toMatchObject({ action: 'cohort.read', outcome: 'denied' });
    const anonymous = await api.app.inject({ method: 'GET', url: '/api/v1/cohort' });
    expect(anonymous.statusCode).toBe(401);
  });

  test('bad filters are 400s naming the parameter, and nothing is audited', async () => {
    const before = await auditSeq(api.store);
    const paths = async (query: string) => {
      const res = await get(users.admin, query);
      expect(res.statusCode).toBe(400);
      return json(res).error.issues.map((i: { path: string }) => i.path);
    };
    expect(await paths('?headacheType=sometimes')).toEqual(['query.headacheType']);
    expect(await paths('?from=2025-02-30')).toEqual(['query.from']);
    expect(await paths('?from=2025-06-01&to=2025-01-01')).toEqual(['query.to']);
    expect(await paths('?siteId=a%20b')).toEqual(['query.siteId.0']);
    expect(await paths('?condition=flu')).toEqual(['query.condition']);
    expect(await paths('?site=site-a')).toEqual(['query']);
    expect(await paths('?groupBy=doctor')).toEqual(['query.groupBy']);
    expect(await paths('?window=m7')).toEqual(['query.window']);
    expect(await paths('?window=baseline&groupBy=site')).toEqual(['query.window']);
    expect(await auditSeq(api.store)).toBe(before);
    // The service checks them too, whatever calls it.
    await expect(api.services.cohort.cohort(users.admin.ctx, {}, { window: 'm7', groupBy: 'x' })).rejects.toMatchObject(
      {
        code: 'invalid',
        issues: [
          { path: 'groupBy', message: expect.any(String) },
          { path: 'window', message: expect.any(String) },
        ],
      },
    );
  });

  test('a window follows a diary edit: the summaries are kept with every write', async () => {
    // pb1's period 3 gets 28 headache-free days: m3 gains a sufficient procedure (−6 → 100 %).
    const pb1 = PATIENTS[2]!;
    const { start } = period28Range(pb1.date, 3);
    const entries: ImportEntry[] = Array.from({ length: 28 }, (_, i) => {
      const date = addDays(start, i);
      return { kind: 'daily-record', id: `pb1-extra-${date}`, body: { date, noHeadache: true } };
    });
    await new DiaryImportService(api.store, api.services.clock).importEntries(SEEDER, 'pb1', entries);
    const m3 = windows(await cohort(users.admin)).m3;
    expect(m3).toMatchObject({ n: 3, nSufficient: 3, responders: { '50': 2, '75': 1, '100': 1 } });
    expect(m3.mmdChange).toEqual({ mean: (-10 + 0 - 6) / 3, median: -6 });
  });
});

describe.each(testDatabases())('cohort durability beyond the last window on $name', (db) => {
  let api: TestApi;
  let admin: SeededUser;

  // 2023-01-01 to 2026-01-01 is 1,096 days: periods 1–39 have ended, well past the 24-month window (period 26).
  // Baseline 12 MMD; period 1 has 3 (−75 %: response from day 0); periods 30 and 31 have 9 each (−25 %):
  // relapse from period 30, on day (30 − 1) × 28 = 812.
  const patient: Seeded = {
    id: 'pd1',
    site: 'site-a',
    surgeon: 'S1',
    date: '2023-01-01',
    periods: { 0: [28, 12], 1: [28, 3], 30: [28, 9], 31: [28, 9] },
    birthYear: 1970,
    sex: 'female',
    conditions: ['migraine'],
  };

  beforeAll(async () => {
    // Cohorts this small are refused to researchers by default; that rule has a test of its own.
    api = await startApi(db, { clock: new ManualClock(`${TODAY}T09:00:00Z`).now, minResearchCohort: 1 });
    await addSite(api.services, 'site-a');
    await addPatient(api.services, patient.id, patient.site, { birthYear: patient.birthYear, sex: patient.sex });
    admin = await addUser(api.services, { username: 'root', role: 'admin' });
    await new DiaryImportService(api.store, api.services.clock).importEntries(SEEDER, patient.id, diaryOf(patient));
    await api.services.registry.put(SEEDER, 'procedure', patient.id, 'proc-pd1', procedureBody(patient), undefined);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('reads every period that has ended, as the patient’s own outcome does', async () => {
    const get = async (url: string) => {
      const res = await api.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(admin.token) });
      expect(res.statusCode, res.body).toBe(200);
      return json(res);
    };
    const outcome = await get(`/patients/${patient.id}/procedures/proc-pd1/outcome`);
    expect(outcome.durability).toMatchObject({ responded: true, relapsed: true, relapseDay: 812, event: true });
    const { patients } = await get('/cohort');
    expect(patients.map((p: { durability: unknown }) => p.durability)).toEqual([
      { responded: true, time: 812, event: true },
    ]);
  });
});
