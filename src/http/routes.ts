import { z } from 'zod';
import { ENTRY_KINDS, type EntryKind } from '../services/model.js';
import {
  analysisQuerySchema,
  createUserInputSchema,
  dateRangeQuerySchema,
  ENTRY_BODY_SCHEMAS,
  idSchema,
  loginInputSchema,
  passwordChangeInputSchema,
  patientInputSchema,
  siteInputSchema,
  tokenInputSchema,
  updateUserInputSchema,
} from '../services/schemas.js';
import { analysisResponseSchema } from './analysis-schema.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { written } from './replies.js';
import { route, type RouteSpec } from './route-spec.js';
import { cohortRoutes } from './routes-cohort.js';
import { dayRoutes } from './routes-days.js';
import { followUpRoutes } from './routes-follow-up.js';
import { patientOverviewRoutes } from './routes-patient-overview.js';
import { preferencesRoutes } from './routes-preferences.js';
import { registryRoutes } from './routes-registry.js';

const ENTRY_PATHS: Record<EntryKind, string> = {
  attack: 'attacks',
  'daily-record': 'daily-records',
  medication: 'medications',
  questionnaire: 'questionnaires',
};

const patientParams = z.object({ patientId: idSchema }).strict();
const entryParams = z.object({ patientId: idSchema, id: idSchema }).strict();
const userParams = z.object({ userId: idSchema }).strict();
const siteParams = z.object({ siteId: idSchema }).strict();
const tokenParams = z.object({ tokenId: idSchema }).strict();
const patientListQuery = z
  .object({
    siteId: idSchema.optional(),
    q: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
const auditQuery = z
  .object({ patientId: idSchema.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

const authRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    url: '/auth/login',
    summary: 'Sign in; sets the session cookie and returns the CSRF token for writes',
    tag: 'auth',
    access: 'public',
    body: loginInputSchema,
    success: [200],
    async handle(h) {
      const session = await h.services.auth.login(h.body.username, h.body.password, h.request.ip, h.request.id);
      h.reply.header('set-cookie', sessionCookie(session.sessionToken, session.expiresAt, h.request.protocol));
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  }),
  route({
    method: 'POST',
    url: '/auth/logout',
    summary: 'Sign out: ends this session',
    tag: 'auth',
    access: 'signed-in',
    duringPasswordChange: true,
    success: [204],
    async handle(h) {
      if (h.sessionToken !== undefined) await h.services.auth.logout(h.sessionToken);
      h.reply.header('set-cookie', clearedSessionCookie(h.request.protocol));
      h.reply.code(204);
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/auth/me',
    summary:
      'The signed-in user, with sites and patient record; with the session cookie also its CSRF token, ' +
      'so a reloaded page can write again',
    tag: 'auth',
    access: 'signed-in',
    duringPasswordChange: true,
    success: [200],
    handle: async (h) => ({ ...(await h.services.auth.me(h.ctx)), csrfToken: h.csrfToken }),
  }),
  route({
    method: 'POST',
    url: '/auth/password',
    summary: 'Change one’s own password; ends every session and starts a new one',
    tag: 'auth',
    access: 'signed-in',
    duringPasswordChange: true,
    body: passwordChangeInputSchema,
    success: [200],
    async handle(h) {
      const session = await h.services.auth.changePassword(h.ctx, h.body.currentPassword, h.body.newPassword);
      if (h.sessionToken !== undefined) {
        h.reply.header('set-cookie', sessionCookie(session.sessionToken, session.expiresAt, h.request.protocol));
      }
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  }),
  route({
    method: 'GET',
    url: '/tokens',
    summary: 'One’s own API tokens (never the token text)',
    tag: 'auth',
    access: 'signed-in',
    success: [200],
    handle: async (h) => ({ items: await h.services.auth.listApiTokens(h.ctx) }),
  }),
  route({
    method: 'POST',
    url: '/tokens',
    summary: 'Create an API token for an integration; its text is shown once',
    tag: 'auth',
    access: 'signed-in',
    body: tokenInputSchema,
    success: [201],
    async handle(h) {
      h.reply.code(201);
      return h.services.auth.createApiToken(h.ctx, h.body.name);
    },
  }),
  route({
    method: 'DELETE',
    url: '/tokens/:tokenId',
    summary: 'Revoke one of one’s own API tokens',
    tag: 'auth',
    access: 'signed-in',
    params: tokenParams,
    success: [204],
    async handle(h) {
      await h.services.auth.revokeApiToken(h.ctx, h.params.tokenId);
      h.reply.code(204);
      return undefined;
    },
  }),
];

const adminRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/users',
    summary: 'All users',
    tag: 'admin',
    access: 'admin',
    success: [200],
    handle: async (h) => ({ items: await h.services.admin.listUsers() }),
  }),
  route({
    method: 'POST',
    url: '/users',
    summary: 'Create a user; a generated one-time password is returned once',
    tag: 'admin',
    access: 'admin',
    body: createUserInputSchema,
    success: [201],
    async handle(h) {
      h.reply.code(201);
      return h.services.admin.createUser(h.ctx, h.body);
    },
  }),
  route({
    method: 'GET',
    url: '/users/:userId',
    summary: 'One user',
    tag: 'admin',
    access: 'admin',
    params: userParams,
    success: [200],
    handle: (h) => h.services.admin.getUser(h.params.userId),
  }),
  route({
    method: 'PATCH',
    url: '/users/:userId',
    summary: 'Rename, disable or enable a user, or set their sites',
    tag: 'admin',
    access: 'admin',
    params: userParams,
    body: updateUserInputSchema,
    success: [200],
    handle: (h) => h.services.admin.updateUser(h.ctx, h.params.userId, h.body),
  }),
  route({
    method: 'POST',
    url: '/users/:userId/password-reset',
    summary: 'Set a new one-time password; the user must change it at sign-in',
    tag: 'admin',
    access: 'admin',
    params: userParams,
    success: [200],
    handle: (h) => h.services.auth.resetPassword(h.ctx, h.params.userId),
  }),
  route({
    method: 'GET',
    url: '/sites',
    summary: 'All sites',
    tag: 'admin',
    access: 'admin',
    success: [200],
    handle: async (h) => ({ items: await h.services.admin.listSites() }),
  }),
  route({
    method: 'GET',
    url: '/sites/:siteId',
    summary: 'One site',
    tag: 'admin',
    access: 'admin',
    params: siteParams,
    success: [200],
    handle: (h) => h.services.admin.getSite(h.params.siteId),
  }),
  route({
    method: 'PUT',
    url: '/sites/:siteId',
    summary: 'Create or rename a site (idempotent; If-Match for changes)',
    tag: 'admin',
    access: 'admin',
    params: siteParams,
    body: siteInputSchema,
    ifMatch: true,
    success: [200, 201],
    handle: async (h) => written(h, await h.services.admin.putSite(h.ctx, h.params.siteId, h.body, h.ifMatch)),
  }),
  route({
    method: 'GET',
    url: '/audit',
    summary: 'The newest audit rows, optionally of one patient',
    tag: 'admin',
    access: 'admin',
    query: auditQuery,
    success: [200],
    handle: async (h) => ({ items: await h.services.audit.recent(h.query.limit, h.query.patientId) }),
  }),
  route({
    method: 'GET',
    url: '/audit/verify',
    summary: 'Recompute the audit hash chain and report edited or deleted rows',
    tag: 'admin',
    access: 'admin',
    success: [200],
    handle: (h) => h.services.audit.verify(),
  }),
];

const patientRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patients',
    summary: 'Patients of the caller’s sites (every site for an admin), a page at a time by name',
    tag: 'patients',
    access: 'care',
    query: patientListQuery,
    success: [200],
    async handle(h) {
      const { siteId, q, limit, offset } = h.query;
      const items = await h.services.patients.list(h.ctx, { siteId, search: q, limit, offset });
      return { items, nextOffset: items.length === limit ? offset + limit : null };
    },
  }),
  route({
    method: 'GET',
    url: '/patients/:patientId',
    summary: 'One patient record',
    tag: 'patients',
    access: 'patient-data',
    params: patientParams,
    success: [200],
    async handle(h) {
      const patient = await h.services.patients.get(h.ctx, h.params.patientId);
      h.reply.header('etag', `"${patient.version}"`);
      return patient;
    },
  }),
  route({
    method: 'PUT',
    url: '/patients/:patientId',
    summary: 'Create or update a patient record (idempotent; If-Match for changes)',
    tag: 'patients',
    access: 'care',
    params: patientParams,
    body: patientInputSchema,
    ifMatch: true,
    success: [200, 201],
    handle: async (h) => written(h, await h.services.patients.put(h.ctx, h.params.patientId, h.body, h.ifMatch)),
  }),
  route({
    method: 'GET',
    url: '/patients/:patientId/diary',
    summary: 'The whole diary in the relief-diary format (as `relief analyze` reads it)',
    tag: 'diary',
    access: 'patient-data',
    params: patientParams,
    success: [200],
    handle: (h) => h.services.diary.diary(h.ctx, h.params.patientId),
  }),
  route({
    method: 'GET',
    url: '/patients/:patientId/analysis',
    summary:
      'Months, 28-day periods, ICHD-3 classification, medication-overuse warnings and personal triggers ' +
      '(adjustForMenstruation=true adjusts the trigger analysis for perimenstrual days)',
    tag: 'diary',
    access: 'patient-data',
    params: patientParams,
    query: analysisQuerySchema,
    success: [200],
    response: analysisResponseSchema,
    handle: (h) => h.services.diary.analysis(h.ctx, h.params.patientId, h.query),
  }),
];

