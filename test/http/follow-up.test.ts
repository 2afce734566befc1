import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/time.js';
import { testDatabases } from '../helpers/databases.js';
import { MIGRAINE_FEATURES } from '../helpers/diary.js';
import {
  addPatient,
  addSite,
  addUser,
  auditSeq,
  auditSince,
  bearer,
  json,
  ManualClock,
  type SeededUser,
  type TestApi,
  startApi,
} from '../helpers/api.js';

/** A procedure body done at a site on a date. */
function procedure(siteId: string, date: string): Record<string, unknown> {
  return {
    date,
    surgeon: 'S01',
    siteId,
    donorSites: ['abdomen'],
    harvest: { technique: 'syringe-coleman' },
    processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
    recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
    anaesthesia: 'local',
  };
}

const midas = (date: string, items: number[]) => ({
  instrument: 'MIDAS',
  date,
  answers: {
    missedWorkOrSchool: items[0],
    reducedWorkOrSchool: items[1],
    missedHousework: items[2],
    reducedHousework: items[3],
    missedFamilySocialLeisure: items[4],
  },
});

describe.each(testDatabases())('follow-up and outcomes through the API on $name', (db) => {
  const clock = new ManualClock('2024-07-01T10:00:00Z');
  /** Sets the clock to an instant (tests run in order, each setting the time it needs). */
  const at = (instant: string) => clock.advance(Date.parse(instant) - clock.now().getTime());
  let api: TestApi;
  let admin: SeededUser;
  let clinicianA: SeededUser;
  let clinicianB: SeededUser;
  let patient1: SeededUser;

  const get = async (user: SeededUser, url: string, status = 200) => {
    const res = await api.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(user.token) });
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  const put = async (user: SeededUser, url: string, payload: Record<string, unknown>) => {
    const res = await api.app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: bearer(user.token), payload });
    expect(res.statusCode, res.body).toBe(201);
  };

  /**
   * The patient writes 28 days from `start`: a 6-hour migraine attack on each day offset in
   * `migraine`, "no headache" on the others, nothing on the offsets in `blank`.
   */
  async function writePeriod(start: string, migraine: number[], blank: number[] = []) {
    for (let k = 0; k < 28; k++) {
      if (blank.includes(k)) continue;
      const date = addDays(start, k);
      if (migraine.includes(k)) {
        const id = `attack-${date}`;
        await put(patient1, `/patients/p1/attacks/${id}`, {
          ...MIGRAINE_FEATURES,
          id,
          start: `${date}T08:00:00+01:00`,
          end: `${date}T14:00:00+01:00`,
        });
      } else {
        await put(patient1, `/patients/p1/daily-records/day-${date}`, { date, noHeadache: true });
      }
    }
  }

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    const { services } = api;
    await addSite(services, 'site-a');
    await addSite(services, 'site-b');
    // Europe/Paris (the helper's default): local dates are Paris dates.
    await addPatient(services, 'p1', 'site-a');
    await addPatient(services, 'p2', 'site-a');
    await addPatient(services, 'p3', 'site-b');
    admin = await addUser(services, { username: 'root', role: 'admin' });
    clinicianA = await addUser(services, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] });
    clinicianB = await addUser(services, { username: 'clin-b', role: 'clinician', siteIds: ['site-b'] });
    patient1 = await addUser(services, { username: 'pat-1', role: 'patient', patientId: 'p1' });

    // p1: the hand-worked patient, procedure on 2024-03-01.
    await put(clinicianA, '/patients/p1/procedures/proc-1', procedure('site-a', '2024-03-01'));
    // Period 0 (baseline, 2024-02-02 .. 02-29): 28 days recorded, 12 migraine days.
    await writePeriod('2024-02-02', [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    // Period 1 (03-01 .. 03-28): 28 days, 4 migraine days.
    await writePeriod('2024-03-01', [1, 8, 15, 22]);
    // Period 2 (03-29 .. 04-25): 28 days, 8 migraine days.
    await writePeriod('2024-03-29', [0, 3, 6, 9, 12, 15, 18, 21]);
    // Period 3 (04-26 .. 05-23): 26 days recorded (the last two blank), 5 migraine days.
    await writePeriod('2024-04-26', [0, 5, 10, 15, 20], [26, 27]);
    await put(patient1, '/patients/p1/questionnaires/q-midas-0', midas('2024-02-20', [10, 8, 6, 4, 2]));
    await put(patient1, '/patients/p1/questionnaires/q-midas-3', midas('2024-06-01', [2, 2, 1, 1, 0]));
    await put(patient1, '/patients/p1/questionnaires/q-pgic-3', {
      instrument: 'PGIC',
      date: '2024-06-01',
      answer: 'much-improved',
    });

    // p2 (site A) and p3 (site B): a procedure on 2024-01-31, nothing else.
    await put(clinicianA, '/patients/p2/procedures/proc-2', procedure('site-a', '2024-01-31'));
    await put(clinicianB, '/patients/p3/procedures/proc-3', procedure('site-b', '2024-01-31'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('returns the hand-worked outcome: MMD, responders, questionnaire change and durability', async () => {
    at('2024-07-01T10:00:00Z');
    const o = await get(clinicianA, '/patients/p1/procedures/proc-1/outcome');
    expect(o).toMatchObject({
      patientId: 'p1',
      procedureId: 'proc-1',
      procedureDate: '2024-03-01',
      today: '2024-07-01',
    });
    // Baseline: 12 migraine days in 28 recorded days = 12 MMD; MIDAS 10 + 8 + 6 + 4 + 2 = 30.
    expect(o.baseline.summary).toMatchObject({ start: '2024-02-02', end: '2024-02-29', recordedDays: 28 });
    expect(o.baseline.mmd).toBe(12);
    expect(o.baseline.midas).toEqual({ score: 30, date: '2024-02-20' });

    const [m1, m3, m6] = o.visits;
    // 1 month: 4 MMD, −8, −66.7 %: a 50 % responder, not 75 %.
    expect(m1).toMatchObject({ visitId: 'm1', status: 'complete', mmd: 4, mmdChange: -8 });
    expect(m1.responders).toEqual([
      { threshold: 0.5, responder: true },
      { threshold: 0.75, responder: false },
      { threshold: 1, responder: false },
    ]);
    // 3 months: 5 × 28 / 26 = 5.3846 MMD, change −6.6154, −55.1 %: a 50 % responder, not 75 %.
    expect(m3).toMatchObject({ visitId: 'm3', status: 'complete', dueDate: '2024-06-01' });
    expect(m3.summary).toMatchObject({ start: '2024-04-26', end: '2024-05-23', recordedDays: 26, migraineDays: 5 });
    expect(m3.mmd).toBeCloseTo(5.384615384615, 10);
    expect(m3.mmdChange).toBeCloseTo(-6.615384615385, 10);
    expect(m3.mmdPercentChange).toBeCloseTo(-55.128205128205, 9);
    expect(m3.responders.map((r: { responder: boolean }) => r.responder)).toEqual([true, false, false]);
    // MIDAS 2 + 2 + 1 + 1 + 0 = 6 against 30.
    expect(m3.questionnaires).toEqual({
      midas: { baseline: 30, value: 6, date: '2024-06-01', change: -24 },
      hit6: null,
      pgic: { answer: 'much-improved', score: 2, improved: true, date: '2024-06-01' },
    });
    expect(m6).toMatchObject({ visitId: 'm6', status: 'not-started' });

    // Durability: period 1 responds (−66.7 %, from day 0); period 2 falls short (−33.3 %) but
    // period 3 responds again (−55.1 %): no relapse; censored at the end of period 3, day 84.
    expect(o.durability).toMatchObject({
      evaluable: true,
      baselineMmd: 12,
      responded: true,
      responseDay: 0,
      relapsed: false,
      relapseDay: null,
      censoredDay: 84,
      time: 84,
      event: false,
    });
    expect(o.durability.periods.map((p: { mmd: number }) => p.mmd)).toEqual([4, 8, expect.closeTo(5.3846, 4)]);
  });

  it('evaluates a period once it has ended, and takes an "as of" date', async () => {
    // With period 3 still running (its last day is 2024-05-23), period 2 alone falls short: no relapse yet.
    const before = await get(clinicianA, '/patients/p1/procedures/proc-1/outcome?today=2024-05-22');
    expect(before.today).toBe('2024-05-22');
    expect(before.durability).toMatchObject({ relapsed: false, censoredDay: 56, time: 56, event: false });
    expect(before.visits[1]).toMatchObject({ visitId: 'm3', status: 'in-progress' });
  });

  it('answers 404 for a missing procedure, and for another patient’s procedure', async () => {
    await get(clinicianA, '/patients/p1/procedures/nope/outcome', 404);
    const seq = await auditSeq(api.store);
    await get(clinicianA, '/patients/p1/procedures/proc-2/outcome', 404);
    const rows = await auditSince(api.store, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'outcome.read', patientId: 'p1', entityId: 'proc-2', outcome: 'denied' });
  });

  it('shows the patient their own schedule: what is done, due and missing', async () => {
    at('2024-05-22T10:00:00Z');
    const s = await get(patient1, '/patients/p1/follow-up');
    expect(s).toMatchObject({ patientId: 'p1', today: '2024-05-22' });
    expect(s.procedures).toHaveLength(1);
    const visits = s.procedures[0].visits;
    expect(visits.map((v: { visitId: string; status: string }) => [v.visitId, v.status])).toEqual([
      ['baseline', 'overdue'], // HIT-6 was never answered
      ['m1', 'overdue'], // nor HIT-6 or PGIC at 1 month
      ['m3', 'due'], // window 2024-05-18 .. 06-29
      ['m6', 'upcoming'],
      ['m12', 'upcoming'],
      ['m24', 'upcoming'],
    ]);
    expect(visits[0].instruments).toEqual([
      { instrument: 'MIDAS', status: 'done', date: '2024-02-20' },
      { instrument: 'HIT-6', status: 'missing' },
      { instrument: 'diary', status: 'done', compliance: 1 },
    ]);
    // Period 3 (04-26 .. 05-23) is still running on 05-22: 26 days recorded of the 27 so far.
    expect(visits[2].instruments).toEqual([
      { instrument: 'MIDAS', status: 'pending' },
      { instrument: 'HIT-6', status: 'pending' },
      { instrument: 'PGIC', status: 'pending' },
      { instrument: 'diary', status: 'pending', compliance: 26 / 27 },
    ]);
    // Another patient's schedule is not found for the patient, nor for a clinician of another site.
    await get(patient1, '/patients/p2/follow-up', 404);
    await get(clinicianB, '/patients/p1/follow-up', 404);
  });

  /** p2's rows of the due list at an instant (p2: procedure 2024-01-31; 1-month window 02-22 .. 03-14). */
  const p2Rows = async (instant: string, query = '') => {
    at(instant);
    const { items } = await get(clinicianA, `/follow-ups${query}`);
    return (items as { patientId: string; visitId: string; status: string }[])
      .filter((r) => r.patientId === 'p2')
      .map((r) => `${r.visitId} ${r.status}`);
  };

  it('lists due and overdue visits on the exact boundary dates', async () => {
    // The day before the 1-month window opens: only the baseline (closed on 01-31) is overdue.
    expect(await p2Rows('2024-02-21T12:00:00Z')).toEqual(['baseline overdue']);
    expect(await p2Rows('2024-02-22T12:00:00Z')).toEqual(['baseline overdue', 'm1 due']);
    expect(await p2Rows('2024-03-14T12:00:00Z')).toEqual(['baseline overdue', 'm1 due']);
    expect(await p2Rows('2024-03-15T12:00:00Z')).toEqual(['baseline overdue', 'm1 overdue']);
    // The patient's local date decides: 23:30 UTC on 02-21 is already 02-22 in Paris.
    expect(await p2Rows('2024-02-21T23:30:00Z')).toEqual(['baseline overdue', 'm1 due']);
    // Only one status when asked.
    expect(await p2Rows('2024-02-22T12:00:00Z', '?status=due')).toEqual(['m1 due']);
    expect(await p2Rows('2024-02-22T12:00:00Z', '?status=overdue')).toEqual(['baseline overdue']);
  });

  it('gives the row’s window and missing instruments, and audits one row per patient listed', async () => {
    at('2024-02-22T12:00:00Z');
    const seq = await auditSeq(api.store);
    const { items } = await get(clinicianA, '/follow-ups');
    // p1's baseline window (2024-02-02 .. 03-01) is open; the list is ordered by due date.
    expect(items).toEqual([
      {
        patientId: 'p2',
        displayName: 'Patient p2',
        procedureId: 'proc-2',
        procedureDate: '2024-01-31',
        visitId: 'baseline',
        label: 'Baseline',
        dueDate: '2024-01-31',
        opens: '2024-01-03',
        closes: '2024-01-31',
        status: 'overdue',
        missing: ['MIDAS', 'HIT-6', 'diary'],
      },
      {
        patientId: 'p2',
        displayName: 'Patient p2',
        procedureId: 'proc-2',
        procedureDate: '2024-01-31',
        visitId: 'm1',
        label: '1 month',
        dueDate: '2024-02-29',
        opens: '2024-02-22',
        closes: '2024-03-14',
        status: 'due',
        missing: ['HIT-6', 'PGIC', 'diary'],
      },
      {
        patientId: 'p1',
        displayName: 'Patient p1',
        procedureId: 'proc-1',
        procedureDate: '2024-03-01',
        visitId: 'baseline',
        label: 'Baseline',
        dueDate: '2024-03-01',
        opens: '2024-02-02',
        closes: '2024-03-01',
        status: 'due',
        // MIDAS was answered on 02-20; the baseline diary period ends on 02-29.
        missing: ['HIT-6', 'diary'],
      },
    ]);
    const rows = await auditSince(api.store, seq);
    expect(rows.map((r) => [r.action, r.patientId, r.actorUserId, r.outcome])).toEqual([
      ['follow-up.list', 'p2', clinicianA.user.id, 'ok'],
      ['follow-up.list', 'p1', clinicianA.user.id, 'ok'],
    ]);
  });

  it('shows a clinician the patients of their own sites only; an admin sees every site', async () => {
    at('2024-02-22T12:00:00Z');
    const patients = async (user: SeededUser, query = '') =>
      [
        ...new Set(((await get(user, `/follow-ups${query}`)).items as { patientId: string }[]).map((r) => r.patientId)),
      ].sort();
    expect(await patients(clinicianA)).toEqual(['p1', 'p2']);
    expect(await patients(clinicianB)).toEqual(['p3']);
    expect(await patients(admin)).toEqual(['p1', 'p2', 'p3']);
    expect(await patients(admin, '?siteId=site-b')).toEqual(['p3']);
    // Naming another site gives an empty list, not an error that confirms the site.
    expect(await patients(clinicianA, '?siteId=site-b')).toEqual([]);
    // Patients do not list follow-ups; a bad status is a 400 naming the field.
    await get(patient1, '/follow-ups', 403);
    const bad = await get(clinicianA, '/follow-ups?status=late', 400);
    expect(JSON.stringify(bad)).toContain('status');
  });
});
