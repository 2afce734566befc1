import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firthLogistic, negativeBinomialRegression } from '../../src/stats/regression.js';
import type { Interval } from '../../src/stats/intervals.js';
import { expectAllClose, expectClose, readReference, readReferenceInput } from './reference.js';

interface FirthInput {
  description: string;
  design: number[][];
  y: number[];
  level: number;
  profile: number[];
}

interface FirthExpected {
  coefficients: number[];
  standardErrors: number[];
  wald: Interval[];
  waldP: number[];
  profile: (Interval | null)[];
  p: (number | null)[];
  penalizedLogLik: number;
}

const firthCases = [
  'regression-firth-ordinary',
  'regression-firth-complete-separation',
  'regression-firth-quasi-separation',
  'regression-firth-zero-cell',
  'regression-firth-rare-exposure',
  'regression-firth-trigger',
  'regression-firth-trigger-adjusted',
  'regression-firth-n10',
  'regression-firth-intercept-only',
  'regression-firth-cohort',
  'regression-firth-several-maxima',
];

describe('firthLogistic against R (brglm2 and the penalised likelihood profile of lib-firth.R)', () => {
  for (const name of firthCases) {
    it(name, () => {
      const input = readReferenceInput<FirthInput>(name);
      const expected = readReference<FirthExpected>(name);
      const fit = firthLogistic(input.design, input.y, { level: input.level, profile: input.profile });
      expect(fit.converged).toBe(true);
      expectAllClose(fit.coefficients, expected.coefficients, 'coefficients');
      expectAllClose(fit.standardErrors, expected.standardErrors, 'standard errors');
      expectAllClose(
        fit.wald.map((w) => w.lower),
        expected.wald.map((w) => w.lower),
        'Wald lower',
      );
      expectAllClose(
        fit.wald.map((w) => w.upper),
        expected.wald.map((w) => w.upper),
        'Wald upper',
      );
      expectAllClose(fit.waldP, expected.waldP, 'Wald p');
      expectAllClose(
        fit.profile.map((i) => i?.lower ?? null),
        expected.profile.map((i) => i?.lower ?? null),
        'profile lower',
      );
      expectAllClose(
        fit.profile.map((i) => i?.upper ?? null),
        expected.profile.map((i) => i?.upper ?? null),
        'profile upper',
      );
      expectAllClose(fit.p, expected.p, 'penalised LR p');
      expectClose(fit.penalizedLogLik, expected.penalizedLogLik, 'penalised log-likelihood');
    });
  }

  it('profiles every column by default and none when asked', () => {
    const input = readReferenceInput<FirthInput>('regression-firth-ordinary');
    expect(firthLogistic(input.design, input.y).profile.every((i) => i !== null)).toBe(true);
    const none = firthLogistic(input.design, input.y, { profile: [] });
    expect(none.profile).toEqual([null, null, null]);
    expect(none.p).toEqual([null, null, null]);
  });

  it('gives the same fit whatever the order of the rows', () => {
    // Identical rows are merged into binomial counts (here a 2 × 2 table); R's values above cover
    // merged designs (trigger, zero cell, rare exposure) and designs kept row by row.
    const input = readReferenceInput<FirthInput>('regression-firth-trigger-adjusted');
    const expected = readReference<FirthExpected>('regression-firth-trigger-adjusted');
    const order = input.y.map((_, i) => (i * 37) % input.y.length);
    const fit = firthLogistic(
      order.map((i) => input.design[i]!),
      order.map((i) => input.y[i]!),
      { level: input.level, profile: input.profile },
    );
    expectAllClose(fit.coefficients, expected.coefficients, 'coefficients');
    expectAllClose(fit.p, expected.p, 'p');
  });
});

describe('firthLogistic input checks', () => {
  it('names the argument and the problem', () => {
    expect(() => firthLogistic([], [])).toThrow(/design: has no rows/);
    expect(() => firthLogistic([[1, 0]], [1, 0])).toThrow(/y: has 2 values/);
    expect(() => firthLogistic([[1, 0], [1]], [1, 0])).toThrow(/design\[1\]: has 1 columns/);
    expect(() => firthLogistic([[1, Number.NaN]], [1])).toThrow(/design\[0\]\[1\]: must be a finite number/);
    expect(() => firthLogistic([[1], [1]], [1, 2])).toThrow(/y\[1\]: must be 0 or 1/);
    expect(() => firthLogistic([[1], [1]], [1, 0], { level: 1 })).toThrow(/options.level/);
    expect(() => firthLogistic([[1], [1]], [1, 0], { profile: [1] })).toThrow(/options.profile: column 1/);
    expect(() => firthLogistic([[1], [1]], [1, 0], { maxIterations: 0 })).toThrow(/options.maxIterations/);
    expect(() =>
      firthLogistic(
        [
          [1, 2],
          [1, 2],
          [1, 2],
        ],
        [1, 0, 1],
      ),
    ).toThrow(/design: the columns are linearly dependent/);
  });
});

