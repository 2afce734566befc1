import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackSchema, diarySchema } from '../../src/domain/diary.js';
import { buildApp } from '../../src/http/app.js';
import { ROUTES } from '../../src/http/routes.js';
import type { AuditEvent, AuditRow } from '../../src/services/model.js';
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
  countRows,
  json,
  ManualClock,
  patientInput,
  SEEDER,
  sessionCookieOf,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';

const START = '2024-06-15T10:00:00.000Z';
const HOUR = 3_600_000;

describe.each(testDatabases())('the HTTP API on $name', (db) => {
  const clock = new ManualClock(START);
  let api: TestApi;
  /** The same services behind a TLS-terminating proxy. */
  let proxied: Awaited<ReturnType<typeof buildApp>>;
  let bootstrap: { username: string; password: string };
  let admin: SeededUser;
  let clinician: SeededUser;
  let patient1: SeededUser;
  let patient2: SeededUser;

  const inject = (options: InjectOptions) => api.app.inject(options);
  const login = (username: string, password: string, ip = '127.0.0.1') =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
  let sessions = 0;
  /** Signs in (from an address of its own, clear of the rate limit) and returns the Cookie header and CSRF token. */
  const session = async (user: { user: { username: string }; password: string }) => {
    const res = await login(user.user.username, user.password, `10.2.0.${++sessions}`);
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: sessionCookieOf(res), csrf: json(res).csrfToken as string };
  };
  const me = (headers: Record<string, string>) => inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const entryUrl = (patientId: string, kind: string, id: string) => `/api/v1/patients/${patientId}/${kind}/${id}`;
  /** Asserts the request wrote nothing at all, audit log included. */
  const writesNothing = async (send: () => Promise<LightMyRequestResponse>) => {
    const before = await countAll(api.store);
    const res = await send();
    expect(await countAll(api.store)).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    api = await startApi(db, { clock: clock.now });
    proxied = await buildApp(api.services, { trustProxy: 1 });
    // The first admin is made while there is no user at all.
    const first = await api.services.auth.bootstrapAdmin();
    if (!first) throw new Error('no bootstrap admin');
    bootstrap = first;
    await addSite(api.services, 'site-a');
    await addPatient(api.services, 'p1', 'site-a');
    await addPatient(api.services, 'p2', 'site-a');
    admin = await addUser(api.services, { username: 'root', role: 'admin' });
    clinician = await addUser(api.services, { username: 'clin', role: 'clinician', siteIds: ['site-a'] });
    patient1 = await addUser(api.services, { username: 'pat1', role: 'patient', patientId: 'p1' });
    patient2 = await addUser(api.services, { username: 'pat2', role: 'patient', patientId: 'p2' });
  }, 60_000);

  afterAll(async () => {
    await proxied?.close();
    await api?.close();
  });

  describe('sign-in and sessions', () => {
    it('login sets an HttpOnly SameSite=Strict session cookie and returns the CSRF token, not the session', async () => {
      const res = await login('clin', clinician.password, '10.1.0.1');
      expect(res.statusCode).toBe(200);
      const expires = new Date(clock.now().getTime() + 12 * HOUR);
      const cookie = res.headers['set-cookie'];
      expect(cookie).toMatch(
        new RegExp(
          `^relief_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Expires=${expires.toUTCString()}$`,
        ),
      );
      const body = json(res);
      expect(Object.keys(body).sort()).toEqual(['csrfToken', 'expiresAt', 'user']);
      expect(body.expiresAt).toBe(expires.toISOString());
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.user).toEqual({
        id: clinician.user.id,
        username: 'clin',
        displayName: 'User clin',
        role: 'clinician',
        siteIds: ['site-a'],
        patientId: null,
        mustChangePassword: false,
        disabled: false,
      });
      const who = await me({ cookie: sessionCookieOf(res) });
      expect(who.statusCode).toBe(200);
      expect(json(who).username).toBe('clin');
      // A reloaded page learns the session's CSRF token again from /auth/me.
      expect(json(who).csrfToken).toBe(json(res).csrfToken);
    });

    it('marks the cookie Secure only when a trusted proxy says the request came over https', async () => {
      const viaTls = await proxied.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'clin', password: clinician.password },
        remoteAddress: '10.1.0.2',
      });
      expect(viaTls.statusCode).toBe(200);
      expect(viaTls.headers['set-cookie']).toMatch(/; HttpOnly; SameSite=Strict; Expires=[^;]+; Secure$/);

      const plain = await proxied.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'clin', password: clinician.password },
        remoteAddress: '10.1.0.2',
      });
      expect(plain.headers['set-cookie']).not.toContain('Secure');
      // Without trustProxy the header is the client's word and is ignored.
      const untrusted = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'clin', password: clinician.password },
        remoteAddress: '10.1.0.2',
      });
      expect(untrusted.statusCode).toBe(200);
      expect(untrusted.headers['set-cookie']).not.toContain('Secure');
    });

    it('answers a wrong password and an unknown user alike with 401 and no cookie', async () => {
      const wrong = await login('clin', 'not-the-password', '10.1.0.3');
      const unknown = await login('nobody-here', 'not-the-password', '10.1.0.3');
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(json(res).error.code).toBe('unauthenticated');
      }
      expect(json(wrong).error.message).toBe(json(unknown).error.message);
    });

    it('locks an account after 5 failures, even against the right password, until lockoutMinutes pass', async () => {
      const locky = await addUser(api.services, { username: 'locky', role: 'clinician', siteIds: ['site-a'] });
      const ip = '10.1.0.4';
      // Four failures, then success, resets the count.
      for (let i = 0; i < 4; i++) expect((await login('locky', 'wrong-password', ip)).statusCode).toBe(401);
      expect((await login('locky', locky.password, ip)).statusCode).toBe(200);

      for (let i = 0; i < 5; i++) expect((await login('locky', 'wrong-password', ip)).statusCode).toBe(401);
      expect((await login('locky', locky.password, ip)).statusCode).toBe(401);
      expect((await login('locky', locky.password, '10.1.0.5')).statusCode).toBe(401); // per account, not per address
      clock.advance(15 * 60_000 - 1_000);
      expect((await login('locky', locky.password, ip)).statusCode).toBe(401);
      clock.advance(1_000);
      expect((await login('locky', locky.password, ip)).statusCode).toBe(200);
    });

    it('rate-limits sign-in attempts per client address with 429 and Retry-After', async () => {
      const ip = '10.1.0.6';
      const limit = api.services.security.loginAttemptsPerMinute;
      expect(limit).toBe(20);
      for (let i = 0; i < limit; i++) expect((await login(`nobody-${i}`, 'wrong-password', ip)).statusCode).toBe(401);
      const limited = await login('clin', clinician.password, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('60');
      expect(json(limited).error.code).toBe('too_many_requests');
      expect(limited.headers['set-cookie']).toBeUndefined();
      // Another address is not affected.
      expect((await login('clin', clinician.password, '10.1.0.7')).statusCode).toBe(200);
      clock.advance(30_000);
      const still = await login('clin', clinician.password, ip);
      expect(still.statusCode).toBe(429);
      expect(still.headers['retry-after']).toBe('30');
      clock.advance(30_000);
      expect((await login('clin', clinician.password, ip)).statusCode).toBe(200);
    });

    it('behind one trusted proxy hop, the rate limit counts the address the proxy saw, not what the client wrote', async () => {
      const limit = api.services.security.loginAttemptsPerMinute;
      const viaProxy = (forwardedFor?: string) =>
        proxied.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
          payload: { username: 'nobody-proxied', password: 'wrong-password' },
          remoteAddress: '10.1.0.20',
        });
      // The client writes a different first address each time; the proxy appends the one it saw.
      for (let i = 0; i < limit; i++) {
        const res = await viaProxy(i % 2 === 0 ? '1.1.1.1, 9.9.9.9' : '2.2.2.2, 9.9.9.9');
        expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
      }
      const limited = await viaProxy('3.3.3.3, 9.9.9.9');
      expect(limited.statusCode).toBe(429);
      expect(json(limited).error.code).toBe('too_many_requests');
      // Other clients behind the same proxy, and the proxy itself, are not affected.
      expect((await viaProxy('9.9.9.9, 8.8.8.8')).statusCode).toBe(401);
      expect((await viaProxy()).statusCode).toBe(401);

      // Trusted proxies named by address: only their X-Forwarded-For counts.
      const named = await buildApp(api.services, { trustProxy: ['10.1.0.21'] });
      try {
        const send = (remoteAddress: string, forwardedFor: string) =>
          named.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'x-forwarded-for': forwardedFor },
            payload: { username: 'nobody-named', password: 'wrong-password' },
            remoteAddress,
          });
        for (let i = 0; i < limit; i++) expect((await send('10.1.0.21', `${i}.1.1.1, 7.7.7.7`)).statusCode).toBe(401);
        expect((await send('10.1.0.21', '7.7.7.7')).statusCode).toBe(429);
        // An untrusted sender's header is ignored: it is counted as itself, not as 7.7.7.7.
        expect((await send('10.1.0.22', '7.7.7.7')).statusCode).toBe(401);
      } finally {
        await named.close();
      }
    });

    it('logout ends the session and clears the cookie', async () => {
      const { cookie, csrf } = await session(clinician);
      const sessions = await countRows(api.store, 'sessions');
      // Logging out is a write: it needs the CSRF token too.
      const forged = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
      expect(forged.statusCode).toBe(403);
      expect((await me({ cookie })).statusCode).toBe(200);

      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['set-cookie']).toBe('relief_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
      expect(await countRows(api.store, 'sessions')).toBe(sessions - 1);
      const after = await me({ cookie });
      expect(after.statusCode).toBe(401);
      expect(json(after).error.code).toBe('unauthenticated');
    });

    it('refuses cookie-authenticated writes without the right X-CSRF-Token, writing only the audit of the refusal', async () => {
      const { cookie, csrf } = await session(patient1);
      await inject({
        method: 'PUT',
        url: entryUrl('p1', 'attacks', 'csrf-kept'),
        headers: bearer(patient1.token),
        payload: { id: 'csrf-kept', start: '2024-05-01T08:00:00+02:00' },
      });
      const before = await countAll(api.store);
      const writes: InjectOptions[] = [
        {
          method: 'PUT',
          url: entryUrl('p1', 'attacks', 'csrf-new'),
          payload: { id: 'csrf-new', start: '2024-05-02T08:00:00+02:00' },
        },
        { method: 'DELETE', url: entryUrl('p1', 'attacks', 'csrf-kept') },
        { method: 'POST', url: '/api/v1/tokens', payload: { name: 'csrf-token' } },
        {
          method: 'POST',
          url: '/api/v1/auth/password',
          payload: { currentPassword: patient1.password, newPassword: 'another-long-password' },
        },
      ];
      for (const write of writes) {
        for (const headers of [{ cookie }, { cookie, 'x-csrf-token': 'wrong' }, { cookie, 'x-csrf-token': '' }]) {
          const res = await inject({ ...write, headers });
          expect(res.statusCode, `${write.method} ${write.url}`).toBe(403);
          expect(json(res).error).toMatchObject({ code: 'forbidden', reason: 'csrf' });
        }
      }
      // Each of the four writes × three header variants is audited as denied; nothing else changed.
      const seq = await auditSeq(api.store);
      expect(await countAll(api.store)).toEqual({ ...before, audit_log: before.audit_log! + 12 });
      const refusals = await auditSince(api.store, seq - 12);
      expect(refusals.map((r) => [r.outcome, r.patientId, r.actorUserId])).toEqual([
        ...Array(6).fill(['denied', 'p1', patient1.user.id]),
        ...Array(6).fill(['denied', null, patient1.user.id]),
      ]);
      // Reads need no token; the same write with it succeeds.
      const read = await inject({ method: 'GET', url: entryUrl('p1', 'attacks', 'csrf-kept'), headers: { cookie } });
      expect(read.statusCode).toBe(200);
      const ok = await inject({ ...writes[0]!, headers: { cookie, 'x-csrf-token': csrf } });
      expect(ok.statusCode).toBe(201);
    });

    it('a bootstrapped admin must change the one-time password before anything else; the old session ends', async () => {
      const { cookie, csrf } = await session({ user: { username: bootstrap.username }, password: bootstrap.password });
      const meRes = await me({ cookie });
      expect(meRes.statusCode).toBe(200);
      expect(json(meRes)).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
      const seq = await auditSeq(api.store);
      const requestIds: unknown[] = [];
      for (const url of ['/api/v1/users', '/api/v1/patients', '/api/v1/tokens', '/api/v1/patients/p1']) {
        const res = await inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode, url).toBe(403);
        expect(json(res).error.reason).toBe('password_change_required');
        requestIds.push(res.headers['x-request-id']);
      }
      // Each refusal is audited as denied, whether or not the route is about a patient.
      const adminId = json(meRes).id as string;
      expect(
        (await auditSince(api.store, seq)).map((r) => [r.action, r.outcome, r.patientId, r.actorUserId, r.requestId]),
      ).toEqual([
        ['GET /users', 'denied', null, adminId, requestIds[0]],
        ['GET /patients', 'denied', null, adminId, requestIds[1]],
        ['GET /tokens', 'denied', null, adminId, requestIds[2]],
        ['GET /patients/:patientId', 'denied', 'p1', adminId, requestIds[3]],
      ]);
      const password = (body: object) =>
        inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: { cookie, 'x-csrf-token': csrf },
          payload: body,
        });
      const short = await password({ currentPassword: bootstrap.password, newPassword: 'short' });
      expect(short.statusCode).toBe(400);
      expect(json(short).error.issues).toEqual([
        { path: 'body.newPassword', message: 'must be at least 12 characters' },
      ]);
      const wrong = await password({ currentPassword: 'not-it-at-all', newPassword: 'admin-chosen-password' });
      expect(wrong.statusCode).toBe(400);
      expect(json(wrong).error.issues.map((i: { path: string }) => i.path)).toEqual(['body.currentPassword']);

      const changed = await password({ currentPassword: bootstrap.password, newPassword: 'admin-chosen-password' });
      expect(changed.statusCode).toBe(200);
      expect(json(changed).user.mustChangePassword).toBe(false);
      const newCookie = sessionCookieOf(changed);
      expect(newCookie).not.toBe(cookie);
      expect(json(changed).csrfToken).not.toBe(csrf);

      expect((await me({ cookie })).statusCode).toBe(401);
      const users = await inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: newCookie } });
      expect(users.statusCode).toBe(200);
      expect((await login('admin', bootstrap.password, '10.1.0.8')).statusCode).toBe(401);
      expect((await login('admin', 'admin-chosen-password', '10.1.0.8')).statusCode).toBe(200);
    });

    it('a password change ends every session of the user and starts a new one', async () => {
      const user = await addUser(api.services, { username: 'multi', role: 'clinician', siteIds: ['site-a'] });
      const first = await session(user);
      const second = await session(user);
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie: first.cookie, 'x-csrf-token': first.csrf },
        payload: { currentPassword: user.password, newPassword: 'multi-new-password' },
      });
      expect(res.statusCode).toBe(200);
      expect((await me({ cookie: first.cookie })).statusCode).toBe(401);
      expect((await me({ cookie: second.cookie })).statusCode).toBe(401);
      expect((await me({ cookie: sessionCookieOf(res) })).statusCode).toBe(200);
      expect((await login('multi', user.password, '10.1.0.9')).statusCode).toBe(401);
      expect((await login('multi', 'multi-new-password', '10.1.0.9')).statusCode).toBe(200);
    });

    it('an admin password reset ends the user’s sessions and forces a new password at sign-in', async () => {
      const user = await addUser(api.services, { username: 'forgetful', role: 'clinician', siteIds: ['site-a'] });
      const old = await session(user);
      const res = await inject({
        method: 'POST',
        url: `/api/v1/users/${user.user.id}/password-reset`,
        headers: bearer(admin.token),
      });
      expect(res.statusCode).toBe(200);
      const { password } = json(res) as { password: string };
      expect(password).toMatch(/^[a-zA-Z2-9]{20}$/);
      expect((await me({ cookie: old.cookie })).statusCode).toBe(401);
      expect((await login('forgetful', user.password, '10.1.0.10')).statusCode).toBe(401);
      const fresh = await login('forgetful', password, '10.1.0.10');
      expect(fresh.statusCode).toBe(200);
      expect(json(fresh).user.mustChangePassword).toBe(true);
      const blocked = await inject({
        method: 'GET',
        url: '/api/v1/patients',
        headers: { cookie: sessionCookieOf(fresh) },
      });
      expect(blocked.statusCode).toBe(403);
      expect(json(blocked).error.reason).toBe('password_change_required');
      const missing = await inject({
        method: 'POST',
        url: '/api/v1/users/no-such-user/password-reset',
        headers: bearer(admin.token),
      });
      expect(missing.statusCode).toBe(404);
    });

    it('creates, lists and revokes API tokens; a revoked token is refused', async () => {
      const user = await addUser(api.services, { username: 'integrator', role: 'clinician', siteIds: ['site-a'] });
      const { cookie, csrf } = await session(user);
      const created = await inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { name: 'sync' },
      });
      expect(created.statusCode).toBe(201);
      const token = json(created) as { id: string; name: string; token: string };
      expect(Object.keys(token).sort()).toEqual(['id', 'name', 'token']);
      expect(token.name).toBe('sync');
      expect(token.token).toMatch(/^rlf_[A-Za-z0-9_-]{43}$/);

      const listed = await inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie } });
      expect(listed.statusCode).toBe(200);
      const items = json(listed).items as Record<string, unknown>[];
      expect(items.find((t) => t.id === token.id)).toEqual({
        id: token.id,
        userId: user.user.id,
        name: 'sync',
        createdAt: clock.now().toISOString(),
        revokedAt: null,
      });
      expect(items.map((t) => t.name).sort()).toEqual(['sync', 'test']);
      expect(listed.body).not.toContain(token.token);

      const duplicate = await inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: bearer(token.token),
        payload: { name: 'sync' },
      });
      expect(duplicate.statusCode).toBe(409);
      const viaToken = await me(bearer(token.token));
      expect(viaToken.statusCode).toBe(200);
      expect(json(viaToken).username).toBe('integrator');
      expect(json(viaToken).csrfToken).toBeNull();

      // Another user cannot revoke it.
      const foreign = await inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${token.id}`,
        headers: bearer(admin.token),
      });
      expect(foreign.statusCode).toBe(404);
      expect((await me(bearer(token.token))).statusCode).toBe(200);

      const revoked = await inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${token.id}`,
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(revoked.statusCode).toBe(204);
      const refused = await me(bearer(token.token));
      expect(refused.statusCode).toBe(401);
      expect(json(refused).error.code).toBe('unauthenticated');
      const relisted = json(await inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie } }));
      expect(relisted.items.find((t: { id: string }) => t.id === token.id).revokedAt).toBe(clock.now().toISOString());
      const again = await inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}`, headers: bearer(user.token) });
      expect(again.statusCode).toBe(404);

      for (const authorization of ['Bearer rlf_made-up', 'Bearer nonsense', 'Basic Zm9vOmJhcg==', 'Bearer']) {
        expect((await me({ authorization })).statusCode, authorization).toBe(401);
      }
    });

    it('a disabled user is refused with 401 by token, by session and at sign-in, until enabled again', async () => {
      const user = await addUser(api.services, { username: 'leaver', role: 'clinician', siteIds: ['site-a'] });
      const { cookie } = await session(user);
      const patch = (disabled: boolean) =>
        inject({
          method: 'PATCH',
          url: `/api/v1/users/${user.user.id}`,
          headers: bearer(admin.token),
          payload: { disabled },
        });
      const disabled = await patch(true);
      expect(disabled.statusCode).toBe(200);
      expect(json(disabled)).toMatchObject({ username: 'leaver', disabled: true });
      expect((await me(bearer(user.token))).statusCode).toBe(401);
      expect((await me({ cookie })).statusCode).toBe(401);
      expect((await login('leaver', user.password, '10.1.0.11')).statusCode).toBe(401);

      expect((await patch(false)).statusCode).toBe(200);
      expect((await me(bearer(user.token))).statusCode).toBe(200);
      expect((await login('leaver', user.password, '10.1.0.11')).statusCode).toBe(200);

      const self = await inject({
        method: 'PATCH',
        url: `/api/v1/users/${admin.user.id}`,
        headers: bearer(admin.token),
        payload: { disabled: true },
      });
      expect(self.statusCode).toBe(400);
      expect(json(self).error.issues.map((i: { path: string }) => i.path)).toEqual(['body.disabled']);
    });
  });

  describe('idempotent writes', () => {
    const attack = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      start: '2024-04-02T08:00:00+02:00',
      end: '2024-04-02T15:00:00+02:00',
      peakIntensity: 6,
      ...extra,
    });
    const put = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      inject({ method: 'PUT', url, headers: { ...bearer(patient1.token), ...headers }, payload: payload as object });
    const get = (url: string) => inject({ method: 'GET', url, headers: bearer(patient1.token) });
    const del = (url: string, headers: Record<string, string> = {}) =>
      inject({ method: 'DELETE', url, headers: { ...bearer(patient1.token), ...headers } });
    const rowsWithId = async (id: string) =>
      Number(
        (
          await api.store.db
            .selectFrom('attacks')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('a repeated PUT is created once, then unchanged, and stores one row', async () => {
      const url = entryUrl('p1', 'attacks', 'idem-1');
      const seq = await auditSeq(api.store);
      const first = await put(url, attack('idem-1'));
      expect(first.statusCode).toBe(201);
      expect(first.headers.etag).toBe('"1"');
      expect(json(first)).toEqual({
        status: 'created',
        id: 'idem-1',
        patientId: 'p1',
        version: 1,
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
        data: attack('idem-1'),
      });
      const second = await put(url, attack('idem-1'));
      expect(second.statusCode).toBe(200);
      expect(json(second)).toMatchObject({ status: 'unchanged', version: 1 });
      // Key order does not make a body different.
      const reordered = Object.fromEntries(Object.entries(attack('idem-1')).reverse());
      const third = await put(url, reordered);
      expect(third.statusCode).toBe(200);
      expect(json(third).status).toBe('unchanged');
      expect(await rowsWithId('idem-1')).toBe(1);
      expect((await auditSince(api.store, seq)).map((r) => [r.action, r.outcome])).toEqual([
        ['attack.put', 'ok'],
        ['attack.put', 'unchanged'],
        ['attack.put', 'unchanged'],
      ]);

      // Nor does the key order of a nested record, such as a day's factors.
      const dayUrl = entryUrl('p1', 'daily-records', 'idem-day');
      const day = (factors: Record<string, unknown>) => ({ date: '2024-04-20', pain: 2, factors });
      expect((await put(dayUrl, day({ stress: 2, sleepHours: 6.5, alcohol: false }))).statusCode).toBe(201);
      const again = await put(dayUrl, day({ alcohol: false, sleepHours: 6.5, stress: 2 }));
      expect(again.statusCode).toBe(200);
      expect(json(again)).toMatchObject({ status: 'unchanged', version: 1 });
    });

    it('a change needs If-Match with the current version: 409 version_required, 409 version_conflict, then 200', async () => {
      const url = entryUrl('p1', 'attacks', 'idem-2');
      expect((await put(url, attack('idem-2'))).statusCode).toBe(201);
      const changed = attack('idem-2', { peakIntensity: 9 });

      const noVersion = await put(url, changed);
      expect(noVersion.statusCode).toBe(409);
      expect(json(noVersion).error).toMatchObject({ code: 'conflict', reason: 'version_required', currentVersion: 1 });
      const stored = await get(url);
      expect(json(stored)).toMatchObject({ version: 1, data: attack('idem-2') });
      expect(stored.headers.etag).toBe('"1"');

      const wrongVersion = await put(url, changed, { 'if-match': '"2"' });
      expect(wrongVersion.statusCode).toBe(409);
      expect(json(wrongVersion).error).toMatchObject({ reason: 'version_conflict', currentVersion: 1 });
      expect(json(await get(url)).data).toEqual(attack('idem-2'));

      const ok = await put(url, changed, { 'if-match': '"1"' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(json(ok)).toMatchObject({ status: 'updated', version: 2, data: changed });

      // An edit based on version 1 is now stale.
      const stale = await put(url, attack('idem-2', { peakIntensity: 3 }), { 'if-match': '"1"' });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error).toMatchObject({ reason: 'version_conflict', currentVersion: 2 });
      // A weak ETag as sent back by a client is accepted.
      const weak = await put(url, attack('idem-2', { peakIntensity: 4 }), { 'if-match': 'W/"2"' });
      expect(weak.statusCode).toBe(200);
      expect(json(weak).version).toBe(3);
      expect(await rowsWithId('idem-2')).toBe(1);
    });

    it('DELETE answers 204, the entry is gone, and deleting again is still 204', async () => {
      const url = entryUrl('p1', 'attacks', 'idem-3');
      expect((await put(url, attack('idem-3'))).statusCode).toBe(201);
      const stale = await del(url, { 'if-match': '"7"' });
      expect(stale.statusCode).toBe(409);
      expect((await get(url)).statusCode).toBe(200);

      const first = await del(url);
      expect(first.statusCode).toBe(204);
      expect(first.body).toBe('');
      const gone = await get(url);
      expect(gone.statusCode).toBe(404);
      expect(json(gone).error.code).toBe('not_found');
      expect((await del(url)).statusCode).toBe(204);
      const list = json(await get('/api/v1/patients/p1/attacks'));
      expect(list.items.map((e: { id: string }) => e.id)).not.toContain('idem-3');
      // An old retry cannot bring it back: that needs the version after the delete (2).
      const retry = await put(url, attack('idem-3'));
      expect(retry.statusCode).toBe(409);
      expect(json(retry).error).toMatchObject({ reason: 'version_required', currentVersion: 2 });
      const restored = await put(url, attack('idem-3'), { 'if-match': '"2"' });
      expect(restored.statusCode).toBe(200);
      expect(json(restored)).toMatchObject({ status: 'updated', version: 3 });
      expect((await get(url)).statusCode).toBe(200);
      const unknown = await del(entryUrl('p1', 'attacks', 'never-was'));
      expect(unknown.statusCode).toBe(404);
    });

    it('lists the attacks that overlap a date range, in order, an attack over midnight on both days', async () => {
      const attacks = {
        x4: { id: 'x4', start: '2024-03-12T08:00:00+01:00', end: '2024-03-12T10:00:00+01:00' },
        x3: { id: 'x3', start: '2024-03-11T15:00:00+01:00', end: '2024-03-11T16:00:00+01:00' },
        x2: { id: 'x2', start: '2024-03-10T23:00:00+01:00', end: '2024-03-11T02:00:00+01:00' },
        x1: { id: 'x1', start: '2024-03-09T10:00:00+01:00', end: '2024-03-09T12:00:00+01:00' },
        // Ends at local midnight: it does not reach into 14 March.
        x5: { id: 'x5', start: '2024-03-13T22:00:00+01:00', end: '2024-03-14T00:00:00+01:00' },
      };
      for (const a of Object.values(attacks)) {
        const res = await inject({
          method: 'PUT',
          url: entryUrl('p2', 'attacks', a.id),
          headers: bearer(patient2.token),
          payload: a,
        });
        expect(res.statusCode).toBe(201);
      }
      const list = async (query: Record<string, string>) => {
        const res = await inject({
          method: 'GET',
          url: '/api/v1/patients/p2/attacks',
          query,
          headers: bearer(patient2.token),
        });
        expect(res.statusCode, res.body).toBe(200);
        return (json(res).items as { id: string }[]).map((e) => e.id);
      };
      expect(await list({})).toEqual(['x1', 'x2', 'x3', 'x4', 'x5']);
      expect(await list({ from: '2024-03-10', to: '2024-03-10' })).toEqual(['x2']);
      expect(await list({ from: '2024-03-11', to: '2024-03-11' })).toEqual(['x2', 'x3']);
      expect(await list({ from: '2024-03-10', to: '2024-03-11' })).toEqual(['x2', 'x3']);
      expect(await list({ to: '2024-03-09' })).toEqual(['x1']);
      expect(await list({ from: '2024-03-12' })).toEqual(['x4', 'x5']);
      expect(await list({ from: '2024-03-14', to: '2024-03-14' })).toEqual([]);
      const full = await inject({
        method: 'GET',
        url: '/api/v1/patients/p2/attacks?from=2024-03-11&to=2024-03-11',
        headers: bearer(patient2.token),
      });
      expect(json(full).items[0]).toMatchObject({ id: 'x2', patientId: 'p2', version: 1, data: attacks.x2 });

      const reversed = await inject({
        method: 'GET',
        url: '/api/v1/patients/p2/attacks?from=2024-03-12&to=2024-03-11',
        headers: bearer(patient2.token),
      });
      expect(reversed.statusCode).toBe(400);
      expect(json(reversed).error.issues).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    });

    it('refuses a second daily record for a date with 409, until the first is deleted', async () => {
      const first = await put(entryUrl('p1', 'daily-records', 'day-1'), { date: '2024-04-01', noHeadache: true });
      expect(first.statusCode).toBe(201);
      const second = await put(entryUrl('p1', 'daily-records', 'day-2'), { date: '2024-04-01', pain: 3 });
      expect(second.statusCode).toBe(409);
      expect(json(second).error).toMatchObject({ code: 'conflict', existingId: 'day-1' });
      expect((await get(entryUrl('p1', 'daily-records', 'day-2'))).statusCode).toBe(404);
      expect(json(await get(entryUrl('p1', 'daily-records', 'day-1'))).data).toEqual({
        date: '2024-04-01',
        noHeadache: true,
      });
      expect((await del(entryUrl('p1', 'daily-records', 'day-1'))).statusCode).toBe(204);
      const now = await put(entryUrl('p1', 'daily-records', 'day-2'), { date: '2024-04-01', pain: 3 });
      expect(now.statusCode).toBe(201);
    });
  });

  describe('errors', () => {
    const putAttack = (id: string, payload: string | object, headers: Record<string, string> = {}) =>
      inject({
        method: 'PUT',
        url: entryUrl('p1', 'attacks', id),
        headers: { ...bearer(patient1.token), ...headers },
        payload,
      });

    it('400 lists every invalid field and writes nothing', async () => {
      const res = await writesNothing(() => putAttack('bad-1', { id: 'bad-1', start: 'yesterday', peakIntensity: 11 }));
      expect(res.statusCode).toBe(400);
      const error = json(res).error;
      expect(error.code).toBe('invalid');
      expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.peakIntensity', 'body.start']);
      expect(error.issues.find((i: { path: string }) => i.path === 'body.start').message).toBe(
        'must be a date-time with a UTC offset, e.g. 2024-03-10T23:30:00+01:00',
      );

      // Path, body and header problems are reported together.
      const all = await writesNothing(() =>
        putAttack('-bad', { id: '-bad', start: 'yesterday', peakIntensity: 11, colour: 'red' }, { 'if-match': 'v1' }),
      );
      expect(all.statusCode).toBe(400);
      expect(
        json(all)
          .error.issues.map((i: { path: string }) => i.path)
          .sort(),
      ).toEqual(['body', 'body.peakIntensity', 'body.start', 'headers.if-match', 'params.id']);

      const mismatch = await writesNothing(() =>
        putAttack('bad-2', { id: 'other', start: '2024-04-02T08:00:00+02:00' }),
      );
      expect(mismatch.statusCode).toBe(400);
      expect(json(mismatch).error.issues).toEqual([{ path: 'body.id', message: 'must equal the id in the path' }]);
      expect(await api.store.transaction((tx) => tx.getEntry('attack', 'bad-1'))).toBeUndefined();
    });

    it('413 for a body over 1 MB, 415 for a body that is not JSON, 400 for malformed JSON', async () => {
      const big = await writesNothing(() =>
        putAttack('big', { id: 'big', start: '2024-04-02T08:00:00+02:00', notes: 'x'.repeat(1024 * 1024) }),
      );
      expect(big.statusCode).toBe(413);
      expect(json(big).error.code).toBe('too_large');

      for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
        const res = await writesNothing(() => putAttack('typed', 'id=typed', { 'content-type': type }));
        expect(res.statusCode, type).toBe(415);
        expect(json(res).error.code).toBe('unsupported_media_type');
      }

      const malformed = await writesNothing(() =>
        putAttack('broken', '{"id": "broken", "start": ', { 'content-type': 'application/json' }),
      );
      expect(malformed.statusCode).toBe(400);
      expect(json(malformed).error.code).toBe('invalid');
      // Prototype pollution attempts are refused by the JSON parser.
      const proto = await writesNothing(() =>
        putAttack('proto', '{"id": "proto", "__proto__": {"admin": true}}', { 'content-type': 'application/json' }),
      );
      expect(proto.statusCode).toBe(400);
    });

    it('an unknown route is a 404 in JSON', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nothing-here'],
        ['GET', '/api/v2/patients'],
        ['PATCH', '/api/v1/patients/p1/attacks/a'],
      ] as const) {
        const res = await inject({ method, url, headers: bearer(admin.token) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(json(res)).toEqual({ error: { code: 'not_found', message: `no route ${method} ${url}` } });
      }
    });

    it('an If-Match that is not a version is a 400', async () => {
      for (const ifMatch of ['abc', '"1", "2"', '*', '"-1"']) {
        const res = await putAttack('ifm', { id: 'ifm', start: '2024-04-02T08:00:00+02:00' }, { 'if-match': ifMatch });
        expect(res.statusCode, ifMatch).toBe(400);
        expect(json(res).error.issues).toEqual([
          { path: 'headers.if-match', message: 'must be a record version such as "3"' },
        ]);
        const del = await inject({
          method: 'DELETE',
          url: entryUrl('p1', 'attacks', 'ifm'),
          headers: { ...bearer(patient1.token), 'if-match': ifMatch },
        });
        expect(del.statusCode).toBe(400);
      }
    });

    it('another patient’s entry under my patient path is a 404, and stays untouched', async () => {
      const theirs = { id: 'theirs', start: '2024-04-05T08:00:00+02:00', peakIntensity: 5 };
      const created = await inject({
        method: 'PUT',
        url: entryUrl('p2', 'attacks', 'theirs'),
        headers: bearer(patient2.token),
        payload: theirs,
      });
      expect(created.statusCode).toBe(201);
      const seq = await auditSeq(api.store);
      for (const caller of [patient1, clinician, admin]) {
        const headers = bearer(caller.token);
        const read = await inject({ method: 'GET', url: entryUrl('p1', 'attacks', 'theirs'), headers });
        expect(read.statusCode, caller.user.username).toBe(404);
        const write = await inject({
          method: 'PUT',
          url: entryUrl('p1', 'attacks', 'theirs'),
          headers: { ...headers, 'if-match': '"1"' },
          payload: { ...theirs, peakIntensity: 1 },
        });
        expect(write.statusCode).toBe(404);
        const remove = await inject({ method: 'DELETE', url: entryUrl('p1', 'attacks', 'theirs'), headers });
        expect(remove.statusCode).toBe(404);
      }
      const stored = await api.store.transaction((tx) => tx.getEntry('attack', 'theirs'));
      expect(stored).toMatchObject({ patientId: 'p2', version: 1, deletedAt: null, body: theirs });
      const rows = await auditSince(api.store, seq);
      expect(rows.map((r) => r.outcome)).toEqual(Array(9).fill('denied'));
      expect(new Set(rows.map((r) => r.patientId))).toEqual(new Set(['p1']));
    });

    // PostgreSQL cannot store U+0000 in text; the API refuses it everywhere with a 400 naming the field.
    it('text with a NUL character is a 400 naming the field, on both databases', async () => {
      const headers = bearer(admin.token);
      const requests: InjectOptions[] = [
        { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a\u0000b', password: 'whatever' } },
        { method: 'GET', url: '/api/v1/patients?q=%00', headers },
        { method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'nul\u0000token' } },
        { method: 'PUT', url: '/api/v1/sites/nul-site', headers, payload: { name: 'nul\u0000site' } },
        {
          method: 'PUT',
          url: '/api/v1/patients/nul-patient',
          headers,
          payload: { siteId: 'site-a', displayName: 'nul\u0000name', timeZone: 'Europe/Paris' },
        },
      ];
      const answers: string[] = [];
      for (const request of requests) {
        const res = await inject(request);
        answers.push(
          `${res.statusCode} ${(json(res).error?.issues ?? []).map((i: { path: string }) => i.path).join(',')}`,
        );
      }
      expect(answers).toEqual([
        '400 body.username',
        '400 query.q',
        '400 body.name',
        '400 body.name',
        '400 body.displayName',
      ]);
    });

    it('NUL in a key or a nested string is reported together with the schema issues, in one 400', async () => {
      const res = await writesNothing(() =>
        putAttack('nul-mix', {
          id: 'nul-mix',
          start: 'yesterday',
          notes: 'a\u0000b',
          medications: [{ name: 'x\u0000', class: 'triptan' }],
          'odd\u0000key': 1,
        }),
      );
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe('invalid');
      const issues = (json(res).error.issues as { path: string; message: string }[]).map(
        (i) => `${i.path}: ${i.message}`,
      );
      expect(issues.sort()).toEqual(
        [
          'body: keys must not contain the NUL character',
          'body: Unrecognized key: "odd\u0000key"',
          'body.medications.0.name: must not contain the NUL character',
          'body.notes: must not contain the NUL character',
          'body.start: must be a date-time with a UTC offset, e.g. 2024-03-10T23:30:00+01:00',
        ].sort(),
      );
    });

    // JSON.parse copes with any depth; walking the result recursively would not.
    it('a body nested deeper than 32 levels is a 400 naming where, not a stack overflow; nothing is written', async () => {
      const depth = 5_000;
      const deep = await writesNothing(() =>
        putAttack('deep', '['.repeat(depth) + ']'.repeat(depth), { 'content-type': 'application/json' }),
      );
      expect(deep.statusCode, deep.body).toBe(400);
      expect(json(deep).error).toEqual({
        code: 'invalid',
        message: `body${'.0'.repeat(32)}: is nested more than 32 levels deep`,
        issues: [{ path: `body${'.0'.repeat(32)}`, message: 'is nested more than 32 levels deep' }],
      });

      // Deep inside a valid-looking attack, as objects: the path names the field.
      const notes = `${'{"a":'.repeat(depth)}"end"${'}'.repeat(depth)}`;
      const nested = await writesNothing(() =>
        putAttack('deep-2', `{"id": "deep-2", "start": "2024-04-02T08:00:00+02:00", "notes": ${notes}}`, {
          'content-type': 'application/json',
        }),
      );
      expect(nested.statusCode, nested.body).toBe(400);
      expect(json(nested).error.issues).toEqual([
        { path: `body.notes${'.a'.repeat(31)}`, message: 'is nested more than 32 levels deep' },
      ]);

      // 32 levels are walked and left to the schema; 33 are not.
      const atLimit = await writesNothing(() =>
        putAttack('deep-3', '['.repeat(32) + ']'.repeat(32), { 'content-type': 'application/json' }),
      );
      expect(atLimit.statusCode).toBe(400);
      expect(json(atLimit).error.issues.map((i: { path: string }) => i.path)).toEqual(['body']);
      expect(json(atLimit).error.issues[0].message).not.toContain('nested');
      const overLimit = await writesNothing(() =>
        putAttack('deep-4', '['.repeat(33) + ']'.repeat(33), { 'content-type': 'application/json' }),
      );
      expect(json(overLimit).error.issues).toEqual([
        { path: `body${'.0'.repeat(32)}`, message: 'is nested more than 32 levels deep' },
      ]);
      expect(await api.store.transaction((tx) => tx.getEntry('attack', 'deep-2'))).toBeUndefined();
    });

    it('never answers 500 to any JSON value sent as an attack (property)', async () => {
      let n = 0;
      // Mostly valid fields, so that valid attacks (201) are among the cases too.
      const instant = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('2024-03-10T08:00:00+01:00', '2024-03-10T23:30:00Z') },
        { weight: 1, arbitrary: fc.constantFrom('2024-03-10T08:00', '2024-02-30T08:00:00+01:00', 'yesterday') },
      );
      const field = <T>(arb: fc.Arbitrary<T>) =>
        fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.jsonValue() });
      const attackLike = fc.record(
        {
          start: field(instant),
          end: field(instant),
          peakIntensity: field(
            fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: -1, max: 11 }), fc.double()),
          ),
          side: field(fc.constantFrom('left', 'right', 'bilateral', 'middle')),
          notes: field(fc.string({ unit: 'binary' })),
          nausea: field(fc.boolean()),
          medications: field(
            fc.array(fc.record({ name: fc.string(), class: fc.constantFrom('triptan', 'ergot', 'aspirin') }), {
              maxLength: 2,
            }),
          ),
        },
        { requiredKeys: ['start'] },
      );
      const body = fc.oneof(
        fc.jsonValue().map((value) => ({ withId: false, value })),
        attackLike.map((value) => ({ withId: true, value: value as unknown })),
      );
      let created = 0;
      const before = await countRows(api.store, 'attacks');
      await fc.assert(
        fc.asyncProperty(body, async ({ withId, value }) => {
          const id = `prop-${++n}`;
          const sent = withId ? { id, ...(value as object) } : value;
          const text = JSON.stringify(sent) ?? 'null';
          const res = await putAttack(id, text, { 'content-type': 'application/json' });
          const parsed: unknown = JSON.parse(text);
          // Valid: the schema accepts it, the id matches the path, and no text holds U+0000.
          const valid =
            attackSchema.safeParse(parsed).success &&
            (parsed as { id?: unknown }).id === id &&
            !JSON.stringify(parsed).includes('\\u0000');
          expect(res.statusCode, `${text} → ${res.body}`).toBe(valid ? 201 : 400);
          if (valid) created++;
          else expect(json(res).error.code).toBe('invalid');
        }),
        { numRuns: 200 },
      );
      expect(created).toBeGreaterThan(0);
      expect(await countRows(api.store, 'attacks')).toBe(before + created);
    });
  });

  describe('users, patient lists and the audit log', () => {
    const headers = () => bearer(admin.token);
    const issuesOf = (res: LightMyRequestResponse) => json(res).error.issues as { path: string; message: string }[];

    it('POST and PATCH /users count a site listed twice once, and name every unknown site', async () => {
      await addSite(api.services, 'site-users');
      const created = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: headers(),
        payload: {
          username: 'twice',
          displayName: 'Twice',
          role: 'clinician',
          siteIds: ['site-a', 'site-a'],
          password: 'twice-long-password',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = json(created).user.id as string;
      expect(json(created).user).toMatchObject({ username: 'twice', siteIds: ['site-a'] });
      const patch = (siteIds: string[]) =>
        inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: headers(), payload: { siteIds } });
      const patched = await patch(['site-users', 'site-a', 'site-users']);
      expect(patched.statusCode, patched.body).toBe(200);
      expect(json(patched).siteIds).toEqual(['site-a', 'site-users']);
      expect(await api.store.transaction((tx) => tx.membershipsOf(id))).toEqual(['site-a', 'site-users']);

      const unknownSites = ['nope-1', 'site-a', 'nope-2'];
      const expected = [
        { path: 'body.siteIds.0', message: 'no site "nope-1"' },
        { path: 'body.siteIds.2', message: 'no site "nope-2"' },
      ];
      const refused = await writesNothing(() =>
        inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: headers(),
          payload: { username: 'unknown-sites', displayName: 'U', role: 'clinician', siteIds: unknownSites },
        }),
      );
      expect(refused.statusCode).toBe(400);
      expect(issuesOf(refused)).toEqual(expected);
      const refusedPatch = await writesNothing(() => patch(unknownSites));
      expect(refusedPatch.statusCode).toBe(400);
      expect(issuesOf(refusedPatch)).toEqual(expected);
      expect(await api.store.transaction((tx) => tx.membershipsOf(id))).toEqual(['site-a', 'site-users']);
    });

    it('PUT /patients names every care-team member that is not a clinician, and an unknown site with them', async () => {
      const put = (id: string, siteId: string) =>
        inject({
          method: 'PUT',
          url: `/api/v1/patients/${id}`,
          headers: headers(),
          payload: {
            siteId,
            displayName: 'Team check',
            timeZone: 'Europe/Paris',
            careTeam: [patient1.user.id, clinician.user.id, 'ghost-user'],
          },
        });
      const team = await writesNothing(() => put('team-check', 'site-a'));
      expect(team.statusCode).toBe(400);
      expect(issuesOf(team)).toEqual([
        { path: 'body.careTeam.0', message: 'is not a clinician' },
        { path: 'body.careTeam.2', message: 'is not a clinician' },
      ]);
      const both = await writesNothing(() => put('team-check', 'no-such-site'));
      expect(both.statusCode).toBe(400);
      expect(issuesOf(both)).toEqual([
        { path: 'body.siteId', message: 'no site "no-such-site"' },
        { path: 'body.careTeam.0', message: 'is not a clinician' },
        { path: 'body.careTeam.2', message: 'is not a clinician' },
      ]);
      expect(await api.store.transaction((tx) => tx.getPatient('team-check'))).toBeUndefined();
    });

    it('GET /patients pages by name with limit and offset, and audits each patient listed', async () => {
      await addSite(api.services, 'site-page');
      // Name order (then id order): pg-3, pg-4, pg-5, pg-2, pg-1.
      const names: [string, string][] = [
        ['pg-1', 'Eve'],
        ['pg-2', 'Dora'],
        ['pg-3', 'Anna'],
        ['pg-4', 'Bert'],
        ['pg-5', 'Bert'],
      ];
      for (const [id, name] of names) {
        await api.services.patients.put(SEEDER, id, patientInput('site-page', name), undefined);
      }
      const page = async (query: string) => {
        const seq = await auditSeq(api.store);
        const res = await inject({
          method: 'GET',
          url: `/api/v1/patients?siteId=site-page${query}`,
          headers: headers(),
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = json(res) as { items: { id: string; displayName: string }[]; nextOffset: number | null };
        expect(Object.keys(body).sort()).toEqual(['items', 'nextOffset']);
        const rows = await auditSince(api.store, seq);
        return {
          ids: body.items.map((p) => p.id),
          nextOffset: body.nextOffset,
          audit: rows.map((r) => [r.action, r.patientId, r.entityType, r.entityId, r.actorUserId, r.outcome]),
          requestIds: [...new Set(rows.map((r) => r.requestId))],
          requestId: res.headers['x-request-id'],
        };
      };
      const listed = (...ids: string[]) => ids.map((id) => ['patient.list', id, 'patient', id, admin.user.id, 'ok']);

      const first = await page('&limit=2');
      expect(first).toMatchObject({ ids: ['pg-3', 'pg-4'], nextOffset: 2, audit: listed('pg-3', 'pg-4') });
      expect(first.requestIds).toEqual([first.requestId]);
      expect(await page('&limit=2&offset=2')).toMatchObject({
        ids: ['pg-5', 'pg-2'],
        nextOffset: 4,
        audit: listed('pg-5', 'pg-2'),
      });
      expect(await page('&limit=2&offset=4')).toMatchObject({ ids: ['pg-1'], nextOffset: null, audit: listed('pg-1') });
      // A full page may be the last one; the next is then empty.
      expect(await page('&limit=5')).toMatchObject({
        ids: ['pg-3', 'pg-4', 'pg-5', 'pg-2', 'pg-1'],
        nextOffset: 5,
        audit: listed('pg-3', 'pg-4', 'pg-5', 'pg-2', 'pg-1'),
      });
      expect(await page('&limit=5&offset=5')).toMatchObject({
        ids: [],
        nextOffset: null,
        audit: [['patient.list', null, 'patient', null, admin.user.id, 'ok']],
      });
      // The default page is 100 patients from the start.
      expect(await page('')).toMatchObject({ ids: ['pg-3', 'pg-4', 'pg-5', 'pg-2', 'pg-1'], nextOffset: null });

      for (const [query, path] of [
        ['&limit=0', 'query.limit'],
        ['&limit=1001', 'query.limit'],
        ['&limit=2.5', 'query.limit'],
        ['&limit=many', 'query.limit'],
        ['&offset=-1', 'query.offset'],
      ]) {
        const res = await writesNothing(() =>
          inject({ method: 'GET', url: `/api/v1/patients?siteId=site-page${query}`, headers: headers() }),
        );
        expect(res.statusCode, query).toBe(400);
        expect(issuesOf(res).map((i) => i.path)).toEqual([path]);
      }
    });

    it('GET /audit?patientId= returns that patient’s newest rows, however many newer rows are about others', async () => {
      await addPatient(api.services, 'audit-target', 'site-a');
      for (let i = 0; i < 3; i++) {
        const res = await inject({ method: 'GET', url: '/api/v1/patients/audit-target', headers: headers() });
        expect(res.statusCode).toBe(200);
      }
      const mine = (await auditSince(api.store, 0)).filter((r) => r.patientId === 'audit-target');
      expect(mine.map((r) => r.action)).toEqual(['patient.put', 'patient.read', 'patient.read', 'patient.read']);
      // 2,000 newer rows about another patient.
      const other: AuditEvent = {
        at: clock.now().toISOString(),
        actorUserId: clinician.user.id,
        actorRole: 'clinician',
        action: 'patient.read',
        patientId: 'p2',
        entityType: 'patient',
        entityId: 'p2',
        requestId: null,
        outcome: 'ok',
      };
      for (let i = 0; i < 4; i++) await api.store.transaction((tx) => tx.appendAudit(Array(500).fill(other)));

      const recent = async (query: string) => {
        const res = await inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: headers() });
        expect(res.statusCode, res.body).toBe(200);
        return json(res).items as AuditRow[];
      };
      expect(await recent('patientId=audit-target&limit=2')).toEqual([mine[3], mine[2]]);
      expect(await recent('patientId=audit-target&limit=10')).toEqual([...mine].reverse());
      expect(await recent('patientId=audit-target')).toEqual([...mine].reverse());
      const seq = await auditSeq(api.store);
      expect(await recent('limit=3')).toEqual((await auditSince(api.store, seq - 3)).reverse());
      expect(await recent('patientId=nobody-at-all&limit=5')).toEqual([]);
    });
  });

  describe('diary and analysis', () => {
    beforeAll(async () => {
      const headers = bearer(admin.token);
      const patient = await inject({
        method: 'PUT',
        url: '/api/v1/patients/pan',
        headers,
        payload: { siteId: 'site-a', displayName: 'Analysis patient', timeZone: 'Europe/Paris', birthYear: 1980 },
      });
      expect(patient.statusCode).toBe(201);
      expect(json(patient)).toMatchObject({ status: 'created', conditions: ['migraine'], careTeam: [], version: 1 });
      const migraine = (id: string, day: string) => ({
        ...MIGRAINE_FEATURES,
        id,
        start: `${day}T08:00:00+01:00`,
        end: `${day}T16:00:00+01:00`,
      });
      const entries: [string, string, object][] = [
        ['attacks', 'm1', migraine('m1', '2024-01-05')],
        ['attacks', 'm2', migraine('m2', '2024-01-12')],
        ['attacks', 'm3', migraine('m3', '2024-01-20')],
        [
          'attacks',
          't1',
          {
            id: 't1',
            start: '2024-01-25T08:00:00+01:00',
            end: '2024-01-25T16:00:00+01:00',
            peakIntensity: 3,
            side: 'bilateral',
            quality: ['pressing'],
            aggravatedByActivity: false,
            nausea: false,
            vomiting: false,
            photophobia: false,
            phonophobia: false,
          },
        ],
        ['attacks', 'm4', migraine('m4', '2024-02-10')],
        ['daily-records', 'd20', { date: '2024-02-20', notes: 'tired' }],
        ['medications', 'med20', { name: 'sumatriptan', class: 'triptan', takenAt: '2024-02-20T09:00:00+01:00' }],
        ['medications', 'med25', { name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400, date: '2024-02-25' }],
        ['questionnaires', 'q1', { instrument: 'PGIC', date: '2024-02-25', answer: 'much-improved' }],
      ];
      for (const [kind, id, payload] of entries) {
        const res = await inject({ method: 'PUT', url: entryUrl('pan', kind, id), headers, payload });
        expect(res.statusCode, `${kind}/${id}: ${res.body}`).toBe(201);
      }
    });

    it('counts migraine days per month', async () => {
      const res = await inject({
        method: 'GET',
        url: '/api/v1/patients/pan/analysis',
        query: { now: '2024-03-01T12:00:00+01:00' },
        headers: bearer(clinician.token),
      });
      expect(res.statusCode, res.body).toBe(200);
      const analysis = json(res);
      expect(analysis.asOf).toBe('2024-03-01');
      expect(analysis.span).toMatchObject({ first: '2024-01-05', last: '2024-02-25', recordedDays: 7 });
      const months = (analysis.months as Record<string, unknown>[]).map((m) => ({
        month: m.month,
        recordedDays: m.recordedDays,
        headacheDays: m.headacheDays,
        migraineDays: m.migraineDays,
        attacks: m.attacks,
        migraineAttacks: m.migraineAttacks,
        acuteMedicationDays: m.acuteMedicationDays,
        migraineSpecificMedicationDays: m.migraineSpecificMedicationDays,
      }));
      // January: three migraine attacks on three days and one tension-type-like attack.
      // February: one migraine attack, a triptan day (a migraine day), an ibuprofen day.
      expect(months).toEqual([
        {
          month: '2024-01',
          recordedDays: 4,
          headacheDays: 4,
          migraineDays: 3,
          attacks: 4,
          migraineAttacks: 3,
          acuteMedicationDays: 0,
          migraineSpecificMedicationDays: 0,
        },
        {
          month: '2024-02',
          recordedDays: 3,
          headacheDays: 2,
          migraineDays: 2,
          attacks: 1,
          migraineAttacks: 1,
          acuteMedicationDays: 2,
          migraineSpecificMedicationDays: 1,
        },
      ]);
      expect(analysis.questionnaires).toEqual([
        { instrument: 'PGIC', date: '2024-02-25', score: 2, interpretation: 'much-improved' },
      ]);
      // A moment before the diary: nothing counted yet.
      const early = await inject({
        method: 'GET',
        url: '/api/v1/patients/pan/analysis',
        query: { now: '2023-12-31T12:00:00+01:00' },
        headers: bearer(clinician.token),
      });
      expect(json(early).months).toEqual([]);
      const invalid = await inject({
        method: 'GET',
        url: '/api/v1/patients/pan/analysis?now=tomorrow&extra=1',
        headers: bearer(clinician.token),
      });
      expect(invalid.statusCode).toBe(400);
      expect(
        json(invalid)
          .error.issues.map((i: { path: string }) => i.path)
          .sort(),
      ).toEqual(['query', 'query.now']);
    });

    it('returns the diary in the relief-diary format, a standalone medication merged into its day', async () => {
      const res = await inject({ method: 'GET', url: '/api/v1/patients/pan/diary', headers: bearer(admin.token) });
      expect(res.statusCode).toBe(200);
      const diary = json(res);
      const parsed = diarySchema.safeParse(diary);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(diary.format).toBe('relief-diary');
      expect(diary.patient).toEqual({
        id: 'pan',
        timeZone: 'Europe/Paris',
        conditions: ['migraine'],
        birthYear: 1980,
      });
      expect(diary.attacks.map((a: { id: string }) => a.id)).toEqual(['m1', 'm2', 'm3', 't1', 'm4']);
      expect(diary.dailyRecords).toEqual([
        {
          date: '2024-02-20',
          notes: 'tired',
          medications: [{ name: 'sumatriptan', class: 'triptan', takenAt: '2024-02-20T09:00:00+01:00' }],
        },
        { date: '2024-02-25', medications: [{ name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400 }] },
      ]);
      expect(diary.questionnaires).toEqual([{ instrument: 'PGIC', date: '2024-02-25', answer: 'much-improved' }]);
    });
  });

  describe('OpenAPI', () => {
    it('documents exactly one operation per route, with its method, path and access rule', async () => {
      const res = await inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = json(res);
      expect(doc.openapi).toBe('3.1.0');
      const operations = Object.entries(doc.paths as Record<string, Record<string, { 'x-relief-access': string }>>)
        .flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op['x-relief-access']}`),
        )
        .sort();
      const expected = ROUTES.map((r) => `${r.method} /api/v1${r.url.replace(/:(\w+)/g, '{$1}')} ${r.access}`).sort();
      expect(operations).toEqual(expected);
      expect(operations).toHaveLength(ROUTES.length);
      const put = doc.paths['/api/v1/patients/{patientId}/attacks/{id}'].put;
      expect(put.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
        'path:patientId',
        'path:id',
        'header:If-Match',
      ]);
      expect(put.requestBody.content['application/json'].schema.required).toEqual(['id', 'start']);
    });

    it('serves the documentation page as HTML', async () => {
      const res = await inject({ method: 'GET', url: '/api/v1/docs' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/^<!doctype html>/);
      for (const r of ROUTES) expect(res.body).toContain(`/api/v1${r.url.replace(/:(\w+)/g, '{$1}')}`);
    });
  });
});
