import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import {
  addCounts,
  attacksByStartDate,
  countDays,
  emptyCounts,
  isEmptyCounts,
  isZeroCounts,
  lacksAuraDays,
  type PeriodCounts,
  subtractCounts,
  sumCounts,
  SUMMED_FIELDS,
} from '../../src/domain/period-counts.js';
import { lastDayOfMonth } from '../../src/domain/time.js';
import { importDiary } from '../../src/import/import-diary.js';
import { LATER, makeDiary } from '../helpers/diary.js';
import { describeWithRealData, readRealData, realDataPath } from '../helpers/real-data.js';

/** Counts with only the given fields set. */
function counts(fields: Partial<Omit<PeriodCounts, 'medicationDaysByClass'>>, byClass = {}): PeriodCounts {
  const c = emptyCounts();
  return { ...c, ...fields, medicationDaysByClass: { ...c.medicationDaysByClass, ...byClass } };
}

// A month before and after one more recorded day: a 2.5-hour attack of peak 7 treated with a triptan.
const before = counts(
  { recordedDays: 19, headacheDays: 6, attacks: 4, peakSum: 24, peakCount: 4, durationHoursSum: 10, durationCount: 3 },
  { triptan: 2 },
);
const after = counts(
  {
    recordedDays: 20,
    headacheDays: 7,
    attacks: 5,
    peakSum: 31,
    peakCount: 5,
    durationHoursSum: 12.5,
    durationCount: 4,
  },
  { triptan: 3 },
);

describe('subtractCounts', () => {
  test('is the field-by-field difference, classes included', () => {
    expect(subtractCounts(after, before)).toEqual(
      counts(
        {
          recordedDays: 1,
          headacheDays: 1,
          attacks: 1,
          peakSum: 7,
          peakCount: 1,
          durationHoursSum: 2.5,
          durationCount: 1,
        },
        { triptan: 1 },
      ),
    );
  });

  test('goes below zero for what was removed, and added back gives the counts it was taken from', () => {
    const removed = subtractCounts(before, after);
    expect(removed.recordedDays).toBe(-1);
    expect(removed.durationHoursSum).toBe(-2.5);
    expect(removed.medicationDaysByClass.triptan).toBe(-1);
    expect(addCounts(after, removed)).toEqual(before);
    expect(addCounts(before, subtractCounts(after, before))).toEqual(after);
  });

  test('leaves its arguments as they were', () => {
    const copy = structuredClone(after);
    subtractCounts(after, before);
    expect(after).toEqual(copy);
  });
});

describe('isZeroCounts', () => {
  test('is true only when every field, each class included, is 0', () => {
    expect(isZeroCounts(emptyCounts())).toBe(true);
    expect(isZeroCounts(subtractCounts(after, after))).toBe(true);
    expect(isZeroCounts(counts({ painSum: 0.5 }))).toBe(false);
    expect(isZeroCounts(counts({ attacks: -1 }))).toBe(false);
    expect(isZeroCounts(counts({}, { ergot: 1 }))).toBe(false);
    // A period with a change but nothing recorded is empty, not zero.
    expect(isEmptyCounts(counts({ painSum: 0.5 }))).toBe(true);
  });
});

describe('SUMMED_FIELDS', () => {
  test('pairs each sum with the count of the values it sums', () => {
    expect(SUMMED_FIELDS).toEqual([
      ['peakSum', 'peakCount'],
      ['durationHoursSum', 'durationCount'],
      ['painSum', 'painCount'],
      ['migrainePeakSum', 'migrainePeakCount'],
      ['migraineDurationDaysSum', 'migraineDurationCount'],
    ]);
    const fields = Object.keys(emptyCounts());
    for (const [sum, count] of SUMMED_FIELDS)
      expect([fields.includes(sum), fields.includes(count)]).toEqual([true, true]);
  });
});

