import { overuseAtThresholds, procedureCohortFacts } from '../domain/cohort.js';
import { DEFAULT_CONFIG } from '../domain/config.js';
import { deriveDays, type DerivedAttack, type DiaryDays } from '../domain/days.js';
import type { Attack, DailyRecord, MedicationIntake } from '../domain/diary.js';
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
  SUMMED_FIELDS,
} from '../domain/period-counts.js';
import { period28Range } from '../domain/periods.js';
import { storedQuestionnaireScore } from '../domain/questionnaires.js';
import {
  addDays,
  dayNumber,
  firstDayOfMonth,
  lastDayOfMonth,
  localDateOf,
  monthOf,
  nextMonth,
} from '../domain/time.js';
import type { RequestContext } from './actor.js';
import { audited, onPatient } from './audited.js';
import { assembleDiary, placement } from './diary-service.js';
import { forbidden, ServiceError } from './errors.js';
import type { EntryKind, EntryRecord, PatientRecord } from './model.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type {
  MonthSummaryRow,
  Period28SummaryRow,
  Stored,
  SummaryColumnValues,
  SummaryEntries,
  SummaryEntry,
} from './summary-ports.js';

/**
 * Patient-period summaries: the counts of every calendar month and of every 28-day period around
 * each procedure date, stored so that cohort queries never rescan raw diary rows, and checked by
 * `relief verify summaries` against their recomputation from the raw rows.
 *
 * A summary is a pure function of the stored entries: the days are derived with the default
 * clinical configuration as if "now" were far in the future, so an attack with no end covers its
 * start day and the next `ongoingAttackMaxDays` days (as `placement` stores it), and nothing
 * depends on when the summary was written. Periods still in progress are cut at today only when
 * read (`summaryFromCounts`). Changing the configuration needs `relief verify summaries --repair`.
 *
 * A diary write changes the rows by what it changes (`beginSummaryChange`): a day's facts depend
 * only on the entries that cover it or were taken on it, and an attack's own figures are counted
 * on its start day, so only the days the entry touched before and after the write can change.
 * Those days are counted before and after the write, in its transaction, and the difference is
 * added to the month and period rows they fall in; a row left with nothing recorded goes. Bulk
 * writes (an import, a new procedure date, a new time zone, a repair) count whole periods anew.
 *
 * Every count of days or attacks stays exact. The sums of ratings, hours and days (`SUMMED_FIELDS`)
 * gather rounding from one difference to the next, about 1e-16 of their size per write, and are
 * set to exactly 0 when nothing is left to sum; they are compared within `SUM_TOLERANCE`.
 *
 * Stored entry days follow the patient's time zone: a new zone re-places every entry
 * (`rebuildSummaries`), so the days stored with an entry are the days it covers.
 */

/** An entry as stored, with what summaries read of it. */
export type StoredEntry = Pick<EntryRecord, 'kind' | 'id' | 'localDate' | 'endDate' | 'body'>;

/** The configuration summaries are derived with. */
export const SUMMARY_CONFIG = DEFAULT_CONFIG;

/**
 * What a summary row stores as columns beside its counts, for cohort queries in SQL: four counts,
 * the aura days (null for counts stored before they were counted) and whether the period meets
 * the ICHD-3 8.2 overuse thresholds, with the configuration the counts are derived with.
 */
export function summaryColumnValues(c: PeriodCounts): SummaryColumnValues {
  return {
    recordedDays: c.recordedDays,
    migraineDays: c.migraineDays,
    headacheDays: c.headacheDays,
    acuteMedicationDays: c.acuteMedicationDays,
    auraDays: lacksAuraDays(c) ? null : c.auraDays,
    medicationOveruse: overuseAtThresholds(c, SUMMARY_CONFIG),
  };
}

/** A moment after any diary day (year 9000): derived days then never depend on the clock. */
export const FAR_FUTURE_MS = Date.UTC(9000, 0, 1);

/**
 * Days read on either side of the days being counted: a medication recorded inside an attack or a
 * daily record may be taken outside that entry's days, and is found when it was taken within this
 * many days of them. One taken further away is counted when its own entry is written, but a later
 * write on the day it was taken does not see it and may count that day as if it were not there
 * (`relief verify summaries` reports such a row, `--repair` rewrites it).
 */
