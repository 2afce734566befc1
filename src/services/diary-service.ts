import { analyzeDiary, type DiaryAnalysis } from '../domain/analysis.js';
import { calendarDays, type CalendarDay } from '../domain/calendar-days.js';
import { canonical } from '../domain/canonical-json.js';
import { DEFAULT_CONFIG } from '../domain/config.js';
import type { Attack, DailyRecord, Diary, MedicationIntake } from '../domain/diary.js';
import type { QuestionnaireResponse } from '../domain/questionnaires.js';
import { addDays, isLocalMidnight, localDateOf } from '../domain/time.js';
import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { conflict, DuplicateKeyError, InvalidInputError, ServiceError } from './errors.js';
import type { EntryKind, EntryRecord, PatientRecord } from './model.js';
import type { EntryRange, ReliefStore } from './ports.js';
import type { MedicationEntry } from './schemas.js';
import { beginSummaryChange } from './summaries.js';
import { precondition, type WriteResult } from './write-result.js';

/** An entry as the API returns it: the diary data and its bookkeeping. */
export interface EntryView {
  id: string;
  patientId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: Record<string, unknown>;
}

export const toEntryView = (e: EntryRecord): EntryView => ({
  id: e.id,
  patientId: e.patientId,
  version: e.version,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  data: e.body,
});

const utc = (instant: string) => new Date(instant).toISOString();

/** The local days an entry covers and its UTC instant, for range queries. */
export function placement(kind: EntryKind, body: Record<string, unknown>, timeZone: string) {
  switch (kind) {
    case 'attack': {
      const a = body as Attack;
      const localDate = localDateOf(a.start, timeZone);
      let endDate: string;
      if (a.end === undefined) {
        // An ongoing attack is counted for at most this many days (docs/clinical-rules.md).
        endDate = addDays(localDate, DEFAULT_CONFIG.ongoingAttackMaxDays);
      } else {
        // An end at local midnight does not reach into the new day.
        endDate = localDateOf(a.end, timeZone);
        if (isLocalMidnight(a.end, timeZone) && endDate > localDate) endDate = addDays(endDate, -1);
      }
      return { localDate, endDate, instant: utc(a.start) };
    }
    case 'daily-record': {
      const date = (body as DailyRecord).date;
      return { localDate: date, endDate: date, instant: null };
    }
    case 'medication': {
      const m = body as MedicationEntry;
      const date = m.date ?? localDateOf(m.takenAt!, timeZone);
      return { localDate: date, endDate: date, instant: m.takenAt === undefined ? null : utc(m.takenAt) };
    }
    case 'questionnaire': {
      const date = (body as QuestionnaireResponse).date;
      return { localDate: date, endDate: date, instant: null };
    }
  }
}

/** An entry's first version. */
export function newEntry(
  kind: EntryKind,
  patientId: string,
  id: string,
  body: Record<string, unknown>,
  place: ReturnType<typeof placement>,
  now: string,
): EntryRecord {
  return { id, patientId, kind, ...place, body, version: 1, createdAt: now, updatedAt: now, deletedAt: null };
}

/** Other services compare bodies the same way. */
export { canonical };

const ENTITY: Record<EntryKind, string> = {
  attack: 'attack',
  'daily-record': 'daily-record',
  medication: 'medication',
  questionnaire: 'questionnaire',
};

/** Hidden from the caller as "not found"; the audit log records what it was. */
const entryNotFound = (kind: EntryKind, auditOutcome: 'not_found' | 'denied' = 'not_found') =>
  new ServiceError('not_found', `${ENTITY[kind]} not found`, { auditOutcome });

