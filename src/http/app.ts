import { randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../services/actor.js';
import { DuplicateKeyError, type FieldIssue, InvalidInputError, ServiceError } from '../services/errors.js';
import type { ReliefServices } from '../services/relief-services.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { docsPage } from './docs-page.js';
import { registerWebApp } from './web-app.js';
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route-spec.js';
import { ROUTES } from './routes.js';

export const API_PREFIX = '/api/v1';

export interface AppOptions {
  /**
   * Trust X-Forwarded-* from reverse proxies (needed for Secure cookies behind TLS termination):
   * a number of proxy hops, or the proxies' addresses. Never `true`: the client could then name
   * any address and escape the sign-in rate limit.
   */
  trustProxy?: number | string[];
  logger?: boolean;
  /** Largest accepted request body in bytes; larger ones get 413. */
  bodyLimit?: number;
  routes?: readonly RouteSpec[];
  /** Folder of the built web app to serve beside the API (`DEFAULT_WEB_DIR`); absent: the API only. */
  webDir?: string;
}

const STATUS: Record<ServiceError['code'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

function zodIssues(error: z.ZodError, where: string): FieldIssue[] {
  return error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

function parseIfMatch(header: string | undefined): number | FieldIssue | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  return m ? Number(m[1]) : { path: 'headers.if-match', message: 'must be a record version such as "3"' };
}

interface Authenticated {
  actor: Actor;
  csrfToken: string | null;
  sessionToken: string | undefined;
}

async function authenticate(services: ReliefServices, request: FastifyRequest): Promise<Authenticated | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = m ? await services.auth.authenticateApiToken(m[1]!) : null;
    return actor && { actor, csrfToken: null, sessionToken: undefined };
  }
  const sessionToken = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (sessionToken === undefined) return null;
  const found = await services.auth.authenticateSession(sessionToken);
  return found && { actor: found.actor, csrfToken: found.csrfToken, sessionToken };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Roles that read de-identified registry cohorts. */
const REGISTRY_ROLES: ReadonlySet<Actor['role']> = new Set(['admin', 'clinician', 'researcher']);

function checkAccess(spec: RouteSpec, actor: Actor): ServiceError | null {
  if (actor.mustChangePassword && !spec.duringPasswordChange) {
    return new ServiceError('forbidden', 'change your one-time password first (POST /api/v1/auth/password)', {
      reason: 'password_change_required',
    });
  }
  if (spec.access === 'admin' && actor.role !== 'admin') return new ServiceError('forbidden', 'admins only');
  if (spec.access === 'care' && actor.role !== 'admin' && actor.role !== 'clinician') {
    return new ServiceError('forbidden', 'clinicians and admins only');
  }
  if (spec.access === 'registry' && !REGISTRY_ROLES.has(actor.role)) {
    return new ServiceError('forbidden', 'admins, clinicians and researchers only');
  }
  return null;
}

/** No Relief document nests deeper than this; deeper input is refused before it is walked. */
const MAX_DEPTH = 32;

/**
 * Checks what no schema does: PostgreSQL cannot store U+0000 in text, and no diary field needs
 * it; and nesting is bounded, so a small body of many "[" cannot exhaust the stack.
 */
function checkRawInput(value: unknown, root: string, issues: FieldIssue[]): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) issues.push({ path, message: 'must not contain the NUL character' });
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) {
        issues.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep` });
        continue;
      }
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) issues.push({ path, message: 'keys must not contain the NUL character' });
        stack.push({ value: child, path: `${path}.${k}`, depth: depth + 1 });
      }
    }
  }
}

/** The patient a refused request was about, when its path names one, for the audit log. */
function patientOfPath(params: unknown): string | null {
  const id = (params as { patientId?: unknown } | null)?.patientId;
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) ? id : null;
}

/** Refusals before any use case ran are audited like refusals inside the use cases. */
async function refuse(
  services: ReliefServices,
  spec: RouteSpec,
  request: FastifyRequest,
  actor: Actor,
  error: ServiceError,
): Promise<never> {
  await services.audit.recordRefusal(
    { actor, requestId: request.id },
    {
      action: `${spec.method} ${spec.url}`,
      patientId: patientOfPath(request.params),
      entityType: null,
      entityId: null,
    },
  );
  throw error;
}

function register(app: FastifyInstance, services: ReliefServices, spec: RouteSpec): void {
  app.route({
    method: spec.method,
    url: API_PREFIX + spec.url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      let auth: Authenticated | null = null;
      if (spec.access !== 'public') {
        auth = await authenticate(services, request);
        if (!auth) throw new ServiceError('unauthenticated', 'sign in or send a valid API token');
        // Cookie-authenticated writes must echo the session's CSRF token (synchronizer token
        // pattern, OWASP CSRF Prevention Cheat Sheet); bearer tokens are not sent by browsers.
        if (auth.csrfToken !== null && !SAFE_METHODS.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !sameToken(sent, auth.csrfToken)) {
            const csrf = new ServiceError('forbidden', 'missing or wrong X-CSRF-Token header', { reason: 'csrf' });
            await refuse(services, spec, request, auth.actor, csrf);
          }
        }
        const denied = checkAccess(spec, auth.actor);
        if (denied) await refuse(services, spec, request, auth.actor, denied);
      }
      const issues: FieldIssue[] = [];
      const parse = (schema: z.ZodType | undefined, value: unknown, where: string): unknown => {
        if (!schema) {
          if (where === 'body' && value !== undefined && value !== null) {
            issues.push({ path: 'body', message: 'this request takes no body' });
          }
          return undefined;
        }
        const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
        if (!result.success) {
          issues.push(...zodIssues(result.error, where));
          return undefined;
        }
        return result.data;
      };
      checkRawInput(request.params, 'params', issues);
      checkRawInput(request.query, 'query', issues);
      checkRawInput(request.body, 'body', issues);
      // Too deep to walk safely: the schemas do not see it at all.
      if (issues.some((i) => i.message.startsWith('is nested'))) throw new InvalidInputError(issues);
      const params = parse(spec.params, request.params, 'params');
      const query = parse(spec.query, request.query, 'query');
      const body = parse(spec.body, request.body, 'body');
      let ifMatch: number | undefined;
      if (spec.ifMatch) {
        const parsed = parseIfMatch(request.headers['if-match']);
        if (typeof parsed === 'object') issues.push(parsed);
        else ifMatch = parsed;
      }
      if (issues.length > 0) throw new InvalidInputError(issues);
      const actor = auth?.actor as Actor;
      const result = await spec.handle({
        services,
        request,
        reply,
        actor,
        ctx: { actor, requestId: request.id },
        params,
        query,
        body,
        ifMatch,
        sessionToken: auth?.sessionToken,
        csrfToken: auth?.csrfToken ?? null,
      });
      return result;
    },
  });
}

/** Fastify's form of the setting: a hop count becomes "trust the first n hops". */
function trustedProxies(
  setting: AppOptions['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** The Relief HTTP API as a Fastify instance; `app.inject()` drives it in tests. */
export async function buildApp(services: ReliefServices, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: trustedProxies(options.trustProxy),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });
  // JSON only: anything else is 415 Unsupported Media Type.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    // The API's answers are never cached; the web app's files set their own policy.
    if (request.url.startsWith(API_PREFIX) || !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.setErrorHandler((error: FastifyError | ServiceError | DuplicateKeyError, request, reply) => {
    if (error instanceof ServiceError) {
      const status = STATUS[error.code];
      const retry = error.details.retryAfterSeconds;
      if (typeof retry === 'number') reply.header('retry-after', String(retry));
      const { auditOutcome: _audit, retryAfterSeconds: _retry, ...details } = error.details;
      return reply.code(status).send(errorBody(error.code, error.message, details));
    }
    if (error instanceof DuplicateKeyError) {
      // Two writers raced for one unique key; the loser's request changed nothing.
      return reply.code(409).send(errorBody('conflict', 'a record with this key was written meanwhile; retry'));
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status === 404
              ? 'not_found'
              : 'invalid';
      return reply.code(status).send(errorBody(code, error.message));
    }
    request.log.error(error);
    return reply.code(500).send(errorBody('internal', 'internal error; the request id is in X-Request-Id'));
  });

  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url}`));
  if (options.webDir === undefined) app.setNotFoundHandler(notFound);
  else await registerWebApp(app, options.webDir, notFound);

  const routes = options.routes ?? ROUTES;
  for (const spec of routes) register(app, services, spec);

  const openapi = buildOpenApi(routes, API_PREFIX);
  app.get(`${API_PREFIX}/openapi.json`, async () => openapi);
  app.get(`${API_PREFIX}/docs`, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(docsPage(openapi)),
  );
  return app;
}
