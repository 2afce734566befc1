import { describe, expect, it } from 'vitest';
import { instantOf, wallClockOf } from '../../web/src/patient/capture/instants.js';

/**
 * The instant of a wall-clock time the patient types, across clock changes: a time shown twice
 * (the clock goes back) is its first occurrence, in every zone; a time the clock skips (it goes
 * forward) moves on by the gap.
 */
describe('instantOf', () => {
  it('an ordinary time has its zone’s offset', () => {
    expect(instantOf('2025-11-10', '23:30', 'Europe/Paris')).toBe('2025-11-10T23:30:00+01:00');
    expect(instantOf('2025-07-01', '08:05', 'America/New_York')).toBe('2025-07-01T08:05:00-04:00');
    expect(instantOf('2025-07-01', '08:05', 'UTC')).toBe('2025-07-01T08:05:00+00:00');
  });

  it.each([
    // Zone, the date the clock goes back, a time shown twice, its first occurrence.
    ['Europe/Paris', '2025-10-26', '02:30', '2025-10-26T02:30:00+02:00'],
    ['Europe/Paris', '2025-10-26', '02:00', '2025-10-26T02:00:00+02:00'],
    ['Europe/Paris', '2025-10-26', '02:59', '2025-10-26T02:59:00+02:00'],
    ['America/New_York', '2025-11-02', '01:30', '2025-11-02T01:30:00-04:00'],
    // Lord Howe Island goes back by 30 minutes, from 02:00 +11:00 to 01:30 +10:30.
    ['Australia/Lord_Howe', '2025-04-06', '01:45', '2025-04-06T01:45:00+11:00'],
    // The southern hemisphere goes back in April.
    ['Australia/Sydney', '2025-04-06', '02:30', '2025-04-06T02:30:00+11:00'],
  ])('%s on %s at %s (shown twice) is the first occurrence, %s', (zone, date, time, expected) => {
    const instant = instantOf(date, time, zone);
    expect(instant).toBe(expected);
    // The same wall-clock time again: the first occurrence.
    expect(wallClockOf(instant!, zone)).toEqual({ date, time });
  });

  it.each([
    // Zone, the date the clock goes forward, a skipped time, the time it moves on to.
    ['Europe/Paris', '2025-03-30', '02:30', '2025-03-30T03:30:00+02:00'],
    ['Europe/Paris', '2025-03-30', '02:00', '2025-03-30T03:00:00+02:00'],
    ['America/New_York', '2025-03-09', '02:15', '2025-03-09T03:15:00-04:00'],
    // Lord Howe Island goes forward by 30 minutes, from 02:00 +10:30 to 02:30 +11:00.
    ['Australia/Lord_Howe', '2025-10-05', '02:10', '2025-10-05T02:40:00+11:00'],
    ['Australia/Sydney', '2025-10-05', '02:30', '2025-10-05T03:30:00+11:00'],
  ])('%s on %s at %s (skipped) moves on by the gap: %s', (zone, date, time, expected) => {
    expect(instantOf(date, time, zone)).toBe(expected);
  });

  it.each([
    ['Europe/Paris', '2025-10-26', '01:59', '2025-10-26T01:59:00+02:00'],
    ['Europe/Paris', '2025-10-26', '03:00', '2025-10-26T03:00:00+01:00'],
    ['Europe/Paris', '2025-03-30', '01:59', '2025-03-30T01:59:00+01:00'],
    ['Europe/Paris', '2025-03-30', '03:00', '2025-03-30T03:00:00+02:00'],
    ['Australia/Lord_Howe', '2025-04-06', '01:29', '2025-04-06T01:29:00+11:00'],
    ['Australia/Lord_Howe', '2025-04-06', '02:00', '2025-04-06T02:00:00+10:30'],
    ['Australia/Lord_Howe', '2025-10-05', '02:30', '2025-10-05T02:30:00+11:00'],
    ['Australia/Sydney', '2025-04-06', '03:00', '2025-04-06T03:00:00+10:00'],
    ['America/New_York', '2025-11-02', '02:00', '2025-11-02T02:00:00-05:00'],
  ])('%s on %s at %s, beside a clock change, is %s', (zone, date, time, expected) => {
    expect(instantOf(date, time, zone)).toBe(expected);
  });

  it('a date or time that does not exist is no instant', () => {
    expect(instantOf('2025-02-30', '10:00', 'Europe/Paris')).toBeNull();
    expect(instantOf('2025-02-10', '24:30', 'Europe/Paris')).toBeNull();
    expect(instantOf('2025-02-10', '', 'Europe/Paris')).toBeNull();
    expect(instantOf('', '10:00', 'Europe/Paris')).toBeNull();
  });
});