export class DiaryService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * Creates or replaces one diary entry under the id the client chose. Sending the same body
   * again changes nothing, so a phone may retry until it hears back; a different body needs the
   * version it was based on.
   */
  async put(
    ctx: RequestContext,
    kind: EntryKind,
    patientId: string,
    id: string,
    body: Record<string, unknown>,
    ifMatch: number | undefined,
  ): Promise<WriteResult<EntryView>> {
    if (kind === 'attack' && body.id !== id) {
      throw new InvalidInputError([{ path: 'body.id', message: 'must equal the id in the path' }]);
    }
    const target = { action: `${kind}.put`, patientId, entityType: ENTITY[kind], entityId: id };
    const attempt = () =>
      onPatient<WriteResult<EntryView>>(this.store, this.clock, ctx, target, async (tx, patient) => {
        const now = this.clock().toISOString();
        const existing = await tx.getEntry(kind, id);
        if (existing && existing.patientId !== patientId) throw entryNotFound(kind, 'denied');
        const place = placement(kind, body, patient.timeZone);
        if (kind === 'daily-record') {
          const other = await tx.findLiveEntryOnDate(kind, patientId, place.localDate);
          if (other && other.id !== id) {
            throw conflict(`there is already a daily record for ${place.localDate}`, { existingId: other.id });
          }
        }
        if (!existing) {
          const entry = newEntry(kind, patientId, id, body, place, now);
          const summaries = await beginSummaryChange(tx, patient, null, entry);
          await tx.insertEntry(entry);
          await summaries.commit();
          return { result: { status: 'created', record: toEntryView(entry) } };
        }
        if (existing.deletedAt === null && canonical(existing.body) === canonical(body)) {
          return { result: { status: 'unchanged', record: toEntryView(existing) }, outcome: 'unchanged' };
        }
        // Bringing back a deleted entry also needs its version, so an old retry cannot undo a delete.
        precondition(existing.version, ifMatch);
        const entry: EntryRecord = {
          ...existing,
          ...place,
          body,
          version: existing.version + 1,
          updatedAt: now,
          deletedAt: null,
        };
        const summaries = await beginSummaryChange(tx, patient, existing.deletedAt === null ? existing : null, entry);
        if (!(await tx.updateEntry(entry, existing.version))) precondition(existing.version + 1, ifMatch);
        await summaries.commit();
        return { result: { status: 'updated', record: toEntryView(entry) } };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two first writes of one id raced (PostgreSQL); the second now sees the first.
      if (error instanceof DuplicateKeyError) return attempt();
      throw error;
    }
  }

  async get(ctx: RequestContext, kind: EntryKind, patientId: string, id: string): Promise<EntryView> {
    const target = { action: `${kind}.read`, patientId, entityType: ENTITY[kind], entityId: id };
    return onPatient(this.store, this.clock, ctx, target, async (tx) => {
      const entry = await tx.getEntry(kind, id);
      if (!entry || entry.deletedAt !== null) throw entryNotFound(kind);
      if (entry.patientId !== patientId) throw entryNotFound(kind, 'denied');
      return { result: toEntryView(entry) };
    });
  }

  async list(ctx: RequestContext, kind: EntryKind, patientId: string, range: EntryRange): Promise<EntryView[]> {
    const target = { action: `${kind}.list`, patientId, entityType: ENTITY[kind], entityId: null };
    return onPatient(this.store, this.clock, ctx, target, async (tx) => ({
      result: (await tx.listEntries(kind, patientId, range)).map(toEntryView),
    }));
  }

  /** Marks an entry deleted (kept for the audit trail); deleting it again is a no-op. */
  async delete(
    ctx: RequestContext,
    kind: EntryKind,
    patientId: string,
    id: string,
    ifMatch: number | undefined,
  ): Promise<void> {
    const target = { action: `${kind}.delete`, patientId, entityType: ENTITY[kind], entityId: id };
    await onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const entry = await tx.getEntry(kind, id);
      if (!entry) throw entryNotFound(kind);
      if (entry.patientId !== patientId) throw entryNotFound(kind, 'denied');
      if (entry.deletedAt !== null) return { result: undefined, outcome: 'unchanged' };
      if (ifMatch !== undefined) precondition(entry.version, ifMatch);
      const now = this.clock().toISOString();
      const deleted = { ...entry, version: entry.version + 1, updatedAt: now, deletedAt: now };
      const summaries = await beginSummaryChange(tx, patient, entry, null);
      if (!(await tx.updateEntry(deleted, entry.version))) precondition(entry.version + 1, ifMatch);
      await summaries.commit();
      return { result: undefined };
    });
  }

  /** The patient's whole diary in the relief-diary format. */
  async diary(ctx: RequestContext, patientId: string): Promise<Diary> {
    const target = { action: 'diary.read', patientId, entityType: 'diary', entityId: patientId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const [attacks, daily, medications, questionnaires] = await Promise.all([
        tx.listEntries('attack', patientId, {}),
        tx.listEntries('daily-record', patientId, {}),
        tx.listEntries('medication', patientId, {}),
        tx.listEntries('questionnaire', patientId, {}),
      ]);
      return { result: assembleDiary(patient, attacks, daily, medications, questionnaires) };
    });
  }

  /** Months, 28-day periods, classification, medication-overuse warnings and triggers from the core. */
  async analysis(
    ctx: RequestContext,
    patientId: string,
    options: { now?: string; referenceDate?: string; adjustForMenstruation?: boolean },
  ): Promise<DiaryAnalysis> {
    const diary = await this.diary(ctx, patientId);
    const now = options.now === undefined ? this.clock().getTime() : Date.parse(options.now);
    const triggers = { ...DEFAULT_CONFIG.triggers, adjustForMenstruation: options.adjustForMenstruation ?? false };
    return analyzeDiary(diary, { now, referenceDate: options.referenceDate, config: { triggers } });
  }

  /**
   * Each local day from `from` to `to` as a calendar shows it (domain/calendar-days.ts). Reads the
   * entries of the range and a week around it: an attack covers the days it spans, and a
   * medication recorded in an entry may have been taken a day or two outside that entry's days.
   */
  async days(ctx: RequestContext, patientId: string, range: { from: string; to: string }): Promise<CalendarDay[]> {
    const target = { action: 'days.read', patientId, entityType: 'diary', entityId: patientId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const around = { from: addDays(range.from, -7), to: addDays(range.to, 7) };
      const [attacks, daily, medications] = await Promise.all([
        tx.listEntries('attack', patientId, around),
        tx.listEntries('daily-record', patientId, around),
        tx.listEntries('medication', patientId, around),
      ]);
      const diary = assembleDiary(patient, attacks, daily, medications, []);
      return { result: calendarDays(diary, range.from, range.to, this.clock().getTime(), DEFAULT_CONFIG) };
    });
  }
}

