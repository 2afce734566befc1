import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tInterval, wilcoxonSignedRank } from '../../src/stats/paired.js';
import { sortedWalshAverages, walshMedian, walshOrderStatistic } from '../../src/stats/walsh-averages.js';
import { expectClose, readReference, readReferenceInput } from './reference.js';

interface Dataset {
  name: string;
  d: number[];
}
interface WilcoxonExpected {
  n: number;
  zeros: number;
  statistic: number;
  p: number | null;
  exact: boolean;
  level: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}
type TExpected =
  | { error: string; mean: number }
  | { n: number; mean: number; sd: number; se: number; df: number; t: number; p: number; lower: number; upper: number };
interface Case {
  name: string;
  level: number;
  wilcoxon: WilcoxonExpected;
  t: TExpected;
}

const input = readReferenceInput<{ datasets: Dataset[] }>('paired');
const expected = readReference<{ cases: Case[] }>('paired');
const data = new Map(input.datasets.map((dataset) => [dataset.name, dataset.d]));
const nanAsNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

describe('wilcoxonSignedRank against R wilcox.test(d, conf.int = TRUE)', () => {
  it.each(expected.cases.map((c) => [`${c.name} at ${c.level}`, c] as const))('%s', (_, c) => {
    const result = wilcoxonSignedRank(data.get(c.name) as number[], c.level);
    const e = c.wilcoxon;
    expect(result.n).toBe(e.n);
    expect(result.zeros).toBe(e.zeros);
    expect(result.exact).toBe(e.exact);
    expectClose(result.statistic, e.statistic, 'V');
    expectClose(nanAsNull(result.p), e.p, 'p');
    expectClose(result.level, e.level, 'level');
    expectClose(nanAsNull(result.estimate), e.estimate, 'estimate');
    expectClose(nanAsNull(result.lower), e.lower, 'lower');
    expectClose(nanAsNull(result.upper), e.upper, 'upper');
  });

  it('covers the exact and the normal case, ties, zeros and an unreachable level', () => {
    const w = expected.cases.map((c) => c.wilcoxon);
    expect(w.some((e) => e.exact && e.n === 49)).toBe(true);
    expect(w.some((e) => !e.exact && e.n === 50 && e.zeros === 0)).toBe(true);
    expect(w.some((e) => e.zeros > 0 && e.n > 0)).toBe(true);
    expect(w.some((e) => e.n === 0 && e.p === null)).toBe(true);
    expect(w.some((e) => !e.exact && e.level > 0 && e.level < 0.9)).toBe(true);
  });

  it('reports no test and no estimate when every difference is zero, as R (NaN)', () => {
    const r = wilcoxonSignedRank([0, 0, 0]);
    expect(r).toMatchObject({ n: 0, zeros: 3, statistic: 0, exact: false, level: 0 });
    expect([r.p, r.estimate, r.lower, r.upper].every(Number.isNaN)).toBe(true);
  });

  it('rejects empty and non-finite input and a bad level', () => {
    expect(() => wilcoxonSignedRank([])).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(/differences\[1\]/);
    expect(() => wilcoxonSignedRank([1, 2], 1)).toThrow(/level/);
  });

  it('keeps the estimate inside its interval when the level is reached', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -15, max: 15 }), { minLength: 6, maxLength: 80 }),
        fc.constantFrom(0.9, 0.95, 0.99),
        (d, level) => {
          const r = wilcoxonSignedRank(d, level);
          fc.pre(r.n > 0 && Number.isFinite(r.lower) && r.level > 0 && r.lower !== r.upper);
          expect(r.lower).toBeLessThanOrEqual(r.estimate);
          expect(r.estimate).toBeLessThanOrEqual(r.upper);
          expect(r.p).toBeGreaterThanOrEqual(0);
          expect(r.p).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('Walsh average order statistics', () => {
  // Samples of few distinct values (scores, counts of days) are selected from the pairs of those
  // values; others by selection among the averages. Both must give a full sort's averages.
  it('select the same averages as a full sort, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 200, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, position) => {
          const sorted = Float64Array.from(values).sort();
          const all = sortedWalshAverages(sorted);
          const k = 1 + Math.floor(position * (all.length - 1));
          expect(walshOrderStatistic(sorted, k)).toBe(all[k - 1]);
          const half = all.length >> 1;
          const median = all.length % 2 === 1 ? all[half] : ((all[half - 1] as number) + (all[half] as number)) / 2;
          expect(walshMedian(sorted)).toBe(median);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('select the same averages as a full sort when most values differ, and on both sides of 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 200, maxLength: 400 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 0, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spread, repeated, position) => {
          const sorted = Float64Array.from([...spread, ...repeated, -0, 0]).sort();
          const all = sortedWalshAverages(sorted);
          const k = 1 + Math.floor(position * (all.length - 1));
          expect(walshOrderStatistic(sorted, k)).toBe(all[k - 1]);
          expect(walshOrderStatistic(sorted, 1)).toBe(all[0]);
          expect(walshOrderStatistic(sorted, all.length)).toBe(all[all.length - 1]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('select every average of a large sample of few values as a full sort, −0 before 0', () => {
    const sorted = Float64Array.from([-1, -0, 0, 1].flatMap((x) => Array<number>(60).fill(x)));
    const all = sortedWalshAverages(sorted);
    for (let k = 1; k <= all.length; k++) expect(walshOrderStatistic(sorted, k)).toBe(all[k - 1]);
  });

  it('select the same averages as a full sort in a large sample of few values, zeros of both signs included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 1000, maxLength: 1500 }),
        fc.array(fc.constantFrom(0, -0), { minLength: 0, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, zeros, position) => {
          const sorted = Float64Array.from([...values, ...zeros]).sort();
          const all = sortedWalshAverages(sorted);
          const k = 1 + Math.floor(position * (all.length - 1));
          expect(walshOrderStatistic(sorted, k)).toBe(all[k - 1]);
          expect(walshOrderStatistic(sorted, 1)).toBe(all[0]);
          expect(walshOrderStatistic(sorted, all.length)).toBe(all[all.length - 1]);
          const half = all.length >> 1;
          const median = all.length % 2 === 1 ? all[half] : ((all[half - 1] as number) + (all[half] as number)) / 2;
          expect(walshMedian(sorted)).toBe(median);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('tInterval against R t.test(d)', () => {
  it.each(expected.cases.map((c) => [`${c.name} at ${c.level}`, c] as const))('%s', (_, c) => {
    const result = tInterval(data.get(c.name) as number[], c.level);
    const e = c.t;
    expectClose(result.mean, e.mean, 'mean');
    if ('error' in e) {
      // R stops ("not enough 'x' observations", "data are essentially constant"): no t, p or interval.
      expect([result.t, result.p, result.lower, result.upper].every(Number.isNaN)).toBe(true);
      return;
    }
    expect(result.n).toBe(e.n);
    expect(result.df).toBe(e.df);
    expectClose(result.sd, e.sd, 'sd');
    expectClose(result.se, e.se, 'se');
    expectClose(nanAsNull(result.t), e.t, 't');
    expectClose(nanAsNull(result.p), e.p, 'p');
    expectClose(nanAsNull(result.lower), e.lower, 'lower');
    expectClose(nanAsNull(result.upper), e.upper, 'upper');
  });

  it('rejects empty and non-finite input', () => {
    expect(() => tInterval([])).toThrow(RangeError);
    expect(() => tInterval([1, Number.POSITIVE_INFINITY])).toThrow(/values\[1\]/);
  });

  it('keeps the mean inside its interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 50 }),
        (values) => {
          const r = tInterval(values);
          fc.pre(Number.isFinite(r.lower));
          expect(r.lower).toBeLessThanOrEqual(r.mean);
          expect(r.mean).toBeLessThanOrEqual(r.upper);
        },
      ),
    );
  });
});
