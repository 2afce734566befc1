import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, medianOfSorted } from '../../src/stats/descriptive.js';
import { expectClose, readReference, readReferenceInput } from './reference.js';

/** Expected values: scripts/r-reference/descriptive.R (R median). */
const input = readReferenceInput<{ sets: { name: string; x: number[] }[] }>('descriptive');
const expected = readReference<{ sets: { name: string; median: number }[] }>('descriptive');

describe('median against R median(x)', () => {
  it.each(input.sets.map((set, i) => [set.name, set.x, expected.sets[i]!.median] as const))('%s', (_, x, r) => {
    expectClose(median(x), r, 'median');
    expectClose(medianOfSorted([...x].sort((a, b) => a - b)), r, 'median of sorted');
  });

  it('does not depend on the order of the values, and leaves them as they are', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 }),
        (xs) => {
          const copy = [...xs];
          expect(median([...xs].reverse())).toBe(median(xs));
          expect(xs).toEqual(copy);
        },
      ),
      { seed: 20240505 },
    );
  });

  it('names the bad argument', () => {
    expect(() => median([])).toThrow(/values must hold at least one number/);
    expect(() => median([1, Number.NaN], 'changes')).toThrow(/changes\[1\] must be a finite number/);
    expect(() => median([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
