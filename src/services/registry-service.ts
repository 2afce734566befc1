import type { z } from 'zod';
import {
  adverseEventSchema,
  procedureSchema,
  treatmentSchema,
  type AdverseEvent,
  type Procedure,
  type Treatment,
} from '../domain/registry.js';
import { localDateAt } from '../domain/time.js';
import { CARE_ROLES } from './access-policy.js';
import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { canonical } from './diary-service.js';
import { conflict, DuplicateKeyError, type FieldIssue, forbidden, InvalidInputError, ServiceError } from './errors.js';
import type { ReliefStore, StoreTx } from './ports.js';
import { RECORD_KINDS, type RecordKind, type RegistryRecord } from './registry-model.js';
import { syncAnchors } from './summaries.js';
import { precondition, type WriteResult } from './write-result.js';

/** The body schema of each registry record kind (shared by the API, the CLI and the service). */
export const RECORD_BODY_SCHEMAS: Record<RecordKind, z.ZodType<Record<string, unknown>>> = {
  procedure: procedureSchema as z.ZodType<Record<string, unknown>>,
  treatment: treatmentSchema as z.ZodType<Record<string, unknown>>,
  'adverse-event': adverseEventSchema as z.ZodType<Record<string, unknown>>,
};

/** A registry record as the API returns it: the record data and its bookkeeping. */
export interface RecordView {
  id: string;
  patientId: string;
  kind: RecordKind;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: Record<string, unknown>;
}

export const toRecordView = (r: RegistryRecord): RecordView => ({
  id: r.id,
  patientId: r.patientId,
  kind: r.kind,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  data: r.body,
});

type Columns = Pick<RegistryRecord, 'startDate' | 'endDate' | 'category' | 'siteId' | 'surgeon' | 'procedureId'>;

/** What lists and cohorts query, taken from a validated body. */
export function recordColumns(kind: RecordKind, body: Record<string, unknown>): Columns {
  const none = { siteId: null, surgeon: null, procedureId: null };
  switch (kind) {
    case 'procedure': {
      const p = body as Procedure;
      return { ...none, startDate: p.date, endDate: null, category: p.type, siteId: p.siteId, surgeon: p.surgeon };
    }
    case 'treatment': {
      const t = body as Treatment;
      // A block or an operation is over on its day; the others run until stopped (null while ongoing).
      const endDate = 'stop' in t ? (t.stop ?? null) : t.start;
      return { ...none, startDate: t.start, endDate, category: t.type };
    }
    case 'adverse-event': {
      const e = body as AdverseEvent;
      return {
        ...none,
        startDate: e.onset,
        endDate: e.resolved ?? null,
        category: e.grade,
        procedureId: e.procedureId ?? null,
      };
    }
  }
}

/**
 * Strings holding NUL, by path: PostgreSQL text cannot store the character (SQLite can), so the
 * same body must be refused on both. The API refuses it before the service; the CLI comes here.
 * Bodies are a few levels deep: anything deeper is left to the schema, which refuses it.
 */
function nulIssues(value: unknown, path: string, out: FieldIssue[], depth = 0): FieldIssue[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ path, message: 'must not contain the NUL character' });
  } else if (typeof value === 'object' && value !== null && depth < 8) {
    for (const [k, v] of Object.entries(value)) {
      nulIssues(k.includes('\u0000') ? k : v, `${path}.${k}`, out, depth + 1);
    }
  }
  return out;
}

/** A record's first version. */
export function newRecord(
  kind: RecordKind,
  patientId: string,
  id: string,
  body: Record<string, unknown>,
  now: string,
): RegistryRecord {
  const columns = recordColumns(kind, body);
  return { id, patientId, kind, ...columns, body, version: 1, createdAt: now, updatedAt: now, deletedAt: null };
}