export const FETCH_MARGIN_DAYS = 3;

/** Stored sums (`SUMMED_FIELDS`) equal their recomputation when they differ by at most this, relatively. */
export const SUM_TOLERANCE = 1e-9;

/** True when two values of `field` agree: exactly for counts, within `SUM_TOLERANCE` for sums. */
export function sameCount(field: string, a: number, b: number): boolean {
  if (a === b) return true;
  if (!SUMMED.has(field)) return false;
  return Math.abs(a - b) <= SUM_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

const SUMMED: ReadonlySet<string> = new Set(SUMMED_FIELDS.map(([sum]) => sum));

/** Local dates, inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

/** What the summary rows of one patient should be. */
export interface PatientSummaries {
  months: MonthSummaryRow[];
  /** One entry per live procedure date, in date order. */
  periods: { anchorDate: string; rows: Period28SummaryRow[] }[];
}

/** Index of the 28-day period around `anchor` that contains `date` (period 1 starts on the anchor). */
export function periodIndexOf(anchor: string, date: string): number {
  return Math.floor((dayNumber(date) - dayNumber(anchor)) / 28) + 1;
}

/**
 * The local days whose derived facts an entry can change, in the patient's current time zone:
 * the days it covers and the days its medications were taken. Questionnaires change none.
 */
export function entryDays(kind: EntryKind, body: Record<string, unknown>, timeZone: string): DateRange[] {
  if (kind === 'questionnaire') return [];
  const place = placement(kind, body, timeZone);
  const out: DateRange[] = [{ from: place.localDate, to: place.endDate }];
  const meds =
    kind === 'attack'
      ? (body as Attack).medications
      : kind === 'daily-record'
        ? (body as DailyRecord).medications
        : [body as MedicationIntake];
  for (const m of meds ?? []) {
    if (m.takenAt === undefined) continue;
    const day = localDateOf(m.takenAt, timeZone);
    out.push({ from: day, to: day });
  }
  return out;
}

/**
 * The days a stored entry can affect: `entryDays`, and the days stored with it. A medication
 * logged on its own makes its stored date a recorded day (`assembleDiary`).
 */
export function storedEntryDays(entry: StoredEntry, timeZone: string): DateRange[] {
  if (entry.kind === 'questionnaire') return [];
  return [{ from: entry.localDate, to: entry.endDate }, ...entryDays(entry.kind, entry.body, timeZone)];
}

/** The live procedure dates of the patient: the anchors of their 28-day periods. */
export function procedureAnchors(tx: StoreTx, patientId: string): Promise<string[]> {
  return tx.procedureDates(patientId);
}

/** The patient's days derived from the entries meeting `range` (all entries without one). */
async function deriveRange(tx: StoreTx, patient: PatientRecord, range?: DateRange): Promise<DerivedDiary> {
  const e = await tx.listSummaryEntries(patient.id, range);
  const days = deriveDays(
    assembleDiary(patient, e.attacks, e.dailyRecords, e.medications, []),
    SUMMARY_CONFIG,
    FAR_FUTURE_MS,
  );
  return { days, byStart: attacksByStartDate(days.attacks) };
}

interface DerivedDiary {
  days: DiaryDays;
  byStart: Map<string, DerivedAttack[]>;
}

const countRange = (d: DerivedDiary, r: DateRange): PeriodCounts => countDays(d.days, d.byStart, r.from, r.to);

const monthRange = (month: string): DateRange => ({ from: firstDayOfMonth(month), to: lastDayOfMonth(month) });

function periodRange(anchor: string, index: number): DateRange {
  const { start, end } = period28Range(anchor, index);
  return { from: start, to: end };
}

/** All rows of one anchor, from a diary derived in full. */
function periodsOf(d: DerivedDiary, anchor: string): Period28SummaryRow[] {
  const rows: Period28SummaryRow[] = [];
  if (d.days.first === null || d.days.last === null) return rows;
  for (let i = periodIndexOf(anchor, d.days.first), last = periodIndexOf(anchor, d.days.last); i <= last; i++) {
    const counts = countRange(d, periodRange(anchor, i));
    if (!isEmptyCounts(counts)) rows.push({ periodIndex: i, counts });
  }
  return rows;
}

/** What the patient's rows should be, computed from all their raw entries; writes nothing. */
export async function recomputeSummaries(tx: StoreTx, patient: PatientRecord): Promise<PatientSummaries> {
  const d = await deriveRange(tx, patient);
  const months: MonthSummaryRow[] = [];
  if (d.days.first !== null && d.days.last !== null) {
    for (let m = monthOf(d.days.first), last = monthOf(d.days.last); m <= last; m = nextMonth(m)) {
      const counts = countRange(d, monthRange(m));
      if (!isEmptyCounts(counts)) months.push({ month: m, counts });
    }
  }
  const anchors = await procedureAnchors(tx, patient.id);
  return { months, periods: anchors.map((anchorDate) => ({ anchorDate, rows: periodsOf(d, anchorDate) })) };
}

/** The kinds whose stored days depend on the time zone: those placed by an instant. */
const ZONED_KINDS = ['attack', 'medication'] as const;

/**
 * Stores the days of each of the patient's entries as `placement` gives them in the patient's
 * time zone now, so that stored days never lag behind a change of zone. The version stays: the
 * entry itself is unchanged.
 */
async function placeEntriesInZone(tx: StoreTx, patient: PatientRecord): Promise<void> {
  for (const kind of ZONED_KINDS) {
    for (const e of await tx.listEntries(kind, patient.id, {})) {
      const place = placement(kind, e.body, patient.timeZone);
      if (place.localDate === e.localDate && place.endDate === e.endDate) continue;
      if (!(await tx.updateEntry({ ...e, ...place }, e.version))) {
        throw new Error(`${kind} ${e.id} changed while its days were being re-placed`);
      }
    }
  }
}

/**
 * Re-places the patient's entries in their time zone (`placeEntriesInZone`), stores the columns
 * cohorts read beside responses and procedures anew (`rewriteDerivedColumns`) and rewrites every
 * summary row from the raw entries: after a change of time zone or birth year, and on repair.
 */
export async function rebuildSummaries(tx: StoreTx, patient: PatientRecord): Promise<void> {
  await tx.lockSummaries(patient.id);
  await placeEntriesInZone(tx, patient);
  await tx.rewriteDerivedColumns(patient.id);
  const expected = await recomputeSummaries(tx, patient);
  await tx.deleteMonthSummaries(patient.id);
  await tx.upsertMonthSummaries(patient.id, expected.months);
  for (const anchor of await tx.summaryAnchors(patient.id)) await tx.deletePeriod28Summaries(patient.id, anchor);
  for (const { anchorDate, rows } of expected.periods) await tx.upsertPeriod28Summaries(patient.id, anchorDate, rows);
}

/**
 * Makes the period rows follow the patient's live procedure dates: the rows of a date no longer
 * used go, and a new date gets all its periods from the patient's raw entries. Runs after every
 * procedure write or delete, in its transaction.
 */
export async function syncAnchors(tx: StoreTx, patient: PatientRecord): Promise<void> {
  await tx.lockSummaries(patient.id);
  const live = await procedureAnchors(tx, patient.id);
  const stored = await tx.summaryAnchors(patient.id);
  for (const anchor of stored) if (!live.includes(anchor)) await tx.deletePeriod28Summaries(patient.id, anchor);
  // An anchor without rows is new, or the patient has no recorded day (then this writes nothing).
  const added = live.filter((anchor) => !stored.includes(anchor));
  if (added.length === 0) return;
  const d = await deriveRange(tx, patient);
  for (const anchor of added) await tx.upsertPeriod28Summaries(patient.id, anchor, periodsOf(d, anchor));
}

/** One month or period to recompute, with its days. */
interface Target extends DateRange {
  write: (counts: PeriodCounts) => void;
}

/**
 * Recomputes the month rows and, for every procedure date, the 28-day period rows that contain any
 * day of `changed` (for a bulk import: the span it wrote). Each such period is counted whole, from
 * the raw entries around it; a period left with nothing recorded loses its row.
 */
export async function refreshSummaries(
  tx: StoreTx,
  patient: PatientRecord,
  changed: ReadonlyArray<DateRange>,
): Promise<void> {
  if (changed.length === 0) return;
  await tx.lockSummaries(patient.id);
  const months = new Set<string>();
  for (const r of changed)
    for (let m = monthOf(r.from), last = monthOf(r.to); m <= last; m = nextMonth(m)) months.add(m);
  const anchors = await procedureAnchors(tx, patient.id);
  const periods = new Map<string, Set<number>>(anchors.map((a) => [a, new Set<number>()]));
  for (const anchor of anchors) {
    const set = periods.get(anchor)!;
    for (const r of changed) {
      for (let i = periodIndexOf(anchor, r.from), last = periodIndexOf(anchor, r.to); i <= last; i++) set.add(i);
    }
  }

  const monthRows: MonthSummaryRow[] = [];
  const emptyMonths: string[] = [];
  const periodRows = new Map<string, Period28SummaryRow[]>(anchors.map((a) => [a, []]));
  const emptyPeriods = new Map<string, number[]>(anchors.map((a) => [a, []]));
  const targets: Target[] = [];
  for (const month of months) {
    targets.push({
      ...monthRange(month),
      write: (counts) => (isEmptyCounts(counts) ? emptyMonths.push(month) : monthRows.push({ month, counts })),
    });
  }
  for (const [anchor, indexes] of periods) {
    for (const periodIndex of indexes) {
      targets.push({
        ...periodRange(anchor, periodIndex),
        write: (counts) =>
          isEmptyCounts(counts)
            ? emptyPeriods.get(anchor)!.push(periodIndex)
            : periodRows.get(anchor)!.push({ periodIndex, counts }),
      });
    }
  }

  // Targets close together are counted from one read of the entries around them.
  targets.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  let group: Target[] = [];
  let groupTo = '';
  const flush = async () => {
    if (group.length === 0) return;
    const from = addDays(group[0]!.from, -FETCH_MARGIN_DAYS);
    const d = await deriveRange(tx, patient, { from, to: addDays(groupTo, FETCH_MARGIN_DAYS) });
    for (const t of group) t.write(countRange(d, t));
    group = [];
  };
  for (const t of targets) {
    if (group.length > 0 && dayNumber(t.from) - dayNumber(groupTo) > 2 * FETCH_MARGIN_DAYS) await flush();
    group.push(t);
    if (group.length === 1 || t.to > groupTo) groupTo = t.to;
  }
  await flush();

  await tx.upsertMonthSummaries(patient.id, monthRows);
  for (const month of emptyMonths) await tx.deleteMonthSummaries(patient.id, { from: month, to: month });
  for (const anchor of anchors) {
    await tx.upsertPeriod28Summaries(patient.id, anchor, periodRows.get(anchor)!);
    for (const i of emptyPeriods.get(anchor)!) {
      await tx.deletePeriod28Summaries(patient.id, anchor, { fromIndex: i, toIndex: i });
    }
  }
}

/** A diary write's change to the summaries, counted before the write; `commit` applies it. */
export interface SummaryChange {
  /** Adds what the write changed to the summary rows; call it once, after the entry is written. */
  commit(): Promise<void>;
}

const NO_CHANGE: SummaryChange = { commit: () => Promise.resolve() };

/** Touched days close together, with the entries around them. */
interface Cluster {
  /** Runs of consecutive touched days, each inside one month and one period of every anchor. */
  runs: DateRange[];
  entries: SummaryEntries;
}

const LISTS = { attack: 'attacks', 'daily-record': 'dailyRecords', medication: 'medications' } as const;

/**
 * Starts the summary change of one diary write, in its transaction and before the entry is
 * written: `before` is the live stored entry the write replaces or deletes (null for none), `after`
 * the entry as it will be stored (null for a deletion). Reads the entries around the days either
 * touches (`storedEntryDays`, `entryDays`) and counts those days; `commit` counts them again with
 * `after` in place of `before` and adds the difference to each month and 28-day period row.
 */
export async function beginSummaryChange(
  tx: StoreTx,
  patient: PatientRecord,
  before: StoredEntry | null,
  after: StoredEntry | null,
): Promise<SummaryChange> {
  const tz = patient.timeZone;
  const touched = [
    ...(before === null ? [] : storedEntryDays(before, tz)),
    ...(after === null ? [] : entryDays(after.kind, after.body, tz)),
  ];
  if (touched.length === 0) return NO_CHANGE;
  await tx.lockSummaries(patient.id);
  const anchors = await procedureAnchors(tx, patient.id);
  const clusters: Cluster[] = [];
  for (const days of clustersOf(touched)) {
    const range = { from: days[0]!, to: days.at(-1)! };
    const read = await tx.listSummaryEntries(patient.id, range, FETCH_MARGIN_DAYS);
    // The entry itself is counted even where it is far from its own days (a medication time).
    clusters.push({ runs: runsOf(days, anchors), entries: replaced(entriesMeeting(read, range, tz), before, before) });
  }
  const counted = clusters.map((c) => countRuns(patient, c.entries, c.runs));
  let committed = false;
  return {
    async commit() {
      // A second commit would add the difference twice.
      if (committed) throw new Error('a summary change was committed twice');
      committed = true;
      const months = new Map<string, PeriodCounts>();
      const periods = new Map<string, Map<number, PeriodCounts>>(anchors.map((a) => [a, new Map()]));
      clusters.forEach((c, i) => {
        const now = countRuns(patient, replaced(c.entries, before, after), c.runs);
        c.runs.forEach((run, j) => {
          const d = subtractCounts(now[j]!, counted[i]![j]!);
          if (isZeroCounts(d)) return;
          addTo(months, monthOf(run.from), d);
          for (const [anchor, rows] of periods) addTo(rows, periodIndexOf(anchor, run.from), d);
        });
      });
      await addToRows(tx, patient.id, months, periods);
    },
  };
}

/**
 * The distinct days of `ranges`, in order, grouped so that days closer than two fetch margins
 * share one read of the entries around them.
 */
function clustersOf(ranges: readonly DateRange[]): string[][] {
  const days = new Set<string>();
  for (const r of ranges) for (let d = r.from; d <= r.to; d = addDays(d, 1)) days.add(d);
  const out: string[][] = [];
  for (const day of [...days].sort()) {
    const last = out.at(-1);
    if (last && dayNumber(day) - dayNumber(last.at(-1)!) <= 2 * FETCH_MARGIN_DAYS) last.push(day);
    else out.push([day]);
  }
  return out;
}

/** Sorted distinct days as runs of consecutive days, each inside one month and one period per anchor. */
function runsOf(days: readonly string[], anchors: readonly string[]): DateRange[] {
  const runs: DateRange[] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (
      run !== undefined &&
      dayNumber(day) === dayNumber(run.to) + 1 &&
      monthOf(day) === monthOf(run.from) &&
      anchors.every((a) => periodIndexOf(a, day) === periodIndexOf(a, run.from))
    ) {
      run.to = day;
    } else runs.push({ from: day, to: day });
  }
  return runs;
}

