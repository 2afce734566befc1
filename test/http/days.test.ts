import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysResponseSchema } from '../../src/http/routes-days.js';
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
  SEEDER,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';

/** A day as the calendar reads it, with every field at its "nothing recorded" value unless given. */
const day = (date: string, fields: Record<string, unknown> = {}) => ({
  date,
  recorded: false,
  headache: false,
  migraine: null,
  peakIntensity: null,
  intensityLevel: null,
  acuteMedication: false,
  medicationClasses: [],
  aura: false,
  pain: null,
  confirmedHeadacheFree: false,
  attackIds: [],
  ...fields,
});

describe.each(testDatabases())('GET /patients/:patientId/days on $name', (db) => {
  // "Now" is 19 March 2024, noon in Paris: an attack still going on covers the 18th and the 19th.
  const clock = new ManualClock('2024-03-19T12:00:00+01:00');
  let api: TestApi;
  let patient: SeededUser;
  let clinicianA: SeededUser;
  let clinicianB: SeededUser;

  const get = (user: SeededUser, url: string) =>
    api.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(user.token) });

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    await addSite(api.services, 'site-a');
    await addSite(api.services, 'site-b');
    await addPatient(api.services, 'pd', 'site-a', { birthYear: 1980 });
    await addPatient(api.services, 'po', 'site-a');
    patient = await addUser(api.services, { username: 'days-patient', role: 'patient', patientId: 'pd' });
    clinicianA = await addUser(api.services, { username: 'days-clin-a', role: 'clinician', siteIds: ['site-a'] });
    clinicianB = await addUser(api.services, { username: 'days-clin-b', role: 'clinician', siteIds: ['site-b'] });
    const put = (kind: 'attack' | 'daily-record' | 'medication', id: string, body: Record<string, unknown>) =>
      api.services.diary.put(SEEDER, kind, 'pd', id, body, undefined);
    // 10→11 March: a migraine from 22:00 to 03:00 (moderate, 6), ibuprofen at 22:30 on the 10th.
    await put('attack', 'a1', {
      ...MIGRAINE_FEATURES,
      id: 'a1',
      start: '2024-03-10T22:00:00+01:00',
      end: '2024-03-11T03:00:00+01:00',
      peakIntensity: 6,
      medications: [{ name: 'ibuprofen', class: 'non-opioid-analgesic', takenAt: '2024-03-10T22:30:00+01:00' }],
    });
    // 11 March: a second, severe attack (8) the same day.
    await put('attack', 'a2', {
      ...MIGRAINE_FEATURES,
      id: 'a2',
      start: '2024-03-11T10:00:00+01:00',
      end: '2024-03-11T16:00:00+01:00',
      peakIntensity: 8,
    });
    // 12 March: only a triptan logged (a migraine day by the medication rule, intensity unknown).
    await put('medication', 'm12', { name: 'sumatriptan', class: 'triptan', date: '2024-03-12' });
    // 13 March: confirmed headache-free. 14 March: nothing at all.
    await put('daily-record', 'd13', { date: '2024-03-13', noHeadache: true });
    // 15 March: a mild headache summarised by day, nerve pain 4.
    await put('daily-record', 'd15', { date: '2024-03-15', headache: { intensityLevel: 'mild' }, pain: 4 });
    // 16 March: headache-free but ibuprofen taken (for something else).
    await put('daily-record', 'd16', {
      date: '2024-03-16',
      noHeadache: true,
      medications: [{ name: 'ibuprofen', class: 'non-opioid-analgesic' }],
    });
    // 18 March, 20:00: an attack with no end yet (mild, 3).
    await put('attack', 'a3', { id: 'a3', start: '2024-03-18T20:00:00+01:00', peakIntensity: 3 });
  });
  afterAll(() => api.close());

  it('describes each day by the rules of the analysis', async () => {
    const res = await get(patient, '/patients/pd/days?from=2024-03-09&to=2024-03-20');
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    expect(daysResponseSchema.safeParse(body).success).toBe(true);
    expect(body.items).toEqual([
      day('2024-03-09'),
      day('2024-03-10', {
        recorded: true,
        headache: true,
        migraine: true,
        peakIntensity: 6,
        intensityLevel: 'moderate',
        acuteMedication: true,
        medicationClasses: ['non-opioid-analgesic'],
        attackIds: ['a1'],
      }),
      // The attack over midnight covers the 11th too; the day's intensity is its highest attack's.
      day('2024-03-11', {
        recorded: true,
        headache: true,
        migraine: true,
        peakIntensity: 8,
        intensityLevel: 'severe',
        attackIds: ['a1', 'a2'],
      }),
      day('2024-03-12', {
        recorded: true,
        headache: true,
        migraine: true,
        acuteMedication: true,
        medicationClasses: ['triptan'],
      }),
      day('2024-03-13', {
        recorded: true,
        migraine: false,
        intensityLevel: 'none',
        confirmedHeadacheFree: true,
      }),
      // Not recorded is not headache-free.
      day('2024-03-14'),
      day('2024-03-15', { recorded: true, headache: true, intensityLevel: 'mild', pain: 4 }),
      day('2024-03-16', {
        recorded: true,
        migraine: false,
        intensityLevel: 'none',
        acuteMedication: true,
        medicationClasses: ['non-opioid-analgesic'],
        confirmedHeadacheFree: true,
      }),
      day('2024-03-17'),
      // The ongoing attack covers its start day and today, not tomorrow.
      day('2024-03-18', {
        recorded: true,
        headache: true,
        migraine: null,
        peakIntensity: 3,
        intensityLevel: 'mild',
        attackIds: ['a3'],
      }),
      day('2024-03-19', {
        recorded: true,
        headache: true,
        migraine: null,
        peakIntensity: 3,
        intensityLevel: 'mild',
        attackIds: ['a3'],
      }),
      day('2024-03-20'),
    ]);
  });

  it('finds an attack that began before the range', async () => {
    const res = await get(clinicianA, '/patients/pd/days?from=2024-03-11&to=2024-03-11');
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).items.map((d: { attackIds: string[] }) => d.attackIds)).toEqual([['a1', 'a2']]);
  });

  it('audits the read', async () => {
    const seq = await auditSeq(api.store);
    const res = await get(patient, '/patients/pd/days?from=2024-03-01&to=2024-03-31');
    expect(res.statusCode).toBe(200);
    expect(json(res).items).toHaveLength(31);
    const rows = await auditSince(api.store, seq);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'days.read',
      actorUserId: patient.user.id,
      patientId: 'pd',
      outcome: 'ok',
    });
  });

  it('answers 404 for a patient the caller may not see, and audits the refusal', async () => {
    const seq = await auditSeq(api.store);
    const other = await get(patient, '/patients/po/days?from=2024-03-01&to=2024-03-31');
    expect(other.statusCode).toBe(404);
    const otherSite = await get(clinicianB, '/patients/pd/days?from=2024-03-01&to=2024-03-31');
    expect(otherSite.statusCode).toBe(404);
    const missing = await get(clinicianA, '/patients/nobody/days?from=2024-03-01&to=2024-03-31');
    expect(missing.statusCode).toBe(404);
    const rows = await auditSince(api.store, seq);
    expect(rows.map((r) => [r.action, r.patientId, r.outcome])).toEqual([
      ['days.read', 'po', 'denied'],
      ['days.read', 'pd', 'denied'],
      ['days.read', 'nobody', 'not_found'],
    ]);
  });

  it('refuses a bad range with a 400 naming the field, before reading anything', async () => {
    const seq = await auditSeq(api.store);
    const paths = async (query: string) => {
      const res = await get(patient, `/patients/pd/days${query}`);
      expect(res.statusCode, res.body).toBe(400);
      return json(res)
        .error.issues.map((i: { path: string }) => i.path)
        .sort();
    };
    expect(await paths('?from=2024-03-01')).toEqual(['query.to']);
    expect(await paths('?to=2024-03-01')).toEqual(['query.from']);
    expect(await paths('?from=2024-02-30&to=2024-03-01')).toEqual(['query.from']);
    expect(await paths('?from=2024-03-02&to=2024-03-01')).toEqual(['query.to']);
    // 1 January to 1 January of the next (leap) year is 367 days; to 31 December is 366.
    expect(await paths('?from=2024-01-01&to=2025-01-01')).toEqual(['query.to']);
    expect(await paths('?from=2024-01-01&to=2024-03-01&extra=1')).toEqual(['query']);
    const whole = await get(patient, '/patients/pd/days?from=2024-01-01&to=2024-12-31');
    expect(whole.statusCode).toBe(200);
    expect(json(whole).items).toHaveLength(366);
    const rows = await auditSince(api.store, seq);
    expect(rows.map((r) => r.action)).toEqual(['days.read']);
  });
});
