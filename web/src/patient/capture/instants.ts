// The .js suffix lets the Node tests (test/web) import this file as well as the web build.
import { addDays, formatInZone, localDateAt } from '../../../../src/domain/time.js';

/**
 * Instants as the diary stores them: ISO text with the UTC offset of the patient's zone at that
 * moment, and the patient's wall-clock date and time of an instant for the forms.
 */

/** Now, in the patient's zone, to the second (a tap is not more precise than that). */
export function nowInstant(timeZone: string, ms = Date.now()): string {
  return formatInZone(ms - (ms % 1000), timeZone);
}

export function todayIn(timeZone: string, ms = Date.now()): string {
  return localDateAt(ms, timeZone);
}

export const yesterdayOf = (date: string) => addDays(date, -1);
export const daysBefore = (date: string, n: number) => addDays(date, -n);
export const dayAfter = (date: string) => addDays(date, 1);

/** Wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant in the zone. */
export function wallClockOf(instant: string, timeZone: string): { date: string; time: string } {
  const text = formatInZone(Date.parse(instant), timeZone);
  return { date: text.slice(0, 10), time: text.slice(11, 16) };
}

/** Minutes east of UTC in the zone at an epoch instant. */
function offsetAt(ms: number, timeZone: string): number {
  const text = formatInZone(ms, timeZone);
  if (text.endsWith('Z')) return 0;
  const sign = text.at(-6) === '-' ? -1 : 1;
  return sign * (Number(text.slice(-5, -3)) * 60 + Number(text.slice(-2)));
}

/**
 * The instant of a wall-clock date and time in the zone. A time the clock shows twice (the hour
 * repeated when the clock goes back) is its first occurrence; a time it skips (when the clock goes
 * forward) moves on by the gap, as a clock that was not yet put forward would show it.
 */
export function instantOf(date: string, time: string, timeZone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const asUtc = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // 31 February or 24:70 are no wall-clock time.
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 16) !== `${date}T${time}`) return null;
  // The zone's offsets around that time: a day before and after holds every offset a clock change
  // can give (changes are months apart).
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(asUtc + shift, timeZone)));
  const readings = [...offsets].map((offset) => ({ offset, ms: asUtc - offset * 60_000 }));
  const real = readings.filter((r) => offsetAt(r.ms, timeZone) === r.offset).map((r) => r.ms);
  // In a gap no reading is real: the offset before the change (the smaller) gives the later instant.
  const ms = real.length > 0 ? Math.min(...real) : Math.max(...readings.map((r) => r.ms));
  return formatInZone(ms, timeZone);
}

const DAY_MS = 86_400_000;
