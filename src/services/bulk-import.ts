import { CARE_ROLES } from './access-policy.js';
import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { canonical, newEntry, placement } from './diary-service.js';
import { conflict, forbidden, InvalidInputError, ServiceError, type FieldIssue } from './errors.js';
import { ENTRY_KINDS, type EntryKind, type EntryRecord } from './model.js';
import type { ReliefStore } from './ports.js';
import { RECORD_KINDS, type RecordKind } from './registry-model.js';
import { newRecord, RECORD_BODY_SCHEMAS, recordColumns } from './registry-service.js';
import { ENTRY_BODY_SCHEMAS, idSchema } from './schemas.js';
import { entryDays, hullOf, refreshSummaries, syncAnchors, type DateRange } from './summaries.js';

/** One entry to import: what a PUT of /patients/:patientId/<kind>/:id would send. */
export interface ImportEntry {
  kind: EntryKind;
  id: string;
  body: Record<string, unknown>;
}

export interface ImportResult {
  created: number;
  unchanged: number;
}

/**
 * Writes many entries of one patient in one transaction with one audit row ('diary.import'),
 * for `relief demo` and other bulk loads where an audit row and a commit per entry would be
 * too slow. Each entry is treated as `DiaryService.put` without If-Match treats it: a new id is
 * created, the same body again is unchanged, and anything else (other content, a deleted entry,
 * an id of another patient, a second daily record on a date) fails the whole import, which then
 * writes nothing. Bodies are validated as the HTTP API validates them.
 */
export class DiaryImportService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  async importEntries(ctx: RequestContext, patientId: string, entries: readonly ImportEntry[]): Promise<ImportResult> {
    const parsed = validate(entries);
    const target = { action: 'diary.import', patientId, entityType: 'diary', entityId: patientId };
    return onPatient<ImportResult>(this.store, this.clock, ctx, target, async (tx, patient) => {
      const now = this.clock().toISOString();
      const result: ImportResult = { created: 0, unchanged: 0 };
      // Live daily records by date, kept up to date as records are added: one per date.
      const dailyByDate = new Map<string, string>();
      for (const e of await tx.listEntries('daily-record', patientId, {})) dailyByDate.set(e.localDate, e.id);
      const seen = new Set<string>();
      const written: DateRange[] = [];
      // Ids already stored (this patient's or another's), read in a few statements rather than one per entry.
      const existingById = new Map<string, EntryRecord>();
      for (const kind of ENTRY_KINDS) {
        const ids = parsed.filter((e) => e.kind === kind).map((e) => e.id);
        if (ids.length === 0) continue;
        for (const e of await tx.getEntries(kind, ids)) existingById.set(`${kind}\u0000${e.id}`, e);
      }
      const created: EntryRecord[] = [];
      for (const { kind, id, body } of parsed) {
        const key = `${kind}\u0000${id}`;
        if (seen.has(key)) throw conflict(`${kind} ${id} appears twice in the import`);
        seen.add(key);
        const existing = existingById.get(key);
        if (existing && existing.patientId !== patientId) {
          throw new ServiceError('not_found', `${kind} ${id} not found`, { auditOutcome: 'denied' });
        }
        const place = placement(kind, body, patient.timeZone);
        if (kind === 'daily-record') {
          const other = dailyByDate.get(place.localDate);
          if (other !== undefined && other !== id) {
            throw conflict(`there is already a daily record for ${place.localDate}`, { existingId: other });
          }
        }
        if (!existing) {
          created.push(newEntry(kind, patientId, id, body, place, now));
          if (kind === 'daily-record') dailyByDate.set(place.localDate, id);
          written.push(...entryDays(kind, body, patient.timeZone));
          result.created++;
          continue;
        }
        if (existing.deletedAt === null && canonical(existing.body) === canonical(body)) {
          result.unchanged++;
          continue;
        }
        throw conflict(`${kind} ${id} exists with other content (version ${existing.version})`, {
          currentVersion: existing.version,
          reason: 'version_required',
        });
      }
      await tx.insertEntries(created);
      // The summaries of the days written, recomputed once from the stored rows, not entry by entry.
      const hull = hullOf(written);
      if (hull !== null) await refreshSummaries(tx, patient, [hull]);
      return { result, outcome: result.created === 0 ? 'unchanged' : 'ok' };
    });
  }
}

