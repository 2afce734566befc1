import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import type { DailyRecord } from '../../src/domain/diary.js';
import { MHI_UNIT } from '../../src/domain/outcomes.js';
import { attacksByStartDate, countDays, emptyCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import { period28Range } from '../../src/domain/periods.js';
import type { QuestionnaireResponse } from '../../src/domain/questionnaires.js';
import {
  DEFAULT_REGISTRY_OUTCOME_CONFIG,
  durability,
  procedureOutcome,
  type Durability,
} from '../../src/domain/registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { addDays } from '../../src/domain/time.js';
import { LATER, makeDiary, MIGRAINE_FEATURES, type AttackInput } from '../helpers/diary.js';

const CFG = DEFAULT_CONFIG;
const RC = DEFAULT_REGISTRY_OUTCOME_CONFIG;
const PROCEDURE = '2024-03-01';

/** Counts of a period with `recorded` recorded days of which `migraine` were migraine days. */
const period = (recorded: number, migraine: number): PeriodCounts => ({
  ...emptyCounts(),
  recordedDays: recorded,
  migraineDays: migraine,
  headacheDays: migraine,
});

/** A baseline of 28 recorded days with 12 migraine days: 12 MMD. A responding period has ≤ 6 MMD. */
const counts = (...rest: (PeriodCounts | null)[]): Map<number, PeriodCounts> => {
  const m = new Map<number, PeriodCounts>([[0, period(28, 12)]]);
  rest.forEach((c, i) => {
    if (c !== null) m.set(i + 1, c);
  });
  return m;
};

/** The day after period k ends: period k is the last that has ended. */
const afterPeriod = (k: number) => addDays(PROCEDURE, k * 28);

const reductions = (d: Durability) => d.periods.map((p) => p.reduction);

describe('durability: time from the procedure to relapse', () => {
  test('relapse after two consecutive periods below 50 %, dated on the first day of the first', () => {
    const c = counts(
      period(28, 8), // 1: 8 MMD, −33 %: not yet a response
      period(28, 5), // 2: −58 %: response begins (day 28)
      period(28, 6), // 3: exactly −50 %: still responding (the threshold is inclusive)
      period(28, 7), // 4: −42 %: below
      period(28, 9), // 5: −25 %: below again → relapse from period 4, day (4 − 1) × 28 = 84
      period(28, 2), // 6: responding again; the relapse stands
    );
    const d = durability(PROCEDURE, afterPeriod(6), c, CFG, RC);
    expect(d).toMatchObject({
      evaluable: true,
      baselineMmd: 12,
      responded: true,
      responseDay: 28,
      relapsed: true,
      relapseDay: 84,
      censoredDay: null,
      time: 84,
      event: true,
    });
    expect(reductions(d)).toEqual([4 / 12, 7 / 12, 6 / 12, 5 / 12, 3 / 12, 10 / 12]);
    expect(d.periods[0]).toEqual({
      index: 1,
      start: '2024-03-01',
      end: '2024-03-28',
      sufficient: true,
      mmd: 8,
      reduction: 4 / 12,
    });
    expect(d.periods[5]).toMatchObject({ index: 6, start: '2024-07-19', end: '2024-08-15' });
  });

  test('a single period below the threshold followed by a responding one is no relapse', () => {
    const c = counts(
      period(28, 4), // 1: −67 %: response from day 0
      period(28, 8), // 2: below
      period(28, 5), // 3: responding: the run is broken
      period(28, 9), // 4: below
      period(28, 3), // 5: responding
    );
    const d = durability(PROCEDURE, afterPeriod(5), c, CFG, RC);
    // Censored at the end of period 5: 5 × 28 = 140 days.
    expect(d).toMatchObject({
      responded: true,
      responseDay: 0,
      relapsed: false,
      relapseDay: null,
      censoredDay: 140,
      time: 140,
      event: false,
    });
  });

  test('an insufficient or missing period breaks adjacency; censored at the last evaluable period', () => {
    const c = counts(
      period(28, 3), // 1: response
      period(28, 8), // 2: below
      period(20, 10), // 3: 20 of 28 days (71 %) is under 80 %: insufficient
      period(28, 9), // 4: below, but not adjacent to 2
      null, // 5: nothing recorded
      period(28, 10), // 6: below, not adjacent to 4
      period(28, 4), // 7: responding: the last evaluable period
      period(10, 9), // 8: insufficient
    );
    const d = durability(PROCEDURE, afterPeriod(10), c, CFG, RC);
    // Period 8 is the last with anything recorded, so periods 9–10 are not listed.
    expect(d.periods.map((p) => [p.index, p.sufficient])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, false],
      [6, true],
      [7, true],
      [8, false],
    ]);
    expect(d.periods[2]).toMatchObject({ mmd: null, reduction: null });
    // 7 × 28 = 196 days.
    expect(d).toMatchObject({ responded: true, relapsed: false, censoredDay: 196, time: 196, event: false });
  });

  test('the number of consecutive periods is configurable', () => {
    const c = counts(period(28, 3), period(28, 8), period(28, 5));
    const d = durability(PROCEDURE, afterPeriod(3), c, CFG, { ...RC, relapseConsecutivePeriods: 1 });
    expect(d).toMatchObject({ relapsed: true, relapseDay: 28, time: 28, event: true });
    // A 75 % threshold: period 1 (−75 %) responds, periods 2 and 3 (−33 %, −58 %) do not.
    const strict = durability(PROCEDURE, afterPeriod(3), c, CFG, { ...RC, relapseThreshold: 0.75 });
    expect(strict).toMatchObject({ responseDay: 0, relapsed: true, relapseDay: 28 });
  });

  test('a non-responder is evaluable but has no time to event', () => {
    const d = durability(PROCEDURE, afterPeriod(3), counts(period(28, 8), period(28, 7), period(28, 10)), CFG, RC);
    expect(d).toMatchObject({
      evaluable: true,
      responded: false,
      responseDay: null,
      relapsed: false,
      relapseDay: null,
      censoredDay: null,
      time: null,
      event: null,
    });
    expect(reductions(d)).toEqual([4 / 12, 5 / 12, 2 / 12]);
  });

  test('no sufficient baseline, or a baseline without migraine days: not evaluable', () => {
    const after = new Map([
      [1, period(28, 1)],
      [2, period(28, 1)],
    ]);
    const none = durability(PROCEDURE, afterPeriod(2), after, CFG, RC);
    const short = durability(PROCEDURE, afterPeriod(2), new Map([[0, period(22, 10)], ...after]), CFG, RC);
    const zero = durability(PROCEDURE, afterPeriod(2), new Map([[0, period(28, 0)], ...after]), CFG, RC);
    for (const d of [none, short, zero]) {
      expect(d).toMatchObject({
        evaluable: false,
        responded: null,
        responseDay: null,
        relapsed: false,
        time: null,
        event: null,
      });
      expect(reductions(d)).toEqual([null, null]);
    }
    expect([none.baselineMmd, short.baselineMmd, zero.baselineMmd]).toEqual([null, null, 0]);
    // The periods themselves are still reported: 1 × 28 / 28 = 1 MMD.
    expect(zero.periods.map((p) => p.mmd)).toEqual([1, 1]);
  });

  test('a period in progress is not evaluated', () => {
    // Period 3 is 2024-04-26 .. 2024-05-23. On its last day it has not ended.
    const c = counts(period(28, 3), period(28, 9), period(28, 9));
    const during = durability(PROCEDURE, '2024-05-23', c, CFG, RC);
    expect(during.periods.map((p) => p.index)).toEqual([1, 2]);
    expect(during).toMatchObject({ relapsed: false, censoredDay: 56, time: 56, event: false });
    const after = durability(PROCEDURE, '2024-05-24', c, CFG, RC);
    expect(after).toMatchObject({ relapsed: true, relapseDay: 28, time: 28, event: true });
  });

  test('before the procedure date nothing is evaluable, not even a complete baseline', () => {
    const d = durability(PROCEDURE, '2024-02-29', counts(), CFG, RC);
    expect(d).toMatchObject({ evaluable: false, baselineMmd: null, periods: [] });
    expect(durability(PROCEDURE, PROCEDURE, counts(), CFG, RC)).toMatchObject({ evaluable: true, responded: false });
  });

  test('fractional rates from partly recorded periods', () => {
    // Period 1: 26 recorded days, 5 migraine days → 5 × 28 / 26 = 5.3846 MMD, −55.1 %: responding.
    // Period 2: 23 recorded days (82 %), 7 migraine days → 8.5217 MMD, −29.0 %.
    // Period 3: 24 recorded days, 6 migraine days → 7 MMD, −41.7 % → relapse from period 2 (day 28).
    const d = durability(PROCEDURE, afterPeriod(3), counts(period(26, 5), period(23, 7), period(24, 6)), CFG, RC);
    const [p1, p2, p3] = d.periods;
    expect(p1!.mmd).toBeCloseTo(5.384615384615, 10);
    expect(p2!.mmd).toBeCloseTo(8.521739130435, 10);
    expect(p3!.mmd).toBeCloseTo(7, 12);
    expect(d.periods[0]!.reduction).toBeCloseTo(0.551282051282, 10);
    expect(d).toMatchObject({ responseDay: 0, relapsed: true, relapseDay: 28 });
  });
});

