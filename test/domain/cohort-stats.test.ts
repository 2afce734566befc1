import { describe, expect, test } from 'vitest';
import type { CohortRow, CohortRowWindow } from '../../src/domain/cohort.js';
import {
  changeStatistics,
  COHORT_GROUP_BY,
  cohortStatistics,
  type CohortGroupBy,
} from '../../src/domain/cohort-stats.js';
import { expectClose, readReference, readReferenceInput } from '../stats/reference.js';

/**
 * The statistics of the committed cohort rows (test/stats/reference/inputs/cohort-stats.json)
 * against R (scripts/r-reference/cohort-stats.R: prop.test, t.test, wilcox.test, survfit,
 * survdiff, brglm2 with lib-firth.R, qbinom), and hand-worked small cohorts for the edge cases.
 */

interface Input {
  windows: { visitId: string; label: string; months: number }[];
  minEventsPerPredictor: number;
  rows: CohortRow[];
}

type Json = null | number | string | boolean | Json[] | { [key: string]: Json };

interface Expected {
  windows: Json[];
  durability: Record<CohortGroupBy, Json>;
  atWindow: Record<'m12' | 'm6', { comparisons: Json; predictors: Json; funnels: Json }>;
}

const input = readReferenceInput<Input>('cohort-stats');
const expected = readReference<Expected>('cohort-stats');
/** Fields the R reference does not write: the wording of the report. */
const NOT_FROM_R = new Set(['description']);

/**
 * Every field R wrote, numbers to a relative 1e-6 (test/stats/reference.ts), others exactly; and
 * no field R did not write. `refused` is the reason in words here and a marker in R.
 */
function expectLikeR(actual: unknown, want: Json, path: string): void {
  if (want === null || typeof want !== 'object') {
    if (typeof want === 'number' || want === null) {
      if (typeof actual === 'string' && want === null) expect.fail(`${path}: got "${actual}", R gives null`);
      expectClose(actual as number | null, want, path);
    } else if (path.endsWith('.refused')) {
      expect(actual, path).toBeTypeOf('string');
    } else {
      expect(actual, path).toBe(want);
    }
    return;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(want.length);
    want.forEach((w, i) => expectLikeR((actual as unknown[])[i], w, `${path}[${i}]`));
    return;
  }
  const object = actual as Record<string, unknown>;
  expect(object, path).toBeTypeOf('object');
  const extra = Object.keys(object).filter((k) => !(k in want) && !NOT_FROM_R.has(k));
  expect(extra, `${path}: fields R did not compute`).toEqual([]);
  for (const [key, w] of Object.entries(want)) {
    if (key === 'r' || key === 'level') continue;
    expectLikeR(object[key], w, `${path}.${key}`);
  }
}

const statistics = (rows: readonly CohortRow[], options: Parameters<typeof cohortStatistics>[2] = {}) =>
  cohortStatistics(rows, input.windows, options);

