import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/databases.js';
import { FLAG_CLOCK, FLAG_PATIENTS, seedFlagPatients } from '../helpers/flag-patients.js';
import {
  addUser,
  auditSeq,
  auditSince,
  bearer,
  json,
  ManualClock,
  type SeededUser,
  startApi,
  type TestApi,
} from '../helpers/api.js';

interface Row {
  patientId: string;
  displayName: string;
  siteId: string;
  status: string;
  latestProcedure: { id: string; date: string; type: string } | null;
  flags: { flag: string }[];
}

const SITE_A = FLAG_PATIENTS.filter((p) => p.siteId === 'site-a');
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);

describe.each(testDatabases())('the patient list with flags (GET /patient-overview) on $name', (db) => {
  const clock = new ManualClock(FLAG_CLOCK);
  let api: TestApi;
  let admin: SeededUser;
  let clinicianA: SeededUser;
  let clinicianB: SeededUser;
  let patient: SeededUser;
  let researcher: SeededUser;

  const get = async (user: SeededUser, query = '', status = 200) => {
    const res = await api.app.inject({
      method: 'GET',
      url: `/api/v1/patient-overview${query}`,
      headers: bearer(user.token),
    });
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  const ids = (page: { items: Row[] }) => page.items.map((r) => r.patientId);
  const flagsOf = (page: { items: Row[] }) =>
    Object.fromEntries(page.items.map((r) => [r.patientId, r.flags.map((f) => f.flag)]));

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    await seedFlagPatients(api.services);
    admin = await addUser(api.services, { username: 'root', role: 'admin' });
    clinicianA = await addUser(api.services, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] });
    clinicianB = await addUser(api.services, { username: 'clin-b', role: 'clinician', siteIds: ['site-b'] });
    patient = await addUser(api.services, { username: 'pat-olivia', role: 'patient', patientId: 'p-olivia' });
    researcher = await addUser(api.services, { username: 'res-a', role: 'researcher', siteIds: ['site-a'] });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('flags exactly the patients whose numbers cross each threshold, and none at the boundary', async () => {
    const page = await get(clinicianA);
    expect(flagsOf(page)).toEqual(Object.fromEntries(SITE_A.map((p) => [p.id, p.flags])));
    expect(Object.fromEntries(page.items.map((r: Row) => [r.patientId, r.status]))).toEqual(
      Object.fromEntries(SITE_A.map((p) => [p.id, p.status])),
    );
    expect(page.total).toBe(SITE_A.length);
    expect(page.nextOffset).toBeNull();
  });

  it('gives the numbers behind each flag', async () => {
    const rows: Record<string, Row & { flags: Record<string, unknown>[] }> = Object.fromEntries(
      (await get(clinicianA)).items.map((r: Row) => [r.patientId, r]),
    );
    expect(rows['p-lars']!.flags).toEqual([
      {
        flag: 'low-compliance',
        from: '2024-06-04',
        to: '2024-07-01',
        recordedDays: 22,
        days: 28,
        compliance: 22 / 28,
        threshold: 0.8,
      },
    ]);
    expect(rows['p-gus']!.flags[1]).toMatchObject({ flag: 'low-compliance', recordedDays: 10 });
    expect(rows['p-mia']!.flags).toEqual([
      {
        flag: 'medication-overuse',
        month: '2024-06',
        monthInProgress: false,
        headacheDays: 0,
        rules: [{ code: '8.2.2', name: 'triptan overuse', days: 10, thresholdDays: 10, level: 'risk' }],
      },
    ]);
    expect(rows['p-felix']!.flags).toEqual([
      {
        flag: 'follow-up-overdue',
        visits: [
          {
            procedureId: 'proc-p-felix',
            procedureDate: '2024-05-16',
            visitId: 'm1',
            label: '1 month',
            dueDate: '2024-06-16',
            closes: '2024-06-30',
            daysOverdue: 1,
            missing: ['HIT-6', 'PGIC'],
          },
        ],
      },
    ]);
    expect(rows['p-walter']!.flags).toEqual([
      {
        flag: 'worsening',
        procedureId: 'proc-p-walter',
        procedureDate: '2024-05-01',
        visitId: 'm1',
        label: '1 month',
        baselineMmd: 4,
        mmd: 5,
        mmdChange: 1,
        mhiPercentChange: 25,
      },
    ]);
    // More migraine days per 28 than at baseline (27 of 28 days recorded) is no worsening by itself:
    // only Guyuron's rule (MHI up ≥ 10 %) is a sourced one.
    const sam = await api.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p-sam/procedures/proc-p-sam/outcome',
      headers: bearer(clinicianA.token),
    });
    const m1 = json(sam).visits.find((v: { visitId: string }) => v.visitId === 'm1');
    expect(m1).toMatchObject({ status: 'complete', mmd: (4 * 28) / 27, guyuron: { worsening: false } });
    expect(m1.mhiPercentChange).toBeCloseTo((28 / 27 - 1) * 100, 9);
    expect(rows['p-sam']!.flags).toEqual([]);
    expect(rows['p-walter']!.latestProcedure).toEqual({
      id: 'proc-p-walter',
      date: '2024-05-01',
      type: 'fat-transfer',
      siteId: 'site-a',
    });
    expect(rows['p-olivia']).toMatchObject({
      displayName: 'Olivia Allclear',
      siteId: 'site-a',
      birthYear: 1980,
      sex: 'female',
      conditions: ['migraine'],
      today: '2024-07-01',
      latestProcedure: null,
      procedureCount: 0,
      flags: [],
    });
  });

  it('lists the most flagged first, then by name; or by name, or by latest procedure', async () => {
    const flagged = [...SITE_A].sort((a, b) => b.flags.length - a.flags.length || byName(a, b));
    expect(ids(await get(clinicianA))).toEqual(flagged.map((p) => p.id));
    expect(ids(await get(clinicianA, '?sort=name'))).toEqual([...SITE_A].sort(byName).map((p) => p.id));
    expect(ids(await get(clinicianA, '?sort=procedure')).slice(0, 4)).toEqual([
      'p-dora', // 17 May
      'p-felix', // 16 May
      'p-sam', // 1 May, by name
      'p-walter',
    ]);
  });

  it('filters by flag (any of those named), status, procedure type, site and name', async () => {
    expect(ids(await get(clinicianA, '?flag=worsening'))).toEqual(['p-walter']);
    expect(ids(await get(clinicianA, '?flag=low-compliance,medication-overuse'))).toEqual(['p-gus', 'p-lars', 'p-mia']);
    expect(ids(await get(clinicianA, '?flag=follow-up-overdue&flag=worsening'))).toEqual(['p-felix', 'p-walter']);
    expect(ids(await get(clinicianA, '?status=in-follow-up&sort=name'))).toEqual([
      'p-dora',
      'p-felix',
      'p-sam',
      'p-walter',
    ]);
    expect((await get(clinicianA, '?status=no-procedure')).total).toBe(6);
    expect(ids(await get(clinicianA, '?procedureType=fat-transfer&sort=name'))).toEqual([
      'p-dora',
      'p-felix',
      'p-sam',
      'p-walter',
    ]);
    expect(ids(await get(clinicianA, '?status=in-follow-up&flag=worsening'))).toEqual(['p-walter']);
    // A part of the name, any case, or of the id.
    expect(ids(await get(clinicianA, '?q=TRIP'))).toEqual(['p-mia']);
    expect(ids(await get(clinicianA, '?q=p-ot'))).toEqual(['p-otto']);
    expect(ids(await get(clinicianA, '?q=nobody'))).toEqual([]);
    expect(ids(await get(clinicianA, '?siteId=site-a&flag=worsening'))).toEqual(['p-walter']);
  });

  it('pages through the ordered list', async () => {
    const all = ids(await get(clinicianA));
    const first = await get(clinicianA, '?limit=4');
    expect(ids(first)).toEqual(all.slice(0, 4));
    expect(first).toMatchObject({ total: all.length, nextOffset: 4 });
    const last = await get(clinicianA, '?limit=4&offset=8');
    expect(ids(last)).toEqual(all.slice(8));
    expect(last.nextOffset).toBeNull();
  });

  it('never shows a clinician another site’s patients; an admin sees every site', async () => {
    expect(ids(await get(clinicianA))).not.toContain('p-bea');
    expect(await get(clinicianA, '?siteId=site-b')).toEqual({ items: [], total: 0, nextOffset: null });
    expect(ids(await get(clinicianA, '?q=Bea'))).toEqual([]);
    expect(flagsOf(await get(clinicianB))).toEqual({ 'p-bea': ['low-compliance'] });
    expect((await get(admin, '?sort=name')).total).toBe(FLAG_PATIENTS.length);
    expect(ids(await get(admin, '?siteId=site-b'))).toEqual(['p-bea']);
  });

  it('refuses patients and researchers (403), audited as denied', async () => {
    for (const user of [patient, researcher]) {
      const seq = await auditSeq(api.store);
      const body = await get(user, '', 403);
      expect(body.error.code).toBe('forbidden');
      expect(JSON.stringify(body)).not.toContain('Olivia');
      const rows = await auditSince(api.store, seq);
      expect(rows.map((r) => [r.actorUserId, r.outcome, r.patientId])).toEqual([[user.user.id, 'denied', null]]);
    }
  });

  it('writes one audit row per patient on the page, and one for an empty page', async () => {
    let seq = await auditSeq(api.store);
    const page = await get(clinicianA, '?limit=3&offset=2');
    const rows = await auditSince(api.store, seq);
    expect(rows.map((r) => r.patientId)).toEqual(ids(page));
    for (const r of rows) {
      expect(r).toMatchObject({
        action: 'patient.overview',
        actorUserId: clinicianA.user.id,
        entityType: 'patient',
        entityId: r.patientId,
        outcome: 'ok',
      });
    }
    seq = await auditSeq(api.store);
    await get(clinicianA, '?q=nobody');
    expect((await auditSince(api.store, seq)).map((r) => [r.action, r.patientId])).toEqual([
      ['patient.overview', null],
    ]);
  });

  it('rejects a bad filter naming the parameter, and lists nobody', async () => {
    const seq = await auditSeq(api.store);
    const body = await get(clinicianA, '?flag=bogus&status=done&limit=0&sort=age', 400);
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'query.flag.0',
      'query.limit',
      'query.sort',
      'query.status.0',
    ]);
    expect(await auditSince(api.store, seq)).toEqual([]);
  });
});
