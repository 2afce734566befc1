import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';

/** Runs the CLI in-process and captures what it prints. */
export async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Points the CLI at `config` through its environment variables; returns the undo. */
export function useDatabase(config: DatabaseConfig): () => void {
  const saved = { dir: process.env.RELIEF_DATA_DIR, url: process.env.RELIEF_DATABASE_URL };
  if (config.kind === 'sqlite') {
    process.env.RELIEF_DATA_DIR = path.dirname(config.file);
    delete process.env.RELIEF_DATABASE_URL;
  } else {
    process.env.RELIEF_DATABASE_URL = config.url;
    delete process.env.RELIEF_DATA_DIR;
  }
  return () => {
    for (const [key, value] of [
      ['RELIEF_DATA_DIR', saved.dir],
      ['RELIEF_DATABASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