function entryRoutes(kind: EntryKind): RouteSpec[] {
  const path = `/patients/:patientId/${ENTRY_PATHS[kind]}`;
  const body = ENTRY_BODY_SCHEMAS[kind] as z.ZodType<Record<string, unknown>>;
  return [
    route({
      method: 'GET',
      url: path,
      summary: `The patient’s ${kind} entries, optionally between two local dates`,
      tag: 'diary',
      access: 'patient-data',
      params: patientParams,
      query: dateRangeQuerySchema,
      success: [200],
      handle: async (h) => ({ items: await h.services.diary.list(h.ctx, kind, h.params.patientId, h.query) }),
    }),
    route({
      method: 'GET',
      url: `${path}/:id`,
      summary: `One ${kind} entry`,
      tag: 'diary',
      access: 'patient-data',
      params: entryParams,
      success: [200],
      async handle(h) {
        const entry = await h.services.diary.get(h.ctx, kind, h.params.patientId, h.params.id);
        h.reply.header('etag', `"${entry.version}"`);
        return entry;
      },
    }),
    route({
      method: 'PUT',
      url: `${path}/:id`,
      summary: `Create or replace a ${kind} entry under a client-chosen id (idempotent; If-Match for changes)`,
      tag: 'diary',
      access: 'patient-data',
      params: entryParams,
      body,
      ifMatch: true,
      success: [200, 201],
      handle: async (h) =>
        written(h, await h.services.diary.put(h.ctx, kind, h.params.patientId, h.params.id, h.body, h.ifMatch)),
    }),
    route({
      method: 'DELETE',
      url: `${path}/:id`,
      summary: `Delete a ${kind} entry (kept as deleted for the audit trail; repeating it is a no-op)`,
      tag: 'diary',
      access: 'patient-data',
      params: entryParams,
      ifMatch: true,
      success: [204],
      async handle(h) {
        await h.services.diary.delete(h.ctx, kind, h.params.patientId, h.params.id, h.ifMatch);
        h.reply.code(204);
        return undefined;
      },
    }),
  ];
}

const systemRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/health',
    summary: 'Liveness: the server answers and its database responds',
    tag: 'system',
    access: 'public',
    success: [200],
    async handle(h) {
      await h.services.store.transaction(async (tx) => tx.auditHead());
      return { status: 'ok', database: h.services.store.dialect };
    },
  }),
];

/** Every route of /api/v1. The access-matrix test walks this table. */
export const ROUTES: readonly RouteSpec[] = [
  ...systemRoutes,
  ...authRoutes,
  ...adminRoutes,
  ...patientRoutes,
  ...ENTRY_KINDS.flatMap(entryRoutes),
  ...dayRoutes,
  ...registryRoutes,
  ...cohortRoutes,
  ...followUpRoutes,
  ...patientOverviewRoutes,
  ...preferencesRoutes,
];
