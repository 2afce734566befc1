import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kaplanMeier, type KaplanMeier } from '../../src/stats/survival.js';
import { expectAllClose, expectClose, readReference, readReferenceInput } from './reference.js';
import { asArray, expectCloseOrNaN, fromR, observationsOf } from './survival-reference.js';

/** Expected values: scripts/r-reference/survival.R (R survival 3.5-3, survfit and print.survfit). */
interface Case {
  name: string;
  level: number;
  time: number[];
  event: number[];
}
type Many<T> = T | T[];
interface Median {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}
export interface ExpectedCurve {
  n: number;
  events: number;
  time: Many<number>;
  n_risk: Many<number>;
  n_event: Many<number>;
  n_censor: Many<number>;
  surv: Many<number>;
  std_err: (number | string)[];
  lower: Many<number | null>;
  upper: Many<number | null>;
  median: Median;
  quantile_median: Median;
}

export function expectCurve(fit: KaplanMeier, r: ExpectedCurve, name: string): void {
  expect(fit.n, `${name}: n`).toBe(r.n);
  expect(fit.events, `${name}: events`).toBe(r.events);
  expectAllClose(
    fit.steps.map((s) => s.time),
    asArray(r.time),
    `${name}: time`,
  );
  expect(fit.steps.map((s) => [s.nRisk, s.nEvent, s.nCensor])).toEqual(
    asArray(r.n_risk).map((nRisk, k) => [nRisk, asArray(r.n_event)[k], asArray(r.n_censor)[k]]),
  );
  expectAllClose(
    fit.steps.map((s) => s.survival),
    asArray(r.surv),
    `${name}: survival`,
  );
  expectAllClose(
    fit.steps.map((s) => s.stdErr),
    r.std_err.map(fromR),
    `${name}: std.err`,
  );
  fit.steps.forEach((s, k) => {
    expectCloseOrNaN(s.lower, asArray(r.lower)[k]!, `${name}: lower[${k}]`);
    expectCloseOrNaN(s.upper, asArray(r.upper)[k]!, `${name}: upper[${k}]`);
  });
  expectClose(fit.median.estimate, r.median.estimate, `${name}: median`);
  expectClose(fit.median.lower, r.median.lower, `${name}: median lower`);
  expectClose(fit.median.upper, r.median.upper, `${name}: median upper`);
}

describe('kaplanMeier against R survfit', () => {
  const cases = readReferenceInput<{ cases: Case[] }>('survival-kaplan-meier').cases;
  const expected = readReference<ExpectedCurve[]>('survival-kaplan-meier');

  cases.forEach((c, i) => {
    it(c.name, () => {
      expectCurve(kaplanMeier(observationsOf(c.time, c.event), c.level), expected[i]!, c.name);
    });
  });

  it('follows print.survfit, not quantile.survfit, when the curve stays at 0.5 to its last time', () => {
    const i = cases.findIndex((c) => c.name.startsWith('flat at exactly 0.5 to the last'));
    const r = expected[i]!;
    // print.survfit: the start of the flat stretch; quantile.survfit: the midpoint to the last time.
    expect([r.median.estimate, r.quantile_median.estimate]).toEqual([2, 3]);
    expect(kaplanMeier(observationsOf(cases[i]!.time, cases[i]!.event)).median.estimate).toBe(2);
  });

  it('takes the midpoint of a flat stretch at 0.5 that later drops', () => {
    const c = cases.find((x) => x.name === 'flat at exactly 0.5 between two event times')!;
    expect(kaplanMeier(observationsOf(c.time, c.event)).median.estimate).toBe(4);
  });
});

describe('kaplanMeier on a simulated cohort against R', () => {
  interface Simulated {
    time: number[];
    event: number[];
    group: number[];
  }
  const input = readReferenceInput<Simulated>('survival-simulated');
  const expected = readReference<{ kaplan_meier: ExpectedCurve[]; kaplan_meier_all: ExpectedCurve }>(
    'survival-simulated',
  );
  const all = observationsOf(input.time, input.event);

  it('whole cohort', () => expectCurve(kaplanMeier(all), expected.kaplan_meier_all, 'all'));
  [1, 2, 3].forEach((g) =>
    it(`group ${g}`, () => {
      const curve = kaplanMeier(all.filter((_, i) => input.group[i] === g));
      expectCurve(curve, expected.kaplan_meier[g - 1]!, `group ${g}`);
    }),
  );
});

describe('kaplanMeier properties', () => {
  const observation = fc.record({
    time: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 1000, noNaN: true })),
    event: fc.boolean(),
  });

  it('is non-increasing within [0, 1], with consistent counts and intervals around the curve', () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 80 }), (obs) => {
        const fit = kaplanMeier(obs);
        let previous = 1;
        let atRisk = obs.length;
        for (const s of fit.steps) {
          expect(s.survival).toBeLessThanOrEqual(previous);
          expect(s.survival).toBeGreaterThanOrEqual(0);
          expect(s.nRisk).toBe(atRisk);
          atRisk -= s.nEvent + s.nCensor;
          if (s.survival > 0) {
            expect(s.lower).toBeLessThanOrEqual(s.survival * (1 + 1e-12));
            expect(s.upper).toBeGreaterThanOrEqual(s.survival * (1 - 1e-12));
            expect(s.upper).toBeLessThanOrEqual(1);
          }
          previous = s.survival;
        }
        expect(atRisk).toBe(0);
        expect(fit.events).toBe(obs.filter((o) => o.event).length);
      }),
    );
  });

  it('does not depend on the order of the observations', () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 40 }), (obs) => {
        expect(kaplanMeier([...obs].reverse())).toEqual(kaplanMeier(obs));
      }),
    );
  });
});

describe('kaplanMeier input checks', () => {
  it('names the bad argument', () => {
    expect(() => kaplanMeier([])).toThrow(RangeError);
    expect(() => kaplanMeier([{ time: Number.NaN, event: true }])).toThrow(/observations\[0\]\.time/);
    expect(() =>
      kaplanMeier([
        { time: 1, event: true },
        { time: -2, event: false },
      ]),
    ).toThrow(/observations\[1\]\.time/);
    expect(() => kaplanMeier([{ time: 1, event: 1 as unknown as boolean }])).toThrow(/observations\[0\]\.event/);
    expect(() => kaplanMeier([{ time: 1, event: true }], 1)).toThrow(/level/);
  });
});
