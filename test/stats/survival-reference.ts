import { expect } from 'vitest';
import { expectClose } from './reference.js';
import type { SurvivalObservation } from '../../src/stats/survival.js';

/** jsonlite writes a vector of length 1 as a scalar; this turns it back into an array. */
export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** R's Inf is written as the string "Inf" (JSON has no infinity). */
export function fromR(value: number | string | null): number | null {
  if (value === 'Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return value as number | null;
}

/** Like expectClose, and R's NA (null) matches our NaN. */
export function expectCloseOrNaN(actual: number, expected: number | null, what: string): void {
  if (expected === null) expect(Number.isNaN(actual), `${what}: R gives NA, got ${actual}`).toBe(true);
  else expectClose(actual, expected, what);
}

export function observationsOf(time: readonly number[], event: readonly number[]): SurvivalObservation[] {
  return time.map((t, i) => ({ time: t, event: event[i] === 1 }));
}
