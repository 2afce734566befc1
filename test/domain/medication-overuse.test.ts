import { describe, expect, test } from 'vitest';
import {
  RECENT_OVERUSE_MONTHS,
  recentOveruse,
  recentOveruseMonths,
  type MedicationOveruse,
  type OveruseMonth,
} from '../../src/domain/medication-overuse.js';

const month = (m: string, level: OveruseMonth['level'] = 'risk'): OveruseMonth => ({
  month: m,
  days: 12,
  headacheDays: 15,
  level,
});

const triptan = (...months: OveruseMonth[]): MedicationOveruse => ({
  code: '8.2.2',
  name: 'triptan overuse',
  thresholdDays: 10,
  status: months.some((m) => m.level === 'meets-criteria') ? 'meets-criteria' : 'risk',
  months,
});

describe('recent medication overuse: the current month so far and the month before', () => {
  test('two months, across a year boundary', () => {
    expect(RECENT_OVERUSE_MONTHS).toBe(2);
    expect(recentOveruseMonths('2024-06-03')).toEqual({ from: '2024-05', to: '2024-06' });
    expect(recentOveruseMonths('2025-01-31')).toEqual({ from: '2024-12', to: '2025-01' });
  });

  test('keeps the recent months of each rule, oldest first, and drops a rule with none', () => {
    const simple: MedicationOveruse = { ...triptan(month('2024-03')), code: '8.2.3', thresholdDays: 15 };
    expect(
      recentOveruse([triptan(month('2024-04'), month('2024-05'), month('2024-06')), simple], '2024-06-03'),
    ).toEqual([triptan(month('2024-05'), month('2024-06'))]);
  });

  test('a month two months back is no longer recent; a month after today never is', () => {
    expect(recentOveruse([triptan(month('2024-04'))], '2024-06-30')).toEqual([]);
    expect(recentOveruse([triptan(month('2024-07'))], '2024-06-30')).toEqual([]);
  });

  test('the status is the highest level among the recent months only', () => {
    const earlier = triptan(month('2024-04', 'meets-criteria'), month('2024-05', 'risk'));
    expect(recentOveruse([earlier], '2024-06-10')[0]?.status).toBe('risk');
    const now = triptan(month('2024-05', 'risk'), month('2024-06', 'meets-criteria'));
    expect(recentOveruse([now], '2024-06-10')[0]?.status).toBe('meets-criteria');
  });
});
