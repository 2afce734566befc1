import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coxProportionalHazards, type CoxFit } from '../../src/stats/survival.js';
import { expectClose, readReference, readReferenceInput } from './reference.js';
import { asArray, expectCloseOrNaN, observationsOf } from './survival-reference.js';

/** Expected values: scripts/r-reference/survival.R (R survival 3.5-3, coxph with ties = "efron", eps = 1e-12). */
interface Case {
  name: string;
  level: number;
  time: number[];
  event: number[];
  covariates: number[][];
}
interface Test {
  chi_square: number;
  df: number;
  p: number;
}
type Many<T> = T | T[];
/** null: R reports the coefficient as NA. */
interface Expected {
  coefficients: Many<number | null>;
  standard_errors: Many<number | null>;
  hazard_ratios: Many<number | null>;
  lower: Many<number | null>;
  upper: Many<number | null>;
  z: Many<number | null>;
  p: Many<number | null>;
  log_lik_null: number;
  log_lik: number;
  likelihood_ratio: Test;
  wald: Test;
  score: Test;
  iterations: number;
  infinite: Many<boolean>;
}

function expectEach(actual: readonly number[], expected: Many<number | null>, what: string): void {
  const values = asArray(expected);
  expect(actual.length, `${what}: length`).toBe(values.length);
  values.forEach((value, j) => expectCloseOrNaN(actual[j]!, value, `${what}[${j}]`));
}

function expectTest(fit: CoxFit, r: Expected, test: 'likelihoodRatio' | 'wald' | 'score', name: string): void {
  const rTest = r[test === 'likelihoodRatio' ? 'likelihood_ratio' : test];
  expectClose(fit[test].chiSquare, rTest.chi_square, `${name}: ${test} chi-square`);
  expect(fit[test].df, `${name}: ${test} df`).toBe(rTest.df);
  expectClose(fit[test].p, rTest.p, `${name}: ${test} p`);
}

function expectFit(fit: CoxFit, r: Expected, name: string): void {
  expect(fit.converged, `${name}: converged`).toBe(true);
  expect(fit.iterations, `${name}: iterations`).toBe(r.iterations);
  expect(fit.infinite, `${name}: infinite`).toEqual(asArray(r.infinite));
  expectClose(fit.logLikNull, r.log_lik_null, `${name}: loglik at 0`);
  expectTest(fit, r, 'score', name);
  if (fit.infinite.some(Boolean)) {
    // Where the likelihood only levels off, the estimate is wherever the iteration stopped and the
    // log-likelihood there rounding noise: the likelihood ratio and the flag are what can be compared.
    expectTest(fit, r, 'likelihoodRatio', name);
    fit.infinite.forEach((infinite, j) => {
      if (!infinite) return;
      expect(fit.standardErrors[j], `${name}: se[${j}]`).toBeGreaterThan(1e4 * Math.abs(fit.coefficients[j]!));
      expect(asArray(r.standard_errors)[j], `${name}: R se[${j}]`).toBeGreaterThan(
        1e4 * Math.abs(fit.coefficients[j]!),
      );
    });
    return;
  }
  expectEach(fit.coefficients, r.coefficients, `${name}: coefficients`);
  expectEach(fit.standardErrors, r.standard_errors, `${name}: se`);
  expectEach(fit.hazardRatios, r.hazard_ratios, `${name}: HR`);
  expectEach(
    fit.intervals.map((i) => i.lower),
    r.lower,
    `${name}: lower`,
  );
  expectEach(
    fit.intervals.map((i) => i.upper),
    r.upper,
    `${name}: upper`,
  );
  expectEach(fit.z, r.z, `${name}: z`);
  expectEach(fit.p, r.p, `${name}: p`);
  expectClose(fit.logLik, r.log_lik, `${name}: loglik`);
  expectTest(fit, r, 'likelihoodRatio', name);
  expectTest(fit, r, 'wald', name);
}

