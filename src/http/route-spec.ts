import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor, RequestContext } from '../services/actor.js';
import type { ReliefServices } from '../services/relief-services.js';

/**
 * Who may call a route, checked before the handler runs:
 * - `public`: anyone;
 * - `signed-in`: any signed-in user (their own account);
 * - `admin`: admins;
 * - `care`: clinicians and admins (patient lists and records; the service checks the site);
 * - `patient-data`: any signed-in user; the service decides per patient (own record, own site,
 *   admin) and answers 404 for a patient the caller may not see;
 * - `registry`: admins, clinicians and researchers (de-identified cohorts; the service narrows
 *   clinicians and researchers to their sites); patients are refused.
 */
export const ACCESS_RULES = ['public', 'signed-in', 'admin', 'care', 'patient-data', 'registry'] as const;
export type AccessRule = (typeof ACCESS_RULES)[number];

export interface HandlerContext<P, Q, B> {
  services: ReliefServices;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Set on every route but public ones. */
  actor: Actor;
  ctx: RequestContext;
  params: P;
  query: Q;
  body: B;
  /** The version named by an If-Match header, when sent. */
  ifMatch: number | undefined;
  /** The raw session token when the request came with the session cookie. */
  sessionToken: string | undefined;
  /** The session's CSRF token when the request came with the session cookie. */
  csrfToken: string | null;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below /api/v1, with :params. */
  url: string;
  summary: string;
  tag: string;
  access: AccessRule;
  /** Callable while the user must still replace a one-time password. */
  duringPasswordChange?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Reads the If-Match header (a record version). */
  ifMatch?: boolean;
  /** Statuses the route answers with on success, for the OpenAPI document. */
  success: number[];
  response?: z.ZodType;
  handle(h: HandlerContext<P, Q, B>): Promise<unknown>;
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function route<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}
