import type { RequestContext } from './actor.js';
import { CARE_ROLES, patientAccess } from './access-policy.js';
import { audited, onPatient } from './audited.js';
import { type FieldIssue, forbidden, InvalidInputError, ServiceError } from './errors.js';
import type { PatientRecord } from './model.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type { PatientInput } from './schemas.js';
import { rebuildSummaries } from './summaries.js';
import { precondition, type WriteResult } from './write-result.js';

export class PatientService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * Patients the actor may see, a page at a time: a clinician's own sites, or every site for an
   * admin. Each patient listed gets an audit row, since the list shows who they are.
   */
  async list(
    ctx: RequestContext,
    filter: { siteId?: string; search?: string; limit: number; offset: number },
  ): Promise<PatientRecord[]> {
    const target = { action: 'patient.list', patientId: null, entityType: 'patient', entityId: null };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      if (!CARE_ROLES.has(ctx.actor.role)) throw forbidden('only clinicians and admins list patients');
      let siteIds: readonly string[] | undefined = ctx.actor.role === 'admin' ? undefined : ctx.actor.siteIds;
      if (filter.siteId !== undefined) {
        siteIds = siteIds === undefined || siteIds.includes(filter.siteId) ? [filter.siteId] : [];
      }
      const patients = await tx.listPatients({
        siteIds,
        search: filter.search,
        limit: filter.limit,
        offset: filter.offset,
      });
      return { result: patients, disclosed: patients.map((p) => p.id) };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<PatientRecord> {
    const target = { action: 'patient.read', patientId: id, entityType: 'patient', entityId: id };
    return onPatient(this.store, this.clock, ctx, target, async (_tx, patient) => ({ result: patient }));
  }

  private async checkInput(tx: StoreTx, ctx: RequestContext, input: PatientInput): Promise<void> {
    if (ctx.actor.role === 'clinician' && !ctx.actor.siteIds.includes(input.siteId)) {
      throw forbidden(`you are not a member of site "${input.siteId}"`);
    }
    const issues: FieldIssue[] = [];
    if (!(await tx.getSite(input.siteId))) issues.push({ path: 'body.siteId', message: `no site "${input.siteId}"` });
    for (const [i, userId] of input.careTeam.entries()) {
      const user = await tx.getUserById(userId);
      if (!user || user.role !== 'clinician')
        issues.push({ path: `body.careTeam.${i}`, message: 'is not a clinician' });
    }
    if (issues.length > 0) throw new InvalidInputError(issues);
  }

  /** Creates or updates a patient record; idempotent, with a version check on changes. */
  async put(
    ctx: RequestContext,
    id: string,
    input: PatientInput,
    ifMatch: number | undefined,
  ): Promise<WriteResult<PatientRecord>> {
    const target = { action: 'patient.put', patientId: id, entityType: 'patient', entityId: id };
    return audited<WriteResult<PatientRecord>>(this.store, this.clock, ctx, target, async (tx) => {
      if (!CARE_ROLES.has(ctx.actor.role)) throw forbidden('only clinicians and admins edit patient records');
      const existing = await tx.getPatient(id);
      if (existing && patientAccess(ctx.actor, existing) !== 'allowed') {
        throw new ServiceError('not_found', 'patient not found', { auditOutcome: 'denied' });
      }
      await this.checkInput(tx, ctx, input);
      const now = this.clock().toISOString();
      const fields = {
        siteId: input.siteId,
        displayName: input.displayName,
        birthYear: input.birthYear ?? null,
        sex: input.sex ?? null,
        timeZone: input.timeZone,
        conditions: input.conditions,
        referenceDate: input.referenceDate ?? null,
        careTeam: [...new Set(input.careTeam)].sort(),
      };
      if (!existing) {
        const patient: PatientRecord = { id, userId: null, ...fields, version: 1, createdAt: now, updatedAt: now };
        await tx.insertPatient(patient);
        return { result: { status: 'created', record: patient } };
      }
      const same = (Object.keys(fields) as (keyof typeof fields)[]).every(
        (k) => JSON.stringify(existing[k]) === JSON.stringify(fields[k]),
      );
      if (same) return { result: { status: 'unchanged', record: existing }, outcome: 'unchanged' };
      precondition(existing.version, ifMatch);
      const patient: PatientRecord = { ...existing, ...fields, version: existing.version + 1, updatedAt: now };
      if (!(await tx.updatePatient(patient, existing.version))) precondition(existing.version + 1, ifMatch);
      // Local days follow the time zone, and attack criteria the age: the entries are placed on
      // their days in the new zone and every summary is rebuilt, in this transaction.
      if (patient.timeZone !== existing.timeZone || patient.birthYear !== existing.birthYear) {
        await rebuildSummaries(tx, patient);
      }
      return { result: { status: 'updated', record: patient } };
    });
  }
}
