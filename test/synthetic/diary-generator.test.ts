import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import { diarySchema, type Diary } from '../../src/domain/diary.js';
import { addDays, formatInZone } from '../../src/domain/time.js';
import {
  ATTACK_RATE_RANGES,
  generateDiary,
  generateDiaryWithProfile,
  mulberry32,
  Rng,
  type DiaryGeneratorOptions,
} from '../../src/synthetic/diary-generator.js';
import { LATER } from '../helpers/diary.js';

const YEAR = 365;
const seeds = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Attacks per 28 recorded days, as the analysis normalises rates. */
function attacksPer28(diary: Diary): number {
  return (diary.attacks.length * 28) / analyzeDiary(diary, { now: LATER }).span.recordedDays;
}

/** Every instant written in a diary: attack start and end, medication times, aura onsets. */
function instantsOf(diary: Diary): string[] {
  return diary.attacks.flatMap((a) => [
    a.start,
    ...(a.end === undefined ? [] : [a.end]),
    ...(a.medications ?? []).flatMap((m) => (m.takenAt === undefined ? [] : [m.takenAt])),
    ...(a.aura ?? []).flatMap((s) => (s.onset === undefined ? [] : [s.onset])),
  ]);
}

describe('PRNG', () => {
  test('mulberry32 is reproducible and uniform in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  test('Rng draws stay in their ranges and streams are independent', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(2, 5);
      expect(Number.isInteger(n) && n >= 2 && n <= 5).toBe(true);
    }
    const normals = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    expect(Rng.stream(1, 1).float()).not.toBe(Rng.stream(1, 2).float());
    expect(Rng.stream(1, 1).float()).toBe(Rng.stream(1, 1).float());
  });
});

