import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_CONFIG, DEFAULT_TRIGGER_CONFIG, type TriggerConfig } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import type { DailyRecord, Diary } from '../../src/domain/diary.js';
import { dayNumber, dateFromDayNumber } from '../../src/domain/time.js';
import { buildTriggerData, perimenstrualDays } from '../../src/domain/trigger-exposures.js';
import { unmetTriggerMinimums, type TriggerResult } from '../../src/domain/triggers.js';
import { generateTriggerDiary, type SyntheticFactor } from '../../src/synthetic/trigger-diary-generator.js';
import { LATER, makeDiary } from '../helpers/diary.js';

const AS_OF = '2029-12-31';

function triggerData(diary: Diary, cfg: TriggerConfig = DEFAULT_TRIGGER_CONFIG) {
  return buildTriggerData(diary, deriveDays(diary, DEFAULT_CONFIG, LATER), AS_OF, cfg);
}

/** The at-risk days as "date:outcome". */
function atRisk(diary: Diary): string[] {
  const { rows } = triggerData(diary);
  return [...rows.day].map((d, r) => `${dateFromDayNumber(d)}:${rows.onset[r]}`);
}

const free = (date: string, factors?: DailyRecord['factors']): DailyRecord => ({
  date,
  noHeadache: true,
  ...(factors ? { factors } : {}),
});
const ache = (date: string, factors?: DailyRecord['factors']): DailyRecord => ({
  date,
  headache: { intensityLevel: 'moderate' },
  ...(factors ? { factors } : {}),
});

function analyse(diary: Diary, triggers: Partial<TriggerConfig> = {}) {
  return analyzeDiary(diary, { now: LATER, config: { triggers: { ...DEFAULT_TRIGGER_CONFIG, ...triggers } } });
}

function result(results: readonly TriggerResult[], factor: string, lag: 0 | 1): TriggerResult {
  const r = results.find((t) => t.factor === factor && t.lag === lag);
  if (!r) throw new Error(`no result for ${factor} at lag ${lag}`);
  return r;
}

describe('days at risk', () => {
  test('a diary of daily severity: episodes of consecutive headache days', () => {
    const diary = makeDiary({
      dailyRecords: [
        free('2024-01-01'),
        ache('2024-01-02'), // onset: the day before is recorded and headache-free
        ache('2024-01-03'), // continues the episode
        free('2024-01-04'), // the day after a headache day: an onset could not be seen, not at risk
        free('2024-01-05'),
        // 2024-01-06 has no entry
        ache('2024-01-07'), // after a day with no entry: onset or continuation cannot be told
        free('2024-01-08'), // after a headache day again
        // 2024-01-09 has no entry
        free('2024-01-10'), // headache-free after a day with no entry: at risk
        ache('2024-01-11'), // onset
      ],
    });
    expect(atRisk(diary)).toEqual(['2024-01-01:0', '2024-01-02:1', '2024-01-05:0', '2024-01-10:0', '2024-01-11:1']);
    const { rows } = triggerData(diary);
    expect(rows).toMatchObject({ recordedDays: 9, continuations: 1, undeterminedOnsets: 1, afterEpisodes: 2 });
  });

  test('attack entries: the start day is an onset, the days an attack continues are not at risk', () => {
    const diary = makeDiary({
      attacks: [
        { id: 'a1', start: '2024-01-02T08:00:00+01:00', end: '2024-01-04T10:00:00+01:00', peakIntensity: 6 },
        // Starts while a1 goes on: the day is not at risk.
        { id: 'a2', start: '2024-01-03T09:00:00+01:00', end: '2024-01-03T12:00:00+01:00', peakIntensity: 5 },
        { id: 'a3', start: '2024-01-05T08:00:00+01:00', end: '2024-01-05T20:00:00+01:00', peakIntensity: 7 },
        // After a day with no entry an attack entry still starts on its day.
        { id: 'a4', start: '2024-01-09T08:00:00+01:00', end: '2024-01-09T18:00:00+01:00', peakIntensity: 5 },
      ],
      dailyRecords: [
        free('2024-01-01'),
        ache('2024-01-06'), // a day-level headache the day after an attack continues it
        free('2024-01-07'), // the day after a day-level headache
        // 2024-01-08 has no entry
        free('2024-01-10'), // the day after an attack entry: a new attack would have been seen
      ],
    });
    expect(atRisk(diary)).toEqual(['2024-01-01:0', '2024-01-02:1', '2024-01-05:1', '2024-01-09:1', '2024-01-10:0']);
    expect(triggerData(diary).rows).toMatchObject({
      recordedDays: 9,
      continuations: 3,
      undeterminedOnsets: 0,
      afterEpisodes: 1,
    });
  });

  test('days after the analysis date are left out', () => {
    const diary = makeDiary({ dailyRecords: [free('2024-01-01'), ache('2024-01-02'), free('2024-01-03')] });
    const days = deriveDays(diary, DEFAULT_CONFIG, LATER);
    const { rows } = buildTriggerData(diary, days, '2024-01-02', DEFAULT_TRIGGER_CONFIG);
    expect(rows.onset.length).toBe(2);
    expect(rows.recordedDays).toBe(2);
  });
});

