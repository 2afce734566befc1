import { format, formatDate, formatTime, t } from '../../i18n/strings';
import type { AttackBody } from './entries';
import { wallClockOf } from './instants';

/** Short words for an attack's intensity: its level, or its 0–10 rating. */
export function intensityText(a: Pick<AttackBody, 'intensityLevel' | 'peakIntensity'>): string {
  if (a.intensityLevel !== undefined && a.intensityLevel !== 'none') return t.capture.levels[a.intensityLevel];
  if (a.peakIntensity !== undefined) return format(t.capture.today.nrs, { n: a.peakIntensity });
  return t.capture.today.intensityUnknown;
}

/** When an ongoing attack started, as seen from `today`: a time, "yesterday" and a time, or a date. */
export function sinceText(start: string, timeZone: string, today: string, yesterday: string): string {
  const { date } = wallClockOf(start, timeZone);
  const time = formatTime(start, timeZone);
  if (date === today) return format(t.capture.today.ongoingSince, { time });
  if (date === yesterday) return format(t.capture.today.ongoingSinceYesterday, { time });
  return format(t.capture.today.ongoingSinceDate, { date: formatDate(date, { day: 'numeric', month: 'short' }), time });
}

/** An ended attack of today's list: its times, marking a start on the day before. */
export function spanText(a: AttackBody, timeZone: string, today: string): string {
  const from = formatTime(a.start, timeZone);
  if (a.end === undefined) return format(t.capture.today.attackFrom, { time: from });
  const to = formatTime(a.end, timeZone);
  const startedEarlier = wallClockOf(a.start, timeZone).date < today;
  return format(startedEarlier ? t.capture.today.attackEndedToday : t.capture.today.attackFromTo, { from, to });
}