/** A 1.1 migraine attack starting 08:00 UTC on `date`, lasting `hours`, peak `nrs`. */
function attackOn(id: string, date: string, hours: number, nrs: number): AttackInput {
  const end = new Date(Date.parse(`${date}T08:00:00Z`) + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
  return { ...MIGRAINE_FEATURES, id, start: `${date}T08:00:00Z`, end, peakIntensity: nrs };
}

/** Daily "no headache" records on the days of `dates` without an attack. */
function quietDays(dates: string[], attacks: AttackInput[]): DailyRecord[] {
  const attackDays = new Set(attacks.map((a) => a.start.slice(0, 10)));
  return dates.filter((d) => !attackDays.has(d)).map((date) => ({ date, noHeadache: true }));
}

const daysOf = (index: number, skip: number[] = []) => {
  const { start } = period28Range(PROCEDURE, index);
  return Array.from({ length: 28 }, (_, k) => k)
    .filter((k) => !skip.includes(k))
    .map((k) => addDays(start, k));
};

describe('procedure outcome: a hand-worked patient', () => {
  // Procedure 2024-03-01.
  // Baseline, period 0 (2024-02-02 .. 02-29): every day recorded; 12 migraine attacks of 6 h at 8/10.
  // Period 1 (03-01 .. 03-28): every day recorded; 4 migraine attacks of 6 h at 8/10.
  // Period 3 (04-26 .. 05-23): 26 days recorded (two days blank); 5 migraine attacks of 3 h at 6/10.
  const baselineAttacks = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22].map((k) =>
    attackOn(`b${k}`, daysOf(0)[k]!, 6, 8),
  );
  const p1Attacks = [1, 8, 15, 22].map((k) => attackOn(`a${k}`, daysOf(1)[k]!, 6, 8));
  const p3Attacks = [0, 5, 10, 15, 20].map((k) => attackOn(`c${k}`, daysOf(3)[k]!, 3, 6));
  const attacks = [...baselineAttacks, ...p1Attacks, ...p3Attacks];
  const diary = makeDiary({
    patient: { id: 'p', timeZone: 'UTC', conditions: ['migraine'] },
    attacks,
    dailyRecords: quietDays([...daysOf(0), ...daysOf(1), ...daysOf(3, [26, 27])], attacks),
  });
  // Counts per period as the stored summaries hold them.
  const days = deriveDays(diary, CFG, LATER);
  const byStart = attacksByStartDate(days.attacks);
  const stored = new Map<number, PeriodCounts>();
  for (const i of [0, 1, 3]) {
    const { start, end } = period28Range(PROCEDURE, i);
    stored.set(i, countDays(days, byStart, start, end));
  }

  const midas = (date: string, items: number[]): QuestionnaireResponse => ({
    instrument: 'MIDAS',
    date,
    answers: {
      missedWorkOrSchool: items[0]!,
      reducedWorkOrSchool: items[1]!,
      missedHousework: items[2]!,
      reducedHousework: items[3]!,
      missedFamilySocialLeisure: items[4]!,
    },
  });
  const questionnaires: QuestionnaireResponse[] = [
    midas('2024-02-10', [10, 5, 4, 3, 2]), // 24, superseded by the later one
    midas('2024-02-20', [10, 8, 6, 4, 2]), // baseline MIDAS 30
    // 13 + 13 + 11 + 11 + 10 + 10 = 68
    {
      instrument: 'HIT-6',
      date: '2024-02-25',
      answers: ['always', 'always', 'very-often', 'very-often', 'sometimes', 'sometimes'],
    },
    // The 3-month visit is due 2024-06-01, window 2024-05-18 .. 2024-06-29.
    midas('2024-06-01', [2, 2, 1, 1, 0]), // 6: change −24
    // 10 + 10 + 8 + 8 + 6 + 6 = 48: change −20
    {
      instrument: 'HIT-6',
      date: '2024-06-03',
      answers: ['sometimes', 'sometimes', 'rarely', 'rarely', 'never', 'never'],
    },
    { instrument: 'PGIC', date: '2024-06-01', answer: 'much-improved' },
    { instrument: 'PGIC', date: '2024-06-30', answer: 'no-change' }, // a day after the window: ignored
  ];

  const o = procedureOutcome({
    procedureDate: PROCEDURE,
    today: '2024-07-01',
    counts: stored,
    visits: DEFAULT_SITE_SETTINGS.followUp,
    questionnaires,
    cfg: CFG,
    rc: RC,
  });

  test('baseline: 12 MMD, MHI 24, MIDAS 30 and HIT-6 68', () => {
    expect(o.baseline.diaryPeriods).toEqual({ from: 0, to: 0, start: '2024-02-02', end: '2024-02-29' });
    expect(o.baseline.summary).toMatchObject({ recordedDays: 28, migraineDays: 12, sufficient: true });
    expect(o.baseline.mmd).toBe(12);
    // 12 attacks per 28 days × 8 × 0.25 days = 24.
    expect(o.baseline.mhi).toEqual({
      frequencyPer28: 12,
      meanIntensity: 8,
      meanDurationDays: 0.25,
      value: 24,
      unit: MHI_UNIT,
    });
    expect(o.baseline.midas).toEqual({ score: 30, date: '2024-02-20' });
    expect(o.baseline.hit6).toEqual({ total: 68, date: '2024-02-25' });
  });

  test('one outcome per visit after the baseline, with its window', () => {
    expect(o.visits.map((v) => [v.visitId, v.dueDate, v.status])).toEqual([
      ['m1', '2024-04-01', 'complete'],
      ['m3', '2024-06-01', 'complete'],
      ['m6', '2024-09-01', 'not-started'],
      ['m12', '2025-03-01', 'not-started'],
      ['m24', '2026-03-01', 'not-started'],
    ]);
  });

  test('1 month: 4 MMD, −66.7 %, a 50 % responder', () => {
    const m1 = o.visits[0]!;
    expect(m1.diaryPeriods).toEqual({ from: 1, to: 1, start: '2024-03-01', end: '2024-03-28' });
    expect(m1.mmd).toBe(4);
    expect(m1.mmdChange).toBe(-8);
    expect(m1.mmdPercentChange).toBeCloseTo(-66.666666667, 8);
    expect(m1.responders).toEqual([
      { threshold: 0.5, responder: true },
      { threshold: 0.75, responder: false },
      { threshold: 1, responder: false },
    ]);
    // No questionnaire in the window 2024-03-25 .. 2024-04-15.
    expect(m1.questionnaires).toEqual({ midas: null, hit6: null, pgic: null });
  });

  test('3 months: 5 × 28 / 26 = 5.3846 MMD, change −6.6154, −55.1 %: a 50 % responder, not 75 %', () => {
    const m3 = o.visits[1]!;
    expect(m3.summary).toMatchObject({ start: '2024-04-26', end: '2024-05-23', recordedDays: 26, migraineDays: 5 });
    expect(m3.mmd).toBeCloseTo(5.384615384615, 10);
    expect(m3.mmdChange).toBeCloseTo(-6.615384615385, 10);
    expect(m3.mmdPercentChange).toBeCloseTo(-55.128205128205, 9);
    expect(m3.responders).toEqual([
      { threshold: 0.5, responder: true },
      { threshold: 0.75, responder: false },
      { threshold: 1, responder: false },
    ]);
    // MHI: 5.3846 attacks per 28 days × 6 × 0.125 days = 4.0385, against 24: −83.17 %.
    expect(m3.mhi!.value).toBeCloseTo(4.038461538462, 10);
    expect(m3.mhiPercentChange).toBeCloseTo(-83.173076923077, 9);
    // Frequency falls 55.1 %, intensity 25 %, duration 50 %: Guyuron success, no worsening.
    expect(m3.guyuron.frequencyFall).toBeCloseTo(0.551282051282, 10);
    expect(m3.guyuron.intensityFall).toBeCloseTo(0.25, 12);
    expect(m3.guyuron.durationFall).toBeCloseTo(0.5, 12);
    expect(m3.guyuron).toMatchObject({ success: true, worsening: false });
    expect(m3.questionnaires).toEqual({
      midas: { baseline: 30, value: 6, date: '2024-06-01', change: -24 },
      hit6: { baseline: 68, value: 48, date: '2024-06-03', change: -20 },
      pgic: { answer: 'much-improved', score: 2, improved: true, date: '2024-06-01' },
    });
  });

  test('outcomes as of an earlier date leave out the questionnaires dated after it', () => {
    const asOf = (today: string) =>
      procedureOutcome({
        procedureDate: PROCEDURE,
        today,
        counts: stored,
        visits: DEFAULT_SITE_SETTINGS.followUp,
        questionnaires,
        cfg: CFG,
        rc: RC,
      }).visits[1]!.questionnaires;
    expect(asOf('2024-06-02')).toMatchObject({ midas: { value: 6 }, hit6: null, pgic: { score: 2 } });
    expect(asOf('2024-05-31')).toEqual({ midas: null, hit6: null, pgic: null });
  });

  test('durability: response from day 0, period 2 blank, censored at the end of period 3 (day 84)', () => {
    expect(o.durability).toMatchObject({
      evaluable: true,
      baselineMmd: 12,
      responded: true,
      responseDay: 0,
      relapsed: false,
      censoredDay: 84,
      time: 84,
      event: false,
    });
    expect(o.durability.periods.map((p) => [p.index, p.sufficient])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
  });

  test('counts with only recorded, migraine and headache days give the same MMD, responders and durability', () => {
    const narrow = new Map(
      [...stored].map(([i, c]) => [
        i,
        { ...emptyCounts(), recordedDays: c.recordedDays, migraineDays: c.migraineDays, headacheDays: c.headacheDays },
      ]),
    );
    const n = procedureOutcome({
      procedureDate: PROCEDURE,
      today: '2024-07-01',
      counts: narrow,
      visits: DEFAULT_SITE_SETTINGS.followUp,
      questionnaires: [],
      cfg: CFG,
      rc: RC,
    });
    expect(n.baseline.mmd).toBe(o.baseline.mmd);
    expect(n.visits.map((v) => [v.status, v.mmd, v.mmdChange, v.mmdPercentChange, v.responders])).toEqual(
      o.visits.map((v) => [v.status, v.mmd, v.mmdChange, v.mmdPercentChange, v.responders]),
    );
    expect(n.durability).toEqual(o.durability);
  });
});

describe('procedure outcome: statuses and baselines', () => {
  const visits = DEFAULT_SITE_SETTINGS.followUp;
  const run = (today: string, c: Map<number, PeriodCounts>) =>
    procedureOutcome({ procedureDate: PROCEDURE, today, counts: c, visits, questionnaires: [], cfg: CFG, rc: RC });

  test('a visit period in progress is in progress, and durability does not evaluate it', () => {
    // On 2024-03-20 period 1 (03-01 .. 03-28) has had 20 days, all recorded, 2 migraine days.
    const o = run('2024-03-20', counts(period(20, 2)));
    const m1 = o.visits[0]!;
    expect(m1.status).toBe('in-progress');
    expect(m1.summary).toMatchObject({ days: 20, compliance: 1, sufficient: true });
    // 2 × 28 / 20 = 2.8 MMD.
    expect(m1.mmd).toBeCloseTo(2.8, 12);
    expect(o.durability).toMatchObject({ evaluable: true, responded: false, periods: [] });
  });

  test('no baseline: visits say so, responders are unknown', () => {
    const o = run('2024-07-01', new Map([[1, period(28, 2)]]));
    expect(o.baseline.mmd).toBeNull();
    expect(o.visits[0]).toMatchObject({ status: 'no-baseline', mmd: 2, mmdChange: null, mmdPercentChange: null });
    expect(o.visits[0]!.responders.map((r) => r.responder)).toEqual([null, null, null]);
    expect(o.durability.evaluable).toBe(false);
  });

  test('a baseline of zero migraine days: change is measured, percent change and responders are not', () => {
    const o = run(
      '2024-07-01',
      new Map([
        [0, period(28, 0)],
        [1, period(28, 2)],
      ]),
    );
    expect(o.visits[0]).toMatchObject({ status: 'complete', mmd: 2, mmdChange: 2, mmdPercentChange: null });
    expect(o.visits[0]!.responders.map((r) => r.responder)).toEqual([null, null, null]);
  });

  test('an insufficient visit period', () => {
    const o = run('2024-07-01', counts(period(22, 1)));
    expect(o.visits[0]).toMatchObject({ status: 'insufficient-diary', mmd: null, mmdChange: null });
  });

  test('a visit over several periods sums their counts', () => {
    // Periods 2–4: 28 + 26 + 0 recorded days = 54 of 84 (64 %): insufficient; with period 4 at 28: 82 of 84.
    const custom = [visits[0]!, { ...visits[2]!, diaryPeriods: { from: 2, to: 4 } }];
    const at = (c: Map<number, PeriodCounts>) =>
      procedureOutcome({
        procedureDate: PROCEDURE,
        today: '2024-07-01',
        counts: c,
        visits: custom,
        questionnaires: [],
        cfg: CFG,
        rc: RC,
      }).visits[0]!;
    expect(at(counts(null, period(28, 3), period(26, 4))).status).toBe('insufficient-diary');
    const full = at(counts(null, period(28, 3), period(26, 4), period(28, 5)));
    // (3 + 4 + 5) × 28 / 82 = 4.0976 MMD.
    expect(full.summary).toMatchObject({ start: '2024-03-29', end: '2024-06-20', recordedDays: 82, migraineDays: 12 });
    expect(full.mmd).toBeCloseTo(336 / 82, 12);
  });
});