describe('exposures', () => {
  const diary = makeDiary({
    attacks: [{ id: 'a1', start: '2024-01-05T08:00:00+01:00', end: '2024-01-05T20:00:00+01:00', peakIntensity: 6 }],
    dailyRecords: [
      free('2024-01-01', { coffee: true }),
      free('2024-01-02', { coffee: false, wine: 2 }), // wine's tracked span starts here
      free('2024-01-03', { coffee: true }), // wine left out inside its span: not exposed
      free('2024-01-04'), // names no factor at all: every factor unknown
      // 2024-01-05: only the attack, no daily record
      free('2024-01-06', { coffee: true, wine: 0 }),
      free('2024-01-07', { coffee: false }), // after wine's span: unknown
    ],
  });

  test('per daily record: exposed, not exposed, or unknown outside the tracked span or without factors', () => {
    const { factors } = triggerData(diary);
    expect(factors.map((f) => [f.name, f.kind, f.trackedFrom, f.trackedTo, [...f.exposure]])).toEqual([
      ['coffee', 'yes-no', '2024-01-01', '2024-01-07', [1, 0, 1, -1, 1, 0]],
      ['wine', 'ordinal', '2024-01-02', '2024-01-06', [-1, 1, 0, -1, 0, -1]],
    ]);
  });

  test('lag 1 reads the daily record of the day before, lag 0 that of the same day', () => {
    const a = analyse(diary);
    // At risk: 01-01 … 01-07 (the attack day 01-05 is an onset), all recorded.
    expect(a.triggerAnalysis).toMatchObject({ atRiskDays: 7, onsets: 1 });
    // coffee lag 1: 01-02 (01-01: 1), 01-03 (0), 01-04 (1), 01-06 (01-05 has no record: dropped), 01-07 (1);
    // 01-05 reads 01-04, which names no factor: dropped. 01-01 has no day before.
    expect(result(a.triggers, 'coffee', 1)).toMatchObject({ atRiskDays: 4, exposedDays: 3, onsets: 0 });
    // coffee lag 0: 01-01 (1), 01-02 (0), 01-03 (1), 01-06 (1), 01-07 (0); 01-04 and 01-05 unknown.
    expect(result(a.triggers, 'coffee', 0)).toMatchObject({ atRiskDays: 5, exposedDays: 3, onsets: 0 });
    // wine lag 1: 01-03 (01-02: 1), 01-04 (01-03: 0), 01-07 (01-06: 0).
    expect(result(a.triggers, 'wine', 1)).toMatchObject({ atRiskDays: 3, exposedDays: 1 });
  });

  test('a number that is not an ordinal 0–3: low and high against the patient’s median', () => {
    const sleep = [7, 7.5, 8, 5.5, 9.5, 7.5, 6, 7]; // median 7.25; ±1.5 h: low < 5.75, high > 8.75
    const screen = [2, 4, 5, 5, 5, 6, 6.5, 10]; // median 5; ±20 %: low < 4, high > 6
    const d = makeDiary({
      dailyRecords: sleep.map((h, i) =>
        free(dateFromDayNumber(dayNumber('2024-03-01') + i), { 'Sleep hours': h, screen: screen[i]! }),
      ),
    });
    const { factors } = triggerData(d);
    expect(factors.map((f) => [f.name, f.kind, f.exposedWhen, f.median, f.deviation, [...f.exposure]])).toEqual([
      ['Sleep hours low', 'low', '< 5.75', 7.25, 1.5, [0, 0, 0, 1, 0, 0, 0, 0]],
      ['Sleep hours high', 'high', '> 8.75', 7.25, 1.5, [0, 0, 0, 0, 1, 0, 0, 0]],
      ['screen low', 'low', '< 4', 5, 1, [1, 0, 0, 0, 0, 0, 0, 0]],
      ['screen high', 'high', '> 6', 5, 1, [0, 0, 0, 0, 0, 0, 1, 1]],
    ]);
    // A deviation of the factor's own, in config.
    const own = triggerData(d, {
      ...DEFAULT_TRIGGER_CONFIG,
      numericDeviation: { relative: 0.2, absolute: { screen: 2.5 } },
    }).factors;
    expect(own.find((f) => f.name === 'screen low')).toMatchObject({ exposedWhen: '< 2.5', deviation: 2.5 });
    expect(own.find((f) => f.name === 'Sleep hours low')).toMatchObject({ deviation: 7.25 * 0.2 });
  });

  test('a factor recorded both as yes/no and as a number is left out, with a warning', () => {
    const d = makeDiary({ dailyRecords: [free('2024-01-01', { tea: true }), free('2024-01-02', { tea: 2 })] });
    const a = analyse(d);
    expect(a.triggers).toEqual([]);
    expect(a.warnings).toContain(
      'factor "tea" is recorded both as yes/no and as a number: left out of the trigger analysis',
    );
  });

  test('perimenstrual days: two days before the first day of flow to the second day after it', () => {
    const records: DailyRecord[] = [
      { date: '2024-01-10', menstruation: 'heavy' },
      { date: '2024-01-11', menstruation: 'medium' },
      { date: '2024-01-12', menstruation: 'light' },
      { date: '2024-01-13', menstruation: 'spotting' },
      { date: '2024-02-05', menstruation: 'spotting' }, // spotting starts no period
      { date: '2024-02-07', menstruation: 'light' },
      { date: '2024-02-08', menstruation: 'none' },
    ];
    const first = dayNumber('2024-01-01');
    const { days, periodStarts } = perimenstrualDays(records, first, 60);
    const marked = [...days].flatMap((v, i) => (v ? [dateFromDayNumber(first + i)] : []));
    expect(periodStarts).toBe(2);
    expect(marked).toEqual([
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
      '2024-01-11',
      '2024-01-12',
      '2024-02-05',
      '2024-02-06',
      '2024-02-07',
      '2024-02-08',
      '2024-02-09',
    ]);
  });
});

