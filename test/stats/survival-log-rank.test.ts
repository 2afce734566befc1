import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareUpperTail } from '../../src/stats/survival-chi-square.js';
import { logRankTest, type LogRankResult, type SurvivalObservation } from '../../src/stats/survival.js';
import { expectAllClose, expectClose, readReference, readReferenceInput } from './reference.js';
import { asArray } from './survival-reference.js';

/** Expected values: scripts/r-reference/survival.R (R survival 3.5-3, survdiff). */
interface Case {
  name: string;
  time: number[];
  event: number[];
  group: number[];
}
interface Expected {
  chi_square: number;
  df: number;
  p: number;
  observed: number[];
  expected: number[];
  variance: number[][];
}

function groupsOf(c: Omit<Case, 'name'>): SurvivalObservation[][] {
  const k = Math.max(...c.group);
  const groups: SurvivalObservation[][] = Array.from({ length: k }, () => []);
  c.time.forEach((time, i) => groups[c.group[i]! - 1]!.push({ time, event: c.event[i] === 1 }));
  return groups;
}

function expectTest(result: LogRankResult, r: Expected, name: string): void {
  expectClose(result.chiSquare, r.chi_square, `${name}: chi-square`);
  expect(result.df, `${name}: df`).toBe(r.df);
  expectClose(result.p, r.p, `${name}: p`);
  expectAllClose(result.observed, asArray(r.observed), `${name}: observed`);
  expectAllClose(result.expected, asArray(r.expected), `${name}: expected`);
  expectAllClose(result.variance.flat(), r.variance.flat(), `${name}: variance`);
}

describe('logRankTest against R survdiff', () => {
  const cases = readReferenceInput<{ cases: Case[] }>('survival-log-rank').cases;
  const expected = readReference<Expected[]>('survival-log-rank');
  cases.forEach((c, i) => it(c.name, () => expectTest(logRankTest(groupsOf(c)), expected[i]!, c.name)));

  it('simulated cohort, 3 groups, 400 observations', () => {
    const input = readReferenceInput<Case>('survival-simulated');
    const r = readReference<{ log_rank: Expected }>('survival-simulated').log_rank;
    expectTest(logRankTest(groupsOf(input)), r, 'simulated');
  });
});

describe('logRankTest edge cases', () => {
  it('leaves out a group without observations', () => {
    const a = [1, 2, 3, 5].map((time) => ({ time, event: true }));
    const b = [2, 4, 6, 7].map((time) => ({ time, event: time !== 7 }));
    const withEmpty = logRankTest([a, [], b]);
    const without = logRankTest([a, b]);
    expect(withEmpty.df).toBe(1);
    expect(withEmpty.chiSquare).toBeCloseTo(without.chiSquare, 12);
    expect([withEmpty.observed[1], withEmpty.expected[1]]).toEqual([0, 0]);
  });

  it('has nothing to test without events', () => {
    const result = logRankTest([[{ time: 1, event: false }], [{ time: 2, event: false }]]);
    expect([result.chiSquare, result.df, result.p]).toEqual([0, 0, Number.NaN]);
  });

  it('gives p = 1 on 0 df when one group alone has expected events (as R)', () => {
    const result = logRankTest([[{ time: 1, event: false }], [{ time: 2, event: true }]]);
    expect([result.chiSquare, result.df, result.p]).toEqual([0, 0, 1]);
  });

  it('names the bad argument', () => {
    expect(() => logRankTest([[{ time: 1, event: true }]])).toThrow(/groups must hold at least 2/);
    expect(() => logRankTest([[], []])).toThrow(/no observations/);
    expect(() => logRankTest([[{ time: 1, event: true }], [{ time: Infinity, event: true }]])).toThrow(
      /groups\[1\]\[0\]\.time/,
    );
  });
});

describe('logRankTest properties', () => {
  const observation = fc.record({ time: fc.integer({ min: 0, max: 20 }), event: fc.boolean() });
  const groups = fc.array(fc.array(observation, { minLength: 1, maxLength: 15 }), { minLength: 2, maxLength: 5 });

  it('does not depend on how the groups are labelled', () => {
    fc.assert(
      fc.property(
        groups.chain((g) => fc.tuple(fc.constant(g), fc.shuffledSubarray([...g.keys()], { minLength: g.length }))),
        ([g, order]) => {
          const original = logRankTest(g);
          const relabelled = logRankTest(order.map((i) => g[i]!));
          expect(relabelled.df).toBe(original.df);
          if (Number.isNaN(original.p)) {
            expect(relabelled.p).toBeNaN();
            return;
          }
          expect(Math.abs(relabelled.chiSquare - original.chiSquare)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, original.chiSquare),
          );
          order.forEach((from, to) => {
            expect(relabelled.observed[to]).toBe(original.observed[from]);
            expect(relabelled.expected[to]).toBeCloseTo(original.expected[from]!, 10);
          });
        },
      ),
    );
  });

  it('has observed and expected events adding up to the same total', () => {
    fc.assert(
      fc.property(groups, (g) => {
        const result = logRankTest(g);
        const observed = result.observed.reduce((a, b) => a + b, 0);
        const expected = result.expected.reduce((a, b) => a + b, 0);
        expect(expected).toBeCloseTo(observed, 9);
      }),
    );
  });
});

describe('chiSquareUpperTail against R pchisq(lower.tail = FALSE)', () => {
  const points = readReferenceInput<{ points: { x: number; df: number }[] }>('survival-chi-square').points;
  const expected = readReference<number[]>('survival-chi-square');
  points.forEach((point, i) =>
    it(`x = ${point.x}, df = ${point.df}`, () => {
      expectClose(chiSquareUpperTail(point.x, point.df), expected[i]!, `P(X > ${point.x}; ${point.df})`, 1e-12);
    }),
  );
});