/** What of a stored entry the diary is built from. */
export type DiaryEntry = Pick<EntryRecord, 'localDate' | 'body'>;

/**
 * Builds the core's Diary from stored entries. A medication logged on its own joins the daily
 * record of its day (a day with only a medication entry is a recorded day, as in the chronic
 * log import).
 */
export function assembleDiary(
  patient: PatientRecord,
  attacks: readonly DiaryEntry[],
  daily: readonly DiaryEntry[],
  medications: readonly DiaryEntry[],
  questionnaires: readonly DiaryEntry[],
): Diary {
  const records = new Map<string, DailyRecord>();
  for (const e of daily) records.set(e.localDate, { ...(e.body as DailyRecord) });
  for (const e of medications) {
    const { date: _date, ...intake } = e.body as MedicationEntry;
    const record = records.get(e.localDate) ?? { date: e.localDate };
    record.medications = [...(record.medications ?? []), intake as MedicationIntake];
    records.set(e.localDate, record);
  }
  return {
    format: 'relief-diary',
    version: 1,
    patient: {
      id: patient.id,
      timeZone: patient.timeZone,
      conditions: patient.conditions as Diary['patient']['conditions'],
      ...(patient.birthYear !== null && { birthYear: patient.birthYear }),
      ...(patient.sex !== null && { sex: patient.sex }),
    },
    ...(patient.referenceDate !== null && { referenceDate: patient.referenceDate }),
    attacks: attacks.map((e) => e.body as Attack),
    dailyRecords: [...records.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    questionnaires: questionnaires.map((e) => e.body as QuestionnaireResponse),
  };
}
