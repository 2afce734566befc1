import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Dialect = 'sqlite' | 'postgres';

/**
 * What every part of the store's transaction object shares. The port's methods are grouped by
 * subject, one class per file, each extending the one before:
 * TxBase ← RegistryTx (registry-store.ts) ← SummaryTx (summary-store.ts)
 * ← CohortTx (cohort-store.ts) ← KyselyTx (kysely-store.ts).
 */
export abstract class TxBase {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}
}
