import pg from 'pg';
import type { ReliefStore } from '../../src/services/ports.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';

/**
 * Closes the store, then drops its test database. On PostgreSQL the pool's connections are still
 * saying goodbye when `close()` resolves; dropping then terminates them, and the pool (which has no
 * 'error' listener) throws that as an uncaught exception. So wait until the server has let them go.
 */
export async function closeAndDrop(
  store: ReliefStore,
  config: DatabaseConfig,
  drop: () => Promise<void>,
): Promise<void> {
  await store.close();
  if (config.kind === 'postgres') await waitForNoConnections(config.url);
  await drop();
}

async function waitForNoConnections(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      if (Number(rows[0]?.n) === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}