const STRONG: SyntheticFactor[] = [
  { name: 'wine', kind: 'yes-no', prevalence: 0.25, oddsRatio: 5 },
  { name: 'citrus', kind: 'yes-no', prevalence: 0.3, oddsRatio: 0.15 },
  { name: 'walk', kind: 'yes-no', prevalence: 0.3, oddsRatio: 1 },
  { name: 'rare', kind: 'yes-no', prevalence: 0.01, oddsRatio: 1 },
];

describe('verdicts', () => {
  const year = generateTriggerDiary({
    seed: 11,
    startDate: '2024-01-01',
    days: 365,
    factors: STRONG,
    baselineOnsetProbability: 0.15,
  });
  const a = analyse(year);

  test('a strong trigger and a strong protector at lag 1; nothing on the same day', () => {
    expect(result(a.triggers, 'wine', 1)).toMatchObject({ verdict: 'trigger', lowPower: false });
    expect(result(a.triggers, 'wine', 1).oddsRatio).toBeGreaterThan(1);
    expect(result(a.triggers, 'wine', 1).q).toBeLessThan(0.1);
    expect(result(a.triggers, 'citrus', 1)).toMatchObject({ verdict: 'protector' });
    expect(result(a.triggers, 'citrus', 1).ciUpper).toBeLessThan(1);
    expect(result(a.triggers, 'wine', 0).verdict).not.toBe('trigger');
    expect(a.triggers.some((t) => t.possiblyPremonitory)).toBe(false);
  });

  test('results carry every field, once per factor and lag, lag 1 first', () => {
    expect(a.triggers.map((t) => `${t.factor}/${t.lag}`)).toEqual([
      'wine/1',
      'wine/0',
      'citrus/1',
      'citrus/0',
      'walk/1',
      'walk/0',
      'rare/1',
      'rare/0',
    ]);
    const wine = result(a.triggers, 'wine', 1);
    expect(Object.keys(wine).sort()).toEqual(
      [
        'factor',
        'lag',
        'atRiskDays',
        'exposedDays',
        'onsets',
        'exposedOnsets',
        'oddsRatio',
        'ciLower',
        'ciUpper',
        'p',
        'q',
        'verdict',
        'lowPower',
        'possiblyPremonitory',
        'adjustedForMenstruation',
      ].sort(),
    );
    expect(wine.ciLower!).toBeLessThan(wine.oddsRatio!);
    expect(wine.ciUpper!).toBeGreaterThan(wine.oddsRatio!);
  });

  test('fewer than 5 exposed at-risk days: insufficient data, numbers still shown', () => {
    const rare = result(a.triggers, 'rare', 1);
    expect(rare.exposedDays).toBeLessThan(5);
    expect(rare.verdict).toBe('insufficient-data');
    expect(rare.reason).toBe(`fewer than 5 exposed at-risk days (${rare.exposedDays})`);
  });

  test('below 90 recorded days no verdict, with the threshold named', () => {
    const short = generateTriggerDiary({ seed: 3, startDate: '2024-01-01', days: 60, factors: STRONG });
    const s = analyse(short);
    expect(s.triggerAnalysis.recordedDays).toBe(60);
    for (const t of s.triggers) {
      expect(t.verdict).toBe('insufficient-data');
      expect(t.reason).toBe('fewer than 90 recorded days (60)');
    }
    expect(result(s.triggers, 'wine', 1).oddsRatio).not.toBeNull();
    // The thresholds are configurable.
    const relaxed = analyse(short, { minRecordedDays: 30, minOnsets: 3 });
    expect(result(relaxed.triggers, 'wine', 1).reason).not.toMatch(/^fewer than/);
  });

  test('the minimums not reached, in the order the verdict checks them, for the page to explain', () => {
    const cfg = DEFAULT_TRIGGER_CONFIG; // 90 recorded days, 10 onsets, 5 exposed days
    expect(unmetTriggerMinimums({ onsets: 10, exposedDays: 5 }, 90, cfg)).toEqual([]);
    expect(unmetTriggerMinimums({ onsets: 9, exposedDays: 4 }, 89, cfg)).toEqual([
      { minimum: 'recorded-days', have: 89, need: 90 },
      { minimum: 'onsets', have: 9, need: 10 },
      { minimum: 'exposed-days', have: 4, need: 5 },
    ]);
    expect(unmetTriggerMinimums({ onsets: 12, exposedDays: 3 }, 120, { ...cfg, minExposedDays: 4 })).toEqual([
      { minimum: 'exposed-days', have: 3, need: 4 },
    ]);
  });

  test('below 10 onsets no verdict; below 24 onsets "low power"', () => {
    const rare = generateTriggerDiary({
      seed: 5,
      startDate: '2024-01-01',
      days: 120,
      factors: STRONG,
      baselineOnsetProbability: 0.04,
    });
    const r = analyse(rare);
    const wine = result(r.triggers, 'wine', 1);
    expect(wine.onsets).toBeLessThan(10);
    expect(wine).toMatchObject({ verdict: 'insufficient-data', lowPower: true });
    expect(wine.reason).toBe(`fewer than 10 onsets (${wine.onsets})`);
  });

  test('no association when the whole interval lies inside 0.67–1.5', () => {
    const long = generateTriggerDiary({
      seed: 17,
      startDate: '2020-01-01',
      days: 3650,
      factors: [{ name: 'walk', kind: 'yes-no', prevalence: 0.5, oddsRatio: 1 }],
    });
    const walk = result(analyse(long).triggers, 'walk', 1);
    expect(walk.ciLower!).toBeGreaterThanOrEqual(0.67);
    expect(walk.ciUpper!).toBeLessThanOrEqual(1.5);
    expect(walk.verdict).toBe('no-association');
    const narrow = result(analyse(long, { equivalence: { lower: 0.99, upper: 1.01 } }).triggers, 'walk', 1);
    expect(narrow.verdict).toBe('insufficient-data');
  });

  test('associated on the same day only: possibly premonitory', () => {
    // Yawning noted on every attack day (and on some others) but not the day before.
    const base = generateTriggerDiary({ seed: 25, startDate: '2024-01-01', days: 365, factors: STRONG.slice(2, 3) });
    base.dailyRecords.forEach((r, i) => {
      const onset = r.headache?.intensityLevel === 'moderate';
      r.factors = { ...r.factors, yawning: onset || i % 9 === 0 };
    });
    const r = analyse(base);
    expect(result(r.triggers, 'yawning', 0).verdict).toBe('trigger');
    expect(result(r.triggers, 'yawning', 1).verdict).not.toBe('trigger');
    expect(result(r.triggers, 'yawning', 0).possiblyPremonitory).toBe(true);
    expect(result(r.triggers, 'yawning', 1).possiblyPremonitory).toBe(true);
    // Without the days right after a headache day at risk, the sign does not look protective the
    // next day (it would, with attack-free days after each headache day counted at risk).
    expect(result(r.triggers, 'yawning', 1).verdict).not.toBe('protector');
  });

  test('q is Benjamini–Hochberg across the factors, per lag', () => {
    for (const lag of [0, 1] as const) {
      const rows = a.triggers.filter((t) => t.lag === lag && t.p !== null);
      const m = rows.length;
      const sorted = [...rows].sort((x, y) => x.p! - y.p!);
      // The largest p keeps its value; each q is min over larger ranks of p·m/rank (R's p.adjust "BH").
      expect(sorted.at(-1)!.q).toBeCloseTo(sorted.at(-1)!.p!, 12);
      sorted.forEach((t, i) => {
        const expected = Math.min(...sorted.slice(i).map((u, j) => Math.min(1, (u.p! * m) / (i + j + 1))));
        expect(t.q).toBeCloseTo(expected, 12);
      });
    }
  });
});

