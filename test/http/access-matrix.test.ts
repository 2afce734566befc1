import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../src/http/route-spec.js';
import { ROUTES } from '../../src/http/routes.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { defaultPreferences } from '../../src/domain/patient-preferences.js';
import type { AuditOutcome, EntryKind } from '../../src/services/model.js';
import type { RecordKind } from '../../src/services/registry-model.js';
import { testDatabases } from '../helpers/databases.js';
import {
  addPatient,
  addSite,
  addUser,
  auditSeq,
  auditSince,
  bearer,
  json,
  patientInput,
  SEEDER,
  sessionCookieOf,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';

/**
 * Walks every route of ROUTES for every role and, on patient routes, for the caller's own patient,
 * another patient of the same site and a patient of another site. The expected access rule of each
 * route and the expected answer of each (rule, role, patient) are written here independently of
 * src/http/routes.ts and src/services/access-policy.ts.
 */

type Rule = RouteSpec['access'];

/** What each route must require. A new route, or a changed rule, fails the first test until it is added here. */
const EXPECTED_ACCESS: Record<string, Rule> = {
  'GET /health': 'public',
  'POST /auth/login': 'public',
  'POST /auth/logout': 'signed-in',
  'GET /auth/me': 'signed-in',
  'POST /auth/password': 'signed-in',
  'GET /tokens': 'signed-in',
  'POST /tokens': 'signed-in',
  'DELETE /tokens/:tokenId': 'signed-in',
  'GET /users': 'admin',
  'POST /users': 'admin',
  'GET /users/:userId': 'admin',
  'PATCH /users/:userId': 'admin',
  'POST /users/:userId/password-reset': 'admin',
  'GET /sites': 'admin',
  'GET /sites/:siteId': 'admin',
  'PUT /sites/:siteId': 'admin',
  'GET /audit': 'admin',
  'GET /audit/verify': 'admin',
  'GET /patients': 'care',
  'GET /patients/:patientId': 'patient-data',
  'PUT /patients/:patientId': 'care',
  'GET /patients/:patientId/diary': 'patient-data',
  'GET /patients/:patientId/analysis': 'patient-data',
  'GET /patients/:patientId/days': 'patient-data',
  'GET /patients/:patientId/attacks': 'patient-data',
  'GET /patients/:patientId/attacks/:id': 'patient-data',
  'PUT /patients/:patientId/attacks/:id': 'patient-data',
  'DELETE /patients/:patientId/attacks/:id': 'patient-data',
  'GET /patients/:patientId/daily-records': 'patient-data',
  'GET /patients/:patientId/daily-records/:id': 'patient-data',
  'PUT /patients/:patientId/daily-records/:id': 'patient-data',
  'DELETE /patients/:patientId/daily-records/:id': 'patient-data',
  'GET /patients/:patientId/medications': 'patient-data',
  'GET /patients/:patientId/medications/:id': 'patient-data',
  'PUT /patients/:patientId/medications/:id': 'patient-data',
  'DELETE /patients/:patientId/medications/:id': 'patient-data',
  'GET /patients/:patientId/questionnaires': 'patient-data',
  'GET /patients/:patientId/questionnaires/:id': 'patient-data',
  'PUT /patients/:patientId/questionnaires/:id': 'patient-data',
  'DELETE /patients/:patientId/questionnaires/:id': 'patient-data',
  'GET /patients/:patientId/procedures': 'patient-data',
  'GET /patients/:patientId/procedures/:id': 'patient-data',
  'PUT /patients/:patientId/procedures/:id': 'care',
  'DELETE /patients/:patientId/procedures/:id': 'care',
  'GET /patients/:patientId/treatments': 'patient-data',
  'GET /patients/:patientId/treatments/:id': 'patient-data',
  'PUT /patients/:patientId/treatments/:id': 'care',
  'DELETE /patients/:patientId/treatments/:id': 'care',
  'GET /patients/:patientId/adverse-events': 'patient-data',
  'GET /patients/:patientId/adverse-events/:id': 'patient-data',
  'PUT /patients/:patientId/adverse-events/:id': 'care',
  'DELETE /patients/:patientId/adverse-events/:id': 'care',
  'GET /patients/:patientId/candidacy-assessment': 'patient-data',
  'PUT /patients/:patientId/candidacy-assessment': 'care',
  'GET /patients/:patientId/candidacy': 'patient-data',
  'GET /sites/:siteId/settings': 'care',
  'PUT /sites/:siteId/settings': 'admin',
  'GET /cohort': 'registry',
  'GET /patients/:patientId/procedures/:procedureId/outcome': 'patient-data',
  'GET /patients/:patientId/follow-up': 'patient-data',
  'GET /follow-ups': 'care',
  'GET /patient-overview': 'care',
  'GET /patients/:patientId/preferences': 'patient-data',
  'PUT /patients/:patientId/preferences': 'patient-data',
};

const routeKey = (spec: Pick<RouteSpec, 'method' | 'url'>) => `${spec.method} ${spec.url}`;

type RoleName = 'anonymous' | 'patient' | 'clinician' | 'researcher' | 'admin';
const ROLE_NAMES: RoleName[] = ['anonymous', 'patient', 'clinician', 'researcher', 'admin'];

/** Whose record a request is about, seen from the patient caller (pA1, record p1, site A). */
type Scope = 'own' | 'same-site' | 'other-site';
interface Target {
  scope: Scope;
  label: string;
  patientId: string;
  siteId: string;
}
const TARGETS: Target[] = [
  { scope: 'own', label: 'p1 (the patient caller’s own, site A)', patientId: 'p1', siteId: 'site-a' },
  { scope: 'same-site', label: 'p2 (another patient, site A)', patientId: 'p2', siteId: 'site-a' },
  { scope: 'other-site', label: 'p3 (site B)', patientId: 'p3', siteId: 'site-b' },
];

/**
 * The policy, written from the documentation: 'ok' or the exact error status. The callers are a
 * patient with record p1, a clinician and a researcher of site A, and an admin.
 */
function expectedOutcome(rule: Rule, role: RoleName, scope: Scope | null): 'ok' | 401 | 403 | 404 {
  if (rule === 'public') return 'ok';
  if (role === 'anonymous') return 401;
  switch (rule) {
    case 'signed-in':
      return 'ok';
    case 'admin':
      return role === 'admin' ? 'ok' : 403;
    case 'care':
      if (role !== 'admin' && role !== 'clinician') return 403;
      // A clinician never sees a patient of a site they do not belong to.
      return role === 'clinician' && scope === 'other-site' ? 404 : 'ok';
    case 'registry':
      // De-identified cohorts: admins, clinicians and researchers (narrowed to their sites); never patients.
      return role === 'patient' ? 403 : 'ok';
    case 'patient-data':
      if (scope === null) throw new Error('a patient-data route without a patient');
      switch (role) {
        case 'admin':
          return 'ok';
        case 'clinician':
          return scope === 'other-site' ? 404 : 'ok';
        case 'patient':
          return scope === 'own' ? 'ok' : 404;
        case 'researcher':
          return 403;
      }
  }
}

const ERROR_CODES = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' } as const;

const ENTRY_SEGMENTS: Record<EntryKind, string> = {
  attack: 'attacks',
  'daily-record': 'daily-records',
  medication: 'medications',
  questionnaire: 'questionnaires',
};

const SEEDED_ENTRY_IDS: Record<EntryKind, (patientId: string) => string> = {
  attack: (p) => `${p}-attack`,
  'daily-record': (p) => `${p}-daily`,
  medication: (p) => `${p}-med`,
  questionnaire: (p) => `${p}-q`,
};

/** A valid body of each entry kind on a given day. */
function entryBody(kind: EntryKind, id: string, date: string): Record<string, unknown> {
  switch (kind) {
    case 'attack':
      return { id, start: `${date}T08:00:00+01:00`, end: `${date}T14:00:00+01:00`, peakIntensity: 7 };
    case 'daily-record':
      return { date, noHeadache: true };
    case 'medication':
      return { name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400, date };
    case 'questionnaire':
      return { instrument: 'PGIC', date, answer: 'much-improved' };
  }
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${++counter}`;
/** A new day for every fresh entry, so daily records never collide (the seeded entries are in 2024). */
const freshDate = () => new Date(Date.UTC(2000, 0, 1) + ++counter * 86_400_000).toISOString().slice(0, 10);

interface Seed {
  api: TestApi;
  users: Record<Exclude<RoleName, 'anonymous'>, SeededUser> & Record<string, SeededUser>;
}

interface Case {
  role: RoleName;
  caller: SeededUser | null;
  target: Target | null;
  seed: Seed;
}

interface Built {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Extra request headers (If-Match), filled in by before() when they depend on the state. */
  headers?: Record<string, string>;
  body?: unknown;
  /** The success status when the route has more than one. */
  ok?: number;
  /** The audit outcome an allowed request records (patient routes); 'ok' when not given. */
  auditOk?: AuditOutcome;
  before?(): Promise<void>;
  verify?(allowed: boolean, res: LightMyRequestResponse): Promise<void>;
}

type Builder = (c: Case) => Built;

function entryBuilders(kind: EntryKind): Record<string, Builder> {
  const base = `/patients/:patientId/${ENTRY_SEGMENTS[kind]}`;
  const entry = async ({ seed }: Case, id: string) => seed.api.store.transaction((tx) => tx.getEntry(kind, id));
  return {
    [`GET ${base}`]: () => ({ query: { from: '2024-01-01', to: '2024-12-31' } }),
    [`GET ${base}/:id`]: (c) => ({ params: { id: SEEDED_ENTRY_IDS[kind](c.target!.patientId) } }),
    [`PUT ${base}/:id`]: (c) => {
      const id = fresh(kind);
      return {
        params: { id },
        body: entryBody(kind, id, freshDate()),
        ok: 201,
        async verify(allowed) {
          const stored = await entry(c, id);
          expect(stored?.patientId).toBe(allowed ? c.target!.patientId : undefined);
        },
      };
    },
    [`DELETE ${base}/:id`]: (c) => {
      const id = fresh(kind);
      const patientId = c.target!.patientId;
      return {
        params: { id },
        async before() {
          await c.seed.api.services.diary.put(SEEDER, kind, patientId, id, entryBody(kind, id, freshDate()), undefined);
        },
        async verify(allowed) {
          const stored = await entry(c, id);
          expect(stored?.patientId).toBe(patientId);
          expect(stored?.deletedAt !== null).toBe(allowed);
        },
      };
    },
  };
}

const RECORD_SEGMENTS: Record<RecordKind, string> = {
  procedure: 'procedures',
  treatment: 'treatments',
  'adverse-event': 'adverse-events',
};

/** A valid body of each registry record kind on a given day. */
function recordBody(kind: RecordKind, date: string): Record<string, unknown> {
  switch (kind) {
    case 'procedure':
      return {
        date,
        surgeon: 'S01',
        siteId: 'site-a',
        donorSites: ['abdomen'],
        harvest: { technique: 'syringe-coleman' },
        processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
        recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
        anaesthesia: 'local',
      };
    case 'treatment':
      return { type: 'nerve-block', start: date, site: 'occipital', side: 'left', percentRelief: 70 };
    case 'adverse-event':
      return { term: 'donor-site bruising', onset: date, grade: 'I', relation: 'related' };
  }
}

function recordBuilders(kind: RecordKind): Record<string, Builder> {
  const base = `/patients/:patientId/${RECORD_SEGMENTS[kind]}`;
  const record = ({ seed }: Case, id: string) => seed.api.store.transaction((tx) => tx.getRecord(kind, id));
  const seedRecord = async (c: Case, id: string) => {
    await c.seed.api.services.registry.put(
      SEEDER,
      kind,
      c.target!.patientId,
      id,
      recordBody(kind, freshDate()),
      undefined,
    );
  };
  return {
    [`GET ${base}`]: () => ({}),
    [`GET ${base}/:id`]: (c) => {
      const id = fresh(kind);
      return { params: { id }, before: () => seedRecord(c, id) };
    },
    [`PUT ${base}/:id`]: (c) => {
      const id = fresh(kind);
      return {
        params: { id },
        body: recordBody(kind, freshDate()),
        ok: 201,
        async verify(allowed) {
          expect((await record(c, id))?.patientId).toBe(allowed ? c.target!.patientId : undefined);
        },
      };
    },
    [`DELETE ${base}/:id`]: (c) => {
      const id = fresh(kind);
      return {
        params: { id },
        before: () => seedRecord(c, id),
        async verify(allowed) {
          const stored = await record(c, id);
          expect(stored?.patientId).toBe(c.target!.patientId);
          expect(stored?.deletedAt !== null).toBe(allowed);
        },
      };
    },
  };
}

const ASSESSMENT = { diagnosis: { confirmed: true, code: '1.3' }, contraindications: { pregnancy: false } };

const BUILDERS: Record<string, Builder> = {
  'GET /health': () => ({}),
  'POST /auth/login': (c) => ({
    body: { username: c.seed.users.login!.user.username, password: c.seed.users.login!.password },
  }),
  'POST /auth/logout': () => ({}),
  'GET /auth/me': () => ({}),
  'POST /auth/password': (c) => {
    const user = c.caller ?? c.seed.users.admin;
    const next = fresh(`${c.role}-new-password`);
    return {
      body: { currentPassword: user.password, newPassword: next },
      async verify(allowed) {
        if (allowed) user.password = next;
      },
    };
  },
  'GET /tokens': () => ({}),
  'POST /tokens': () => ({ body: { name: fresh('token') } }),
  'DELETE /tokens/:tokenId': (c) => {
    const owner = c.caller ?? c.seed.users.admin;
    const params: Record<string, string> = {};
    let token = '';
    return {
      params,
      async before() {
        const created = await c.seed.api.services.auth.createApiToken(owner.ctx, fresh('spare'));
        params.tokenId = created.id;
        token = created.token;
      },
      async verify(allowed) {
        const actor = await c.seed.api.services.auth.authenticateApiToken(token);
        expect(actor === null).toBe(allowed);
      },
    };
  },
  'GET /users': () => ({}),
  'POST /users': () => ({
    body: { username: fresh('user'), displayName: 'New user', role: 'researcher', password: 'long-enough-password' },
  }),
  'GET /users/:userId': (c) => ({ params: { userId: c.seed.users.otherClinician!.user.id } }),
  'PATCH /users/:userId': (c) => ({
    params: { userId: c.seed.users.patchTarget!.user.id },
    body: { displayName: 'Patched name' },
  }),
  'POST /users/:userId/password-reset': (c) => ({ params: { userId: c.seed.users.resetTarget!.user.id } }),
  'GET /sites': () => ({}),
  'GET /sites/:siteId': () => ({ params: { siteId: 'site-a' } }),
  'PUT /sites/:siteId': () => ({ params: { siteId: fresh('site') }, body: { name: 'A new site' }, ok: 201 }),
  'GET /audit': () => ({ query: { limit: '5' } }),
  'GET /audit/verify': () => ({}),
  'GET /patients': () => ({}),
  'GET /patients/:patientId': () => ({}),
  // The record as stored: an allowed PUT answers 200 "unchanged" and writes nothing.
  'PUT /patients/:patientId': (c) => ({
    body: patientInput(c.target!.siteId, `Patient ${c.target!.patientId}`),
    ok: 200,
    auditOk: 'unchanged',
  }),
  'GET /patients/:patientId/diary': () => ({}),
  'GET /patients/:patientId/analysis': () => ({ query: { now: '2024-06-01T00:00:00Z' } }),
  'GET /patients/:patientId/days': () => ({ query: { from: '2024-05-01', to: '2024-05-31' } }),
  ...entryBuilders('attack'),
  ...entryBuilders('daily-record'),
  ...entryBuilders('medication'),
  ...entryBuilders('questionnaire'),
  ...recordBuilders('procedure'),
  ...recordBuilders('treatment'),
  ...recordBuilders('adverse-event'),
  'GET /patients/:patientId/candidacy-assessment': (c) => ({
    async before() {
      await c.seed.api.services.candidacy.putAssessment(SEEDER, c.target!.patientId, ASSESSMENT, undefined);
    },
  }),
  // A changed assessment with the version it was based on: an allowed PUT stores the new notes.
  'PUT /patients/:patientId/candidacy-assessment': (c) => {
    const notes = fresh('assessment-notes');
    const headers: Record<string, string> = {};
    const stored = () => c.seed.api.store.transaction((tx) => tx.getCandidacyAssessment(c.target!.patientId));
    return {
      body: { ...ASSESSMENT, notes },
      headers,
      ok: 200,
      async before() {
        const current = await c.seed.api.services.candidacy.putAssessment(
          SEEDER,
          c.target!.patientId,
          (await stored())?.body ?? ASSESSMENT,
          undefined,
        );
        headers['if-match'] = `"${current.record.version}"`;
      },
      async verify(allowed) {
        expect((await stored())?.body.notes === notes).toBe(allowed);
      },
    };
  },
  'GET /patients/:patientId/candidacy': () => ({ query: { plannedDate: '2024-03-01' } }),
  'GET /sites/:siteId/settings': () => ({ params: { siteId: 'site-a' } }),
  'PUT /sites/:siteId/settings': (c) => {
    const siteId = fresh('settings-site');
    return {
      params: { siteId },
      body: { ...DEFAULT_SITE_SETTINGS, candidacy: { ...DEFAULT_SITE_SETTINGS.candidacy, minPreventiveClasses: 3 } },
      ok: 201,
      before: () => addSite(c.seed.api.services, siteId),
      async verify(allowed) {
        const stored = await c.seed.api.store.transaction((tx) => tx.getSiteSettings(siteId));
        expect(stored?.version).toBe(allowed ? 1 : undefined);
      },
    };
  },
  'GET /cohort': (c) => ({
    // The registry rows of this matrix write procedures on fresh dates around 2000; none is from 2024 on.
    query: { siteId: 'site-a,site-b', from: '2024-01-01' },
    async verify(allowed, res) {
      if (!allowed) return;
      // No procedure in the range; the cohort is empty whoever asks, and audited once.
      expect(json(res)).toMatchObject({ n: 0, patients: [] });
      const [row] = await c.seed.api.services.audit.recent(1);
      expect(row).toMatchObject({ action: 'cohort.read', actorUserId: c.caller!.user.id, patientId: null });
    },
  }),
  'GET /patients/:patientId/procedures/:procedureId/outcome': (c) => {
    const procedureId = `${c.target!.patientId}-outcome-procedure`;
    return {
      params: { procedureId },
      query: { today: '2024-06-01' },
      async before() {
        const body = recordBody('procedure', '2024-03-01');
        await c.seed.api.services.registry.put(SEEDER, 'procedure', c.target!.patientId, procedureId, body, undefined);
      },
      async verify(allowed, res) {
        if (allowed) expect(json(res)).toMatchObject({ procedureId, procedureDate: '2024-03-01', today: '2024-06-01' });
      },
    };
  },
  'GET /patients/:patientId/follow-up': () => ({}),
  'GET /follow-ups': () => ({ query: { siteId: 'site-a', status: 'due,overdue' } }),
  'GET /patient-overview': (c) => ({
    query: { flag: 'low-compliance', sort: 'name' },
    async verify(allowed, res) {
      if (!allowed) return;
      // Nobody in the matrix keeps a diary: every patient the caller may see is flagged, no other.
      const visible = c.caller!.user.role === 'admin' ? ['p1', 'p2', 'p3'] : ['p1', 'p2'];
      expect(json(res).items.map((r: { patientId: string }) => r.patientId)).toEqual(visible);
    },
  }),
  'GET /patients/:patientId/preferences': () => ({}),
  // Changed preferences with the version they were based on (0: the defaults): an allowed PUT stores the new food.
  'PUT /patients/:patientId/preferences': (c) => {
    const food = fresh('food');
    const stored = () => c.seed.api.store.transaction((tx) => tx.getPatientPreferences(c.target!.patientId));
    const built: Built = {
      body: { ...defaultPreferences(['migraine']), factors: ['foods'], foods: [food] },
      headers: {},
      async before() {
        const version = (await stored())?.version ?? 0;
        built.headers!['if-match'] = `"${version}"`;
        built.ok = version === 0 ? 201 : 200;
      },
      async verify(allowed) {
        expect((await stored())?.body.foods?.toString() === food).toBe(allowed);
      },
    };
    return built;
  },
};

function fillPath(url: string, params: Record<string, string>): string {
  const path = url.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(value);
  });
  return `/api/v1${path}`;
}

interface MatrixCase {
  name: string;
  spec: RouteSpec;
  role: RoleName;
  target: Target | null;
}

const MATRIX: MatrixCase[] = ROUTES.flatMap((spec) =>
  ROLE_NAMES.flatMap((role) =>
    (spec.url.includes(':patientId') ? TARGETS : [null]).map((target) => ({
      name: `${routeKey(spec)} as ${role}${target ? ` on ${target.label}` : ''}`,
      spec,
      role,
      target,
    })),
  ),
);

describe('the route table', () => {
  it('gives every route the access rule this test expects, and has no route this test does not know', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.fromEntries(ROUTES.map((spec) => [routeKey(spec), spec.access]))).toEqual(EXPECTED_ACCESS);
  });

  it('has a request for every route, so the matrix covers them all', () => {
    expect(ROUTES.map(routeKey).filter((key) => BUILDERS[key] === undefined)).toEqual([]);
    expect(MATRIX).toHaveLength(
      ROUTES.reduce((n, spec) => n + ROLE_NAMES.length * (spec.url.includes(':patientId') ? 3 : 1), 0),
    );
  });
});

describe.each(testDatabases())('access matrix on $name', (db) => {
  const seed = {} as Seed;

  beforeAll(async () => {
    const api = await startApi(db);
    seed.api = api;
    const { services } = api;
    await addSite(services, 'site-a');
    await addSite(services, 'site-b');
    for (const t of TARGETS) await addPatient(services, t.patientId, t.siteId);
    const users = {
      admin: await addUser(services, { username: 'root', role: 'admin' }),
      clinician: await addUser(services, { username: 'clin-a', role: 'clinician', siteIds: ['site-a'] }),
      otherClinician: await addUser(services, { username: 'clin-b', role: 'clinician', siteIds: ['site-b'] }),
      researcher: await addUser(services, { username: 'res-a', role: 'researcher', siteIds: ['site-a'] }),
      patient: await addUser(services, { username: 'pat-a1', role: 'patient', patientId: 'p1' }),
      patientA2: await addUser(services, { username: 'pat-a2', role: 'patient', patientId: 'p2' }),
      patientB1: await addUser(services, { username: 'pat-b1', role: 'patient', patientId: 'p3' }),
      login: await addUser(services, { username: 'login-user', role: 'researcher' }),
      patchTarget: await addUser(services, { username: 'patch-target', role: 'clinician', siteIds: ['site-a'] }),
      resetTarget: await addUser(services, { username: 'reset-target', role: 'clinician', siteIds: ['site-b'] }),
    };
    seed.users = users;
    for (const t of TARGETS) {
      for (const kind of Object.keys(SEEDED_ENTRY_IDS) as EntryKind[]) {
        const id = SEEDED_ENTRY_IDS[kind](t.patientId);
        await services.diary.put(SEEDER, kind, t.patientId, id, entryBody(kind, id, '2024-02-10'), undefined);
      }
    }
  }, 60_000);

  afterAll(async () => {
    await seed.api?.close();
  });

  for (const { name, spec, role, target } of MATRIX) {
    it(name, async () => {
      const rule = EXPECTED_ACCESS[routeKey(spec)];
      const builder = BUILDERS[routeKey(spec)];
      if (rule === undefined || builder === undefined)
        throw new Error(`${routeKey(spec)} is not in this test's tables`);
      const caller = role === 'anonymous' ? null : seed.users[role];
      const built = builder({ role, caller, target, seed });
      await built.before?.();
      const { store } = seed.api;
      const seqBefore = await auditSeq(store);

      const res = await seed.api.app.inject({
        method: spec.method,
        url: fillPath(spec.url, { ...(target && { patientId: target.patientId }), ...built.params }),
        query: built.query,
        headers: { ...(caller ? bearer(caller.token) : {}), ...built.headers },
        ...(built.body !== undefined && { payload: built.body as object }),
      });

      const expected = expectedOutcome(rule, role, target?.scope ?? null);
      if (expected === 'ok') {
        const okStatus = built.ok ?? (spec.success.length === 1 ? spec.success[0] : undefined);
        expect(okStatus, 'the builder must name the success status').toBeDefined();
        expect(`${res.statusCode} ${res.statusCode >= 400 ? res.body : ''}`.trim()).toBe(String(okStatus));
      } else {
        expect(res.statusCode, res.body).toBe(expected);
        expect(json(res).error.code).toBe(ERROR_CODES[expected]);
      }
      await built.verify?.(expected === 'ok', res);

      // Every signed-in request to a patient's data, allowed or refused, leaves exactly one audit row
      // naming who, what role, which patient and which request; anonymous ones are stopped earlier.
      if (target !== null) {
        const rows = await auditSince(store, seqBefore);
        if (caller === null) {
          expect(rows).toEqual([]);
        } else {
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({
            actorUserId: caller.user.id,
            actorRole: caller.user.role,
            patientId: target.patientId,
            requestId: res.headers['x-request-id'],
            outcome: expected === 'ok' ? (built.auditOk ?? 'ok') : 'denied',
          });
        }
      } else if (expected !== 'ok') {
        // Refusals of the other routes are audited too: a signed-in caller's wrong role leaves one
        // row naming the route and no patient; an anonymous request is stopped before that.
        const rows = await auditSince(store, seqBefore);
        if (caller === null) {
          expect(rows).toEqual([]);
        } else {
          expect(rows.map(({ at: _at, seq: _seq, prevHash: _prev, hash: _hash, ...rest }) => rest)).toEqual([
            {
              actorUserId: caller.user.id,
              actorRole: caller.user.role,
              action: routeKey(spec),
              patientId: null,
              entityType: null,
              entityId: null,
              requestId: res.headers['x-request-id'],
              outcome: 'denied',
            },
          ]);
        }
      }
    });
  }

  it('lists a clinician the patients of their sites only, and an admin all of them', async () => {
    const list = async (user: SeededUser) => {
      const res = await seed.api.app.inject({ method: 'GET', url: '/api/v1/patients', headers: bearer(user.token) });
      expect(res.statusCode).toBe(200);
      return (json(res).items as { id: string }[]).map((p) => p.id).sort();
    };
    expect(await list(seed.users.clinician)).toEqual(['p1', 'p2']);
    expect(await list(seed.users.otherClinician!)).toEqual(['p3']);
    expect(await list(seed.users.admin)).toEqual(['p1', 'p2', 'p3']);
    // Asking for another site's patients gives none rather than an error that confirms the site.
    const res = await seed.api.app.inject({
      method: 'GET',
      url: '/api/v1/patients?siteId=site-b',
      headers: bearer(seed.users.clinician.token),
    });
    expect(json(res).items).toEqual([]);
  });

  it('a successful read is audited with actor, role, patient and the X-Request-Id of the response', async () => {
    const caller = seed.users.patient;
    const before = await auditSeq(seed.api.store);
    const res = await seed.api.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p1/attacks/p1-attack',
      headers: bearer(caller.token),
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).data.id).toBe('p1-attack');
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await auditSince(seed.api.store, before);
    expect(rows.map(({ at: _at, seq: _seq, prevHash: _prev, hash: _hash, ...rest }) => rest)).toEqual([
      {
        actorUserId: caller.user.id,
        actorRole: 'patient',
        action: 'attack.read',
        patientId: 'p1',
        entityType: 'attack',
        entityId: 'p1-attack',
        requestId,
        outcome: 'ok',
      },
    ]);
    // The same row through the audit service.
    const [newest] = await seed.api.services.audit.recent(1, 'p1');
    expect(newest?.requestId).toBe(requestId);
  });

  it('a denied read is audited as denied, and the audit chain stays intact after the whole matrix', async () => {
    const caller = seed.users.clinician;
    const res = await seed.api.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p3/diary',
      headers: bearer(caller.token),
    });
    expect(res.statusCode).toBe(404);
    const [row] = await seed.api.services.audit.recent(1, 'p3');
    expect(row).toMatchObject({
      actorUserId: caller.user.id,
      actorRole: 'clinician',
      action: 'diary.read',
      patientId: 'p3',
      requestId: res.headers['x-request-id'],
      outcome: 'denied',
    });
    const verification = await seed.api.services.audit.verify();
    expect(verification.problems).toEqual([]);
  });

  it('a cookie session works for reads, and its writes need the CSRF token', async () => {
    const user = seed.users.otherClinician!;
    const login = await seed.api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.user.username, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = sessionCookieOf(login);
    const csrf = json(login).csrfToken as string;
    expect(csrf.length).toBeGreaterThan(20);

    const read = await seed.api.app.inject({ method: 'GET', url: '/api/v1/patients/p3', headers: { cookie } });
    expect(read.statusCode).toBe(200);
    expect(json(read).id).toBe('p3');
    const hidden = await seed.api.app.inject({ method: 'GET', url: '/api/v1/patients/p1', headers: { cookie } });
    expect(hidden.statusCode).toBe(404);

    const id = fresh('cookie-attack');
    const put = (headers: Record<string, string>) =>
      seed.api.app.inject({
        method: 'PUT',
        url: `/api/v1/patients/p3/attacks/${id}`,
        headers: { cookie, ...headers },
        payload: entryBody('attack', id, '2024-05-05'),
      });
    const forged: Record<string, string>[] = [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': `${csrf}x` }];
    for (const headers of forged) {
      const denied = await put(headers);
      expect(denied.statusCode).toBe(403);
      expect(json(denied).error).toMatchObject({ code: 'forbidden', reason: 'csrf' });
      expect(await seed.api.store.transaction((tx) => tx.getEntry('attack', id))).toBeUndefined();
    }
    const created = await put({ 'x-csrf-token': csrf });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ status: 'created', id, patientId: 'p3', version: 1 });
  });
});
