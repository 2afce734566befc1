import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ageAtProcedure,
  BASELINE_OVERUSE_CLASSES,
  baselineProfileOf,
  buildCohort,
  evaluateProcedure,
  lastCohortPeriod,
  median,
  overuseAtThresholds,
  priorToxinOrBlockResponse,
  triggerSiteCount,
  type CohortAdverseEvent,
  type CohortFilter,
  type CohortProcedure,
  type CohortReport,
  type CohortRow,
  type PeriodSeries,
  type PeriodTotals,
} from '../../src/domain/cohort.js';
import { DEFAULT_CONFIG, OVERUSE_CLASSES } from '../../src/domain/config.js';
import { medicationOveruse } from '../../src/domain/medication-overuse.js';
import { ACUTE_MEDICATION_CLASSES } from '../../src/domain/medications.js';
import { emptyCounts, summaryFromCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import {
  DEFAULT_REGISTRY_OUTCOME_CONFIG,
  procedureOutcome,
  type RegistryOutcomeConfig,
} from '../../src/domain/registry-outcomes.js';
import { visitWindow } from '../../src/domain/follow-up.js';
import { HIT6_ANSWERS, scoreQuestionnaire, type QuestionnaireResponse } from '../../src/domain/questionnaires.js';
import { DEFAULT_SITE_SETTINGS, type FollowUpVisit, type Instrument } from '../../src/domain/site-settings.js';
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
function periods(byIndex: Record<number, Triple>): PeriodTotals[] {
  const out: PeriodTotals[] = [];
  for (const [k, [recordedDays, migraineDays, headacheDays]] of Object.entries(byIndex)) {
    out[Number(k)] = { recordedDays, migraineDays, headacheDays };
  }
  return out;
}

const full = (migraine: number, headache = migraine): Triple => [28, migraine, headache];

function procedure(
  id: string,
  patientId: string,
  date: string,
  extra: Partial<CohortProcedure> & { periods: PeriodSeries },
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
    baselineProfile: { auraDays: 0, medicationOveruse: false },
    triggerSites: 0,
    priorToxinOrBlockResponse: false,
    questionnaires: [],
    ...extra,
  };
}

const PROCEDURES: CohortProcedure[] = [
  procedure('proc-1', 'pat-a', '2025-01-01', {
    adjuncts: ['nerve-decompression'],
    baselineProfile: { auraDays: 3, medicationOveruse: false },
    triggerSites: 3,
    priorToxinOrBlockResponse: true,
    // MIDAS in the baseline window (2024-12-04…2025-01-01), HIT-6 in m3's (2025-03-18…2025-04-29).
    questionnaires: [
      { instrument: 'midas', date: '2024-12-20', score: 30 },
      { instrument: 'hit6', date: '2025-03-30', score: 55 },
    ],
    periods: periods({ 0: full(10, 16), 1: full(4), 3: [20, 2, 2], 6: full(0), 13: full(5) }),
  }),
  procedure('proc-2', 'pat-b', '2025-06-01', {
    siteId: 'site-b',
    surgeon: 'S2',
    birthYear: 1930,
    sex: 'male',
    conditions: ['migraine', 'occipital-neuralgia'],
    baselineProfile: { auraDays: 0, medicationOveruse: true },
    triggerSites: 1,
    periods: periods({ 0: full(8, 6), 1: [24, 6, 6], 3: full(2) }),
  }),
  procedure('proc-3', 'pat-c', '2025-03-01', {
    birthYear: null,
    sex: null,
    // A baseline row stored before aura days were counted.
    baselineProfile: { auraDays: null, medicationOveruse: false },
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
      predictors: {
        aura: true,
        medicationOveruse: false,
        triggerSites: 3,
        priorToxinOrBlockResponse: true,
        decompression: true,
      },
      baseline: { recordedDays: 28, mmd: 10, midas: 30, hit6: null },
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
        midas: null,
        hit6: null,
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
        // An insufficient diary does not take the questionnaire with it.
        midas: null,
        hit6: 55,
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
        midas: null,
        hit6: null,
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
        midas: null,
        hit6: null,
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
        midas: null,
        hit6: null,
      },
    ]);

    const p2 = rowOf(report, 8);
    expect(p2).toMatchObject({ age: 90, sex: 'male', headacheType: 'episodic', siteId: 'site-b', surgeon: 'S2' });
    expect(p2.predictors).toEqual({
      aura: false,
      medicationOveruse: true,
      triggerSites: 1,
      priorToxinOrBlockResponse: false,
      decompression: false,
    });
    expect(p2.windows[0]).toMatchObject({ mmd: 7, mmdChange: -1, mmdPercentChange: -12.5, responder50: false });
    expect(p2.complications).toEqual([{ grade: 'IIIb', onsetDay: 92 }]);

    const p3 = rowOf(report, null);
    expect(p3).toMatchObject({
      age: null,
      sex: null,
      headacheType: null,
      baseline: { recordedDays: 10, mmd: null, midas: null, hit6: null },
    });
    // Aura days unknown (a row stored before they were counted); overuse is known, even from a
    // baseline too short for MMD.
    expect(p3.predictors).toMatchObject({ aura: null, medicationOveruse: false });
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
      ...PROCEDURES.flatMap((p) => [p.procedureId, p.patientId, p.date, ...p.questionnaires.map((q) => q.date)]),
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
    expect(order(a)).not.toEqual(PROCEDURES.map((p) => p.periods[0]!.migraineDays));
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