/** Validates a body with its kind's schema; problems are named `body.<field>`. */
export function parseRecordBody(kind: RecordKind, input: unknown): Record<string, unknown> {
  const nul = nulIssues(input, 'body', []);
  if (nul.length > 0) throw new InvalidInputError(nul);
  const parsed = RECORD_BODY_SCHEMAS[kind].safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** Hidden from the caller as "not found"; the audit log records what it was. */
const recordNotFound = (kind: RecordKind, auditOutcome: 'not_found' | 'denied' = 'not_found') =>
  new ServiceError('not_found', `${kind} not found`, { auditOutcome });

const requireCareRole = (ctx: RequestContext) => {
  if (!CARE_ROLES.has(ctx.actor.role)) throw forbidden('only clinicians and admins write registry records');
};

/**
 * Procedures, treatments and adverse events of one patient. Written by the care team; the patient
 * reads their own. Ids are chosen by the client, so a retried PUT never duplicates a record.
 */
export class RegistryService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * References a body makes to sites and other records must exist; each problem names its field.
   * An adverse event linked to a procedure cannot start before it: cohorts count a linked event in
   * every window of the procedure, so an earlier onset would pass for a complication of it.
   */
  private async checkReferences(
    tx: StoreTx,
    kind: RecordKind,
    patientId: string,
    id: string,
    columns: Columns,
    today: string,
  ): Promise<void> {
    const issues: FieldIssue[] = [];
    // A procedure or a treatment may be planned; an adverse event has happened.
    if (kind === 'adverse-event' && columns.startDate > today) {
      issues.push({ path: 'body.onset', message: `must not be after today (${today})` });
    }
    if (kind === 'adverse-event' && columns.endDate !== null && columns.endDate > today) {
      issues.push({ path: 'body.resolved', message: `must not be after today (${today})` });
    }
    if (kind === 'procedure' && columns.siteId !== null && !(await tx.getSite(columns.siteId))) {
      issues.push({ path: 'body.siteId', message: `no site "${columns.siteId}"` });
    }
    if (kind === 'procedure') {
      const earlier = (await tx.listRecords(patientId, 'adverse-event')).filter(
        (e) => e.procedureId === id && e.startDate < columns.startDate,
      );
      if (earlier.length > 0) {
        const list = earlier.map((e) => `"${e.id}" (${e.startDate})`).join(', ');
        issues.push({ path: 'body.date', message: `must not be after the onset of its adverse events ${list}` });
      }
    }
    if (kind === 'adverse-event' && columns.procedureId !== null) {
      const procedure = await tx.getRecord('procedure', columns.procedureId);
      if (!procedure || procedure.patientId !== patientId || procedure.deletedAt !== null) {
        issues.push({ path: 'body.procedureId', message: `no procedure "${columns.procedureId}" of this patient` });
      } else if (columns.startDate < procedure.startDate) {
        issues.push({ path: 'body.onset', message: `must not be before the procedure (${procedure.startDate})` });
      }
    }
    if (issues.length > 0) throw new InvalidInputError(issues);
  }

  /** Ids are unique across kinds: an id already used by another kind is refused, not overwritten. */
  private async checkIdFree(tx: StoreTx, kind: RecordKind, patientId: string, id: string): Promise<void> {
    for (const other of RECORD_KINDS) {
      if (other === kind) continue;
      const record = await tx.getRecord(other, id);
      if (!record) continue;
      if (record.patientId !== patientId) throw recordNotFound(kind, 'denied');
      throw conflict(`id "${id}" is already used by a ${other} of this patient`, { existingKind: other });
    }
  }

  /**
   * Creates or replaces one record under the id the client chose. The same body again changes
   * nothing; a different body needs the version it was based on. A procedure write re-anchors the
   * patient's 28-day summaries in the same transaction.
   */
  async put(
    ctx: RequestContext,
    kind: RecordKind,
    patientId: string,
    id: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<WriteResult<RecordView>> {
    const body = parseRecordBody(kind, input);
    const columns = recordColumns(kind, body);
    const target = { action: `${kind}.put`, patientId, entityType: kind, entityId: id };
    const attempt = () =>
      onPatient<WriteResult<RecordView>>(this.store, this.clock, ctx, target, async (tx, patient) => {
        requireCareRole(ctx);
        const existing = await tx.getRecord(kind, id);
        if (existing && existing.patientId !== patientId) throw recordNotFound(kind, 'denied');
        if (existing && existing.deletedAt === null && canonical(existing.body) === canonical(body)) {
          return { result: { status: 'unchanged', record: toRecordView(existing) }, outcome: 'unchanged' };
        }
        // Bringing back a deleted record also needs its version, so an old retry cannot undo a delete.
        if (existing) precondition(existing.version, ifMatch);
        const today = localDateAt(this.clock().getTime(), patient.timeZone);
        await this.checkReferences(tx, kind, patientId, id, columns, today);
        const now = this.clock().toISOString();
        let record: RegistryRecord;
        if (!existing) {
          await this.checkIdFree(tx, kind, patientId, id);
          record = newRecord(kind, patientId, id, body, now);
          await tx.insertRecord(record);
        } else {
          record = { ...existing, ...columns, body, version: existing.version + 1, updatedAt: now, deletedAt: null };
          if (!(await tx.updateRecord(record, existing.version))) precondition(existing.version + 1, ifMatch);
        }
        if (kind === 'procedure') await syncAnchors(tx, patient);
        return { result: { status: existing ? 'updated' : 'created', record: toRecordView(record) } };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two first writes of one id raced (PostgreSQL); the second now sees the first.
      if (error instanceof DuplicateKeyError) return attempt();
      throw error;
    }
  }

  async get(ctx: RequestContext, kind: RecordKind, patientId: string, id: string): Promise<RecordView> {
    const target = { action: `${kind}.read`, patientId, entityType: kind, entityId: id };
    return onPatient(this.store, this.clock, ctx, target, async (tx) => {
      const record = await tx.getRecord(kind, id);
      if (!record || record.deletedAt !== null) throw recordNotFound(kind);
      if (record.patientId !== patientId) throw recordNotFound(kind, 'denied');
      return { result: toRecordView(record) };
    });
  }

  /** The patient's live records of one kind, by start date. */
  async list(ctx: RequestContext, kind: RecordKind, patientId: string): Promise<RecordView[]> {
    const target = { action: `${kind}.list`, patientId, entityType: kind, entityId: null };
    return onPatient(this.store, this.clock, ctx, target, async (tx) => ({
      result: (await tx.listRecords(patientId, kind)).map(toRecordView),
    }));
  }

  /**
   * Marks a record deleted (kept for the audit trail); deleting it again is a no-op. A procedure
   * that live adverse events point to is not deleted: they would be left pointing at nothing.
   */
  async delete(
    ctx: RequestContext,
    kind: RecordKind,
    patientId: string,
    id: string,
    ifMatch: number | undefined,
  ): Promise<void> {
    const target = { action: `${kind}.delete`, patientId, entityType: kind, entityId: id };
    await onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      requireCareRole(ctx);
      const record = await tx.getRecord(kind, id);
      if (!record) throw recordNotFound(kind);
      if (record.patientId !== patientId) throw recordNotFound(kind, 'denied');
      if (record.deletedAt !== null) return { result: undefined, outcome: 'unchanged' };
      if (ifMatch !== undefined) precondition(record.version, ifMatch);
      if (kind === 'procedure') {
        const linked = (await tx.listRecords(patientId, 'adverse-event')).filter((e) => e.procedureId === id);
        if (linked.length > 0) {
          const ids = linked.map((e) => e.id);
          throw conflict(
            `adverse events ${ids.map((i) => `"${i}"`).join(', ')} follow this procedure: unlink or delete them first`,
            {
              reason: 'has_adverse_events',
              adverseEventIds: ids,
            },
          );
        }
      }
      const now = this.clock().toISOString();
      const deleted = { ...record, version: record.version + 1, updatedAt: now, deletedAt: now };
      if (!(await tx.updateRecord(deleted, record.version))) precondition(record.version + 1, ifMatch);
      if (kind === 'procedure') await syncAnchors(tx, patient);
      return { result: undefined };
    });
  }
}
