import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { InvalidInputError } from '../../src/services/errors.js';
import type { AuditRow } from '../../src/services/model.js';
import type { RecordKind } from '../../src/services/registry-model.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { testDatabases } from '../helpers/databases.js';
import { MIGRAINE_FEATURES } from '../helpers/diary.js';
import {
  addPatient,
  addSite,
  addUser,
  auditSeq,
  auditSince,
  bearer,
  countAll,
  json,
  ManualClock,
  SEEDER,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';

const NOW = '2024-06-01T12:00:00.000Z';

const SEGMENT: Record<RecordKind, string> = {
  procedure: 'procedures',
  treatment: 'treatments',
  'adverse-event': 'adverse-events',
};

const PROCEDURE = {
  date: '2024-05-01',
  surgeon: 'S01',
  siteId: 'site-a',
  donorSites: ['abdomen'],
  harvest: { technique: 'syringe-coleman', cannulaGauge: 14 },
  processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
  recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
  anaesthesia: 'local',
};

interface KindCase {
  kind: RecordKind;
  body: Record<string, unknown>;
  /** The body as stored: defaults filled in. */
  stored: Record<string, unknown>;
  changed: Record<string, unknown>;
  /** Columns after the change. */
  columns: Record<string, unknown>;
  invalid: Record<string, unknown>;
  invalidPath: string;
}

const KINDS: KindCase[] = [
  {
    kind: 'procedure',
    body: PROCEDURE,
    stored: { type: 'fat-transfer', ...PROCEDURE, adjuncts: [] },
    changed: { ...PROCEDURE, date: '2024-05-02', durationMinutes: 95 },
    columns: {
      startDate: '2024-05-02',
      endDate: null,
      category: 'fat-transfer',
      siteId: 'site-a',
      surgeon: 'S01',
      procedureId: null,
    },
    invalid: { ...PROCEDURE, processing: { method: 'decantation', centrifugeG: 1200 } },
    invalidPath: 'body.processing.method',
  },
  {
    kind: 'treatment',
    body: { type: 'oral-preventive', drug: 'topiramate', preventiveClass: 'anticonvulsant', start: '2023-01-01' },
    stored: { type: 'oral-preventive', drug: 'topiramate', preventiveClass: 'anticonvulsant', start: '2023-01-01' },
    changed: {
      type: 'oral-preventive',
      drug: 'topiramate',
      preventiveClass: 'anticonvulsant',
      start: '2023-01-01',
      stop: '2023-06-01',
      stopReason: 'side-effects',
    },
    columns: {
      startDate: '2023-01-01',
      endDate: '2023-06-01',
      category: 'oral-preventive',
      siteId: null,
      surgeon: null,
      procedureId: null,
    },
    invalid: {
      type: 'oral-preventive',
      drug: 'x',
      preventiveClass: 'tricyclic',
      start: '2023-02-01',
      stop: '2023-01-01',
    },
    invalidPath: 'body.stop',
  },
  {
    kind: 'adverse-event',
    body: { term: 'donor-site haematoma', onset: '2024-05-03', grade: 'I', relation: 'related' },
    stored: { term: 'donor-site haematoma', onset: '2024-05-03', grade: 'I', relation: 'related' },
    changed: {
      term: 'donor-site haematoma',
      onset: '2024-05-03',
      resolved: '2024-05-20',
      grade: 'IIIa',
      relation: 'related',
    },
    columns: {
      startDate: '2024-05-03',
      endDate: '2024-05-20',
      category: 'IIIa',
      siteId: null,
      surgeon: null,
      procedureId: null,
    },
    invalid: { term: 'seroma', onset: '2024-05-03', grade: 'VI', relation: 'related' },
    invalidPath: 'body.grade',
  },
];

/** Row counts of the registry tables and of every table countAll knows. */
async function counts(store: KyselyStore): Promise<Record<string, number>> {
  const out = await countAll(store);
  for (const table of ['registry_records', 'candidacy_assessments', 'site_settings'] as const) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

const strip = (rows: AuditRow[]) =>
  rows.map((r) => ({
    actor: r.actorUserId,
    action: r.action,
    patientId: r.patientId,
    entityType: r.entityType,
    entityId: r.entityId,
    outcome: r.outcome,
  }));

describe.each(testDatabases())('registry API on $name', (db) => {
  const clock = new ManualClock(NOW);
  let api: TestApi;
  let admin: SeededUser;
  let clinA: SeededUser;
  let clinB: SeededUser;
  let patient1: SeededUser;
  let researcher: SeededUser;

  type Method = 'GET' | 'PUT' | 'DELETE';
  const call = (
    user: SeededUser,
    method: Method,
    path: string,
    options: { body?: unknown; ifMatch?: number; query?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> =>
    api.app.inject({
      method,
      url: `/api/v1${path}`,
      query: options.query,
      headers: { ...bearer(user.token), ...(options.ifMatch !== undefined && { 'if-match': `"${options.ifMatch}"` }) },
      ...(options.body !== undefined && { payload: options.body as object }),
    });
  const recordPath = (patientId: string, kind: RecordKind, id?: string) =>
    `/patients/${patientId}/${SEGMENT[kind]}${id === undefined ? '' : `/${id}`}`;

  /** Runs a request and returns it with the audit rows it appended. */
  const audited = async (send: () => Promise<LightMyRequestResponse>) => {
    const seq = await auditSeq(api.store);
    const res = await send();
    return { res, audit: strip(await auditSince(api.store, seq)) };
  };
  /** Asserts the request wrote nothing but (optionally) audit rows. */
  const writesNothing = async (send: () => Promise<LightMyRequestResponse>, auditRows = 0) => {
    const before = await counts(api.store);
    const res = await send();
    expect(await counts(api.store)).toEqual({ ...before, audit_log: before.audit_log! + auditRows });
    return res;
  };

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    const s = api.services;
    await addSite(s, 'site-a');
    await addSite(s, 'site-b');
    await addPatient(s, 'p1', 'site-a', { timeZone: 'UTC' });
    await addPatient(s, 'p2', 'site-a', { timeZone: 'UTC' });
    await addPatient(s, 'p3', 'site-b', { timeZone: 'UTC' });
    admin = await addUser(s, { username: 'root', role: 'admin' });
    clinA = await addUser(s, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] });
    clinB = await addUser(s, { username: 'clin-b', role: 'clinician', siteIds: ['site-b'] });
    patient1 = await addUser(s, { username: 'pat-1', role: 'patient', patientId: 'p1' });
    researcher = await addUser(s, { username: 'res', role: 'researcher', siteIds: ['site-a'] });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  describe.each(KINDS)('$kind records', (k) => {
    const id = `${k.kind}-1`;
    const path = () => recordPath('p1', k.kind, id);

    it('creates, finds the same body unchanged, needs If-Match for a change, updates, deletes and restores', async () => {
      const t0 = clock.now().toISOString();
      const created = await audited(() => call(clinA, 'PUT', path(), { body: k.body }));
      expect(created.res.statusCode, created.res.body).toBe(201);
      expect(created.res.headers.etag).toBe('"1"');
      expect(json(created.res)).toEqual({
        status: 'created',
        id,
        patientId: 'p1',
        kind: k.kind,
        version: 1,
        createdAt: t0,
        updatedAt: t0,
        data: k.stored,
      });
      expect(created.audit).toEqual([
        {
          actor: clinA.user.id,
          action: `${k.kind}.put`,
          patientId: 'p1',
          entityType: k.kind,
          entityId: id,
          outcome: 'ok',
        },
      ]);

      // A retry of the same body changes nothing.
      const again = await audited(() => call(clinA, 'PUT', path(), { body: k.body }));
      expect(again.res.statusCode).toBe(200);
      expect(json(again.res)).toMatchObject({ status: 'unchanged', version: 1 });
      expect(again.audit.map((a) => a.outcome)).toEqual(['unchanged']);

      // Other content without the version it was based on is refused and writes nothing but its audit row.
      const blind = await writesNothing(() => call(clinA, 'PUT', path(), { body: k.changed }), 1);
      expect(blind.statusCode).toBe(409);
      expect(json(blind).error).toMatchObject({ code: 'conflict', reason: 'version_required', currentVersion: 1 });

      clock.advance(60_000);
      const later = clock.now().toISOString();
      const updated = await call(admin, 'PUT', path(), { body: k.changed, ifMatch: 1 });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.headers.etag).toBe('"2"');
      expect(json(updated)).toMatchObject({ status: 'updated', version: 2, createdAt: t0, updatedAt: later });
      const stored = await api.store.transaction((tx) => tx.getRecord(k.kind, id));
      expect(stored).toMatchObject({ ...k.columns, version: 2, deletedAt: null });

      const stale = await call(clinA, 'PUT', path(), { body: k.body, ifMatch: 1 });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error).toMatchObject({ reason: 'version_conflict', currentVersion: 2 });

      // Reads: the care team and the patient; the list has it.
      const read = await audited(() => call(patient1, 'GET', path()));
      expect(read.res.statusCode).toBe(200);
      expect(read.res.headers.etag).toBe('"2"');
      expect(json(read.res)).toMatchObject({ id, version: 2, kind: k.kind });
      expect(read.audit).toEqual([
        {
          actor: patient1.user.id,
          action: `${k.kind}.read`,
          patientId: 'p1',
          entityType: k.kind,
          entityId: id,
          outcome: 'ok',
        },
      ]);
      const listed = await audited(() => call(clinA, 'GET', recordPath('p1', k.kind)));
      expect(json(listed.res).items.map((r: { id: string }) => r.id)).toEqual([id]);
      expect(listed.audit).toEqual([
        {
          actor: clinA.user.id,
          action: `${k.kind}.list`,
          patientId: 'p1',
          entityType: k.kind,
          entityId: null,
          outcome: 'ok',
        },
      ]);

      // Delete: a tombstone, gone from reads and lists; again is a no-op.
      const deleted = await audited(() => call(clinA, 'DELETE', path()));
      expect(deleted.res.statusCode).toBe(204);
      expect(deleted.audit.map((a) => [a.action, a.outcome])).toEqual([[`${k.kind}.delete`, 'ok']]);
      expect(await api.store.transaction((tx) => tx.getRecord(k.kind, id))).toMatchObject({
        version: 3,
        deletedAt: later,
      });
      expect((await call(clinA, 'GET', path())).statusCode).toBe(404);
      expect(json(await call(clinA, 'GET', recordPath('p1', k.kind))).items).toEqual([]);
      const twice = await audited(() => call(clinA, 'DELETE', path()));
      expect(twice.res.statusCode).toBe(204);
      expect(twice.audit.map((a) => a.outcome)).toEqual(['unchanged']);

      // An old retry cannot bring it back; with the tombstone's version it can.
      const retry = await call(clinA, 'PUT', path(), { body: k.changed });
      expect(retry.statusCode).toBe(409);
      expect(json(retry).error).toMatchObject({ reason: 'version_required', currentVersion: 3 });
      const restored = await call(clinA, 'PUT', path(), { body: k.changed, ifMatch: 3 });
      expect(restored.statusCode).toBe(200);
      expect(json(restored)).toMatchObject({ status: 'updated', version: 4 });
      expect(await api.store.transaction((tx) => tx.getRecord(k.kind, id))).toMatchObject({
        version: 4,
        deletedAt: null,
      });
    });

    it('refuses an invalid body naming the field, writing nothing at all', async () => {
      const res = await writesNothing(() =>
        call(clinA, 'PUT', recordPath('p1', k.kind, `${k.kind}-bad`), { body: k.invalid }),
      );
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe('invalid');
      expect(json(res).error.issues.map((i: { path: string }) => i.path)).toEqual([k.invalidPath]);
    });

    it('the service checks the body too (the CLI calls it directly)', async () => {
      const before = await counts(api.store);
      const attempt = api.services.registry.put(SEEDER, k.kind, 'p1', `${k.kind}-svc`, k.invalid, undefined);
      await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
      await expect(attempt).rejects.toMatchObject({ issues: [{ path: k.invalidPath }] });
      expect(await counts(api.store)).toEqual(before);
    });

    it('patients and researchers cannot write; a clinician of another site sees no patient; all audited', async () => {
      const newId = `${k.kind}-refused`;
      for (const [user, status] of [
        [patient1, 403],
        [researcher, 403],
        [clinB, 404],
      ] as const) {
        const { res, audit } = await audited(() =>
          call(user, 'PUT', recordPath('p1', k.kind, newId), { body: k.body }),
        );
        expect(res.statusCode).toBe(status);
        expect(audit).toEqual([expect.objectContaining({ actor: user.user.id, patientId: 'p1', outcome: 'denied' })]);
      }
      expect(await api.store.transaction((tx) => tx.getRecord(k.kind, newId))).toBeUndefined();
      // The service refuses a patient even when called directly.
      await expect(
        api.services.registry.put(patient1.ctx, k.kind, 'p1', newId, k.body, undefined),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(api.services.registry.delete(patient1.ctx, k.kind, 'p1', id, undefined)).rejects.toMatchObject({
        code: 'forbidden',
      });
      const hidden = await audited(() => call(clinB, 'GET', recordPath('p1', k.kind, id)));
      expect(hidden.res.statusCode).toBe(404);
      expect(hidden.audit.map((a) => a.outcome)).toEqual(['denied']);
    });

    it('another patient’s record id reads as not found, is audited as denied and stays as it was', async () => {
      const before = await api.store.transaction((tx) => tx.getRecord(k.kind, id));
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const { res, audit } = await audited(() =>
          call(clinA, method, recordPath('p2', k.kind, id), method === 'PUT' ? { body: k.body } : {}),
        );
        expect(res.statusCode, method).toBe(404);
        expect(json(res).error.message).toBe(`${k.kind} not found`);
        expect(audit).toEqual([expect.objectContaining({ patientId: 'p2', entityId: id, outcome: 'denied' })]);
      }
      expect(await api.store.transaction((tx) => tx.getRecord(k.kind, id))).toEqual(before);
    });
  });

  describe('references', () => {
    it('a procedure must name an existing site', async () => {
      const res = await writesNothing(() =>
        call(clinA, 'PUT', recordPath('p1', 'procedure', 'proc-nowhere'), {
          body: { ...PROCEDURE, siteId: 'nowhere' },
        }),
      );
      expect(res.statusCode).toBe(400);
      expect(json(res).error.issues).toEqual([{ path: 'body.siteId', message: 'no site "nowhere"' }]);
    });

    it('an adverse event must point to a live procedure of the same patient', async () => {
      expect((await call(clinA, 'PUT', recordPath('p2', 'procedure', 'p2-proc'), { body: PROCEDURE })).statusCode).toBe(
        201,
      );
      expect((await call(clinA, 'PUT', recordPath('p1', 'procedure', 'p1-gone'), { body: PROCEDURE })).statusCode).toBe(
        201,
      );
      expect((await call(clinA, 'DELETE', recordPath('p1', 'procedure', 'p1-gone'))).statusCode).toBe(204);
      const event = (procedureId: string) => ({
        term: 'fat necrosis',
        onset: '2024-05-20',
        grade: 'II',
        relation: 'related',
        procedureId,
      });
      for (const procedureId of ['p2-proc', 'p1-gone', 'never-was']) {
        const res = await writesNothing(() =>
          call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-ref'), { body: event(procedureId) }),
        );
        expect(res.statusCode).toBe(400);
        expect(json(res).error.issues).toEqual([
          { path: 'body.procedureId', message: `no procedure "${procedureId}" of this patient` },
        ]);
      }
      expect((await call(clinA, 'PUT', recordPath('p1', 'procedure', 'p1-proc'), { body: PROCEDURE })).statusCode).toBe(
        201,
      );
      const linked = await call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-ref'), { body: event('p1-proc') });
      expect(linked.statusCode).toBe(201);
      expect(await api.store.transaction((tx) => tx.getRecord('adverse-event', 'ae-ref'))).toMatchObject({
        procedureId: 'p1-proc',
        category: 'II',
        startDate: '2024-05-20',
        endDate: null,
      });

      // The procedure cannot be deleted while the event points to it: nothing is silently orphaned.
      const refused = await writesNothing(() => call(clinA, 'DELETE', recordPath('p1', 'procedure', 'p1-proc')), 1);
      expect(refused.statusCode).toBe(409);
      expect(json(refused).error).toMatchObject({
        code: 'conflict',
        reason: 'has_adverse_events',
        adverseEventIds: ['ae-ref'],
      });
      expect(json(refused).error.message).toContain('"ae-ref"');
      expect((await call(clinA, 'DELETE', recordPath('p1', 'adverse-event', 'ae-ref'))).statusCode).toBe(204);
      expect((await call(clinA, 'DELETE', recordPath('p1', 'procedure', 'p1-proc'))).statusCode).toBe(204);
    });

    it('a linked adverse event cannot start before its procedure, nor the procedure move past it', async () => {
      // PROCEDURE is on 2024-05-01.
      expect(
        (await call(clinA, 'PUT', recordPath('p1', 'procedure', 'p1-early'), { body: PROCEDURE })).statusCode,
      ).toBe(201);
      const event = (onset: string) => ({
        term: 'seroma',
        onset,
        grade: 'I',
        relation: 'related',
        procedureId: 'p1-early',
      });
      const before = await writesNothing(() =>
        call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-early'), { body: event('2024-04-30') }),
      );
      expect(before.statusCode).toBe(400);
      expect(json(before).error.issues).toEqual([
        { path: 'body.onset', message: 'must not be before the procedure (2024-05-01)' },
      ]);
      // The day of the procedure is allowed.
      expect(
        (await call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-early'), { body: event('2024-05-01') }))
          .statusCode,
      ).toBe(201);
      const moved = await writesNothing(
        () =>
          call(clinA, 'PUT', recordPath('p1', 'procedure', 'p1-early'), {
            body: { ...PROCEDURE, date: '2024-05-02' },
            ifMatch: 1,
          }),
        0,
      );
      expect(moved.statusCode).toBe(400);
      expect(json(moved).error.issues).toEqual([
        { path: 'body.date', message: 'must not be after the onset of its adverse events "ae-early" (2024-05-01)' },
      ]);
      expect((await call(clinA, 'DELETE', recordPath('p1', 'adverse-event', 'ae-early'))).statusCode).toBe(204);
      expect((await call(clinA, 'DELETE', recordPath('p1', 'procedure', 'p1-early'))).statusCode).toBe(204);
    });

    it('an adverse event has happened: its onset and resolution are not after the patient’s today', async () => {
      const today = clock.now().toISOString().slice(0, 10);
      const tomorrow = new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
      const body = { term: 'seroma', grade: 'I', relation: 'related' };
      const future = await writesNothing(() =>
        call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-future'), {
          body: { ...body, onset: tomorrow, resolved: tomorrow },
        }),
      );
      expect(future.statusCode).toBe(400);
      expect(json(future).error.issues).toEqual([
        { path: 'body.onset', message: `must not be after today (${today})` },
        { path: 'body.resolved', message: `must not be after today (${today})` },
      ]);
      const res = await call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'ae-future'), {
        body: { ...body, onset: today },
      });
      expect(res.statusCode).toBe(201);
      expect((await call(clinA, 'DELETE', recordPath('p1', 'adverse-event', 'ae-future'))).statusCode).toBe(204);
    });

    it('an id is one record: the same id under another kind is refused', async () => {
      expect(
        (await call(clinA, 'PUT', recordPath('p1', 'treatment', 'shared-id'), { body: KINDS[1]!.body })).statusCode,
      ).toBe(201);
      const res = await writesNothing(
        () => call(clinA, 'PUT', recordPath('p1', 'adverse-event', 'shared-id'), { body: KINDS[2]!.body }),
        1,
      );
      expect(res.statusCode).toBe(409);
      expect(json(res).error).toMatchObject({ code: 'conflict', existingKind: 'treatment' });
      // Another patient's id under another kind reads as not found.
      const other = await call(clinA, 'PUT', recordPath('p2', 'adverse-event', 'shared-id'), { body: KINDS[2]!.body });
      expect(other.statusCode).toBe(404);
    });

    it('a bad If-Match or path id is refused before anything is read', async () => {
      const res = await writesNothing(() =>
        api.app.inject({
          method: 'PUT',
          url: `/api/v1${recordPath('p1', 'treatment', 'bad id!')}`,
          headers: { ...bearer(clinA.token), 'if-match': 'abc' },
          payload: KINDS[1]!.body,
        }),
      );
      expect(res.statusCode).toBe(400);
      expect(
        json(res)
          .error.issues.map((i: { path: string }) => i.path)
          .sort(),
      ).toEqual(['headers.if-match', 'params.id']);
    });
  });

  describe('candidacy assessment', () => {
    const ASSESSMENT = {
      diagnosis: { confirmed: true, code: '1.1', confirmedOn: '2024-04-02' },
      treatmentHistoryComplete: true,
      contraindications: { pregnancy: false, anticoagulation: false },
      plannedDate: '2024-05-01',
    };

    it('404 until written; created, unchanged, If-Match for changes; audited', async () => {
      const none = await audited(() => call(clinA, 'GET', '/patients/p2/candidacy-assessment'));
      expect(none.res.statusCode).toBe(404);
      expect(none.audit.map((a) => [a.action, a.outcome])).toEqual([['candidacy-assessment.read', 'not_found']]);

      const created = await audited(() =>
        call(clinA, 'PUT', '/patients/p2/candidacy-assessment', { body: ASSESSMENT }),
      );
      expect(created.res.statusCode).toBe(201);
      expect(json(created.res)).toEqual({
        status: 'created',
        patientId: 'p2',
        version: 1,
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
        data: ASSESSMENT,
      });
      expect(created.audit).toEqual([
        {
          actor: clinA.user.id,
          action: 'candidacy-assessment.put',
          patientId: 'p2',
          entityType: 'candidacy-assessment',
          entityId: 'p2',
          outcome: 'ok',
        },
      ]);
      const same = await call(clinA, 'PUT', '/patients/p2/candidacy-assessment', { body: ASSESSMENT });
      expect(json(same)).toMatchObject({ status: 'unchanged', version: 1 });
      const changed = { ...ASSESSMENT, medicationOveruseAddressed: true };
      const blind = await writesNothing(
        () => call(clinA, 'PUT', '/patients/p2/candidacy-assessment', { body: changed }),
        1,
      );
      expect(blind.statusCode).toBe(409);
      expect(json(blind).error.reason).toBe('version_required');
      const updated = await call(clinA, 'PUT', '/patients/p2/candidacy-assessment', { body: changed, ifMatch: 1 });
      expect(json(updated)).toMatchObject({ status: 'updated', version: 2, data: changed });
      const read = await call(clinA, 'GET', '/patients/p2/candidacy-assessment');
      expect(read.headers.etag).toBe('"2"');
      expect(json(read).data).toEqual(changed);
    });

    it('answers must name the site’s contraindications; patients cannot write one', async () => {
      const res = await writesNothing(() =>
        call(clinA, 'PUT', '/patients/p1/candidacy-assessment', {
          body: { contraindications: { pregnancy: false, smoking: true } },
        }),
      );
      expect(res.statusCode).toBe(400);
      expect(json(res).error.issues).toEqual([
        {
          path: 'body.contraindications.smoking',
          message:
            "not in the site's contraindication list (pregnancy, active-infection, anticoagulation, bleeding-disorder, insufficient-donor-fat, malignancy-at-site)",
        },
      ]);
      const patientWrite = await writesNothing(
        () => call(patient1, 'PUT', '/patients/p1/candidacy-assessment', { body: { contraindications: {} } }),
        1,
      );
      expect(patientWrite.statusCode).toBe(403);
    });
  });

  describe('candidacy checklist of a hand-built patient', () => {
    // p1 (UTC): baseline 2024-04-03 … 2024-04-30 fully recorded, with migraine attacks on 04-10 (occipital),
    // 04-15 (occipital) and 04-20 (temporal): 3 migraine days per 28. Propranolol and topiramate: two
    // classes. An occipital block with 60 % relief. Procedure planned on 2024-05-01.
    beforeAll(async () => {
      const s = api.services;
      const attackDays: [string, string][] = [
        ['2024-04-10', 'occipital'],
        ['2024-04-15', 'occipital'],
        ['2024-04-20', 'temporal'],
      ];
      for (const [date, site] of attackDays) {
        const id = `att-${date}`;
        const body = { id, start: `${date}T08:00:00Z`, end: `${date}T14:00:00Z`, ...MIGRAINE_FEATURES, sites: [site] };
        await s.diary.put(SEEDER, 'attack', 'p1', id, body, undefined);
      }
      for (let d = Date.parse('2024-04-03'); d <= Date.parse('2024-04-30'); d += 86_400_000) {
        const date = new Date(d).toISOString().slice(0, 10);
        if (attackDays.some(([day]) => day === date)) continue;
        await s.diary.put(SEEDER, 'daily-record', 'p1', `day-${date}`, { date, noHeadache: true }, undefined);
      }
      const treatments: [string, Record<string, unknown>][] = [
        [
          'tr-prop',
          {
            type: 'oral-preventive',
            drug: 'propranolol',
            preventiveClass: 'beta-blocker',
            start: '2022-01-01',
            stop: '2022-09-01',
          },
        ],
        [
          'tr-topi',
          {
            type: 'oral-preventive',
            drug: 'topiramate',
            preventiveClass: 'anticonvulsant',
            start: '2022-10-01',
            stop: '2023-03-01',
          },
        ],
        [
          'tr-block',
          { type: 'nerve-block', start: '2024-03-01', site: 'occipital', side: 'bilateral', percentRelief: 60 },
        ],
      ];
      for (const [id, body] of treatments) await s.registry.put(SEEDER, 'treatment', 'p1', id, body, undefined);
      await s.candidacy.putAssessment(
        SEEDER,
        'p1',
        {
          diagnosis: { confirmed: true, code: '1.1' },
          contraindications: { pregnancy: false, 'bleeding-disorder': true },
          plannedDate: '2024-05-01',
        },
        undefined,
      );
    });

    it('every item with its status and evidence, for the planned date of the assessment', async () => {
      const { res, audit } = await audited(() => call(clinA, 'GET', '/patients/p1/candidacy'));
      expect(res.statusCode, res.body).toBe(200);
      const body = json(res);
      expect(body).toMatchObject({
        patientId: 'p1',
        asOf: '2024-06-01',
        plannedDate: '2024-05-01',
        baseline: { start: '2024-04-03', end: '2024-04-30' },
      });
      const byId = Object.fromEntries(body.items.map((i: { id: string }) => [i.id, i]));
      expect(body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
        ['diagnosis-confirmed', 'met'],
        ['baseline-diary', 'met'],
        ['preventive-classes', 'met'],
        ['trigger-sites', 'met'],
        ['site-confirmation', 'met'],
        ['medication-overuse', 'met'],
        ['contraindication:pregnancy', 'met'],
        ['contraindication:active-infection', 'unknown'],
        ['contraindication:anticoagulation', 'unknown'],
        ['contraindication:bleeding-disorder', 'not-met'],
        ['contraindication:insufficient-donor-fat', 'unknown'],
        ['contraindication:malignancy-at-site', 'unknown'],
      ]);
      expect(byId['baseline-diary'].evidence).toEqual({
        start: '2024-04-03',
        end: '2024-04-30',
        recordedDays: 28,
        requiredDays: 23,
        migraineDaysPer28: 3,
        headacheDaysPer28: 3,
        migraineDaysUndetermined: 0,
      });
      expect(byId['preventive-classes'].evidence).toMatchObject({
        classes: { 'beta-blocker': ['propranolol'], anticonvulsant: ['topiramate'] },
        count: 2,
      });
      expect(byId['trigger-sites'].evidence).toEqual({
        attacksNamingSites: 3,
        counts: { occipital: 2, temporal: 1 },
        minShare: 0.2,
        sites: ['occipital', 'temporal'],
      });
      expect(byId['site-confirmation'].evidence.confirmedSites).toEqual(['occipital']);
      expect(byId['medication-overuse'].evidence).toMatchObject({ from: '2024-02', to: '2024-04', recordedDays: 28 });
      expect(audit).toEqual([
        {
          actor: clinA.user.id,
          action: 'candidacy.read',
          patientId: 'p1',
          entityType: 'candidacy',
          entityId: 'p1',
          outcome: 'ok',
        },
      ]);
      expect(Object.keys(body).sort()).toEqual(['asOf', 'baseline', 'items', 'patientId', 'plannedDate']);
    });

    it('another planned date moves the baseline: 17 days recorded by 2024-04-19 is not enough', async () => {
      const res = await call(patient1, 'GET', '/patients/p1/candidacy', { query: { plannedDate: '2024-04-20' } });
      expect(res.statusCode).toBe(200);
      const baseline = json(res).items.find((i: { id: string }) => i.id === 'baseline-diary');
      expect(baseline).toMatchObject({
        status: 'not-met',
        evidence: { start: '2024-03-23', end: '2024-04-19', recordedDays: 17, requiredDays: 23 },
      });
      // The block (2024-03-01) and the treatments came before this baseline too; the attack of 04-20 is after it.
      const sites = json(res).items.find((i: { id: string }) => i.id === 'trigger-sites');
      expect(sites.evidence.counts).toEqual({ occipital: 2 });
    });

    it('procedure writes and deletions re-anchor the 28-day summaries in the same request', async () => {
      // Only the anchors this test makes: other tests leave a procedure of p1 dated 2024-05-02.
      const anchors = async () => {
        const rows = await api.store.db
          .selectFrom('period28_summaries')
          .select(['anchor_date', 'period_index', 'recorded_days', 'migraine_days'])
          .where('patient_id', '=', 'p1')
          .where('anchor_date', 'in', ['2024-05-01', '2024-04-16'])
          .orderBy('anchor_date')
          .orderBy('period_index')
          .execute();
        return rows.map((r) => [
          r.anchor_date,
          Number(r.period_index),
          Number(r.recorded_days),
          Number(r.migraine_days),
        ]);
      };
      expect(await anchors()).toEqual([]);
      const path = recordPath('p1', 'procedure', 'anchor-proc');
      expect((await call(clinA, 'PUT', path, { body: PROCEDURE })).statusCode).toBe(201);
      // On 2024-05-01: period 0 is the whole baseline, 04-03 … 04-30 (28 days, three migraine days).
      expect(await anchors()).toEqual([['2024-05-01', 0, 28, 3]]);
      const moved = { ...PROCEDURE, date: '2024-04-16' };
      expect((await call(clinA, 'PUT', path, { body: moved, ifMatch: 1 })).statusCode).toBe(200);
      // Period 0: 03-19 … 04-15 (04-03 … 04-15 recorded: 13 days, attacks of 04-10 and 04-15);
      // period 1: 04-16 … 05-13 (04-16 … 04-30 recorded: 15 days, the attack of 04-20).
      expect(await anchors()).toEqual([
        ['2024-04-16', 0, 13, 2],
        ['2024-04-16', 1, 15, 1],
      ]);
      expect((await call(clinA, 'DELETE', path)).statusCode).toBe(204);
      expect(await anchors()).toEqual([]);
    });

    it('researchers are refused, a clinician of another site sees no patient, a bad date is named', async () => {
      expect((await call(researcher, 'GET', '/patients/p1/candidacy')).statusCode).toBe(403);
      expect((await call(clinB, 'GET', '/patients/p1/candidacy')).statusCode).toBe(404);
      const bad = await call(clinA, 'GET', '/patients/p1/candidacy', { query: { plannedDate: '2024-02-30' } });
      expect(bad.statusCode).toBe(400);
      expect(json(bad).error.issues.map((i: { path: string }) => i.path)).toEqual(['query.plannedDate']);
    });
  });

  describe('site settings', () => {
    const CHANGED = {
      ...DEFAULT_SITE_SETTINGS,
      contraindications: [{ id: 'smoker', label: 'Active smoker' }],
      candidacy: { ...DEFAULT_SITE_SETTINGS.candidacy, minPreventiveClasses: 3 },
    };

    it('the defaults with version 0 until set; set by an admin; unchanged; If-Match for changes; audited', async () => {
      const first = await audited(() => call(clinB, 'GET', '/sites/site-b/settings'));
      expect(first.res.statusCode).toBe(200);
      expect(first.res.headers.etag).toBe('"0"');
      expect(json(first.res)).toEqual({ siteId: 'site-b', version: 0, updatedAt: null, data: DEFAULT_SITE_SETTINGS });
      expect(first.audit).toEqual([
        {
          actor: clinB.user.id,
          action: 'site-settings.read',
          patientId: null,
          entityType: 'site-settings',
          entityId: 'site-b',
          outcome: 'ok',
        },
      ]);

      const created = await audited(() => call(admin, 'PUT', '/sites/site-b/settings', { body: CHANGED }));
      expect(created.res.statusCode).toBe(201);
      expect(json(created.res)).toEqual({
        status: 'created',
        siteId: 'site-b',
        version: 1,
        updatedAt: clock.now().toISOString(),
        data: CHANGED,
      });
      expect(created.audit.map((a) => [a.action, a.entityId, a.outcome])).toEqual([
        ['site-settings.put', 'site-b', 'ok'],
      ]);
      expect(json(await call(clinB, 'GET', '/sites/site-b/settings'))).toMatchObject({ version: 1, data: CHANGED });

      expect(json(await call(admin, 'PUT', '/sites/site-b/settings', { body: CHANGED }))).toMatchObject({
        status: 'unchanged',
        version: 1,
      });
      const back = DEFAULT_SITE_SETTINGS;
      const blind = await writesNothing(() => call(admin, 'PUT', '/sites/site-b/settings', { body: back }), 1);
      expect(blind.statusCode).toBe(409);
      const stale = await call(admin, 'PUT', '/sites/site-b/settings', { body: back, ifMatch: 0 });
      expect(json(stale).error).toMatchObject({ reason: 'version_conflict', currentVersion: 1 });

      // The site's list decides which contraindications an assessment of its patients may answer.
      const smoker = await call(clinB, 'PUT', '/patients/p3/candidacy-assessment', {
        body: { contraindications: { smoker: true } },
      });
      expect(smoker.statusCode).toBe(201);
      const checklist = json(await call(clinB, 'GET', '/patients/p3/candidacy'));
      expect(checklist.items.filter((i: { id: string }) => i.id.startsWith('contraindication:'))).toEqual([
        {
          id: 'contraindication:smoker',
          label: 'No contraindication: Active smoker',
          status: 'not-met',
          evidence: { present: true },
          source: 'clinician',
        },
      ]);
      const pregnancy = await call(clinB, 'PUT', '/patients/p3/candidacy-assessment', {
        body: { contraindications: { pregnancy: false } },
        ifMatch: 1,
      });
      expect(pregnancy.statusCode).toBe(400);

      const updated = await call(admin, 'PUT', '/sites/site-b/settings', { body: back, ifMatch: 1 });
      expect(json(updated)).toMatchObject({ status: 'updated', version: 2, data: DEFAULT_SITE_SETTINGS });
    });

    it('a clinician of another site and an unknown site read as not found; only admins write', async () => {
      const other = await audited(() => call(clinA, 'GET', '/sites/site-b/settings'));
      expect(other.res.statusCode).toBe(404);
      expect(other.audit.map((a) => a.outcome)).toEqual(['denied']);
      expect((await call(admin, 'GET', '/sites/nowhere/settings')).statusCode).toBe(404);
      expect((await call(admin, 'PUT', '/sites/nowhere/settings', { body: CHANGED })).statusCode).toBe(404);
      expect((await call(clinA, 'PUT', '/sites/site-a/settings', { body: CHANGED })).statusCode).toBe(403);
      await expect(api.services.siteSettings.put(clinA.ctx, 'site-a', CHANGED, undefined)).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect((await call(patient1, 'GET', '/sites/site-a/settings')).statusCode).toBe(403);
    });

    it('invalid settings name the field and write nothing', async () => {
      const duplicate = {
        ...DEFAULT_SITE_SETTINGS,
        followUp: [DEFAULT_SITE_SETTINGS.followUp[0], DEFAULT_SITE_SETTINGS.followUp[0]],
      };
      const res = await writesNothing(() => call(admin, 'PUT', '/sites/site-a/settings', { body: duplicate }));
      expect(res.statusCode).toBe(400);
      expect(json(res).error.issues).toEqual([
        { path: 'body.followUp.1.id', message: 'duplicate visit id "baseline"' },
        { path: 'body.followUp.1.months', message: 'only one baseline visit' },
      ]);
      const thresholds = {
        ...DEFAULT_SITE_SETTINGS,
        candidacy: { ...DEFAULT_SITE_SETTINGS.candidacy, minSiteShare: 2 },
      };
      await expect(api.services.siteSettings.put(SEEDER, 'site-a', thresholds, undefined)).rejects.toMatchObject({
        issues: [{ path: 'body.candidacy.minSiteShare' }],
      });
      expect(await api.store.transaction((tx) => tx.getSiteSettings('site-a'))).toBeUndefined();
    });

    it('a baseline reads period 0, a follow-up later periods, and contraindication ids are unique', async () => {
      const [baseline, m1, ...rest] = DEFAULT_SITE_SETTINGS.followUp;
      const settings = {
        ...DEFAULT_SITE_SETTINGS,
        followUp: [
          { ...baseline!, diaryPeriods: { from: 0, to: 2 } },
          { ...m1!, diaryPeriods: { from: 0, to: 1 } },
          ...rest,
          { ...baseline!, id: 'baseline-2' },
        ],
        contraindications: [...DEFAULT_SITE_SETTINGS.contraindications, { id: 'pregnancy', label: 'Pregnant' }],
      };
      const res = await writesNothing(() => call(admin, 'PUT', '/sites/site-a/settings', { body: settings }));
      expect(res.statusCode).toBe(400);
      expect(json(res).error.issues).toEqual([
        {
          path: 'body.followUp.0.diaryPeriods.to',
          message: 'the baseline reads period 0, the 28 days before the procedure',
        },
        {
          path: 'body.followUp.1.diaryPeriods.from',
          message: 'a follow-up visit reads periods after the procedure (1 or later)',
        },
        { path: 'body.followUp.6.months', message: 'only one baseline visit' },
        { path: 'body.contraindications.6.id', message: 'duplicate id "pregnancy"' },
      ]);
    });
  });

  it('the audit chain stays intact', async () => {
    expect((await api.services.audit.verify()).problems).toEqual([]);
  });
});
