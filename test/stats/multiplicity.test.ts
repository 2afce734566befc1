import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/multiplicity.js';
import { expectAllClose, readReference, readReferenceInput } from './reference.js';

const input = readReferenceInput<{ sets: { name: string; p: (number | null)[] }[] }>('multiplicity');
const expected = readReference<{ sets: { name: string; q: (number | null)[] }[] }>('multiplicity');

describe('benjaminiHochberg against R p.adjust(p, "BH")', () => {
  it.each(input.sets.map((set, i) => [set.name, set.p, expected.sets[i]?.q ?? []] as const))('%s', (_, p, q) => {
    const result = benjaminiHochberg(p.map((value) => value ?? Number.NaN));
    expectAllClose(
      result.map((value) => (Number.isNaN(value) ? null : value)),
      q,
      'q',
    );
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(/p\[1\]/);
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });

  it('gives q ≥ p, q ≤ 1, and q monotone in p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (p) => {
        const q = benjaminiHochberg(p);
        p.forEach((pi, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(pi);
          expect(q[i]).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pi <= pj) expect(q[i]).toBeLessThanOrEqual(q[j] as number);
          });
        });
      }),
    );
  });
});