describe('cohort statistics against R on 180 committed rows', () => {
  const config = { minEventsPerPredictor: input.minEventsPerPredictor };

  test('per window: responder rates, MMD, MIDAS and HIT-6 change', () => {
    const s = statistics(input.rows, { config });
    expect(s.level).toBe(0.95);
    expectLikeR(s.windows, expected.windows, 'windows');
    // Every window has enough differences for a 95 % Hodges–Lehmann interval.
    for (const w of s.windows) {
      for (const c of [w.mmdChange, w.midasChange, w.hit6Change]) {
        expect(c.hodgesLehmannLevel, w.visitId).toBe(c.hodgesLehmannLower === null ? null : 0.95);
      }
    }
    // The summary's own figures agree with the statistics.
    expect(s.windows.map((w) => w.nSufficient)).toEqual([141, 138, 120, 105, 39]);
  });

  test.each(COHORT_GROUP_BY)('durability grouped by %s: Kaplan–Meier and log-rank', (groupBy) => {
    const s = statistics(input.rows, { groupBy, config });
    expect(s.groupBy).toBe(groupBy);
    expectLikeR(s.durability, expected.durability[groupBy], `durability(${groupBy})`);
  });

  test.each(['m12', 'm6'] as const)('at %s: group comparisons, predictors and funnels', (window) => {
    const s = statistics(input.rows, { window, config });
    expect(s.window).toBe(window);
    const want = expected.atWindow[window];
    expectLikeR(s.comparisons, want.comparisons, `${window}.comparisons`);
    expectLikeR(s.predictors, want.predictors, `${window}.predictors`);
    expectLikeR(s.funnels, want.funnels, `${window}.funnels`);
  });

  test('the figures do not depend on the order of the rows', () => {
    const s = statistics(input.rows, { groupBy: 'surgeon', config });
    expect(statistics([...input.rows].reverse(), { groupBy: 'surgeon', config })).toEqual(s);
  });

  test('some figures of the R reference, read by hand', () => {
    const s = statistics(input.rows, { config });
    const m12 = s.windows[3]!;
    expect(m12.responders[0]).toMatchObject({ threshold: 50, x: 48, n: 105 });
    expect(m12.mmdChange).toMatchObject({ n: 105, median: -4, hodgesLehmann: -5 });
    const surgeons = s.comparisons.find((c) => c.by === 'surgeon')!;
    // S5 has the most procedures judged at 12 months; 9 judged procedures have no surgeon.
    expect(surgeons).toMatchObject({ reference: 'S5', unknown: 9 });
    expect(surgeons.groups.map((g) => [g.group, g.x, g.n])).toEqual([
      ['S1', 9, 21],
      ['S2', 7, 21],
      ['S3', 7, 17],
      ['S4', 5, 14],
      ['S5', 15, 23],
    ]);
    // 15/23 against 48/105 overall lies above the 95 % limit (0.642) but inside the 99.8 % one.
    const s5 = s.funnels[0]!.units.find((u) => u.unit === 'S5')!;
    expect([s5.position95, s5.position998]).toEqual(['above', 'inside']);
    const procedureTypes = s.comparisons.find((c) => c.by === 'procedureType')!;
    expect(procedureTypes.groups).toHaveLength(1);
    expect(procedureTypes.groups[0]).toMatchObject({ group: 'fat-transfer', difference: null });
    expect(s.predictors).toMatchObject({ n: 86, nDropped: 19, responders: 41, nonResponders: 45, refused: null });
  });
});