describe('generateDiary', () => {
  const base: DiaryGeneratorOptions = { seed: 1, startDate: '2024-01-01', days: YEAR };

  test('the same seed gives an identical diary, whatever was generated before', () => {
    const first = generateDiary(base);
    generateDiary({ ...base, seed: 99 });
    const again = generateDiary(base);
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(first.attacks.length).toBeGreaterThan(30);
  });

  test('different seeds give different diaries', () => {
    const texts = seeds(10).map((seed) => JSON.stringify(generateDiary({ ...base, seed })));
    expect(new Set(texts).size).toBe(10);
    const starts = seeds(10).map((seed) => generateDiary({ ...base, seed }).attacks[0]!.start);
    expect(new Set(starts).size).toBeGreaterThanOrEqual(8);
  });

  test('every diary validates against diarySchema and parses to itself', () => {
    const variants: Partial<DiaryGeneratorOptions>[] = [
      {},
      { frequency: 'chronic' },
      { frequency: 'episodic', sex: 'male' },
      { sex: 'female', birthYear: 1990, referenceDate: '2024-06-01', rateMultiplier: 0.3 },
      { timeZone: 'America/New_York', compliance: 0.75 },
      { timeZone: 'Asia/Kolkata', auraShare: 1 },
      { timeZone: 'Australia/Lord_Howe', attacksPer28: 20 },
    ];
    for (const seed of seeds(6)) {
      for (const v of variants) {
        const diary = generateDiary({ ...base, ...v, seed });
        expect(diarySchema.parse(diary)).toEqual(diary);
      }
    }
  });

  test('instants carry the UTC offset of the patient zone at that moment, across DST', () => {
    for (const [timeZone, offsets] of [
      ['Europe/London', ['+00:00', '+01:00']],
      ['America/New_York', ['-05:00', '-04:00']],
      ['Asia/Kolkata', ['+05:30']],
    ] as const) {
      const diary = generateDiary({ ...base, timeZone, frequency: 'chronic' });
      expect(diary.patient.timeZone).toBe(timeZone);
      const instants = instantsOf(diary);
      expect(instants.length).toBeGreaterThan(300);
      for (const t of instants) expect(formatInZone(Date.parse(t), timeZone)).toBe(t);
      expect(new Set(diary.attacks.map((a) => a.start.slice(-6)))).toEqual(new Set(offsets));
    }
    expect(generateDiary({ seed: 1, startDate: '2024-01-01', days: 10 }).patient.timeZone).toBe('Europe/London');
  });

  test('attacks look like migraine: durations, intensity, features, aura and medication', () => {
    const diary = generateDiary({ seed: 3, startDate: '2020-01-01', days: 3 * YEAR, frequency: 'episodic' });
    const attacks = diary.attacks;
    expect(attacks.length).toBeGreaterThan(150);

    const hours = attacks.map((a) => (Date.parse(a.end!) - Date.parse(a.start)) / 3_600_000);
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...hours)).toBeLessThanOrEqual(72);
    expect(hours.filter((h) => h > 24).length).toBeGreaterThan(5);
    const overMidnight = attacks.filter((a) => a.start.slice(0, 10) !== a.end!.slice(0, 10)).length;
    expect(overMidnight / attacks.length).toBeGreaterThan(0.15);
    // Attacks never overlap.
    for (let i = 1; i < attacks.length; i++) {
      expect(Date.parse(attacks[i]!.start)).toBeGreaterThan(Date.parse(attacks[i - 1]!.end!));
    }

    for (const a of attacks) {
      expect(Number.isInteger(a.peakIntensity) && a.peakIntensity! >= 0 && a.peakIntensity! <= 10).toBe(true);
    }
    const share = (pred: (a: Diary['attacks'][number]) => boolean): number =>
      attacks.filter(pred).length / attacks.length;
    expect(share((a) => a.nausea === true)).toBeGreaterThan(0.4);
    expect(share((a) => a.nausea === true)).toBeLessThan(0.75);
    expect(share((a) => a.photophobia === true)).toBeGreaterThan(0.6);
    expect(share((a) => a.side === 'left' || a.side === 'right')).toBeGreaterThan(0.4);
    expect(share((a) => a.quality?.includes('pulsating') === true)).toBeGreaterThan(0.4);
    // Some quick entries without features.
    expect(share((a) => a.nausea === undefined)).toBeGreaterThan(0.03);
    expect(share((a) => a.nausea === undefined)).toBeLessThan(0.2);

    // Aura in about a fifth of attacks: visual first, 5–60 min before the headache.
    const withAura = attacks.filter((a) => a.aura !== undefined);
    expect(withAura.length / attacks.length).toBeGreaterThan(0.12);
    expect(withAura.length / attacks.length).toBeLessThan(0.28);
    for (const a of withAura) {
      expect(a.aura![0]!.type).toBe('visual');
      const lead = (Date.parse(a.start) - Date.parse(a.aura![0]!.onset!)) / 60_000;
      expect(lead).toBeGreaterThanOrEqual(5);
      expect(lead).toBeLessThanOrEqual(60);
    }

    const intakes = attacks.flatMap((a) => (a.medications ?? []).map((m) => ({ a, m })));
    const classes = new Set(intakes.map(({ m }) => m.class));
    expect(classes.has('non-opioid-analgesic')).toBe(true);
    const rare = intakes.filter(({ m }) => m.class === 'opioid' || m.class === 'combination-analgesic').length;
    expect(rare / intakes.length).toBeLessThan(0.1);
    for (const { a, m } of intakes) {
      expect(Date.parse(m.takenAt!)).toBeGreaterThan(Date.parse(a.start));
      expect(Date.parse(m.takenAt!)).toBeLessThanOrEqual(Date.parse(a.end!));
      expect(m.effect).toBeDefined();
    }
    const triptanUser = seeds(10)
      .map((seed) => generateDiary({ seed, startDate: '2024-01-01', days: YEAR }))
      .some((d) => d.attacks.some((a) => a.medications?.some((m) => m.class === 'triptan')));
    expect(triptanUser).toBe(true);
  });

  test('baseline attack rates fall in the episodic and chronic ranges over 3 years', () => {
    for (const frequency of ['episodic', 'chronic'] as const) {
      const [low, high] = ATTACK_RATE_RANGES[frequency];
      const ratios: number[] = [];
      for (const seed of seeds(8)) {
        const { diary, profile } = generateDiaryWithProfile({
          seed,
          startDate: '2021-01-01',
          days: 3 * YEAR,
          frequency,
        });
        expect(profile.attacksPer28).toBeGreaterThanOrEqual(low);
        expect(profile.attacksPer28).toBeLessThanOrEqual(high);
        const measured = attacksPer28(diary);
        expect(measured).toBeGreaterThan(low * 0.9);
        expect(measured).toBeLessThan(high * 1.1);
        ratios.push(measured / profile.attacksPer28);
      }
      // Each diary within 18 % of its patient's rate, and no bias over the patients.
      for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.18);
      const meanRatio = ratios.reduce((s, r) => s + r, 0) / ratios.length;
      expect(meanRatio).toBeGreaterThan(0.93);
      expect(meanRatio).toBeLessThan(1.07);
    }
    const fixed = generateDiary({ seed: 5, startDate: '2021-01-01', days: 3 * YEAR, attacksPer28: 6 });
    expect(attacksPer28(fixed)).toBeGreaterThan(5.2);
    expect(attacksPer28(fixed)).toBeLessThan(6.8);
  });

  test('compliance is about 90 %: some days have no entry at all', () => {
    for (const seed of seeds(5)) {
      const diary = generateDiary({ seed, startDate: '2021-01-01', days: 3 * YEAR });
      const recordShare = diary.dailyRecords.length / (3 * YEAR);
      expect(recordShare).toBeGreaterThan(0.86);
      expect(recordShare).toBeLessThan(0.94);
      // Attacks also make a day recorded, so the analysed compliance is a little higher.
      const { compliance } = analyzeDiary(diary, { now: LATER }).span;
      expect(compliance).toBeGreaterThanOrEqual(recordShare);
      expect(compliance).toBeLessThan(0.96);
    }
    const low = generateDiary({ seed: 1, startDate: '2021-01-01', days: 3 * YEAR, compliance: 0.7 });
    expect(low.dailyRecords.length / (3 * YEAR)).toBeGreaterThan(0.65);
    expect(low.dailyRecords.length / (3 * YEAR)).toBeLessThan(0.75);
    const full = generateDiary({ seed: 1, startDate: '2021-01-01', days: YEAR, compliance: 1 });
    expect(full.dailyRecords.length).toBe(YEAR);
  });

  test('daily records: noHeadache exactly on attack-free days, factors, preventive', () => {
    const { diary, profile } = generateDiaryWithProfile({ seed: 2, startDate: '2022-01-01', days: 2 * YEAR });
    // Headache days as the domain assigns them (an attack ending at 00:00 does not cover the next day).
    const days = deriveDays(diary, DEFAULT_CONFIG, LATER);
    for (const r of diary.dailyRecords) {
      expect(r.noHeadache === true).toBe(!days.byDate.get(r.date)!.headache);
      const f = r.factors!;
      expect([0, 1, 2, 3]).toContain(f.stress);
      expect([0, 1, 2, 3]).toContain(f.caffeine);
      expect(typeof f.alcohol).toBe('boolean');
      expect(f.sleepHours).toBeGreaterThanOrEqual(3);
      expect(f.sleepHours).toBeLessThanOrEqual(11);
      expect(r.preventiveTaken === undefined).toBe(!profile.preventive);
    }
    expect(analyzeDiary(diary, { now: LATER }).warnings).toEqual([]);
    const withPreventive = seeds(10)
      .map((seed) => generateDiaryWithProfile({ seed, startDate: '2024-01-01', days: 60 }))
      .find((g) => g.profile.preventive)!;
    const taken = withPreventive.diary.dailyRecords.filter((r) => r.preventiveTaken === true).length;
    expect(taken / withPreventive.diary.dailyRecords.length).toBeGreaterThan(0.7);
  });

  test('menstruation on a ~28-day cycle for female patients only', () => {
    const female = generateDiary({ seed: 4, startDate: '2022-01-01', days: 2 * YEAR, sex: 'female', birthYear: 1990 });
    expect(female.dailyRecords.every((r) => r.menstruation !== undefined)).toBe(true);
    const dates = new Set(female.dailyRecords.filter((r) => r.menstruation !== 'none').map((r) => r.date));
    // Onsets: a flow day that follows a recorded day without flow.
    const onsets = female.dailyRecords.filter(
      (r) => r.menstruation !== 'none' && !dates.has(addDays(r.date, -1)) && r.menstruation !== 'spotting',
    );
    expect(onsets.length).toBeGreaterThan(18);
    expect(onsets.length).toBeLessThan(30);
    const male = generateDiary({ seed: 4, startDate: '2022-01-01', days: YEAR, sex: 'male' });
    expect(male.dailyRecords.some((r) => r.menstruation !== undefined)).toBe(false);
  });

  test('stress, short sleep and alcohol raise the next-day attack probability', () => {
    const diary = generateDiary({ seed: 7, startDate: '2015-01-01', days: 10 * YEAR, frequency: 'chronic' });
    const records = new Map(diary.dailyRecords.map((r) => [r.date, r]));
    const startDates = new Set(diary.attacks.map((a) => a.start.slice(0, 10)));
    const rate = (exposed: (f: Record<string, number | boolean>) => boolean): [number, number] => {
      const counts = [0, 0, 0, 0]; // attacks and days, exposed then unexposed
      for (const r of diary.dailyRecords) {
        const next = addDays(r.date, 1);
        if (!records.has(next)) continue;
        const k = exposed(r.factors!) ? 0 : 2;
        counts[k]! += startDates.has(next) ? 1 : 0;
        counts[k + 1]!++;
      }
      return [counts[0]! / counts[1]!, counts[2]! / counts[3]!];
    };
    for (const exposed of [
      (f: Record<string, number | boolean>) => (f.stress as number) >= 2,
      (f: Record<string, number | boolean>) => (f.sleepHours as number) < 6,
      (f: Record<string, number | boolean>) => f.alcohol === true,
    ]) {
      const [withExposure, without] = rate(exposed);
      expect(withExposure / without).toBeGreaterThan(1.2);
    }
  });

  test('the rate multiplier after referenceDate shows in analyzeDiary outcomes', () => {
    const outcomesFor = (rateMultiplier: number) =>
      seeds(20).map((seed) => {
        const diary = generateDiary({
          seed,
          startDate: '2023-01-01',
          days: 400,
          referenceDate: '2023-05-01',
          rateMultiplier,
          attacksPer28: 8,
          compliance: 1,
        });
        expect(diary.referenceDate).toBe('2023-05-01');
        const outcomes = analyzeDiary(diary, { now: LATER }).outcomes!;
        const window = outcomes.windows.find((w) => w.label === 'months 4-6')!;
        expect(window.status).toBe('complete');
        return {
          baseline: outcomes.baseline.mmd!,
          followUp: window.mmd!,
          responder50: window.responders[0]!.responder,
        };
      });
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

    // A 28-day baseline is noisy for one patient, so the effect is judged over 20 patients.
    const treated = outcomesFor(0.3);
    const treatedBaseline = sum(treated.map((o) => o.baseline)) / treated.length;
    const treatedFollowUp = sum(treated.map((o) => o.followUp)) / treated.length;
    expect(treatedBaseline).toBeGreaterThan(5);
    expect(treatedBaseline).toBeLessThan(10);
    expect(treatedFollowUp).toBeGreaterThan(1);
    expect(treatedFollowUp).toBeLessThan(3.5);
    expect(treatedFollowUp / treatedBaseline).toBeGreaterThan(0.15);
    expect(treatedFollowUp / treatedBaseline).toBeLessThan(0.45);
    expect(treated.filter((o) => o.baseline > o.followUp).length).toBeGreaterThanOrEqual(18);
    expect(treated.filter((o) => o.responder50 === true).length).toBeGreaterThanOrEqual(15);

    const untreated = outcomesFor(1);
    const ratio = sum(untreated.map((o) => o.followUp)) / sum(untreated.map((o) => o.baseline));
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.35);
    expect(untreated.filter((o) => o.responder50 === true).length).toBeLessThanOrEqual(6);
  });

  test('rejects options it cannot honour', () => {
    expect(() => generateDiary({ ...base, startDate: '2024-02-30' })).toThrow(RangeError);
    expect(() => generateDiary({ ...base, days: 0 })).toThrow(RangeError);
    expect(() => generateDiary({ ...base, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => generateDiary({ ...base, compliance: 0 })).toThrow(RangeError);
    expect(() => generateDiary({ ...base, rateMultiplier: -1 })).toThrow(RangeError);
    expect(() => generateDiary({ ...base, seed: Number.NaN })).toThrow(RangeError);
  });
});
