import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ageAtProcedure,
  buildCohort,
  evaluateProcedure,
  lastCohortPeriod,
  median,
  type CohortAdverseEvent,
  type CohortFilter,
  type CohortProcedure,
  type CohortReport,
  type CohortRow,
  type PeriodTotals,
} from '../../src/domain/cohort.js';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { emptyCounts } from '../../src/domain/period-counts.js';
import {
  DEFAULT_REGISTRY_OUTCOME_CONFIG,
  procedureOutcome,
  type RegistryOutcomeConfig,
} from '../../src/domain/registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS, type FollowUpVisit } from '../../src/domain/site-settings.js';
import { addDays, dayNumber } from '../../src/domain/time.js';

/**
 * A hand-worked cohort on 2026-01-01 with the default schedule (windows m1 = period 1, m3 = 3,
 * m6 = 6, m12 = 13, m24 = 26; period k of a procedure on D covers D + (k−1)·28 … D + k·28 − 1).
 * Counts are [recorded days, migraine days, headache days]; 28 recorded days make MMD the raw count.
 *
 * P1 2025-01-01, site-a, S1: baseline 28/10/16 (MMD 10, chronic); m1 4 (−6, −60 %); m3 20 recorded
 *    days (71 % < 80 %: insufficient); m6 0 (−10); m12 5 (−5, exactly −50 %); m24 not ended.
 * P2 2025-06-01, site-b, S2: baseline 28/8/6 (MMD 8, episodic); m1 6 migraine days in 24 recorded
 *    = 7 per 28 (−1); m3 2 (−6, −75 %); m6 no row (insufficient); m12 not ended (ends 2026-05-30).
 * P3 2025-03-01, site-a, S1: baseline 10 recorded days (insufficient: no comparison, no type).
 * P4 2025-12-15, site-a, S1 (the second procedure of P1's patient): baseline MMD 2; no window ended.
 * P5 2025-02-01, site-a, S1: baseline MMD 0 (a reduction cannot be measured); m1 1.
 * P6 2025-01-10, site-b, S2: baseline 28/12/20 (MMD 12, chronic); m1 12 (0); m3 3 (−9, −75 %);
 *    m6 14 (+2); m12 ends 2026-01-08, not ended. Periods 4 and 5 (8 and 9: reductions of 33 % and
 *    25 %) are outside every window but make a relapse.
 *
 * Durability (relief lost = two adjacent evaluable periods below a 50 % reduction): P1 responds in
 * period 1, periods 2–5 and 7–12 have no sufficient diary, 6 and 13 respond: censored at 13·28 =
 * 364 days. P2 responds in period 3, its last period with a row: censored at 84. P6 responds in
 * period 3 and fails in 4 and 5: relapse on day (4−1)·28 = 84. P4 has no period after the
 * procedure yet: a non-responder so far. P3 (no baseline) and P5 (baseline 0) are not evaluable.
 */

const TODAY = '2026-01-01';
const VISITS = DEFAULT_SITE_SETTINGS.followUp;

type Triple = [number, number, number];
const periods = (byIndex: Record<number, Triple>): Map<number, PeriodTotals> =>
  new Map(
    Object.entries(byIndex).map(([k, [recordedDays, migraineDays, headacheDays]]) => [
      Number(k),
      { recordedDays, migraineDays, headacheDays },
    ]),
  );

const full = (migraine: number, headache = migraine): Triple => [28, migraine, headache];

function procedure(
  id: string,
  patientId: string,
  date: string,
  extra: Partial<CohortProcedure> & { periods: Map<number, PeriodTotals> },
): CohortProcedure {
  return {
    procedureId: id,
    patientId,
    date,
    procedureType: 'fat-transfer',
    siteId: 'site-a',
    surgeon: 'S1',
    adjuncts: [],
    birthYear: 1980,
    sex: 'female',
    conditions: ['migraine'],
    ...extra,
  };
}

