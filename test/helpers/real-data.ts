import { describe, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared public data sets live beside the project: ../shared/data/real. */
export const REAL_DATA = fileURLToPath(new URL('../../../shared/data/real/', import.meta.url));

export function realDataPath(relative: string): string {
  return `${REAL_DATA}${relative}`;
}

/** True when the file is there; otherwise says which test is skipped and why. */
export function haveRealData(relative: string): boolean {
  const ok = existsSync(realDataPath(relative));
  if (!ok) console.warn(`skipped: ${realDataPath(relative)} is missing (see ../shared/data/README.md)`);
  return ok;
}

export function readRealData(relative: string): string {
  return readFileSync(realDataPath(relative), 'utf8');
}

/**
 * A suite over a real data file. A skipped `describe` still runs its body to collect tests, so
 * the body (which reads the file) runs only when the file is there.
 */
export function describeWithRealData(relative: string, name: string, body: () => void): void {
  if (haveRealData(relative)) describe(name, body);
  else describe.skip(name, () => test.skip(`needs ${relative}`, () => undefined));
}