/**
 * The entries that can change a day of `range`: those whose stored days meet it, and those with a
 * medication taken on one of its days. Deriving only these keeps a write's cost to the entries
 * that matter; any more would count the same.
 */
function entriesMeeting(e: SummaryEntries, range: DateRange, tz: string): SummaryEntries {
  const inRange = (day: string) => day >= range.from && day <= range.to;
  const meets = (entry: SummaryEntry, intakes: readonly MedicationIntake[] | undefined) =>
    (entry.localDate <= range.to && entry.endDate >= range.from) ||
    (intakes ?? []).some((m) => m.takenAt !== undefined && inRange(localDateOf(m.takenAt, tz)));
  return {
    attacks: e.attacks.filter((a) => meets(a, (a.body as Attack).medications)),
    dailyRecords: e.dailyRecords.filter((r) => meets(r, (r.body as DailyRecord).medications)),
    medications: e.medications.filter((m) => meets(m, [m.body as MedicationIntake])),
  };
}

/** `entries` with `before` taken out and `after` put in at the end (the others keep their order). */
function replaced(entries: SummaryEntries, before: StoredEntry | null, after: StoredEntry | null): SummaryEntries {
  const out: SummaryEntries = { ...entries };
  for (const e of [before, after]) {
    if (e === null || e.kind === 'questionnaire') continue;
    out[LISTS[e.kind]] = out[LISTS[e.kind]].filter((x) => x.id !== e.id);
  }
  if (after !== null && after.kind !== 'questionnaire') {
    const { id, localDate, endDate, body } = after;
    out[LISTS[after.kind]] = [...out[LISTS[after.kind]], { id, localDate, endDate, body }];
  }
  return out;
}