describe('aura days', () => {
  // 3–6 March 2025 in Europe/Paris: an attack with visual aura over the night of the 3rd; one whose
  // aura left a deficit (not fully reversible: not an aura, ICHD-3 1.2 B); a daily record with aura
  // and one without; and the 6th, not recorded.
  const diary = makeDiary({
    attacks: [
      {
        id: 'a1',
        start: '2025-03-03T22:00:00+01:00',
        end: '2025-03-04T06:00:00+01:00',
        aura: [{ type: 'visual', durationMinutes: 20 }],
      },
      {
        id: 'a2',
        start: '2025-03-05T09:00:00+01:00',
        end: '2025-03-05T12:00:00+01:00',
        aura: [{ type: 'motor', fullyReversible: false }],
      },
    ],
    dailyRecords: [
      { date: '2025-03-05', noHeadache: false },
      { date: '2025-03-07', aura: true },
      { date: '2025-03-08', noHeadache: true },
    ],
  });
  const days = deriveDays(diary, DEFAULT_CONFIG, LATER);
  const count = (from: string, to: string) => countDays(days, attacksByStartDate(days.attacks), from, to);

  test('counts recorded days with a fully reversible aura, from attacks and daily records', () => {
    expect(count('2025-03-01', '2025-03-31')).toMatchObject({ recordedDays: 5, auraDays: 3 });
    expect(count('2025-03-04', '2025-03-04').auraDays).toBe(1);
    expect(count('2025-03-05', '2025-03-06').auraDays).toBe(0);
    expect(count('2025-03-08', '2025-03-31').auraDays).toBe(0);
    expect(emptyCounts().auraDays).toBe(0);
  });

  test('are added and subtracted with the other counts', () => {
    const a = count('2025-03-01', '2025-03-04');
    const b = count('2025-03-05', '2025-03-31');
    expect([a.auraDays, b.auraDays]).toEqual([2, 1]);
    expect(addCounts(a, b)).toEqual(count('2025-03-01', '2025-03-31'));
    expect(subtractCounts(b, a).auraDays).toBe(-1);
    expect(isZeroCounts({ ...emptyCounts(), auraDays: 1 })).toBe(false);
  });

  test('are unknown in counts stored before they were counted, and stay unknown when added to', () => {
    const { auraDays: _unknown, ...stored } = count('2025-03-01', '2025-03-04');
    const legacy = JSON.parse(JSON.stringify(stored)) as PeriodCounts;
    expect(lacksAuraDays(legacy)).toBe(true);
    expect(lacksAuraDays(emptyCounts())).toBe(false);
    const sum = addCounts(legacy, count('2025-03-05', '2025-03-31'));
    expect(lacksAuraDays(sum)).toBe(true);
    expect(JSON.stringify(sum)).not.toContain('auraDays');
    expect(sum.recordedDays).toBe(5);
    expect(lacksAuraDays(sumCounts([emptyCounts(), legacy]))).toBe(true);
    expect(lacksAuraDays(addCounts(emptyCounts(), emptyCounts()))).toBe(false);
  });
});

describeWithRealData('chronic-migraine-diary/daily.tsv', 'aura days of the real chronic migraine diary', () => {
  test('every month matches the independent count (test/fixtures/chronic-diary/count_months.py)', () => {
    const dir = 'chronic-migraine-diary';
    const { diary } = importDiary(readRealData(`${dir}/daily.tsv`), realDataPath(`${dir}/daily.tsv`), {
      patientId: 'chronic',
      timeZone: 'Europe/London',
      events: { text: readRealData(`${dir}/events.tsv`), source: realDataPath(`${dir}/events.tsv`) },
    });
    const days = deriveDays(diary, DEFAULT_CONFIG, LATER);
    const byStart = attacksByStartDate(days.attacks);
    const expected = JSON.parse(
      readFileSync(new URL('../fixtures/chronic-diary/expected-months.json', import.meta.url), 'utf8'),
    ) as { month: string; auraDays: number }[];
    const counted = expected.map((e) => ({
      month: e.month,
      auraDays: countDays(days, byStart, `${e.month}-01`, lastDayOfMonth(e.month)).auraDays,
    }));
    expect(counted).toEqual(expected.map((e) => ({ month: e.month, auraDays: e.auraDays })));
    expect(counted.reduce((n, m) => n + m.auraDays, 0)).toBeGreaterThan(100);
  });
});