describe('adjustment for menstruation', () => {
  test('without any menstruation record it is not possible, and a warning says so', () => {
    const d = generateTriggerDiary({ seed: 2, startDate: '2024-01-01', days: 120, factors: STRONG });
    const a = analyse(d, { adjustForMenstruation: true });
    expect(a.warnings).toContain(
      'no first day of menstrual flow is recorded: the trigger analysis is not adjusted for menstruation',
    );
    expect(a.triggerAnalysis.adjustedForMenstruation).toBe(false);
    expect(a.triggers.every((t) => !t.adjustedForMenstruation)).toBe(true);
  });

  test('with recorded periods the perimenstrual days enter each model; off by default', () => {
    const d = generateTriggerDiary({
      seed: 4,
      startDate: '2024-01-01',
      days: 365,
      factors: STRONG,
      menstruation: { cycleLength: 28, oddsRatio: 3 },
    });
    const plain = analyse(d);
    const adjusted = analyse(d, { adjustForMenstruation: true });
    expect(plain.triggerAnalysis.adjustedForMenstruation).toBe(false);
    expect(adjusted.triggerAnalysis.adjustedForMenstruation).toBe(true);
    expect(adjusted.triggerAnalysis.perimenstrualAtRiskDays).toBeGreaterThan(25);
    const wine = result(adjusted.triggers, 'wine', 1);
    expect(wine.adjustedForMenstruation).toBe(true);
    expect(wine.oddsRatio).not.toBeCloseTo(result(plain.triggers, 'wine', 1).oddsRatio!, 6);
    expect(wine.verdict).toBe('trigger');
  });
});

