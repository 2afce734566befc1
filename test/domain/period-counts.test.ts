import { describe, expect, test } from 'vitest';
import {
  addCounts,
  emptyCounts,
  isEmptyCounts,
  isZeroCounts,
  type PeriodCounts,
  subtractCounts,
  SUMMED_FIELDS,
} from '../../src/domain/period-counts.js';

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