/** The counts of each run, from these entries. */
function countRuns(patient: PatientRecord, e: SummaryEntries, runs: readonly DateRange[]): PeriodCounts[] {
  const derived = deriveDays(
    assembleDiary(patient, e.attacks, e.dailyRecords, e.medications, []),
    SUMMARY_CONFIG,
    FAR_FUTURE_MS,
  );
  const byStart = attacksByStartDate(derived.attacks);
  return runs.map((run) => countDays(derived, byStart, run.from, run.to));
}

/** A stored sum over no value is exactly 0, whatever rounding the differences left behind. */
function settled(c: PeriodCounts): PeriodCounts {
  for (const [sum, count] of SUMMED_FIELDS) if (c[count] === 0) c[sum] = 0;
  return c;
}

function addTo<K>(map: Map<K, PeriodCounts>, key: K, d: PeriodCounts): void {
  const had = map.get(key);
  map.set(key, had === undefined ? d : addCounts(had, d));
}

/**
 * Adds differences to the month rows and, per anchor, to the period rows: a row is created from
 * nothing when missing, and deleted when left with nothing recorded.
 */
async function addToRows(
  tx: StoreTx,
  patientId: string,
  months: ReadonlyMap<string, PeriodCounts>,
  periods: ReadonlyMap<string, ReadonlyMap<number, PeriodCounts>>,
): Promise<void> {
  if (months.size > 0) {
    const keys = [...months.keys()].sort();
    const stored = new Map(
      (await tx.listMonthSummaries(patientId, { from: keys[0], to: keys.at(-1) })).map((r) => [r.month, r.counts]),
    );
    const rows: MonthSummaryRow[] = [];
    for (const [month, d] of months) {
      const had = stored.get(month);
      const counts = settled(addCounts(had ?? emptyCounts(), d));
      if (!isEmptyCounts(counts)) rows.push({ month, counts });
      else if (had !== undefined) await tx.deleteMonthSummaries(patientId, { from: month, to: month });
    }
    if (rows.length > 0) await tx.upsertMonthSummaries(patientId, rows);
  }
  for (const [anchor, changes] of periods) {
    if (changes.size === 0) continue;
    const indexes = [...changes.keys()].sort((a, b) => a - b);
    const range = { fromIndex: indexes[0], toIndex: indexes.at(-1) };
    const stored = new Map(
      (await tx.listPeriod28Summaries(patientId, anchor, range)).map((r) => [r.periodIndex, r.counts]),
    );
    const rows: Period28SummaryRow[] = [];
    for (const [periodIndex, d] of changes) {
      const had = stored.get(periodIndex);
      const counts = settled(addCounts(had ?? emptyCounts(), d));
      if (!isEmptyCounts(counts)) rows.push({ periodIndex, counts });
      else if (had !== undefined) {
        await tx.deletePeriod28Summaries(patientId, anchor, { fromIndex: periodIndex, toIndex: periodIndex });
      }
    }
    if (rows.length > 0) await tx.upsertPeriod28Summaries(patientId, anchor, rows);
  }
}