test('an empty diary has no triggers', () => {
  const a = analyse(makeDiary());
  expect(a.triggers).toEqual([]);
  expect(a.triggerAnalysis).toMatchObject({ recordedDays: 0, atRiskDays: 0, onsets: 0, factors: [] });
});

describe('the gates at their thresholds (90 recorded days, 10 onsets, 5 exposed days, 24 onsets)', () => {
  /**
   * `days` recorded days from 2024-01-01: a one-day attack entry on each day in `onsets`, the other
   * days headache-free, and wine recorded every day, true on the days in `wine`. Every day is at
   * risk (the day after an attack entry stays at risk), so the lag-1 rows are days 1 … days − 1.
   */
  function gateDiary(days: number, onsets: readonly number[], wine: readonly number[]): Diary {
    const first = dayNumber('2024-01-01');
    const date = (i: number) => dateFromDayNumber(first + i);
    const onset = new Set(onsets);
    const exposed = new Set(wine);
    return makeDiary({
      attacks: onsets.map((i) => ({
        id: `a${i}`,
        start: `${date(i)}T08:00:00+01:00`,
        end: `${date(i)}T20:00:00+01:00`,
        peakIntensity: 6,
      })),
      dailyRecords: Array.from({ length: days }, (_, i) => ({
        date: date(i),
        ...(onset.has(i) ? {} : { noHeadache: true }),
        factors: { wine: exposed.has(i) },
      })),
    });
  }
  /** from, from + step, … up to `to`. */
  const every = (step: number, from: number, to: number) =>
    Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);
  const wine = (diary: Diary) => {
    const a = analyse(diary);
    return { recordedDays: a.triggerAnalysis.recordedDays, ...result(a.triggers, 'wine', 1) };
  };

  test('89 recorded days: no verdict; 90: a verdict', () => {
    // 25 onsets, 20 of them the day after wine; wine on 25 days.
    const onsets = every(3, 3, 75);
    const exposed = [...onsets.slice(0, 20).map((i) => i - 1), 78, 80, 82, 84, 86];
    const at90 = wine(gateDiary(90, onsets, exposed));
    expect(at90).toMatchObject({ recordedDays: 90, onsets: 25, exposedDays: 25, verdict: 'trigger', lowPower: false });
    expect(at90.reason).toBeUndefined();
    const at89 = wine(gateDiary(89, onsets, exposed));
    expect(at89).toMatchObject({ recordedDays: 89, onsets: 25, exposedDays: 25, verdict: 'insufficient-data' });
    expect(at89.reason).toBe('fewer than 90 recorded days (89)');
    // The numbers are still shown.
    expect(at89.oddsRatio).toBeGreaterThan(10);
  });

  test('9 onsets: no verdict; 10: a verdict, both with low power', () => {
    // Wine the day before each onset and on 3 other days.
    const onsets = every(10, 10, 100);
    const exposed = [...onsets.map((i) => i - 1), 5, 45, 65];
    const ten = wine(gateDiary(120, onsets, exposed));
    expect(ten).toMatchObject({ onsets: 10, exposedOnsets: 10, verdict: 'trigger', lowPower: true });
    expect(ten.reason).toBeUndefined();
    const nine = wine(gateDiary(120, onsets.slice(0, 9), exposed));
    expect(nine).toMatchObject({ onsets: 9, exposedOnsets: 9, verdict: 'insufficient-data', lowPower: true });
    expect(nine.reason).toBe('fewer than 10 onsets (9)');
  });

  test('4 exposed at-risk days: no verdict; 5: a verdict', () => {
    // 29 onsets, every fourth day; wine the day before the first five (or four).
    const onsets = every(4, 4, 116);
    const five = wine(gateDiary(120, onsets, [3, 7, 11, 15, 19]));
    expect(five).toMatchObject({ onsets: 29, exposedDays: 5, exposedOnsets: 5, verdict: 'trigger', lowPower: false });
    expect(five.reason).toBeUndefined();
    const four = wine(gateDiary(120, onsets, [3, 7, 11, 15]));
    expect(four).toMatchObject({ exposedDays: 4, exposedOnsets: 4, verdict: 'insufficient-data', lowPower: false });
    expect(four.reason).toBe('fewer than 5 exposed at-risk days (4)');
  });

  test('23 onsets: low power; 24: not; the verdict stands on both sides', () => {
    // 24 (or 23) onsets, 20 of them the day after wine; wine on 25 days.
    const onsets = every(5, 5, 120);
    const exposed = [...onsets.slice(0, 20).map((i) => i - 1), 1, 2, 6, 7, 8];
    const at24 = wine(gateDiary(125, onsets, exposed));
    expect(at24).toMatchObject({ onsets: 24, verdict: 'trigger', lowPower: false });
    expect(at24.reason).toBeUndefined();
    const at23 = wine(gateDiary(125, onsets.slice(0, 23), exposed));
    expect(at23).toMatchObject({ onsets: 23, verdict: 'trigger', lowPower: true });
    expect(at23.reason).toBeUndefined();
  });
});
