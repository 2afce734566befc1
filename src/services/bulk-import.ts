import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { canonical, newEntry, placement } from './diary-service.js';
import { conflict, InvalidInputError, ServiceError, type FieldIssue } from './errors.js';
import type { EntryKind } from './model.js';
import type { ReliefStore } from './ports.js';
import { ENTRY_BODY_SCHEMAS, idSchema } from './schemas.js';

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
      for (const { kind, id, body } of parsed) {
        const key = `${kind}\u0000${id}`;
        if (seen.has(key)) throw conflict(`${kind} ${id} appears twice in the import`);
        seen.add(key);
        const existing = await tx.getEntry(kind, id);
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
          await tx.insertEntry(newEntry(kind, patientId, id, body, place, now));
          if (kind === 'daily-record') dailyByDate.set(place.localDate, id);
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