describe('the regression of response is refused with a reason', () => {
  test('too few events per predictor at the default of 10 (Peduzzi)', () => {
    const { predictors } = statistics(input.rows);
    expect(predictors).toMatchObject({ n: 86, responders: 41, nonResponders: 45, minEventsPerPredictor: 10 });
    expect(predictors.refused).toBe(
      'not fitted: the rarer outcome (responders) has 41 events among 86 complete cases, 5.1 per predictor ' +
        'for 8 predictors; at least 80 (10 per predictor, Peduzzi et al., J Clin Epidemiol 1996) are needed',
    );
    expect(predictors.terms.map((t) => [t.predictor, t.missing, t.oddsRatio])).toEqual([
      ['age', 1, null],
      ['female', 4, null],
      ['baselineMmd', 0, null],
      ['chronic', 0, null],
      ['aura', 9, null],
      ['medicationOveruse', 7, null],
      ['triggerSites', 0, null],
      ['priorToxinOrBlockResponse', 0, null],
    ]);
  });

  test('a predictor that does not vary is named, not fitted', () => {
    const rows = input.rows.map((r) => ({ ...r, predictors: { ...r.predictors, aura: false } }));
    const { predictors } = statistics(rows, { config: { minEventsPerPredictor: 1 } });
    expect(predictors.refused).toBe(
      'not fitted: aura does not vary (all 93 complete cases have the same value), so its effect cannot be estimated',
    );
    expect(predictors.terms.every((t) => t.oddsRatio === null && t.p === null)).toBe(true);
  });

  const withPredictors = (change: (r: CohortRow) => Partial<CohortRow['predictors']>) =>
    input.rows.map((r) => ({ ...r, predictors: { ...r.predictors, ...change(r) } }));
  const dependent = (predictor: string, on: string, n: number) =>
    `${predictor} is a linear function of ${on} in all ${n} complete cases (the predictors are linearly ` +
    'dependent), so their effects cannot be told apart';

  test('predictors that are linear functions of others are named, not fitted', () => {
    const config = { minEventsPerPredictor: 1 };
    // A copy of another predictor.
    const copy = statistics(
      withPredictors((r) => ({ medicationOveruse: r.predictors.aura })),
      { config },
    ).predictors;
    expect(copy.refused).toBe(`not fitted: ${dependent('medicationOveruse', 'aura', 91)}`);
    expect(copy.terms.every((t) => t.oddsRatio === null && t.lower === null && t.p === null)).toBe(true);
    // Another predictor recoded: triggerSites = chronic (1 or 0).
    const recoded = withPredictors((r) => ({ triggerSites: r.headacheType === 'chronic' ? 1 : 0 }));
    expect(statistics(recoded, { config }).predictors.refused).toBe(
      `not fitted: ${dependent('triggerSites', 'chronic', 86)}`,
    );
    // Both at once, and a combination of two predictors with the intercept: each is named.
    const both = withPredictors((r) => ({
      medicationOveruse: r.predictors.aura,
      triggerSites: r.headacheType === 'chronic' ? 1 : 0,
    }));
    expect(statistics(both, { config }).predictors.refused).toBe(
      `not fitted: ${dependent('medicationOveruse', 'aura', 91)}; ${dependent('triggerSites', 'chronic', 91)}`,
    );
    const combination = withPredictors((r) => ({
      triggerSites: r.age === null ? 0 : r.age / 5 - 3 * (r.headacheType === 'chronic' ? 1 : 0) + 1,
    }));
    expect(statistics(combination, { config }).predictors.refused).toBe(
      `not fitted: ${dependent('triggerSites', 'age and chronic', 86)}`,
    );
  });

  test('predictors that are nearly but not exactly dependent are fitted', () => {
    // medicationOveruse = aura except in one complete case at 12 months (R0001 has aura false).
    const nearly = withPredictors((r) => ({
      medicationOveruse: r.row === 'R0001' ? !r.predictors.aura : r.predictors.aura,
    }));
    const { predictors } = statistics(nearly, { config: { minEventsPerPredictor: 1 } });
    expect(predictors.refused).toBeNull();
    expect(predictors.terms.every((t) => t.oddsRatio !== null)).toBe(true);
  });

  test('no complete case', () => {
    const rows = input.rows.map((r) => ({ ...r, age: null }));
    expect(statistics(rows).predictors).toMatchObject({
      n: 0,
      nDropped: 105,
      eventsPerPredictor: null,
      refused: 'not fitted: no procedure judged at m12 has every predictor recorded',
    });
  });
});

/** A row with the given 12-month outcome; every other window not ended. */
function row(
  id: number,
  m12: Partial<CohortRowWindow> | null,
  extra: Partial<Omit<CohortRow, 'windows'>> = {},
): CohortRow {
  const notEnded = (visitId: string): CohortRowWindow => ({
    visitId,
    ended: false,
    sufficient: false,
    mmd: null,
    mmdChange: null,
    mmdPercentChange: null,
    responder50: null,
    responder75: null,
    responder100: null,
    midas: null,
    hit6: null,
  });
  return {
    row: `R${String(id).padStart(4, '0')}`,
    procedureType: 'fat-transfer',
    siteId: 'site-a',
    surgeon: 'S1',
    adjuncts: [],
    age: 40,
    sex: 'female',
    conditions: ['migraine'],
    headacheType: 'episodic',
    predictors: {
      aura: false,
      medicationOveruse: false,
      triggerSites: 2,
      priorToxinOrBlockResponse: true,
      decompression: false,
    },
    baseline: { recordedDays: 28, mmd: 10, midas: null, hit6: null },
    durability: { responded: null, time: null, event: null },
    complications: [],
    ...extra,
    windows: input.windows.map((w) =>
      w.visitId === 'm12' && m12 ? { ...notEnded('m12'), ended: true, sufficient: true, ...m12 } : notEnded(w.visitId),
    ),
  };
}

/** A 12-month window whose MMD fell from 10 to `mmd`. */
const fell = (mmd: number): Partial<CohortRowWindow> => ({
  mmd,
  mmdChange: mmd - 10,
  mmdPercentChange: (mmd - 10) * 10,
  responder50: mmd <= 5,
  responder75: mmd <= 2.5,
  responder100: mmd === 0,
});

