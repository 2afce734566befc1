import { addDays, eachDate, isLocalMidnight, localDateOf } from '../../../../src/domain/time';
import { saveEntry } from '../../offline/outbox';
import { type AttackBody, type DailyRecordBody, loadEntries, type Shown } from './entries';
import { todayIn } from './instants';

/**
 * The daily records (check-ins) of recent days as this device last saw them: one record per day,
 * so an edit made offline must reuse the id of a record the server already has (a new id would
 * be refused as a second record of that day). The outbox keeps the version the edit is based on.
 * Kept under the `relief.capture.` prefix, which sign-out clears.
 */

const storageKey = (patientId: string) => `relief.capture.days.${patientId}`;
/** Days kept: a check-in is rarely changed more than a few weeks later. */
const KEEP_DAYS = 62;

type Known = Record<string, { id: string; data: DailyRecordBody }>;

function read(patientId: string): Known {
  try {
    const raw = localStorage.getItem(storageKey(patientId));
    return raw === null ? {} : (JSON.parse(raw) as Known);
  } catch {
    return {};
  }
}

function write(patientId: string, known: Known): void {
  const dates = Object.keys(known).sort();
  const newest = dates.at(-1);
  const kept: Known = {};
  for (const d of dates) if (newest !== undefined && d > addDays(newest, -KEEP_DAYS)) kept[d] = known[d]!;
  try {
    localStorage.setItem(storageKey(patientId), JSON.stringify(kept));
  } catch {
    // Storage full or blocked: an offline edit of an older check-in is then refused and shown.
  }
}

/** Remembers records the server holds or the device just saved (their id and body by date). */
export function rememberDayRecords(patientId: string, records: readonly { id: string; data: DailyRecordBody }[]): void {
  if (records.length === 0) return;
  const known = read(patientId);
  for (const r of records) known[r.data.date] = { id: r.id, data: r.data };
  write(patientId, known);
}

/**
 * The daily records of `from`–`to`, at most one per day. Online, what the server and the outbox
 * hold (and remembered for later); offline, what the outbox holds and else what was remembered.
 */
export async function loadDayRecords(
  patientId: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<Shown<DailyRecordBody>[]> {
  const { items, offline } = await loadEntries<DailyRecordBody>(patientId, 'daily-record', from, to, signal);
  const byDate = new Map<string, Shown<DailyRecordBody>>();
  for (const r of items)
    if (r.data.date >= from && r.data.date <= to && !byDate.has(r.data.date)) byDate.set(r.data.date, r);
  const known = read(patientId);
  if (offline) {
    for (const date of eachDate(from, to)) {
      const k = known[date];
      if (k !== undefined && !byDate.has(date)) byDate.set(date, { id: k.id, data: k.data, pending: null });
    }
  } else {
    // The server's answer is the truth for these days: a record gone from it is forgotten too.
    for (const date of eachDate(from, to)) delete known[date];
    for (const r of byDate.values()) known[r.data.date] = { id: r.id, data: r.data };
    write(patientId, known);
  }
  return [...byDate.values()];
}

/**
 * The local days an attack covers, as the analysis counts them (src/domain/days.ts): its start's
 * day to its end's, an end at 00:00 belonging to the day before; an attack still going on covers
 * the days up to today, at most 3 after its start (`ongoingAttackMaxDays`).
 */
export function datesCovered(attack: Pick<AttackBody, 'start' | 'end'>, timeZone: string, today: string): string[] {
  const first = localDateOf(attack.start, timeZone);
  let last: string;
  if (attack.end !== undefined) {
    last = localDateOf(attack.end, timeZone);
    if (last > first && isLocalMidnight(attack.end, timeZone)) last = addDays(last, -1);
  } else {
    const cap = addDays(first, 3);
    last = today < first ? first : today > cap ? cap : today;
  }
  return [...eachDate(first, last < first ? first : last)];
}

/**
 * A check-in that confirmed a day headache-free is corrected when an attack covering that day is
 * logged: the attack is the later, more exact account, and the analysis would otherwise read the
 * day as a contradiction (src/domain/days.ts). Returns the records as they were, for an undo. A
 * record the server will not change (changed meanwhile on another device) is left as it is: the
 * analysis then still names the contradiction.
 */
export async function takeBackHeadacheFree(
  patientId: string,
  attack: AttackBody,
  timeZone: string,
): Promise<Shown<DailyRecordBody>[]> {
  if (attack.intensityLevel === 'none') return [];
  const dates = datesCovered(attack, timeZone, todayIn(timeZone));
  const records = await loadDayRecords(patientId, dates[0]!, dates.at(-1)!);
  const changed: Shown<DailyRecordBody>[] = [];
  for (const record of records) {
    if (record.data.noHeadache !== true) continue;
    const { noHeadache: _dropped, ...rest } = record.data;
    const body: DailyRecordBody = rest;
    try {
      await saveEntry({ patientId, kind: 'daily-record', id: record.id, body });
    } catch {
      continue;
    }
    rememberDayRecords(patientId, [{ id: record.id, data: body }]);
    changed.push(record);
  }
  return changed;
}

/** Puts back records as they were before {@link takeBackHeadacheFree} (the attack was undone). */
export async function restoreDayRecords(patientId: string, records: readonly Shown<DailyRecordBody>[]): Promise<void> {
  for (const record of records) {
    await saveEntry({ patientId, kind: 'daily-record', id: record.id, body: record.data });
    rememberDayRecords(patientId, [record]);
  }
}
