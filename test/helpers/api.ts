import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import type { Actor, RequestContext } from '../../src/services/actor.js';
import type { PublicUser } from '../../src/services/auth-service.js';
import type { AuditRow, Role } from '../../src/services/model.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { PatientInput } from '../../src/services/schemas.js';
import type { SecuritySettings } from '../../src/services/settings.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import type { TestDatabase } from './databases.js';

/** Cheap password hashing for tests (the settings' documented test cost). */
export const FAST_SECURITY: Partial<SecuritySettings> = { scrypt: { N: 1024, r: 8, p: 1 } };

/** Seeding runs as the machine's operator, as the CLI does. */
export const SEEDER: RequestContext = {
  actor: {
    userId: 'operator:test',
    username: 'operator',
    role: 'admin',
    siteIds: [],
    patientId: null,
    mustChangePassword: false,
  },
  requestId: null,
};

/** A clock the test moves by hand. */
export class ManualClock {
  private ms: number;
  constructor(start: string) {
    this.ms = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestApi {
  app: FastifyInstance;
  services: ReliefServices;
  store: KyselyStore;
  close(): Promise<void>;
}

/** A fresh database of the given kind, its services and the HTTP app over them. */
export async function startApi(
  db: TestDatabase,
  options: {
    clock?: () => Date;
    security?: Partial<SecuritySettings>;
    app?: AppOptions;
    minResearchCohort?: number;
  } = {},
): Promise<TestApi> {
  const { config, drop } = await db.fresh();
  const store = await openStore(config, { migrate: true });
  const services = createServices(store, {
    clock: options.clock,
    security: { ...FAST_SECURITY, ...options.security },
    minResearchCohort: options.minResearchCohort,
  });
  const app = await buildApp(services, options.app);
  return {
    app,
    services,
    store,
    async close() {
      await app.close();
      await store.close();
      await drop();
    },
  };
}

/** The request context of a user, as the HTTP layer would build it. */
export function contextOf(user: PublicUser): RequestContext {
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    role: user.role,
    siteIds: user.siteIds,
    patientId: user.patientId,
    mustChangePassword: user.mustChangePassword,
  };
  return { actor, requestId: null };
}

export interface SeededUser {
  user: PublicUser;
  password: string;
  ctx: RequestContext;
  /** An API token of the user, for `Authorization: Bearer`. */
  token: string;
}

/** Creates a user with an explicit password (so no password change is pending) and an API token. */
export async function addUser(
  services: ReliefServices,
  input: { username: string; role: Role; siteIds?: string[]; patientId?: string; password?: string },
): Promise<SeededUser> {
  const password = input.password ?? `${input.username}-secret-pw`;
  const { user } = await services.admin.createUser(SEEDER, {
    username: input.username,
    displayName: `User ${input.username}`,
    role: input.role,
    siteIds: input.siteIds ?? [],
    patientId: input.patientId,
    password,
  });
  const ctx = contextOf(user);
  const { token } = await services.auth.createApiToken(ctx, 'test');
  return { user, password, ctx, token };
}

export async function addSite(services: ReliefServices, id: string, name = `Site ${id}`): Promise<void> {
  await services.admin.putSite(SEEDER, id, { name }, undefined);
}

export function patientInput(siteId: string, displayName: string, extra: Partial<PatientInput> = {}): PatientInput {
  return { siteId, displayName, timeZone: 'Europe/Paris', conditions: ['migraine'], careTeam: [], ...extra };
}

export async function addPatient(
  services: ReliefServices,
  id: string,
  siteId: string,
  extra: Partial<PatientInput> = {},
): Promise<void> {
  await services.patients.put(SEEDER, id, patientInput(siteId, `Patient ${id}`, extra), undefined);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The JSON body of a response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: LightMyRequestResponse): any => res.json();

export async function auditSeq(store: KyselyStore): Promise<number> {
  const head = await store.transaction((tx) => tx.auditHead());
  return head?.seq ?? 0;
}

/** Audit rows appended after `seq`, oldest first. */
export async function auditSince(store: KyselyStore, seq: number): Promise<AuditRow[]> {
  return store.transaction((tx) => tx.readAudit(seq, 10_000));
}

export const ENTRY_TABLES = ['attacks', 'daily_records', 'medication_intakes', 'questionnaire_responses'] as const;

/** Rows of a table (deleted entries included). */
export async function countRows(
  store: KyselyStore,
  table: (typeof ENTRY_TABLES)[number] | 'audit_log' | 'users' | 'sites' | 'patients' | 'api_tokens' | 'sessions',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every table a request could write to. */
export async function countAll(store: KyselyStore): Promise<Record<string, number>> {
  const tables = [...ENTRY_TABLES, 'audit_log', 'users', 'sites', 'patients', 'api_tokens', 'sessions'] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await countRows(store, t);
  return counts;
}

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** The session cookie's name=value from a login response, for the Cookie header. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (typeof first !== 'string') throw new Error(`no set-cookie header (status ${res.statusCode}): ${res.body}`);
  return first.split(';')[0]!;
}