/** The smallest range holding all of `ranges`, or null for none. */
export function hullOf(ranges: readonly DateRange[]): DateRange | null {
  if (ranges.length === 0) return null;
  let { from, to } = ranges[0]!;
  for (const r of ranges) {
    if (r.from < from) from = r.from;
    if (r.to > to) to = r.to;
  }
  return { from, to };
}

/**
 * One way a stored summary differs from its recomputation; or a column cohorts read beside a
 * response or a procedure from what its body gives.
 */
export interface SummaryDifference {
  patientId: string;
  table: 'month_summaries' | 'period28_summaries' | 'questionnaire_responses' | 'registry_records';
  /** `2024-03`, `<anchor date>#<period index>`, or a response's or procedure's id. */
  key: string;
  /** 'missing': no row but there should be; 'extra': a row that should not exist. */
  problem: 'differs' | 'missing' | 'extra';
  /**
   * A count (`migraineDays`, `medicationDaysByClass.triptan`) or a column (`migraine_days`,
   * `medication_overuse` as 0/1, a response's `instrument` or `score`, a procedure's `adjuncts`
   * as JSON or `trigger_sites`); null for a whole row.
   */
  field: string | null;
  stored: number | string | null;
  expected: number | string | null;
}

/** Each column of a summary row with its `SummaryColumnValues` field. */
const COLUMN_FIELDS = [
  ['recorded_days', 'recordedDays'],
  ['migraine_days', 'migraineDays'],
  ['headache_days', 'headacheDays'],
  ['acute_medication_days', 'acuteMedicationDays'],
  ['aura_days', 'auraDays'],
  ['medication_overuse', 'medicationOveruse'],
] as const satisfies readonly (readonly [string, keyof SummaryColumnValues])[];

