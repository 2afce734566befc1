import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Dialect = 'sqlite' | 'postgres';

/**
 * Runs a compiled query on the connection of a `Db` and returns its rows as arrays of the
 * selected values, in order (better-sqlite3's raw mode): no object per row.
 */
export type ArrayRows = (query: CompiledQuery) => unknown[][];

/**
 * What every part of the store's transaction object shares. The port's methods are grouped by
 * subject, one class per file, each extending the one before:
 * TxBase ← PreferencesTx (preferences-store.ts) ← RegistryTx (registry-store.ts) ← SummaryTx (summary-store.ts)
 * ← CohortTx (cohort-store.ts) ← PatientOverviewTx (patient-overview-store.ts) ← KyselyTx (kysely-store.ts).
 */
export abstract class TxBase {
  /** @param arrayRows runs queries on the connection of `db` for `rowArrays` (SQLite). */
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
    private readonly arrayRows?: ArrayRows,
  ) {}

  /**
   * The rows of a query as arrays of its selected values, in the order selected: for reads of
   * thousands of rows, where an object per row costs more than the rest of the read.
   */
  protected async rowArrays(query: Compilable): Promise<unknown[][]> {
    const compiled = query.compile();
    if (this.arrayRows) return this.arrayRows(compiled);
    const { rows } = await this.db.executeQuery(compiled);
    return rows.map((r) => Object.values(r as object) as unknown[]);
  }
}