describe('coxProportionalHazards against R coxph (Efron ties)', () => {
  const cases = readReferenceInput<{ cases: Case[] }>('survival-cox').cases;
  const expected = readReference<Expected[]>('survival-cox');
  cases.forEach((c, i) =>
    it(c.name, () =>
      expectFit(coxProportionalHazards(c.covariates, observationsOf(c.time, c.event), c.level), expected[i]!, c.name),
    ),
  );

  describe('simulated cohort, 400 observations with tied whole-day times', () => {
    const input = readReferenceInput<Case>('survival-simulated');
    const r = readReference<{ cox_age_female: Expected; cox_female: Expected }>('survival-simulated');
    const observations = observationsOf(input.time, input.event);
    it('age and female', () =>
      expectFit(coxProportionalHazards(input.covariates, observations), r.cox_age_female, 'age+female'));
    it('female (binary) alone', () =>
      expectFit(
        coxProportionalHazards(
          input.covariates.map((row) => [row[1]!]),
          observations,
        ),
        r.cox_female,
        'female',
      ));
  });
});

describe('coxProportionalHazards properties', () => {
  const data = fc
    .array(
      fc.record({ time: fc.integer({ min: 1, max: 15 }), event: fc.boolean(), x: fc.integer({ min: -20, max: 20 }) }),
      { minLength: 6, maxLength: 40 },
    )
    .filter((rows) => {
      // An estimable coefficient: events, and x varying among those at risk at the first event time.
      const events = rows.filter((r) => r.event);
      const firstEvent = Math.min(...events.map((r) => r.time));
      const atRisk = new Set(rows.filter((r) => r.time >= firstEvent).map((r) => r.x));
      return events.length >= 2 && atRisk.size >= 2;
    });

  it('shifting a covariate leaves the fit alone; scaling it scales the coefficient inversely', () => {
    fc.assert(
      fc.property(data, (rows) => {
        const observations = rows.map((r) => ({ time: r.time, event: r.event }));
        const fit = coxProportionalHazards(
          rows.map((r) => [r.x]),
          observations,
        );
        // An infinite coefficient is wherever the iteration stopped, which moves with the scale.
        fc.pre(fit.converged && !fit.infinite[0] && Math.abs(fit.coefficients[0]!) < 5);
        const moved = coxProportionalHazards(
          rows.map((r) => [10 * r.x + 250]),
          observations,
        );
        expect(moved.infinite[0]).toBe(false);
        expect(moved.coefficients[0]! * 10).toBeCloseTo(fit.coefficients[0]!, 8);
        expect(moved.logLik).toBeCloseTo(fit.logLik, 8);
        expect(moved.p[0]).toBeCloseTo(fit.p[0]!, 8);
      }),
      { numRuns: 60, seed: 20240505 },
    );
  });
});

describe('coxProportionalHazards input checks', () => {
  const observations = observationsOf([1, 2, 3, 4], [1, 0, 1, 1]);
  it('names the bad argument', () => {
    expect(() => coxProportionalHazards([[1], [2]], observations)).toThrow(/one row per observation/);
    expect(() => coxProportionalHazards([[1], [2, 3], [1], [0]], observations)).toThrow(/covariates\[1\]/);
    expect(() => coxProportionalHazards([[1], [Number.NaN], [1], [0]], observations)).toThrow(/covariates\[1\]\[0\]/);
    expect(() => coxProportionalHazards([[1], [2], [3], [4]], observationsOf([1, 2, 3, 4], [0, 0, 0, 0]))).toThrow(
      /no events/,
    );
    expect(() => coxProportionalHazards([[1], [2], [3], [4]], observations, 0)).toThrow(/level/);
  });
  it('refuses a constant or collinear covariate (R reports NA)', () => {
    expect(() => coxProportionalHazards([[1], [1], [1], [1]], observations)).toThrow(/column 0 is constant/);
    expect(() =>
      coxProportionalHazards(
        [
          [1, 2],
          [2, 4],
          [3, 6],
          [5, 10],
        ],
        observations,
      ),
    ).toThrow(/column 1 is constant, or a combination/);
  });
});