describe('questionnaire scores at the visits', () => {
  // Procedure 2025-01-01, default schedule. Windows: baseline 2024-12-04…2025-01-01; m1 (HIT-6,
  // not MIDAS) due 2025-02-01, 2025-01-25…2025-02-15; m3 2025-04-01, 2025-03-18…2025-04-29; m6
  // 2025-07-01, 2025-06-03…2025-07-29; m12 2026-01-01, 2025-12-02…2026-03-02.
  const q = (instrument: 'midas' | 'hit6', date: string, score: number) => ({ instrument, date, score });
  const QUESTIONNAIRES = [
    q('midas', '2024-12-01', 40), // before the baseline window
    q('midas', '2024-12-20', 30),
    q('midas', '2024-12-27', 25), // the latest in the baseline window
    q('hit6', '2025-01-01', 64), // on the procedure date: the window's last day
    q('midas', '2025-02-01', 20), // in m1's window, but m1 does not ask for MIDAS
    q('hit6', '2025-02-10', 60),
    q('midas', '2025-04-29', 12), // m3's last day
    q('hit6', '2025-04-30', 58), // the day after m3's window
    q('midas', '2025-07-01', 8),
    q('midas', '2025-07-01', 9), // the same day: the one recorded later counts
    q('midas', '2025-12-15', 5), // m12's window is still open on 2026-01-01
  ];
  const p = { date: '2025-01-01', periods: [], questionnaires: QUESTIONNAIRES };
  const scores = (today: string) => {
    const e = evaluateProcedure(p, VISITS, today, DEFAULT_CONFIG);
    return [e.baseline, ...e.windows].map((s) => [s.midas, s.hit6]);
  };

  test('the latest response in each visit window, for the instruments the visit asks for', () => {
    expect(scores(TODAY)).toEqual([
      [25, 64],
      [null, 60],
      [12, null],
      [9, null],
      [null, null],
      [null, null],
    ]);
  });

  test('none until the window has ended: its last day must be before today', () => {
    expect(scores('2025-01-01')[0]).toEqual([null, null]);
    expect(scores('2025-01-02')[0]).toEqual([25, 64]);
    expect(scores('2025-04-29')[2]).toEqual([null, null]);
    expect(scores('2025-04-30')[2]).toEqual([12, null]);
    expect(scores('2026-03-02')[4]).toEqual([null, null]);
    expect(scores('2026-03-03')[4]).toEqual([5, null]);
  });

  test('reach the rows: baseline and windows', () => {
    const report = buildCohort({
      procedures: [
        procedure('proc-q', 'pat-q', '2025-01-01', {
          periods: periods({ 0: full(6) }),
          questionnaires: QUESTIONNAIRES,
        }),
      ],
      adverseEvents: [],
      filter: {},
      today: TODAY,
      cfg: DEFAULT_CONFIG,
      visits: VISITS,
      random: lcg(7),
    });
    const row = report.patients[0]!;
    expect(row.baseline).toEqual({ recordedDays: 28, mmd: 6, midas: 25, hit6: 64 });
    expect(row.windows.map((w) => [w.visitId, w.midas, w.hit6])).toEqual([
      ['m1', null, 60],
      ['m3', 12, null],
      ['m6', 9, null],
      ['m12', null, null],
      ['m24', null, null],
    ]);
  });
});

