import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Expected values written by R (scripts/r-reference/generate.sh) from the committed inputs in
 * test/stats/reference/inputs. The tests need no R: they read the committed results.
 */
export function readReference<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./reference/expected/${name}.json`, import.meta.url), 'utf8')) as T;
}

export function readReferenceInput<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./reference/inputs/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Relative error allowed against R (the bar). */
export const REL_TOL = 1e-6;
/** Below this magnitude a value is compared absolutely (R prints e.g. 1e-17 for an exact zero). */
const ABS_FLOOR = 1e-12;

/** Asserts |actual − expected| ≤ 1e-6 · |expected| (absolutely for values within 1e-12 of zero); null matches null. */
export function expectClose(
  actual: number | null | undefined,
  expected: number | null,
  what: string,
  rel = REL_TOL,
): void {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).toBeTypeOf('number');
  const a = actual as number;
  if (!Number.isFinite(expected)) {
    expect(a, what).toBe(expected);
    return;
  }
  const err = Math.abs(a - expected);
  const bound = Math.max(rel * Math.abs(expected), ABS_FLOOR);
  if (!(err <= bound)) {
    expect.fail(
      `${what}: got ${a}, R gives ${expected} (relative error ${(err / Math.abs(expected)).toExponential(2)})`,
    );
  }
}

/** expectClose over two arrays of the same length. */
export function expectAllClose(
  actual: readonly (number | null)[],
  expected: readonly (number | null)[],
  what: string,
  rel = REL_TOL,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  expected.forEach((e, i) => expectClose(actual[i], e, `${what}[${i}]`, rel));
}
