import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearsonInterval, newcombeDifference, wilsonInterval } from '../../src/stats/proportions.js';
import { expectClose, readReference } from './reference.js';

interface Limits {
  lower: number;
  upper: number;
}
interface ProportionCase {
  x: number;
  n: number;
  level: number;
  wilson: Limits;
  clopperPearson: Limits;
}
interface DifferenceCase extends Limits {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
  level: number;
  estimate: number;
}

const expected = readReference<{ proportions: ProportionCase[]; differences: DifferenceCase[] }>('proportions');

describe('wilsonInterval and clopperPearsonInterval against R prop.test / binom.test', () => {
  it.each(expected.proportions.map((c) => [`${c.x}/${c.n} at ${c.level}`, c] as const))('%s', (_, c) => {
    const wilson = wilsonInterval(c.x, c.n, c.level);
    expectClose(wilson.lower, c.wilson.lower, 'Wilson lower');
    expectClose(wilson.upper, c.wilson.upper, 'Wilson upper');
    const exact = clopperPearsonInterval(c.x, c.n, c.level);
    expectClose(exact.lower, c.clopperPearson.lower, 'Clopper–Pearson lower');
    expectClose(exact.upper, c.clopperPearson.upper, 'Clopper–Pearson upper');
  });

  it('rejects counts that are not counts and levels outside (0, 1)', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(/^n must/);
    expect(() => wilsonInterval(3, 2)).toThrow(/^x must/);
    expect(() => clopperPearsonInterval(-1, 2)).toThrow(/^x must/);
    expect(() => clopperPearsonInterval(1.5, 2)).toThrow(/^x must/);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(/^level/);
    expect(() => clopperPearsonInterval(1, 2, Number.NaN)).toThrow(/^level/);
  });

  it('lie inside [0, 1] and contain x/n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        ([x, n], level) => {
          for (const interval of [wilsonInterval(x, n, level), clopperPearsonInterval(x, n, level)]) {
            expect(interval.lower).toBeGreaterThanOrEqual(0);
            expect(interval.upper).toBeLessThanOrEqual(1);
            expect(interval.lower).toBeLessThanOrEqual(x / n + 1e-12);
            expect(interval.upper).toBeGreaterThanOrEqual(x / n - 1e-12);
          }
        },
      ),
    );
  });
});

describe('newcombeDifference against the Newcombe method 10 limits from R prop.test', () => {
  it.each(expected.differences.map((c) => [`${c.x1}/${c.n1} − ${c.x2}/${c.n2} at ${c.level}`, c] as const))(
    '%s',
    (_, c) => {
      const d = newcombeDifference(c.x1, c.n1, c.x2, c.n2, c.level);
      expectClose(d.estimate, c.estimate, 'estimate');
      expectClose(d.lower, c.lower, 'lower');
      expectClose(d.upper, c.upper, 'upper');
    },
  );

  it('names the offending argument', () => {
    expect(() => newcombeDifference(1, 2, 4, 3)).toThrow(/^x2 must/);
    expect(() => newcombeDifference(1, 0, 1, 3)).toThrow(/^n1 must/);
  });

  it('lies inside [−1, 1] and contains p1 − p2', () => {
    const count = fc
      .integer({ min: 1, max: 2000 })
      .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(count, count, fc.constantFrom(0.9, 0.95, 0.99), ([x1, n1], [x2, n2], level) => {
        const d = newcombeDifference(x1, n1, x2, n2, level);
        expect(d.lower).toBeGreaterThanOrEqual(-1);
        expect(d.upper).toBeLessThanOrEqual(1);
        expect(d.lower).toBeLessThanOrEqual(d.estimate);
        expect(d.estimate).toBeLessThanOrEqual(d.upper);
      }),
    );
  });
});