/** A column's value as the report shows it: a flag as 0/1, as stored. */
const columnNumber = (v: number | boolean | null): number | null => (typeof v === 'boolean' ? Number(v) : v);

/** Every count as a flat field name and value, `medicationDaysByClass.<class>` included. */
function flatCounts(c: PeriodCounts): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'number') out.set(k, v);
    else for (const [cls, n] of Object.entries(v as Record<string, number>)) out.set(`${k}.${cls}`, n);
  }
  return out;
}

function compareRow(
  base: Omit<SummaryDifference, 'problem' | 'field' | 'stored' | 'expected'>,
  stored: Stored<{ counts: PeriodCounts }> | undefined,
  expected: PeriodCounts | undefined,
): SummaryDifference[] {
  if (stored === undefined && expected === undefined) return [];
  if (stored === undefined) {
    return [{ ...base, problem: 'missing', field: null, stored: null, expected: expected!.recordedDays }];
  }
  if (expected === undefined) {
    return [{ ...base, problem: 'extra', field: null, stored: stored.columns.recordedDays, expected: null }];
  }
  const out: SummaryDifference[] = [];
  const have = flatCounts(stored.counts);
  for (const [field, value] of flatCounts(expected)) {
    const got = have.get(field);
    if (got === undefined || !sameCount(field, got, value)) {
      out.push({ ...base, problem: 'differs', field, stored: got ?? null, expected: value });
    }
  }
  const columns = summaryColumnValues(expected);
  for (const [column, field] of COLUMN_FIELDS) {
    if (stored.columns[field] !== columns[field]) {
      out.push({
        ...base,
        problem: 'differs',
        field: column,
        stored: columnNumber(stored.columns[field]),
        expected: columnNumber(columns[field]),
      });
    }
  }
  return out;
}

