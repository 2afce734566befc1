import { databaseConfigFromEnv, type DatabaseConfig } from '../storage/database-config.js';
import { openStore } from '../storage/open-store.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { createServices, type ReliefServices } from '../services/relief-services.js';
import type { Actor, RequestContext } from '../services/actor.js';

/** The configured database (RELIEF_DATABASE_URL, or SQLite under RELIEF_DATA_DIR / ./relief-data). */
export function configuredDatabase(): DatabaseConfig {
  return databaseConfigFromEnv(process.env, process.cwd());
}

export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? `SQLite ${config.file}` : `PostgreSQL ${config.url.replace(/:[^:@/]*@/, ':***@')}`;
}

export async function withServices<T>(work: (services: ReliefServices, store: KyselyStore) => Promise<T>): Promise<T> {
  const store = await openStore(configuredDatabase());
  try {
    return await work(createServices(store), store);
  } finally {
    await store.close();
  }
}

/** Commands run on the server's own machine act as the operator, and are audited as such. */
export const OPERATOR: RequestContext = {
  actor: {
    userId: 'operator:cli',
    username: 'operator',
    role: 'admin',
    siteIds: [],
    patientId: null,
    mustChangePassword: false,
  } satisfies Actor,
  requestId: null,
};