const PROCEDURES: CohortProcedure[] = [
  procedure('proc-1', 'pat-a', '2025-01-01', {
    adjuncts: ['nerve-decompression'],
    periods: periods({ 0: full(10, 16), 1: full(4), 3: [20, 2, 2], 6: full(0), 13: full(5) }),
  }),
  procedure('proc-2', 'pat-b', '2025-06-01', {
    siteId: 'site-b',
    surgeon: 'S2',
    birthYear: 1930,
    sex: 'male',
    conditions: ['migraine', 'occipital-neuralgia'],
    periods: periods({ 0: full(8, 6), 1: [24, 6, 6], 3: full(2) }),
  }),
  procedure('proc-3', 'pat-c', '2025-03-01', {
    birthYear: null,
    sex: null,
    periods: periods({ 0: [10, 3, 3], 1: full(3) }),
  }),
  procedure('proc-4', 'pat-a', '2025-12-15', { periods: periods({ 0: full(2, 3) }) }),
  procedure('proc-5', 'pat-d', '2025-02-01', { birthYear: 2000, periods: periods({ 0: full(0, 2), 1: full(1) }) }),
  procedure('proc-6', 'pat-e', '2025-01-10', {
    siteId: 'site-b',
    surgeon: 'S2',
    birthYear: 1970,
    sex: 'male',
    periods: periods({ 0: full(12, 20), 1: full(12), 3: full(3), 4: full(8), 5: full(9), 6: full(14) }),
  }),
];

const EVENTS: CohortAdverseEvent[] = [
  { patientId: 'pat-a', procedureId: 'proc-1', onset: '2025-01-10', grade: 'I', relation: 'related' },
  // Not linked, after P1 but before P4: P1's.
  { patientId: 'pat-a', procedureId: null, onset: '2025-03-15', grade: 'II', relation: 'possibly-related' },
  { patientId: 'pat-a', procedureId: 'proc-4', onset: '2025-12-20', grade: 'IIIa', relation: 'related' },
  // Not linked, after both P1 and P4: only the latest procedure's, never counted twice.
  { patientId: 'pat-a', procedureId: null, onset: '2026-01-05', grade: 'II', relation: 'unknown' },
  { patientId: 'pat-b', procedureId: 'proc-2', onset: '2025-09-01', grade: 'IIIb', relation: 'related' },
  // Judged unrelated to the procedure: not a complication of it.
  { patientId: 'pat-b', procedureId: 'proc-2', onset: '2025-07-01', grade: 'I', relation: 'unrelated' },
  // Before P3, not linked: nobody's.
  { patientId: 'pat-c', procedureId: null, onset: '2025-02-01', grade: 'IVa', relation: 'related' },
  { patientId: 'pat-e', procedureId: null, onset: '2025-01-10', grade: 'I', relation: 'related' },
];