describe('predictors', () => {
  /** Counts with only the given medication days by class and overuse-class days. */
  const medication = (byClass: Partial<PeriodCounts['medicationDaysByClass']>, overuseClassDays: number) => ({
    ...emptyCounts(),
    medicationDaysByClass: { ...emptyCounts().medicationDaysByClass, ...byClass },
    overuseClassDays,
  });

  test.each<[string, Partial<PeriodCounts['medicationDaysByClass']>, number, boolean]>([
    ['nothing', {}, 0, false],
    ['triptan on 9 days', { triptan: 9 }, 9, false],
    ['triptan on 10 days (8.2.2)', { triptan: 10 }, 10, true],
    ['ergot on 10 days (8.2.1)', { ergot: 10 }, 10, true],
    ['non-opioid analgesic on 14 days', { 'non-opioid-analgesic': 14 }, 14, false],
    ['non-opioid analgesic on 15 days (8.2.3)', { 'non-opioid-analgesic': 15 }, 15, true],
    ['opioid on 10 days (8.2.4)', { opioid: 10 }, 10, true],
    ['combination analgesic on 10 days (8.2.5)', { 'combination-analgesic': 10 }, 10, true],
    ['triptan 6 and NSAID 5 days, 10 days together (8.2.6)', { triptan: 6, 'non-opioid-analgesic': 5 }, 10, true],
    ['triptan 5 and NSAID 5 days, 9 days together', { triptan: 5, 'non-opioid-analgesic': 5 }, 9, false],
    ['one class on 12 days: not 8.2.6', { 'non-opioid-analgesic': 12 }, 12, false],
    ['gepant on 20 days: not an overuse class', { gepant: 20 }, 0, false],
  ])('overuse at ICHD-3 8.2 thresholds on the baseline: %s', (_, byClass, overuseClassDays, expected) => {
    expect(overuseAtThresholds(medication(byClass, overuseClassDays), DEFAULT_CONFIG)).toBe(expected);
  });

  test('the baseline reads the classes ICHD-3 8.2 counts', () => {
    expect([...BASELINE_OVERUSE_CLASSES].sort()).toEqual([...OVERUSE_CLASSES].sort());
  });

  test('overuse follows the configured thresholds', () => {
    const cfg = { ...DEFAULT_CONFIG, overuseThresholds: { ...DEFAULT_CONFIG.overuseThresholds, triptan: 8 } };
    expect(overuseAtThresholds(medication({ triptan: 8 }, 8), cfg)).toBe(true);
    expect(overuseAtThresholds(medication({ triptan: 8 }, 8), DEFAULT_CONFIG)).toBe(false);
  });

  test('overuse is any month medication-overuse.ts flags, on random counts', () => {
    const classDays = fc.record(
      Object.fromEntries(ACUTE_MEDICATION_CLASSES.map((k) => [k, fc.integer({ min: 0, max: 16 })])) as Record<
        (typeof ACUTE_MEDICATION_CLASSES)[number],
        fc.Arbitrary<number>
      >,
    );
    fc.assert(
      fc.property(classDays, fc.integer({ min: 0, max: 20 }), (byClass, extra) => {
        // Overuse-class days are at least the largest class's, at most their sum.
        const days = ['ergot', 'triptan', 'non-opioid-analgesic', 'opioid', 'combination-analgesic'] as const;
        const max = Math.max(...days.map((k) => byClass[k]));
        const sum = days.reduce((n, k) => n + byClass[k], 0);
        const c = medication(byClass, Math.min(sum, max + extra));
        const month = {
          ...summaryFromCounts(c, '2025-03-01', '2025-03-31', '2025-06-01', DEFAULT_CONFIG),
          month: '2025-03',
        };
        expect(overuseAtThresholds(c, DEFAULT_CONFIG)).toBe(medicationOveruse([month], DEFAULT_CONFIG).length > 0);
      }),
      { numRuns: 2000 },
    );
  });

  test('the baseline profile: aura days and overuse, unknown without a row or stored aura days', () => {
    const counts = { ...medication({ triptan: 12 }, 12), auraDays: 4 };
    expect(baselineProfileOf(counts, DEFAULT_CONFIG)).toEqual({ auraDays: 4, medicationOveruse: true });
    expect(baselineProfileOf({ ...counts, auraDays: 0 }, DEFAULT_CONFIG)).toEqual({
      auraDays: 0,
      medicationOveruse: true,
    });
    const { auraDays: _stored, ...legacy } = counts;
    expect(baselineProfileOf(legacy as PeriodCounts, DEFAULT_CONFIG)).toEqual({
      auraDays: null,
      medicationOveruse: true,
    });
    expect(baselineProfileOf(undefined, DEFAULT_CONFIG)).toEqual({ auraDays: null, medicationOveruse: null });
  });

  test('trigger sites: distinct Guyuron sites among the recipient sites', () => {
    expect(triggerSiteCount(['frontal', 'occipital', 'occipital', 'scar', 'other', 'nasal'])).toBe(3);
    expect(triggerSiteCount(['temporal', 'auriculotemporal'])).toBe(2);
    expect(triggerSiteCount(['chest-wall', 'upper-limb'])).toBe(0);
    expect(triggerSiteCount([])).toBe(0);
  });

  test('a prior toxin or block response: before the procedure, relief at the threshold', () => {
    const t = (type: string, start: string, percentRelief?: number | null) => ({ type, start, percentRelief });
    const before = (...treatments: ReturnType<typeof t>[]) => priorToxinOrBlockResponse(treatments, '2025-06-01', 50);
    expect(before(t('nerve-block', '2025-05-31', 50))).toBe(true);
    expect(before(t('botulinum-toxin', '2024-01-10', 80))).toBe(true);
    expect(before(t('nerve-block', '2025-05-31', 49.5))).toBe(false);
    // On the day of the procedure or later: not before it.
    expect(before(t('nerve-block', '2025-06-01', 90), t('botulinum-toxin', '2025-07-01', 90))).toBe(false);
    expect(before(t('cgrp-antibody', '2025-01-01', 90), t('oral-preventive', '2025-01-01', 90))).toBe(false);
    // No relief recorded, or nothing recorded: no documented response.
    expect(before(t('nerve-block', '2025-05-01'), t('nerve-block', '2025-05-02', null))).toBe(false);
    expect(before()).toBe(false);
    expect(before(t('nerve-block', '2025-05-01', 30), t('botulinum-toxin', '2025-04-01', 60))).toBe(true);
    expect(priorToxinOrBlockResponse([t('nerve-block', '2025-05-31', 60)], '2025-06-01', 70)).toBe(false);
  });

  test('a procedure after today has unknown baseline predictors; the others are known', () => {
    const report = buildCohort({
      procedures: [
        procedure('proc-f', 'pat-f', '2026-02-01', {
          adjuncts: ['nerve-decompression', 'neurectomy'],
          baselineProfile: { auraDays: 5, medicationOveruse: true },
          triggerSites: 2,
          priorToxinOrBlockResponse: true,
          periods: periods({ 0: full(9) }),
        }),
      ],
      adverseEvents: [],
      filter: {},
      today: TODAY,
      cfg: DEFAULT_CONFIG,
      visits: VISITS,
      random: lcg(3),
    });
    expect(report.patients[0]!.predictors).toEqual({
      aura: null,
      medicationOveruse: null,
      triggerSites: 2,
      priorToxinOrBlockResponse: true,
      decompression: true,
    });
    expect(report.patients[0]!.baseline).toEqual({ recordedDays: 28, mmd: null, midas: null, hit6: null });
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
  responses: readonly QuestionnaireResponse[],
  visits: readonly FollowUpVisit[],
  today: string,
  rc: RegistryOutcomeConfig,
) {
  const counts = new Map(
    p.periods.flatMap((t, k) => (t === undefined ? [] : [[k, { ...emptyCounts(), ...t }] as const])),
  );
  const outcome = procedureOutcome({
    procedureDate: p.date,
    today,
    counts,
    visits,
    questionnaires: responses,
    cfg: DEFAULT_CONFIG,
    rc,
  });
  const b = outcome.baseline.summary;
  const per28 = b.end < today ? b.per28 : null;
  // A score once the visit's window has ended, for the instruments the visit asks for.
  const asked = (visit: FollowUpVisit, closes: string, instrument: Instrument, score: number | undefined) =>
    closes < today && visit.instruments.includes(instrument) ? (score ?? null) : null;
  const baselineVisit = visits.find((v) => v.months === 0)!;
  const baselineCloses = visitWindow(p.date, baselineVisit).closes;
  return {
    baseline: {
      recordedDays: b.recordedDays,
      mmd: per28 === null ? null : outcome.baseline.mmd,
      headacheType: per28 === null ? null : per28.headacheDays >= 15 ? 'chronic' : 'episodic',
      midas: asked(baselineVisit, baselineCloses, 'MIDAS', outcome.baseline.midas?.score),
      hit6: asked(baselineVisit, baselineCloses, 'HIT-6', outcome.baseline.hit6?.total),
    },
    windows: outcome.visits.map((v) => {
      const ended = v.summary.end < today;
      const flag = (t: number) => (ended ? v.responders.find((r) => r.threshold === t)!.responder : null);
      const visit = visits.find((x) => x.id === v.visitId)!;
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
        midas: asked(visit, v.closes, 'MIDAS', v.questionnaires.midas?.value),
        hit6: asked(visit, v.closes, 'HIT-6', v.questionnaires.hit6?.value),
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
      .map((entries) => {
        // A period drawn twice keeps its last draw.
        const out: PeriodTotals[] = [];
        for (const [k, t] of entries) out[k] = t;
        return out;
      }),
  });
  // MIDAS and HIT-6 responses as days from the procedure (near the visits, with ties), and PGIC.
  const day = fc.oneof(fc.integer({ min: -40, max: 800 }), fc.constantFrom(-28, -7, 0, 30, 91, 182, 365, 730));
  const midas = fc.record({
    instrument: fc.constant('MIDAS' as const),
    day,
    answers: fc.record({
      missedWorkOrSchool: fc.integer({ min: 0, max: 90 }),
      reducedWorkOrSchool: fc.integer({ min: 0, max: 90 }),
      missedHousework: fc.integer({ min: 0, max: 90 }),
      reducedHousework: fc.integer({ min: 0, max: 90 }),
      missedFamilySocialLeisure: fc.integer({ min: 0, max: 90 }),
    }),
  });
  const hit6 = fc.record({
    instrument: fc.constant('HIT-6' as const),
    day,
    answers: fc.array(fc.constantFrom(...HIT6_ANSWERS), { minLength: 6, maxLength: 6 }),
  });
  const pgic = fc.record({
    instrument: fc.constant('PGIC' as const),
    day,
    answer: fc.constant('much-improved' as const),
  });
  const responses = fc.array(fc.oneof(midas, hit6, pgic), { maxLength: 14 });

  test('gives what procedureOutcome and durability of registry-outcomes.ts give, on random procedures', () => {
    const scored = { midas: 0, hit6: 0 };
    fc.assert(
      fc.property(
        procedure,
        responses,
        fc.integer({ min: -60, max: 1000 }),
        fc.constantFrom(VISITS, WIDE_VISITS),
        fc.constantFrom(DEFAULT_REGISTRY_OUTCOME_CONFIG, { relapseThreshold: 0.3, relapseConsecutivePeriods: 3 }),
        (p, drawn, offset, visits, rc) => {
          const today = addDays(p.date, offset);
          const raw = drawn.map(({ day, ...r }) => ({ ...r, date: addDays(p.date, day) }) as QuestionnaireResponse);
          // The cohort's input: MIDAS and HIT-6 only, scored as the registry scores them.
          const questionnaires = raw.flatMap((r) =>
            r.instrument === 'MIDAS' || r.instrument === 'HIT-6'
              ? [
                  {
                    instrument: r.instrument === 'MIDAS' ? ('midas' as const) : ('hit6' as const),
                    date: r.date,
                    score: scoreQuestionnaire(r).score,
                  },
                ]
              : [],
          );
          const evaluated = evaluateProcedure({ ...p, questionnaires }, visits, today, DEFAULT_CONFIG, rc);
          expect(evaluated).toEqual(fromProcedureOutcome(p, raw, visits, today, rc));
          for (const s of [evaluated.baseline, ...evaluated.windows]) {
            if (s.midas !== null) scored.midas++;
            if (s.hit6 !== null) scored.hit6++;
          }
        },
      ),
      { numRuns: 3000 },
    );
    // The responses fall in the visits' windows often enough for the comparison to mean something.
    expect(scored.midas).toBeGreaterThan(500);
    expect(scored.hit6).toBeGreaterThan(500);
  });
});