/**
 * The columns cohorts read beside the patient's live responses and procedures that are not what
 * their bodies give (`storedQuestionnaireScore`, `procedureCohortFacts`).
 */
async function checkDerivedColumns(tx: StoreTx, patientId: string): Promise<SummaryDifference[]> {
  const out: SummaryDifference[] = [];
  const differs = (table: SummaryDifference['table'], key: string, field: string, stored: Value, expected: Value) => {
    if (stored !== expected) out.push({ patientId, table, key, problem: 'differs', field, stored, expected });
  };
  const { questionnaires, procedures } = await tx.listDerivedColumns(patientId);
  for (const r of questionnaires) {
    const scored = storedQuestionnaireScore(r.body);
    differs('questionnaire_responses', r.id, 'instrument', r.instrument, scored?.instrument ?? null);
    differs('questionnaire_responses', r.id, 'score', r.score, scored?.score ?? null);
  }
  for (const r of procedures) {
    const facts = procedureCohortFacts(r.body);
    const json = (a: string[] | null) => (a === null ? null : JSON.stringify(a));
    differs('registry_records', r.id, 'adjuncts', json(r.adjuncts), json(facts.adjuncts));
    differs('registry_records', r.id, 'trigger_sites', r.triggerSites, facts.triggerSites);
  }
  return out;
}

type Value = number | string | null;

/**
 * Compares the patient's stored rows with their recomputation from raw entries, and the columns
 * stored beside their responses and procedures with what the bodies give, in `tx`.
 */