let seed = 0;
/** A small deterministic generator; the cohort's numbers must not depend on it. */
function lcg(start: number): () => number {
  let x = start;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function cohort(filter: CohortFilter = {}, random = lcg(++seed)): CohortReport {
  return buildCohort({
    procedures: PROCEDURES,
    adverseEvents: EVENTS,
    filter,
    today: TODAY,
    cfg: DEFAULT_CONFIG,
    visits: VISITS,
    random,
  });
}

const grades = (counts: Partial<Record<string, number>>) => ({
  I: 0,
  II: 0,
  IIIa: 0,
  IIIb: 0,
  IVa: 0,
  IVb: 0,
  V: 0,
  ...counts,
});

/** The row of a procedure, found by its baseline (unique in this cohort). */
function rowOf(report: CohortReport, baselineMmd: number | null): CohortRow {
  const rows = report.patients.filter((p) => p.baseline.mmd === baselineMmd);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('cohort windows', () => {
  test('n, n sufficient, MMD change, responders and complications per window, worked by hand', () => {
    const report = cohort();
    expect(report.asOf).toBe(TODAY);
    expect(report.n).toBe(6);
    expect(report.windows).toEqual([
      {
        visitId: 'm1',
        label: '1 month',
        months: 1,
        // P4's first period ends 2026-01-11.
        n: 5,
        // P1 −6, P2 −1, P6 0; P3 has no baseline, P5 a baseline of 0.
        nSufficient: 3,
        mmdChange: { mean: -7 / 3, median: -1 },
        responders: { '50': 1, '75': 0, '100': 0 },
        // P1's grade I on day 9 (its second event is on day 73); P6's on day 0.
        complications: grades({ I: 2 }),
      },
      {
        visitId: 'm3',
        label: '3 months',
        months: 3,
        n: 5,
        nSufficient: 2,
        mmdChange: { mean: -7.5, median: -7.5 },
        responders: { '50': 2, '75': 2, '100': 0 },
        // P1's window ends 2025-03-25: its grade II of 2025-03-15 now counts; P2's IIIb (2025-09-01) not yet.
        complications: grades({ I: 2, II: 1 }),
      },
      {
        visitId: 'm6',
        label: '6 months',
        months: 6,
        n: 5,
        nSufficient: 2,
        mmdChange: { mean: -4, median: -4 },
        responders: { '50': 1, '75': 1, '100': 1 },
        complications: grades({ I: 2, II: 1, IIIb: 1 }),
      },
      {
        visitId: 'm12',
        label: '12 months',
        months: 12,
        // P1's period 13 ends 2025-12-30; the others' end in 2026.
        n: 1,
        nSufficient: 1,
        mmdChange: { mean: -5, median: -5 },
        responders: { '50': 1, '75': 0, '100': 0 },
        complications: grades({ I: 1, II: 1 }),
      },
      {
        visitId: 'm24',
        label: '24 months',
        months: 24,
        n: 0,
        nSufficient: 0,
        mmdChange: { mean: null, median: null },
        responders: { '50': 0, '75': 0, '100': 0 },
        complications: grades({}),
      },
    ]);
  });

  test('one row per procedure, with windows, baseline, type, age and complications in days', () => {
    const report = cohort();
    const p1 = rowOf(report, 10);
    expect(p1).toMatchObject({
      procedureType: 'fat-transfer',
      siteId: 'site-a',
      surgeon: 'S1',
      adjuncts: ['nerve-decompression'],
      age: 45,
      sex: 'female',
      conditions: ['migraine'],
      headacheType: 'chronic',
      baseline: { recordedDays: 28, mmd: 10 },
      complications: [
        { grade: 'I', onsetDay: 9 },
        { grade: 'II', onsetDay: 73 },
      ],
    });
    expect(p1.windows).toEqual([
      {
        visitId: 'm1',
        ended: true,
        sufficient: true,
        mmd: 4,
        mmdChange: -6,
        mmdPercentChange: -60,
        responder50: true,
        responder75: false,
        responder100: false,
      },
      {
        visitId: 'm3',
        ended: true,
        sufficient: false,
        mmd: null,
        mmdChange: null,
        mmdPercentChange: null,
        responder50: null,
        responder75: null,
        responder100: null,
      },
      {
        visitId: 'm6',
        ended: true,
        sufficient: true,
        mmd: 0,
        mmdChange: -10,
        mmdPercentChange: -100,
        responder50: true,
        responder75: true,
        responder100: true,
      },
      {
        visitId: 'm12',
        ended: true,
        sufficient: true,
        mmd: 5,
        mmdChange: -5,
        mmdPercentChange: -50,
        responder50: true,
        responder75: false,
        responder100: false,
      },
      {
        visitId: 'm24',
        ended: false,
        sufficient: false,
        mmd: null,
        mmdChange: null,
        mmdPercentChange: null,
        responder50: null,
        responder75: null,
        responder100: null,
      },
    ]);

    const p2 = rowOf(report, 8);
    expect(p2).toMatchObject({ age: 90, sex: 'male', headacheType: 'episodic', siteId: 'site-b', surgeon: 'S2' });
    expect(p2.windows[0]).toMatchObject({ mmd: 7, mmdChange: -1, mmdPercentChange: -12.5, responder50: false });
    expect(p2.complications).toEqual([{ grade: 'IIIb', onsetDay: 92 }]);

    const p3 = rowOf(report, null);
    expect(p3).toMatchObject({ age: null, sex: null, headacheType: null, baseline: { recordedDays: 10, mmd: null } });
    // A sufficient window without a baseline has an MMD but no change.
    expect(p3.windows[0]).toMatchObject({ sufficient: true, mmd: 3, mmdChange: null, responder50: null });
    expect(p3.complications).toEqual([]);

    expect(rowOf(report, 2).complications).toEqual([
      { grade: 'IIIa', onsetDay: 5 },
      { grade: 'II', onsetDay: 21 },
    ]);
    expect(rowOf(report, 2).windows.every((w) => !w.ended)).toBe(true);
    // From a baseline of 0 the change is measured, the reduction is not.
    expect(rowOf(report, 0).windows[0]).toMatchObject({
      mmd: 1,
      mmdChange: 1,
      mmdPercentChange: null,
      responder50: null,
    });
    expect(rowOf(report, 12).complications).toEqual([{ grade: 'I', onsetDay: 0 }]);
  });

  test('durability: responders censored or relapsed, in days from the procedure', () => {
    const report = cohort();
    const durability = (mmd: number | null) => rowOf(report, mmd).durability;
    expect(durability(10)).toEqual({ responded: true, time: 364, event: false });
    expect(durability(8)).toEqual({ responded: true, time: 84, event: false });
    expect(durability(12)).toEqual({ responded: true, time: 84, event: true });
    expect(durability(2)).toEqual({ responded: false, time: null, event: null });
    expect(durability(null)).toEqual({ responded: null, time: null, event: null });
    expect(durability(0)).toEqual({ responded: null, time: null, event: null });
  });

  test('the window summaries are the counts of the rows', () => {
    const report = cohort();
    report.windows.forEach((w, i) => {
      const rows = report.patients.map((p) => p.windows[i]!);
      expect(w.n).toBe(rows.filter((r) => r.ended).length);
      expect(w.nSufficient).toBe(rows.filter((r) => r.responder50 !== null).length);
      expect(w.responders['50']).toBe(rows.filter((r) => r.responder50 === true).length);
      expect(w.responders['100']).toBe(rows.filter((r) => r.responder100 === true).length);
    });
  });
});

describe('cohort filters', () => {
  const baselines = (filter: CohortFilter) =>
    cohort(filter)
      .patients.map((p) => p.baseline.mmd)
      .sort((a, b) => (a ?? -1) - (b ?? -1));

  test.each<[CohortFilter, (number | null)[]]>([
    [{}, [null, 0, 2, 8, 10, 12]],
    [{ siteIds: ['site-b'] }, [8, 12]],
    [{ siteIds: ['site-a', 'site-b'] }, [null, 0, 2, 8, 10, 12]],
    [{ surgeon: 'S2' }, [8, 12]],
    [{ from: '2025-02-01', to: '2025-06-30' }, [null, 0, 8]],
    [{ from: '2025-06-01' }, [2, 8]],
    [{ to: '2025-01-10' }, [10, 12]],
    [{ condition: 'occipital-neuralgia' }, [8]],
    // Baseline headache days per 28: P1 16, P6 20 are chronic; P3's baseline is insufficient: neither.
    [{ headacheType: 'chronic' }, [10, 12]],
    [{ headacheType: 'episodic' }, [0, 2, 8]],
    [{ procedureType: 'fat-transfer', siteIds: ['site-a'], headacheType: 'episodic' }, [0, 2]],
    [{ procedureType: 'other' }, []],
  ])('%j selects the procedures with baseline MMD %j', (filter, expected) => {
    expect(baselines(filter)).toEqual(expected);
  });

  test('the windows count only the selected procedures, and the filter is echoed', () => {
    const report = cohort({ siteIds: ['site-b'] });
    expect(report.filter).toEqual({ siteIds: ['site-b'] });
    expect(report.n).toBe(2);
    expect(report.windows[0]).toMatchObject({
      n: 2,
      nSufficient: 2,
      mmdChange: { mean: -0.5, median: -0.5 },
      complications: grades({ I: 1 }),
    });
  });
});

describe('de-identification', () => {
  test('no patient or procedure id and no date of the patients appears anywhere in the cohort', () => {
    const text = JSON.stringify(cohort());
    const secrets = [
      ...PROCEDURES.flatMap((p) => [p.procedureId, p.patientId, p.date]),
      ...EVENTS.map((e) => e.onset),
      ...PROCEDURES.flatMap((p) => (p.birthYear === null ? [] : [String(p.birthYear)])),
    ];
    for (const secret of new Set(secrets)) expect(text).not.toContain(secret);
    // The only date is the day it was computed on.
    expect(text.match(/\d{4}-\d{2}-\d{2}/g)).toEqual([TODAY]);
  });

  test('rows are numbered R0001… in an order drawn for each cohort, whatever the input order', () => {
    const a = cohort({}, lcg(1));
    const b = cohort({}, lcg(2));
    for (const report of [a, b])
      expect(report.patients.map((p) => p.row)).toEqual(['R0001', 'R0002', 'R0003', 'R0004', 'R0005', 'R0006']);
    const order = (r: CohortReport) => r.patients.map((p) => p.baseline.mmd);
    expect(order(a)).not.toEqual(order(b));
    // The same rows, only numbered differently.
    const content = (r: CohortReport) => r.patients.map(({ row: _row, ...rest }) => JSON.stringify(rest)).sort();
    expect(content(a)).toEqual(content(b));
    expect(order(a)).not.toEqual(PROCEDURES.map((p) => p.periods.get(0)!.migraineDays));
  });

  test('ages are whole years at the procedure, 90 for every age from 90', () => {
    expect(ageAtProcedure(1980, '2025-01-01')).toBe(45);
    expect(ageAtProcedure(1935, '2025-12-31')).toBe(90);
    expect(ageAtProcedure(2025, '2025-12-31')).toBe(0);
    expect(ageAtProcedure(2026, '2025-12-31')).toBeNull();
    expect(ageAtProcedure(1920, '2025-06-01')).toBe(90);
    expect(ageAtProcedure(1936, '2025-06-01')).toBe(89);
    expect(ageAtProcedure(null, '2025-06-01')).toBeNull();
  });
});

describe('helpers', () => {
  test('median of odd and even counts, and of none', () => {
    expect(median([3, -1, 0])).toBe(0);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  test('the default schedule needs periods 0…26', () => {
    expect(lastCohortPeriod(VISITS)).toBe(26);
  });
});

/**
 * The registry's per-procedure outcomes (registry-outcomes.ts) read the way the cohort reports
 * them: only windows that have ended, a baseline only once it has ended.
 */
function fromProcedureOutcome(
  p: Pick<CohortProcedure, 'date' | 'periods'>,
  visits: readonly FollowUpVisit[],
  today: string,
  rc: RegistryOutcomeConfig,
) {
  const counts = new Map([...p.periods].map(([k, t]) => [k, { ...emptyCounts(), ...t }]));
  const outcome = procedureOutcome({
    procedureDate: p.date,
    today,
    counts,
    visits,
    questionnaires: [],
    cfg: DEFAULT_CONFIG,
    rc,
  });
  const b = outcome.baseline.summary;
  const per28 = b.end < today ? b.per28 : null;
  return {
    baseline: {
      recordedDays: b.recordedDays,
      mmd: per28 === null ? null : outcome.baseline.mmd,
      headacheType: per28 === null ? null : per28.headacheDays >= 15 ? 'chronic' : 'episodic',
    },
    windows: outcome.visits.map((v) => {
      const ended = v.summary.end < today;
      const flag = (t: number) => (ended ? v.responders.find((r) => r.threshold === t)!.responder : null);
      return {
        visitId: v.visitId,
        ended,
        sufficient: ended && v.summary.sufficient,
        mmd: ended ? v.mmd : null,
        mmdChange: ended ? v.mmdChange : null,
        mmdPercentChange: ended ? v.mmdPercentChange : null,
        responder50: flag(0.5),
        responder75: flag(0.75),
        responder100: flag(1),
      };
    }),
    windowEnds: outcome.visits.map((v) => dayNumber(v.summary.end)),
    durability: {
      responded: outcome.durability.responded,
      time: outcome.durability.time,
      event: outcome.durability.event,
    },
  };
}

/** A schedule with windows of several periods and a two-period baseline. */
const WIDE_VISITS: FollowUpVisit[] = [
  { ...VISITS[0]!, diaryPeriods: { from: 0, to: 1 } },
  { ...VISITS[1]!, id: 'q1', diaryPeriods: { from: 2, to: 4 } },
  { ...VISITS[2]!, id: 'q2', diaryPeriods: { from: 5, to: 13 } },
];

describe('evaluateProcedure', () => {
  const period = fc
    .tuple(fc.integer({ min: 0, max: 28 }), fc.integer({ min: 0, max: 28 }), fc.integer({ min: 0, max: 28 }))
    .map(([recordedDays, a, b]) => {
      const migraineDays = Math.min(a, recordedDays);
      return { recordedDays, migraineDays, headacheDays: Math.max(migraineDays, Math.min(b, recordedDays)) };
    });
  // Mostly well-kept diaries, so that many periods are sufficient and responses and relapses occur.
  const kept = fc
    .tuple(fc.integer({ min: 23, max: 28 }), fc.integer({ min: 0, max: 20 }))
    .map(([recordedDays, m]) => ({ recordedDays, migraineDays: m, headacheDays: m }));
  const procedure = fc.record({
    date: fc.integer({ min: 0, max: 900 }).map((d) => addDays('2024-01-01', d)),
    periods: fc
      .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.oneof(kept, kept, period)), { maxLength: 31 })
      .map((entries) => new Map(entries)),
  });

  test('gives what procedureOutcome and durability of registry-outcomes.ts give, on random procedures', () => {
    fc.assert(
      fc.property(
        procedure,
        fc.integer({ min: -60, max: 1000 }),
        fc.constantFrom(VISITS, WIDE_VISITS),
        fc.constantFrom(DEFAULT_REGISTRY_OUTCOME_CONFIG, { relapseThreshold: 0.3, relapseConsecutivePeriods: 3 }),
        (p, offset, visits, rc) => {
          const today = addDays(p.date, offset);
          expect(evaluateProcedure(p, visits, today, DEFAULT_CONFIG, rc)).toEqual(
            fromProcedureOutcome(p, visits, today, rc),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
