import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { testDatabases } from '../helpers/databases.js';

const databases = testDatabases();
const postgres = databases.find((db) => db.name === 'postgres');

describe('test databases', () => {
  it.runIf(process.env.CI === 'true')('include PostgreSQL on CI', () => {
    expect(databases.map((db) => db.name)).toEqual(['sqlite', 'postgres']);
  });

  it('sqlite: fresh() gives a file in a new folder that drop() removes', async () => {
    const sqlite = databases.find((db) => db.name === 'sqlite');
    expect(sqlite).toBeDefined();
    const { config, drop } = await sqlite!.fresh();
    expect(config.kind).toBe('sqlite');
    if (config.kind !== 'sqlite') return;
    expect(path.basename(config.file)).toBe('relief.sqlite');
    expect(existsSync(path.dirname(config.file))).toBe(true);
    await drop();
    expect(existsSync(path.dirname(config.file))).toBe(false);
  });

  it.skipIf(!postgres)('postgres: fresh() gives a database of its own, which drop() removes', async () => {
    const adminUrl = inject('postgresUrl');
    if (!postgres || adminUrl === null) throw new Error('no PostgreSQL');
    const first = await postgres.fresh();
    const second = await postgres.fresh();
    if (first.config.kind !== 'postgres' || second.config.kind !== 'postgres') throw new Error('not a postgres config');
    expect(first.config.url).not.toBe(second.config.url);

    // A connection left open (as a forgotten pool would) must not stop drop().
    const client = new pg.Client({ connectionString: first.config.url });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ one: number; name: string }>('select 1 as one, current_database() as name');
    expect(rows[0]?.one).toBe(1);
    const name = rows[0]?.name ?? '';
    expect(name).toMatch(/^relief_test_[0-9a-f]{16}$/);

    await first.drop();
    await second.drop();
    await first.drop(); // dropping twice is harmless
    await client.end().catch(() => undefined);

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const left = await admin.query('select datname from pg_database where datname = any($1)', [
        [name, new URL(second.config.url).pathname.slice(1)],
      ]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