export async function checkSummaries(tx: StoreTx, patient: PatientRecord): Promise<SummaryDifference[]> {
  const expected = await recomputeSummaries(tx, patient);
  const out: SummaryDifference[] = [];
  const storedMonths = new Map((await tx.listMonthSummaries(patient.id)).map((r) => [r.month, r]));
  const expectedMonths = new Map(expected.months.map((r) => [r.month, r.counts]));
  for (const month of [...new Set([...storedMonths.keys(), ...expectedMonths.keys()])].sort()) {
    const base = { patientId: patient.id, table: 'month_summaries' as const, key: month };
    out.push(...compareRow(base, storedMonths.get(month), expectedMonths.get(month)));
  }
  const expectedPeriods = new Map(expected.periods.map((p) => [p.anchorDate, p.rows]));
  const anchors = [...new Set([...(await tx.summaryAnchors(patient.id)), ...expectedPeriods.keys()])].sort();
  for (const anchor of anchors) {
    const stored = new Map((await tx.listPeriod28Summaries(patient.id, anchor)).map((r) => [r.periodIndex, r]));
    const want = new Map((expectedPeriods.get(anchor) ?? []).map((r) => [r.periodIndex, r.counts]));
    for (const i of [...new Set([...stored.keys(), ...want.keys()])].sort((a, b) => a - b)) {
      const base = { patientId: patient.id, table: 'period28_summaries' as const, key: `${anchor}#${i}` };
      out.push(...compareRow(base, stored.get(i), want.get(i)));
    }
  }
  out.push(...(await checkDerivedColumns(tx, patient.id)));
  return out;
}

export interface SummaryVerification {
  patients: number;
  /** Patients with at least one difference, in id order. */
  differingPatients: string[];
  /** Every difference, or the first `MAX_REPORTED_DIFFERENCES` of them. */
  differences: SummaryDifference[];
  totalDifferences: number;
  /** Patients whose summaries were rewritten (`--repair`). */
  repaired: string[];
}

/** Differences kept for the report; a changed configuration would otherwise list every row. */
export const MAX_REPORTED_DIFFERENCES = 10_000;

/**
 * `relief verify summaries`: recomputes every patient's summaries from the raw diary rows in one
 * consistent snapshot and lists each difference; with `repair`, rewrites the summaries of the
 * patients that differ, each in a transaction of its own with an audit row. Only an admin runs it.
 * The check itself reads counts without names: one audit row ('summaries.verify') records it.
 */
export class SummaryVerifier {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  async verify(
    ctx: RequestContext,
    options: { patientId?: string; repair?: boolean } = {},
  ): Promise<SummaryVerification> {
    const target = {
      action: 'summaries.verify',
      patientId: null,
      entityType: 'summaries',
      entityId: options.patientId ?? null,
    };
    // The check runs in a read snapshot, outside the writer's transaction, so the server keeps
    // taking writes meanwhile; its audit row follows in a short transaction of its own.
    const checked =
      ctx.actor.role === 'admin'
        ? await this.check(options.patientId).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          )
        : { error: forbidden('only an admin verifies summaries') };
    const result = await audited(this.store, this.clock, ctx, target, () => {
      if ('error' in checked) throw checked.error;
      return Promise.resolve({ result: checked.value });
    });
    if (options.repair) {
      for (const patientId of result.differingPatients) {
        const repairTarget = { action: 'summaries.repair', patientId, entityType: 'summaries', entityId: patientId };
        await onPatient(this.store, this.clock, ctx, repairTarget, async (tx, patient) => {
          await rebuildSummaries(tx, patient);
          return { result: undefined };
        });
        result.repaired.push(patientId);
      }
    }
    return result;
  }

  private check(patientId: string | undefined): Promise<SummaryVerification> {
    return this.store.snapshot(async (tx) => {
      const patients =
        patientId === undefined
          ? await tx.listPatients({})
          : [await tx.getPatient(patientId)].filter((p) => p !== undefined);
      if (patients.length === 0 && patientId !== undefined) {
        throw new ServiceError('not_found', `no patient "${patientId}"`);
      }
      const out: SummaryVerification = {
        patients: patients.length,
        differingPatients: [],
        differences: [],
        totalDifferences: 0,
        repaired: [],
      };
      for (const patient of [...patients].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        const differences = await checkSummaries(tx, patient);
        if (differences.length === 0) continue;
        out.differingPatients.push(patient.id);
        out.totalDifferences += differences.length;
        const room = MAX_REPORTED_DIFFERENCES - out.differences.length;
        if (room > 0) out.differences.push(...differences.slice(0, room));
      }
      return out;
    });
  }
}