/** Checks ids and bodies as the API does, and returns the bodies as the API would store them. */
function validate(entries: readonly ImportEntry[]): ImportEntry[] {
  const issues: FieldIssue[] = [];
  const out = entries.map((entry, i): ImportEntry => {
    if (!idSchema.safeParse(entry.id).success) issues.push({ path: `entries.${i}.id`, message: 'is not a valid id' });
    if (entry.kind === 'attack' && entry.body.id !== entry.id) {
      issues.push({ path: `entries.${i}.body.id`, message: 'must equal the entry id' });
    }
    const parsed = ENTRY_BODY_SCHEMAS[entry.kind].safeParse(entry.body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: [`entries.${i}.body`, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return entry;
    }
    return { ...entry, body: parsed.data as Record<string, unknown> };
  });
  if (issues.length > 0) throw new InvalidInputError(issues.slice(0, 20));
  return out;
}

/** One registry record to import: what a PUT of /patients/:patientId/<kind>s/:id would send. */
export interface ImportRecord {
  kind: RecordKind;
  id: string;
  body: Record<string, unknown>;
}

/**
 * Writes many registry records (procedures, treatments, adverse events) of one patient in one
 * transaction with one audit row ('registry.import'), for `relief demo` and other bulk loads.
 * Each record is treated as `RegistryService.put` without If-Match treats it: a new id is
 * created, the same body again is unchanged, anything else fails the whole import, which then
 * writes nothing. Bodies are validated with the registry's schemas; a procedure's site must exist
 * and an adverse event's procedure must be one of the patient's. The 28-day summaries are
 * re-anchored on the patient's procedure dates in the same transaction.
 */
export class RegistryImportService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  async importRecords(ctx: RequestContext, patientId: string, records: readonly ImportRecord[]): Promise<ImportResult> {
    const parsed = validateRecords(records);
    const target = { action: 'registry.import', patientId, entityType: 'registry', entityId: patientId };
    return onPatient<ImportResult>(this.store, this.clock, ctx, target, async (tx, patient) => {
      if (!CARE_ROLES.has(ctx.actor.role)) throw forbidden('only clinicians and admins write registry records');
      const now = this.clock().toISOString();
      const result: ImportResult = { created: 0, unchanged: 0 };
      // The patient's live procedures and their dates, for the adverse events that name one.
      const procedures = new Map((await tx.listRecords(patientId, 'procedure')).map((r) => [r.id, r.startDate]));
      const sites = new Map<string, boolean>();
      const seen = new Set<string>();
      let anchorsChanged = false;
      for (const [i, { kind, id, body }] of parsed.entries()) {
        if (seen.has(id)) throw conflict(`record ${id} appears twice in the import`);
        seen.add(id);
        const columns = recordColumns(kind, body);
        const existing = await tx.getRecord(kind, id);
        if (existing && existing.patientId !== patientId) {
          throw new ServiceError('not_found', `${kind} ${id} not found`, { auditOutcome: 'denied' });
        }
        if (existing) {
          if (existing.deletedAt === null && canonical(existing.body) === canonical(body)) {
            result.unchanged++;
            continue;
          }
          throw conflict(`${kind} ${id} exists with other content (version ${existing.version})`, {
            currentVersion: existing.version,
            reason: 'version_required',
          });
        }
        for (const other of RECORD_KINDS) {
          const taken = other === kind ? undefined : await tx.getRecord(other, id);
          if (taken && taken.patientId !== patientId) {
            throw new ServiceError('not_found', `${kind} ${id} not found`, { auditOutcome: 'denied' });
          }
          if (taken) throw conflict(`id "${id}" is already used by a ${other} of this patient`);
        }
        if (columns.siteId !== null) {
          if (!sites.has(columns.siteId)) sites.set(columns.siteId, (await tx.getSite(columns.siteId)) !== undefined);
          if (!sites.get(columns.siteId)) {
            throw new InvalidInputError([{ path: `records.${i}.body.siteId`, message: `no site "${columns.siteId}"` }]);
          }
        }
        if (columns.procedureId !== null) {
          const procedureDate = procedures.get(columns.procedureId);
          if (procedureDate === undefined) {
            throw new InvalidInputError([
              {
                path: `records.${i}.body.procedureId`,
                message: `no procedure "${columns.procedureId}" of this patient`,
              },
            ]);
          }
          // As RegistryService.put: an event linked to a procedure cannot start before it.
          if (columns.startDate < procedureDate) {
            throw new InvalidInputError([
              { path: `records.${i}.body.onset`, message: `must not be before the procedure (${procedureDate})` },
            ]);
          }
        }
        await tx.insertRecord(newRecord(kind, patientId, id, body, now));
        if (kind === 'procedure') {
          procedures.set(id, columns.startDate);
          anchorsChanged = true;
        }
        result.created++;
      }
      if (anchorsChanged) await syncAnchors(tx, patient);
      return { result, outcome: result.created === 0 ? 'unchanged' : 'ok' };
    });
  }
}

/** Checks ids and bodies as the registry API does, and returns the bodies as it would store them. */
function validateRecords(records: readonly ImportRecord[]): ImportRecord[] {
  const issues: FieldIssue[] = [];
  const out = records.map((record, i): ImportRecord => {
    if (!idSchema.safeParse(record.id).success) issues.push({ path: `records.${i}.id`, message: 'is not a valid id' });
    const schema = RECORD_BODY_SCHEMAS[record.kind];
    if (schema === undefined) {
      issues.push({ path: `records.${i}.kind`, message: `must be one of ${RECORD_KINDS.join(', ')}` });
      return record;
    }
    const parsed = schema.safeParse(record.body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: [`records.${i}.body`, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return record;
    }
    return { ...record, body: parsed.data };
  });
  if (issues.length > 0) throw new InvalidInputError(issues.slice(0, 20));
  return out;
}