describe('firthLogistic never diverges', () => {
  it('gives finite estimates, standard errors and profile intervals on small random data, separated or not', () => {
    const data = fc
      .integer({ min: 4, max: 25 })
      .chain((n) =>
        fc.record({
          x: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
          binary: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
          y: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
          separate: fc.constantFrom('none', 'complete', 'quasi'),
        }),
      )
      .map(({ x, binary, y, separate }) => {
        // complete: y = 1 exactly when x > 0; quasi: every row with binary = 1 has y = 1
        const outcome = y.map((value, i) =>
          separate === 'complete' ? (x[i]! > 0 ? 1 : 0) : separate === 'quasi' && binary[i] === 1 ? 1 : value,
        );
        return { design: x.map((value, i) => [1, value, binary[i]!]), y: outcome };
      })
      .filter(({ design }) => fullRank(design));
    fc.assert(
      fc.property(data, ({ design, y }) => {
        const fit = firthLogistic(design, y);
        expect(fit.converged).toBe(true);
        for (const value of [...fit.coefficients, ...fit.standardErrors, fit.penalizedLogLik]) {
          expect(Number.isFinite(value)).toBe(true);
        }
        fit.profile.forEach((interval, j) => {
          expect(Number.isFinite(interval!.lower) && Number.isFinite(interval!.upper)).toBe(true);
          expect(interval!.lower).toBeLessThan(fit.coefficients[j]!);
          expect(interval!.upper).toBeGreaterThan(fit.coefficients[j]!);
        });
        fit.p.forEach((p) => expect(p! >= 0 && p! <= 1).toBe(true));
      }),
      { numRuns: 300, seed: 20240501 },
    );
  });
});

/** Whether the 3-column design has full column rank (Gram determinant well away from zero). */
function fullRank(design: number[][]): boolean {
  const g = [0, 1, 2].map((a) => [0, 1, 2].map((b) => design.reduce((s, row) => s + row[a]! * row[b]!, 0)));
  const [r0, r1, r2] = g as [number[], number[], number[]];
  const det =
    r0[0]! * (r1[1]! * r2[2]! - r1[2]! * r2[1]!) -
    r0[1]! * (r1[0]! * r2[2]! - r1[2]! * r2[0]!) +
    r0[2]! * (r1[0]! * r2[1]! - r1[1]! * r2[0]!);
  return det > 1e-6;
}

interface NegativeBinomialInput {
  description: string;
  design: number[][];
  y: number[];
  offset: number[];
}

interface NegativeBinomialExpected {
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  p: number[];
  theta: number;
  thetaStdErr: number;
  twiceLogLik: number;
}

describe('negativeBinomialRegression against R (MASS::glm.nb)', () => {
  for (const name of ['regression-nb-overdispersed', 'regression-nb-small']) {
    it(name, () => {
      const input = readReferenceInput<NegativeBinomialInput>(name);
      const expected = readReference<NegativeBinomialExpected>(name);
      const fit = negativeBinomialRegression(input.design, input.y, input.offset);
      expect(fit.converged).toBe(true);
      expectAllClose(fit.coefficients, expected.coefficients, 'coefficients');
      expectAllClose(fit.standardErrors, expected.standardErrors, 'standard errors');
      expectAllClose(fit.z, expected.z, 'z');
      expectAllClose(fit.p, expected.p, 'p');
      expectClose(fit.theta, expected.theta, 'theta');
      expectClose(fit.thetaStdErr, expected.thetaStdErr, 'SE(theta)');
      expectClose(fit.twiceLogLik, expected.twiceLogLik, 'twice log-likelihood');
    });
  }

  it('reports the Poisson limit, not converged, when the counts are not overdispersed (R: glm poisson)', () => {
    const input = readReferenceInput<NegativeBinomialInput>('regression-nb-poisson-limit');
    const expected =
      readReference<Omit<NegativeBinomialExpected, 'theta' | 'thetaStdErr'>>('regression-nb-poisson-limit');
    const fit = negativeBinomialRegression(input.design, input.y, input.offset);
    expect(fit.converged).toBe(false);
    expect(fit.theta).toBe(Infinity);
    expectAllClose(fit.coefficients, expected.coefficients, 'coefficients');
    expectAllClose(fit.standardErrors, expected.standardErrors, 'standard errors');
    expectAllClose(fit.z, expected.z, 'z');
    expectAllClose(fit.p, expected.p, 'p');
    expectClose(fit.twiceLogLik, expected.twiceLogLik, 'twice log-likelihood');
  });

  it('names the argument and the problem', () => {
    expect(() => negativeBinomialRegression([[1]], [1, 2], [0])).toThrow(/y: has 2 values/);
    expect(() => negativeBinomialRegression([[1]], [1], [0, 1])).toThrow(/offset: has 2 values/);
    expect(() => negativeBinomialRegression([[1]], [1.5], [0])).toThrow(/y\[0\]: must be a count/);
    expect(() => negativeBinomialRegression([[1]], [-1], [0])).toThrow(/y\[0\]: must be a count/);
    expect(() => negativeBinomialRegression([[1]], [1], [Number.POSITIVE_INFINITY])).toThrow(/offset\[0\]/);
  });
});
