import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPreferences, type PatientPreferences } from '../../src/domain/patient-preferences.js';
import {
  addPatient,
  addSite,
  addUser,
  auditSeq,
  auditSince,
  bearer,
  json,
  ManualClock,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';
import { testDatabases } from '../helpers/databases.js';

const CHOSEN: PatientPreferences = {
  factors: ['stress', 'sleep', 'menstruation', 'foods', 'weather'],
  foods: ['chocolate', 'aged cheese'],
  intensityScale: 'numbers',
  askPreventive: false,
  askNeuropathicPain: false,
  usualMedications: [
    { name: 'sumatriptan', class: 'triptan', doseMg: 50 },
    { name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400 },
  ],
};

describe.each(testDatabases())('patient preferences on $name', (db) => {
  const clock = new ManualClock('2025-03-01T08:00:00Z');
  let api: TestApi;
  let patient1: SeededUser;
  let patient2: SeededUser;
  let clinA: SeededUser;
  let clinB: SeededUser;
  let researcher: SeededUser;

  const call = (
    user: SeededUser,
    method: 'GET' | 'PUT',
    patientId: string,
    options: { body?: unknown; ifMatch?: number } = {},
  ): Promise<LightMyRequestResponse> =>
    api.app.inject({
      method,
      url: `/api/v1/patients/${patientId}/preferences`,
      headers: { ...bearer(user.token), ...(options.ifMatch !== undefined && { 'if-match': `"${options.ifMatch}"` }) },
      ...(options.body !== undefined && { payload: options.body as object }),
    });
  const stored = (patientId: string) => api.store.transaction((tx) => tx.getPatientPreferences(patientId));
  /** The request's audit rows: who, what, whose, outcome. */
  const audited = async (send: () => Promise<LightMyRequestResponse>) => {
    const seq = await auditSeq(api.store);
    const res = await send();
    const audit = (await auditSince(api.store, seq)).map((r) => ({
      actor: r.actorUserId,
      action: r.action,
      patientId: r.patientId,
      entityType: r.entityType,
      entityId: r.entityId,
      outcome: r.outcome,
    }));
    return { res, audit };
  };

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    const s = api.services;
    await addSite(s, 'site-a');
    await addSite(s, 'site-b');
    await addPatient(s, 'p1', 'site-a');
    await addPatient(s, 'p2', 'site-a', { conditions: ['migraine', 'occipital-neuralgia'] });
    await addPatient(s, 'p3', 'site-b');
    patient1 = await addUser(s, { username: 'pat-1', role: 'patient', patientId: 'p1' });
    patient2 = await addUser(s, { username: 'pat-2', role: 'patient', patientId: 'p2' });
    clinA = await addUser(s, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] });
    clinB = await addUser(s, { username: 'clin-b', role: 'clinician', siteIds: ['site-b'] });
    researcher = await addUser(s, { username: 'res-a', role: 'researcher', siteIds: ['site-a'] });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('answers the defaults with version 0 until the patient chooses; neuropathic pain by condition', async () => {
    const first = await audited(() => call(patient1, 'GET', 'p1'));
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers.etag).toBe('"0"');
    expect(json(first.res)).toEqual({
      patientId: 'p1',
      version: 0,
      updatedAt: null,
      data: {
        factors: [],
        foods: [],
        intensityScale: 'levels',
        askPreventive: true,
        askNeuropathicPain: false,
        usualMedications: [],
      },
    });
    expect(first.audit).toEqual([
      {
        actor: patient1.user.id,
        action: 'preferences.read',
        patientId: 'p1',
        entityType: 'preferences',
        entityId: 'p1',
        outcome: 'ok',
      },
    ]);
    // A patient with a neuropathic condition is asked for 0–10 pain unless they turn it off.
    const p2 = json(await call(patient2, 'GET', 'p2'));
    expect(p2.data.askNeuropathicPain).toBe(true);
    expect(p2.data).toEqual(defaultPreferences(['migraine', 'occipital-neuralgia']));
    expect(await stored('p1')).toBeUndefined();
  });

  it('stores what the patient chose; the same again is unchanged; a change needs If-Match', async () => {
    const created = await audited(() => call(patient1, 'PUT', 'p1', { body: CHOSEN }));
    expect(created.res.statusCode, created.res.body).toBe(201);
    expect(created.res.headers.etag).toBe('"1"');
    expect(json(created.res)).toEqual({
      status: 'created',
      patientId: 'p1',
      version: 1,
      updatedAt: clock.now().toISOString(),
      data: CHOSEN,
    });
    expect(created.audit).toEqual([
      {
        actor: patient1.user.id,
        action: 'preferences.put',
        patientId: 'p1',
        entityType: 'preferences',
        entityId: 'p1',
        outcome: 'ok',
      },
    ]);
    const read = await call(patient1, 'GET', 'p1');
    expect(read.headers.etag).toBe('"1"');
    expect(json(read)).toMatchObject({ version: 1, data: CHOSEN });
    expect(await stored('p1')).toMatchObject({ patientId: 'p1', version: 1, body: CHOSEN });

    // A retry of the same body, in any key order, changes nothing.
    const reordered = Object.fromEntries(Object.entries(CHOSEN).reverse());
    const again = await audited(() => call(patient1, 'PUT', 'p1', { body: reordered }));
    expect(again.res.statusCode).toBe(200);
    expect(json(again.res)).toMatchObject({ status: 'unchanged', version: 1 });
    expect(again.audit.map((a) => a.outcome)).toEqual(['unchanged']);

    const changed = { ...CHOSEN, factors: ['stress', 'caffeine'], askPreventive: true };
    const blind = await audited(() => call(patient1, 'PUT', 'p1', { body: changed }));
    expect(blind.res.statusCode).toBe(409);
    expect(json(blind.res).error).toMatchObject({ code: 'conflict', reason: 'version_required', currentVersion: 1 });
    expect(blind.audit.map((a) => a.outcome)).toEqual(['conflict']);
    const stale = await call(patient1, 'PUT', 'p1', { body: changed, ifMatch: 0 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error).toMatchObject({ reason: 'version_conflict', currentVersion: 1 });
    expect(await stored('p1')).toMatchObject({ version: 1, body: CHOSEN });

    clock.advance(60_000);
    // The care team may change them too (the patient-data rule).
    const updated = await call(clinA, 'PUT', 'p1', { body: changed, ifMatch: 1 });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(json(updated)).toEqual({
      status: 'updated',
      patientId: 'p1',
      version: 2,
      updatedAt: clock.now().toISOString(),
      data: changed,
    });
    expect(await stored('p1')).toMatchObject({ version: 2, body: changed, createdAt: '2025-03-01T08:00:00.000Z' });
  });

  it('a first write may name version 0 (the defaults) and no other', async () => {
    const body = { ...defaultPreferences(['migraine']), factors: ['noise'] };
    const wrong = await call(clinA, 'PUT', 'p2', { body, ifMatch: 3 });
    expect(wrong.statusCode).toBe(409);
    expect(json(wrong).error).toMatchObject({ reason: 'version_conflict', currentVersion: 0 });
    expect(await stored('p2')).toBeUndefined();
    const first = await call(patient2, 'PUT', 'p2', { body, ifMatch: 0 });
    expect(first.statusCode).toBe(201);
    expect(json(first)).toMatchObject({ status: 'created', version: 1, data: body });
  });

  it('invalid preferences are refused naming each field, and nothing is written', async () => {
    const before = await stored('p3');
    const bad = {
      ...CHOSEN,
      factors: ['stress', 'moon phase', 'stress'],
      foods: ['chocolate', 'Chocolate', 'sleep hours'],
      intensityScale: 'colours',
      usualMedications: [{ name: 'sumatriptan', class: 'herbal' }],
    };
    const res = await call(clinB, 'PUT', 'p3', { body: bad });
    expect(res.statusCode).toBe(400);
    const issues = json(res).error.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['body.factors.1', 'body.foods.1', 'body.foods.2', 'body.intensityScale', 'body.usualMedications.0.class'].sort(),
    );
    expect(issues.find((i) => i.path === 'body.foods.1')?.message).toBe('food "Chocolate" is listed twice');
    expect(issues.find((i) => i.path === 'body.foods.2')?.message).toBe('is the name of another factor');
    const missing = await call(clinB, 'PUT', 'p3', { body: { factors: ['stress'] } });
    expect(missing.statusCode).toBe(400);
    expect((json(missing).error.issues as { path: string }[]).map((i) => i.path)).toEqual([
      'body.foods',
      'body.intensityScale',
      'body.askPreventive',
      'body.askNeuropathicPain',
      'body.usualMedications',
    ]);
    // The service validates too, with the same names (for callers other than HTTP).
    await expect(
      api.services.preferences.put(clinB.ctx, 'p3', { ...CHOSEN, foods: [''] }, undefined),
    ).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'body.foods.0' }] });
    expect(await stored('p3')).toEqual(before);
  });

  it('another patient’s preferences, and another site’s, read as not found (audited as denied)', async () => {
    const other = await audited(() => call(patient2, 'GET', 'p1'));
    expect(other.res.statusCode).toBe(404);
    expect(other.audit).toEqual([
      {
        actor: patient2.user.id,
        action: 'preferences.read',
        patientId: 'p1',
        entityType: 'preferences',
        entityId: 'p1',
        outcome: 'denied',
      },
    ]);
    const before = await stored('p1');
    const write = await audited(() => call(patient2, 'PUT', 'p1', { body: CHOSEN, ifMatch: before!.version }));
    expect(write.res.statusCode).toBe(404);
    expect(write.audit.map((a) => [a.action, a.outcome])).toEqual([['preferences.put', 'denied']]);
    expect(await stored('p1')).toEqual(before);
    expect((await call(clinB, 'GET', 'p1')).statusCode).toBe(404);
    expect((await call(clinA, 'GET', 'p3')).statusCode).toBe(404);
    expect((await call(clinA, 'GET', 'nobody')).statusCode).toBe(404);
    expect((await call(researcher, 'GET', 'p1')).statusCode).toBe(403);
  });
});
