import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/bench/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server the tests may create databases on; null when there is none. */
    postgresUrl: string | null;
  }
}

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/postgres-throwaway.sh', import.meta.url));

/**
 * Gives the tests a PostgreSQL server: RELIEF_TEST_POSTGRES_URL when set (as in .ci/run), else a throwaway
 * cluster of scripts/postgres-throwaway.sh for this run. Without PostgreSQL the tests run on SQLite only,
 * except on CI, which must test both databases.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.RELIEF_TEST_POSTGRES_URL?.trim();
  if (given) {
    await checkConnection(given, 'RELIEF_TEST_POSTGRES_URL');
    project.provide('postgresUrl', given);
    return undefined;
  }
  if (!(await serverBinariesExist())) {
    if (process.env.CI === 'true') {
      throw new Error(
        'CI must test PostgreSQL too: set RELIEF_TEST_POSTGRES_URL or install the server (scripts/postgres-throwaway.sh ensure-installed)',
      );
    }
    console.warn('PostgreSQL: no server binaries and no RELIEF_TEST_POSTGRES_URL; storage tests run on SQLite only');
    project.provide('postgresUrl', null);
    return undefined;
  }

  const cluster = await startThrowaway();
  // A safety net should Vitest exit without running the teardown.
  const stopAtExit = (): void => {
    try {
      execFileSync('bash', [SCRIPT, 'stop', cluster.dir], { stdio: 'ignore' });
    } catch {
      // Nothing more to do while the process exits.
    }
  };
  process.once('exit', stopAtExit);
  project.provide('postgresUrl', cluster.url);
  return async () => {
    process.off('exit', stopAtExit);
    await run('bash', [SCRIPT, 'stop', cluster.dir]);
  };
}

async function serverBinariesExist(): Promise<boolean> {
  try {
    await run('bash', [SCRIPT, 'bindir']);
    return true;
  } catch {
    return false;
  }
}

/** Starts a cluster in a new temporary folder on a free port, trying again should another process take the port. */
async function startThrowaway(): Promise<{ dir: string; url: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'relief-pg-'));
    try {
      const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(await freePort())]);
      return { dir, url: stdout.trim() };
    } catch (error) {
      lastError = error;
      await run('bash', [SCRIPT, 'stop', dir]).catch(() => undefined);
      const stderr = (error as { stderr?: string }).stderr ?? '';
      if (!stderr.includes('is busy')) break;
    }
  }
  const stderr = (lastError as { stderr?: string }).stderr?.trim();
  throw new Error(`could not start a throwaway PostgreSQL cluster${stderr ? `:\n${stderr}` : ''}`, {
    cause: lastError,
  });
}

async function checkConnection(url: string, source: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`${source}: cannot reach that PostgreSQL server: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
