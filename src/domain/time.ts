/**
 * Local dates and instants.
 *
 * A diary day is a local calendar date ("YYYY-MM-DD") in the patient's own time. An instant is
 * ISO 8601 text with an explicit UTC offset ("2024-03-10T23:30:00+01:00") or "Z".
 *
 * The local date of an instant is the wall-clock date at the offset the patient recorded, because
 * that is the day the patient lived (a patient who travels keeps their own days). An instant in
 * UTC ("Z", as stored) is placed in the patient's IANA time zone instead.
 *
 * Everything here is pure: no clock is read; `Intl` supplies the time-zone rules.
 */

export const LOCAL_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

/**
 * Days since 1970-01-01 for a local date; the inverse of {@link dateFromDayNumber} (Hinnant's
 * days_from_civil). Arithmetic rather than `Date.UTC`, which reads years 0–99 as 1900–1999.
 */
export function dayNumber(date: string): number {
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const y = Number(date.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The civil date of a day number, by arithmetic alone (Hinnant's civil_from_days): periods walk
 * every day of a diary, and allocating a Date per day dominated the analysis time.
 */
export function dateFromDayNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(m)}-${pad2(d)}`;
}

export function isValidLocalDate(date: string): boolean {
  return LOCAL_DATE_PATTERN.test(date) && dateFromDayNumber(dayNumber(date)) === date;
}

export function addDays(date: string, days: number): string {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  return dateFromDayNumber(dayNumber(`${nextMonth(month)}-01`) - 1);
}

export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const year = (n: number) => String(n).padStart(4, '0');
  return m === 12 ? `${year(y + 1)}-01` : `${year(y)}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const year = (n: number) => String(n).padStart(4, '0');
  return m === 1 ? `${year(y - 1)}-12` : `${year(y)}-${String(m - 1).padStart(2, '0')}`;
}

/** Each date from `from` to `to` inclusive. */
export function* eachDate(from: string, to: string): Generator<string> {
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) yield dateFromDayNumber(n);
}

export function isValidInstant(text: string): boolean {
  if (!INSTANT_PATTERN.test(text)) return false;
  if (!isValidLocalDate(text.slice(0, 10))) return false;
  const hh = Number(text.slice(11, 13));
  const mm = Number(text.slice(14, 16));
  return hh < 24 && mm < 60 && !Number.isNaN(Date.parse(text));
}

export function epochMs(instant: string): number {
  return Date.parse(instant);
}

/** Minutes east of UTC written in the instant, or null for "Z". */
export function writtenOffsetMinutes(instant: string): number | null {
  if (instant.endsWith('Z')) return null;
  const sign = instant.at(-6) === '-' ? -1 : 1;
  return sign * (Number(instant.slice(-5, -3)) * 60 + Number(instant.slice(-2)));
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an epoch instant in an IANA zone. */
function wallClock(ms: number, timeZone: string): { date: string; time: string; offsetMinutes: number } {
  const parts: Record<string, string> = {};
  for (const p of zoneFormatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMinutes = Math.round((asUtc - (ms - (ms % 1000))) / 60_000);
  return { date, time, offsetMinutes };
}

/** The local diary date of an instant (see the module comment for the rule). */
export function localDateOf(instant: string, timeZone: string): string {
  if (!instant.endsWith('Z')) return instant.slice(0, 10);
  return wallClock(epochMs(instant), timeZone).date;
}

/** True when the instant is exactly 00:00 local time (the end of the previous day). */
export function isLocalMidnight(instant: string, timeZone: string): boolean {
  const time = instant.endsWith('Z') ? wallClock(epochMs(instant), timeZone).time : instant.slice(11, 19);
  return /^00:00(:00)?$/.test(time.replace(/[+-].*$/, '')) && Date.parse(instant) % 1000 === 0;
}

/** The local date of an epoch instant in a zone (used for "now"). */
export function localDateAt(ms: number, timeZone: string): string {
  return wallClock(ms, timeZone).date;
}

/** Formats an epoch instant as ISO text with the zone's offset at that moment. */
export function formatInZone(ms: number, timeZone: string): string {
  const { date, time, offsetMinutes } = wallClock(ms, timeZone);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  // Milliseconds only when there are some, so whole-second instants read as people write them.
  const millis = ((ms % 1000) + 1000) % 1000;
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  return `${date}T${time}${fraction}${sign}${hh}:${mm}`;
}
