import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from './database-config.js';
import { KyselyStore, type StoreConnection } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Tables } from './tables.js';

export interface OpenOptions {
  /** Run pending migrations first (the server and CLI do; `relief migrate` does it explicitly). */
  migrate?: boolean;
}

/** Opens the configured database and returns the store the services use. */
export async function openStore(config: DatabaseConfig, options: OpenOptions = {}): Promise<KyselyStore> {
  const store = config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
  try {
    if (options.migrate ?? true) await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(file: string): KyselyStore {
  mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  const reader = () => {
    const connection = new SQLite(file);
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
    return sqliteConnection(connection);
  };
  // WAL lets readers work beside the writer; synchronous=FULL syncs the WAL on every commit, so
  // an acknowledged write survives a crash or power loss (https://sqlite.org/pragma.html).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new KyselyStore(sqliteConnection(database), 'sqlite', reader);
}

/**
 * Kysely over one SQLite connection, and the same connection's rows as arrays. Kysely prepares
 * every query afresh; preparing costs as much as running a small statement, and the server runs
 * the same few statements over and over. Statements are reused per SQL text (better-sqlite3 runs
 * them synchronously, so one statement is never in use twice at once).
 */
function sqliteConnection(database: SQLite.Database, limit = 500): StoreConnection {
  const cache = new Map<string, SQLite.Statement>();
  const statements = {
    close: () => database.close(),
    prepare(text: string): SQLite.Statement {
      let statement = cache.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement;
    },
  };
  return {
    db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: statements }) }),
    arrayRows(query) {
      // Raw mode is the statement's own setting: set for this run only, as Kysely shares it.
      const statement = statements.prepare(query.sql).raw(true);
      try {
        return statement.all(...query.parameters) as unknown[][];
      } finally {
        statement.raw(false);
      }
    },
  };
}

function openPostgres(url: string): KyselyStore {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle pooled connection that the server ends (restart, timeout) is dropped and replaced on
  // next use; without a listener its error would end the process.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
  return new KyselyStore({ db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }) }, 'postgres');
}