describe('small cohorts: figures that cannot be computed are null, never an error', () => {
  test('an empty cohort', () => {
    const s = statistics([]);
    for (const w of s.windows) {
      expect(w.nSufficient).toBe(0);
      expect(w.responders.map((r) => [r.x, r.n, r.rate, r.lower, r.upper])).toEqual([
        [0, 0, null, null, null],
        [0, 0, null, null, null],
        [0, 0, null, null, null],
      ]);
      expect(Object.values(w.mmdChange)).toEqual([0, null, null, null, null, null, null, null, null, null, null]);
    }
    expect(s.durability).toEqual({
      groupBy: 'none',
      unknown: 0,
      groups: [],
      logRankChiSquare: null,
      logRankDf: null,
      logRankP: null,
    });
    expect(s.comparisons.map((c) => [c.by, c.reference, c.groups])).toEqual([
      ['procedureType', null, []],
      ['decompression', null, []],
      ['site', null, []],
      ['surgeon', null, []],
    ]);
    expect(s.predictors).toMatchObject({ nEvaluable: 0, n: 0, refused: expect.stringMatching(/^not fitted: /) });
    expect(s.funnels.map((f) => [f.by, f.n, f.rate, f.units])).toEqual([
      ['surgeon', 0, null, []],
      ['site', 0, null, []],
    ]);
  });

  test('one procedure: a Wilson interval, a mean and a median, no t or Wilcoxon figures', () => {
    const s = statistics([row(1, fell(4), { durability: { responded: true, time: 84, event: true } })]);
    const m12 = s.windows[3]!;
    // Wilson for 1/1 at 95 %: [1/(1 + z²), 1] (R: prop.test(1, 1, correct = FALSE)$conf.int).
    expect(m12.responders[0]).toMatchObject({ x: 1, n: 1, rate: 1, upper: 1 });
    expectClose(m12.responders[0]!.lower, 0.2065493143772375, 'Wilson lower 1/1');
    expect(m12.mmdChange).toEqual({
      n: 1,
      mean: -6,
      sd: null,
      meanLower: null,
      meanUpper: null,
      median: -6,
      hodgesLehmann: null,
      hodgesLehmannLower: null,
      hodgesLehmannUpper: null,
      hodgesLehmannLevel: null,
      wilcoxonP: null,
    });
    // One relapse on day 84: the curve falls from 1 to 0 there; its interval is undefined at 0, and so
    // are the limits of the median (R: quantile(survfit(Surv(84, 1) ~ 1), 0.5) gives 84, NA, NA).
    expect(s.durability.groups).toEqual([
      {
        group: 'all',
        n: 1,
        events: 1,
        median: 84,
        medianLower: null,
        medianUpper: null,
        curve: [
          { time: 0, survival: 1, lower: 1, upper: 1, nRisk: 1, nEvent: 0, nCensor: 0 },
          { time: 84, survival: 0, lower: null, upper: null, nRisk: 1, nEvent: 1, nCensor: 0 },
        ],
      },
    ]);
    expect(s.durability.logRankP).toBeNull();
  });

  test('changes all 0 or all equal: no t interval; no Wilcoxon test or no Hodges–Lehmann interval', () => {
    expect(changeStatistics([0, 0, 0], 0.95)).toEqual({
      n: 3,
      mean: 0,
      sd: 0,
      meanLower: null,
      meanUpper: null,
      median: 0,
      hodgesLehmann: null,
      hodgesLehmannLower: null,
      hodgesLehmannUpper: null,
      hodgesLehmannLevel: null,
      wilcoxonP: null,
    });
    // R: wilcox.test(c(2, 2, 2, 2), conf.int = TRUE): V = 10, p = 0.07186064, estimate 2, interval NaN.
    const equal = changeStatistics([2, 2, 2, 2], 0.95);
    expect(equal).toMatchObject({ n: 4, mean: 2, sd: 0, meanLower: null, median: 2, hodgesLehmann: 2 });
    expect([equal.hodgesLehmannLower, equal.hodgesLehmannUpper, equal.hodgesLehmannLevel]).toEqual([null, null, null]);
    expectClose(equal.wilcoxonP, 0.07186063822585161, 'wilcoxon p of four equal differences');
    // R: t.test(c(-1, -2, -3, -4, -5, -6)): mean −3.5, 95 % CI −5.463314…, −1.536686…; wilcox.test
    // (exact): p 0.03125, (pseudo)median −3.5, interval −6 to −1.
    const six = changeStatistics([-6, -5, -4, -3, -2, -1], 0.95);
    expect(six).toMatchObject({ n: 6, mean: -3.5, median: -3.5, hodgesLehmann: -3.5 });
    expectClose(six.meanLower, -5.463314306980323, 't lower');
    expectClose(six.meanUpper, -1.536685693019677, 't upper');
    expectClose(six.wilcoxonP, 0.03125, 'exact wilcoxon p');
    expect([six.hodgesLehmannLower, six.hodgesLehmannUpper]).toEqual([-6, -1]);
    // R: attr(wilcox.test(-(1:6), conf.int = TRUE)$conf.int, "conf.level") is 0.95: six differences
    // reach it (the interval between the extreme Walsh averages covers 0.96875).
    expect(six.hodgesLehmannLevel).toBe(0.95);
  });

  test('too few differences for the level: the interval carries the lower level R reaches', () => {
    // R: wilcox.test(c(-3, -1, -7), conf.int = TRUE): (pseudo)median −3.5, interval −7 to −1 with
    // attr(, "conf.level") 0.75, p 0.25.
    const three = changeStatistics([-3, -1, -7], 0.95);
    expect(three).toMatchObject({ n: 3, hodgesLehmann: -3.5, hodgesLehmannLower: -7, hodgesLehmannUpper: -1 });
    expect(three.hodgesLehmannLevel).toBe(0.75);
    expectClose(three.wilcoxonP, 0.25, 'exact wilcoxon p of three differences');
  });

  test('groups: the reference is the largest, ties to the first by name; an unknown surgeon is counted apart', () => {
    const rows = [
      row(1, fell(4), { surgeon: 'S2' }),
      row(2, fell(8), { surgeon: 'S2' }),
      row(3, fell(4), { surgeon: 'S1' }),
      row(4, fell(9), { surgeon: 'S1' }),
      row(5, fell(1), { surgeon: null }),
      row(6, null, { surgeon: 'S3' }),
    ];
    const surgeons = statistics(rows).comparisons.find((c) => c.by === 'surgeon')!;
    expect(surgeons.reference).toBe('S1');
    expect(surgeons.unknown).toBe(1);
    expect(surgeons.groups.map((g) => [g.group, g.x, g.n, g.difference])).toEqual([
      ['S1', 1, 2, null],
      ['S2', 1, 2, 0],
      ['S3', 0, 0, null],
    ]);
    const funnel = statistics(rows).funnels.find((f) => f.by === 'surgeon')!;
    // The overall rate counts the procedure without a surgeon: 3 of 5.
    expect([funnel.x, funnel.n, funnel.rate, funnel.unknown]).toEqual([3, 5, 0.6, 1]);
    expect(funnel.units.map((u) => u.unit)).toEqual(['S1', 'S2']);
  });

  test('decompression groups follow the adjunct', () => {
    const rows = [
      row(1, fell(4), { predictors: { ...row(0, null).predictors, decompression: true } }),
      row(2, fell(8)),
    ];
    const d = statistics(rows, { groupBy: 'decompression' });
    expect(d.comparisons.find((c) => c.by === 'decompression')!.groups.map((g) => [g.group, g.x, g.n])).toEqual([
      ['decompression', 1, 1],
      ['no-decompression', 0, 1],
    ]);
    expect(d.durability.groups.map((g) => [g.group, g.n])).toEqual([
      ['decompression', 0],
      ['no-decompression', 0],
    ]);
  });

  test('an unknown window is a RangeError naming it', () => {
    expect(() => statistics([], { window: 'm7' })).toThrow(
      new RangeError('window: "m7" is not a follow-up window (m1, m3, m6, m12, m24)'),
    );
  });
});
