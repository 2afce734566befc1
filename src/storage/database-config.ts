import path from 'node:path';

/** Where Relief keeps its data: one SQLite file (the embedded default) or a PostgreSQL database. */
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export const DEFAULT_DATA_DIR = 'relief-data';
export const SQLITE_FILE_NAME = 'relief.sqlite';

/**
 * RELIEF_DATABASE_URL=postgres://… selects PostgreSQL; otherwise the SQLite file lives in
 * RELIEF_DATA_DIR (default ./relief-data of the working folder).
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv, cwd: string): DatabaseConfig {
  const url = env.RELIEF_DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('RELIEF_DATABASE_URL: must start with postgres:// or postgresql://');
    }
    return { kind: 'postgres', url };
  }
  const dir = path.resolve(cwd, env.RELIEF_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
  return { kind: 'sqlite', file: path.join(dir, SQLITE_FILE_NAME) };
}
