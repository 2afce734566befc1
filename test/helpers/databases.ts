import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/storage/database-config.js';

/** A database kind the storage tests run on; each fresh() is an empty database of its own. */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

/**
 * SQLite always, PostgreSQL when test/setup/postgres-global.ts found a server. For
 * `describe.each(testDatabases())('$name', (db) => { ... })`.
 */
export function testDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [sqlite];
  const adminUrl = inject('postgresUrl');
  if (adminUrl !== null) databases.push(postgres(adminUrl));
  return databases;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async fresh() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'relief-test-'));
    return {
      config: { kind: 'sqlite', file: path.join(dir, 'relief.sqlite') },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

function postgres(adminUrl: string): TestDatabase {
  return {
    name: 'postgres',
    async fresh() {
      // A plain lowercase identifier: no quoting needed.
      const database = `relief_test_${randomBytes(8).toString('hex')}`;
      await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return {
        config: { kind: 'postgres', url: url.toString() },
        drop: () => dropDatabase(adminUrl, database),
      };
    },
  };
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await asAdmin(adminUrl, async (client) => {
    // A pool may still hold connections, or open one between the two statements: try a few times.
    for (let attempt = 1; ; attempt++) {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database}`);
        return;
      } catch (error) {
        const objectInUse = (error as { code?: string }).code === '55006';
        if (!objectInUse || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
