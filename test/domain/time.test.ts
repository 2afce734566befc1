import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addDays,
  dateFromDayNumber,
  dayNumber,
  daysBetween,
  formatInZone,
  isLocalMidnight,
  isValidInstant,
  isValidLocalDate,
  lastDayOfMonth,
  localDateOf,
  nextMonth,
  previousMonth,
  writtenOffsetMinutes,
} from '../../src/domain/time.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
// 2000-01-01 .. 2040-01-01
const instantMs = fc.integer({ min: 946_684_800_000, max: 2_208_988_800_000 });

describe('local dates', () => {
  test('calendar facts', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2023-02')).toBe('2023-02-28');
    expect(lastDayOfMonth('2024-12')).toBe('2024-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2023-12-31', '2024-01-28')).toBe(28);
    expect(isValidLocalDate('2023-02-29')).toBe(false);
    expect(isValidLocalDate('2024-02-29')).toBe(true);
    expect(isValidLocalDate('2024-2-9')).toBe(false);
  });

  test('property: dateFromDayNumber agrees with the JavaScript Date calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (n) => {
        expect(dateFromDayNumber(n)).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  test('property: dayNumber agrees with the JavaScript Date calendar over every 4-digit year', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (n) => {
        expect(dayNumber(new Date(n * 86_400_000).toISOString().slice(0, 10))).toBe(n);
      }),
      { numRuns: 2000 },
    );
    // Date.UTC would read year 99 as 1999.
    expect(dayNumber('0099-12-31')).toBe(-683_004); // Date#setUTCFullYear(99, 11, 31)
    expect(addDays('0100-01-01', -28)).toBe('0099-12-04');
    expect(daysBetween('0099-12-04', '0100-01-01')).toBe(28);
    expect(lastDayOfMonth('0099-12')).toBe('0099-12-31');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(nextMonth('0099-12')).toBe('0100-01');
  });

  test('previousMonth steps back over a year boundary and inverts nextMonth', () => {
    expect(previousMonth('2024-03')).toBe('2024-02');
    expect(previousMonth('2024-01')).toBe('2023-12');
    expect(previousMonth('0100-01')).toBe('0099-12');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9998 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
        expect(previousMonth(nextMonth(month))).toBe(month);
        // The day before the first of a month is in the month before.
        if (y > 1 || m > 1) expect(previousMonth(month)).toBe(addDays(`${month}-01`, -1).slice(0, 7));
      }),
      { numRuns: 500 },
    );
  });

  test('day numbers round-trip and addDays inverts daysBetween', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 40_000 }), fc.integer({ min: -1000, max: 1000 }), (n, k) => {
        const date = dateFromDayNumber(n);
        expect(dayNumber(date)).toBe(n);
        expect(daysBetween(date, addDays(date, k))).toBe(k);
      }),
    );
  });
});

describe('instants', () => {
  test('validation requires an offset', () => {
    expect(isValidInstant('2024-03-10T23:30:00+01:00')).toBe(true);
    expect(isValidInstant('2024-03-10T23:30Z')).toBe(true);
    expect(isValidInstant('2024-03-10T23:30:00')).toBe(false);
    expect(isValidInstant('2024-02-30T10:00:00Z')).toBe(false);
    expect(isValidInstant('2024-03-10T24:00:00Z')).toBe(false);
    expect(writtenOffsetMinutes('2024-03-10T23:30:00-05:30')).toBe(-330);
    expect(writtenOffsetMinutes('2024-03-10T23:30:00Z')).toBeNull();
  });

  test('local midnight, written with an offset or in UTC', () => {
    expect(isLocalMidnight('2024-03-02T00:00:00+01:00', 'UTC')).toBe(true);
    expect(isLocalMidnight('2024-03-02T00:00+01:00', 'UTC')).toBe(true);
    expect(isLocalMidnight('2024-03-02T00:00:01+01:00', 'UTC')).toBe(false);
    expect(isLocalMidnight('2024-03-01T23:00:00Z', 'Europe/Paris')).toBe(true);
    expect(isLocalMidnight('2024-03-01T23:00:00Z', 'Europe/London')).toBe(false);
  });

  test('Paris around the 2024 DST changes (EU rule: last Sunday of March and October, 01:00 UTC)', () => {
    expect(formatInZone(Date.parse('2024-03-31T00:59:00Z'), 'Europe/Paris')).toBe('2024-03-31T01:59:00+01:00');
    expect(formatInZone(Date.parse('2024-03-31T01:00:00Z'), 'Europe/Paris')).toBe('2024-03-31T03:00:00+02:00');
    // Milliseconds are kept: 1 ms after local midnight is on the next day, not at its start.
    expect(formatInZone(Date.parse('2023-12-02T23:00:00.001Z'), 'Europe/Paris')).toBe('2023-12-03T00:00:00.001+01:00');
    expect(formatInZone(Date.parse('1969-12-31T23:59:59.999Z'), 'UTC')).toBe('1969-12-31T23:59:59.999+00:00');
    expect(formatInZone(Date.parse('2024-10-27T00:30:00Z'), 'Europe/Paris')).toBe('2024-10-27T02:30:00+02:00');
    expect(formatInZone(Date.parse('2024-10-27T01:30:00Z'), 'Europe/Paris')).toBe('2024-10-27T02:30:00+01:00');
    // 23:30 UTC on 26 October is already the 27th in Paris.
    expect(localDateOf('2024-10-26T23:30:00Z', 'Europe/Paris')).toBe('2024-10-27');
    expect(localDateOf('2024-10-26T23:30:00Z', 'America/New_York')).toBe('2024-10-26');
  });

  test('property: an instant written with its zone offset and the same instant in UTC fall on the same local day', () => {
    fc.assert(
      fc.property(instantMs, fc.constantFrom(...ZONES), (ms, zone) => {
        const withOffset = formatInZone(ms, zone);
        expect(isValidInstant(withOffset)).toBe(true);
        expect(Math.floor(Date.parse(withOffset) / 1000)).toBe(Math.floor(ms / 1000));
        const utc = new Date(ms).toISOString();
        expect(localDateOf(utc, zone)).toBe(localDateOf(withOffset, zone));
        expect(localDateOf(withOffset, zone)).toBe(withOffset.slice(0, 10));
      }),
    );
  });

  test('property: a written offset wins over the home zone (a travelling patient keeps their own day)', () => {
    fc.assert(
      fc.property(instantMs, fc.constantFrom(...ZONES), fc.constantFrom(...ZONES), (ms, travelZone, homeZone) => {
        const written = formatInZone(ms, travelZone);
        expect(localDateOf(written, homeZone)).toBe(written.slice(0, 10));
      }),
    );
  });
});
