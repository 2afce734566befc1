import type { RequestContext } from './actor.js';
import { patientAccess } from './access-policy.js';
import { forbidden, ServiceError } from './errors.js';
import type { AuditEvent, AuditOutcome, PatientRecord } from './model.js';
import type { ReliefStore, StoreTx } from './ports.js';

export interface AuditTarget {
  action: string;
  patientId: string | null;
  entityType: string | null;
  entityId: string | null;
}

export function auditEvent(ctx: RequestContext, target: AuditTarget, outcome: AuditOutcome, now: Date): AuditEvent {
  return {
    at: now.toISOString(),
    actorUserId: ctx.actor.userId,
    actorRole: ctx.actor.role,
    action: target.action,
    patientId: target.patientId,
    entityType: target.entityType,
    entityId: target.entityId,
    requestId: ctx.requestId,
    outcome,
  };
}

function outcomeOf(error: ServiceError): AuditOutcome | null {
  const recorded = error.details.auditOutcome;
  if (typeof recorded === 'string') return recorded as AuditOutcome;
  switch (error.code) {
    case 'forbidden':
      return 'denied';
    case 'not_found':
      return 'not_found';
    case 'conflict':
      return 'conflict';
    default:
      // Invalid input is rejected before any data is read; the request writes nothing.
      return null;
  }
}

/** A patient the actor may not see reads as missing; the audit log records the denial. */
function hiddenPatient(): ServiceError {
  return new ServiceError('not_found', 'patient not found', { auditOutcome: 'denied' });
}

export interface AuditedWork<T> {
  result: T;
  outcome?: AuditOutcome;
  entityId?: string | null;
  /** Patients whose data the result discloses (a list): one audit row each. */
  disclosed?: readonly string[];
}

/**
 * Runs a use case on one patient's data: checks access, does the work and appends the audit row
 * in the same transaction. A refused or failed attempt is audited in a transaction of its own,
 * after the work was rolled back.
 */
export async function onPatient<T>(
  store: ReliefStore,
  clock: () => Date,
  ctx: RequestContext,
  target: AuditTarget & { patientId: string },
  work: (tx: StoreTx, patient: PatientRecord) => Promise<AuditedWork<T>>,
): Promise<T> {
  return audited(store, clock, ctx, target, async (tx) => {
    if (ctx.actor.role === 'researcher') throw forbidden('researchers see de-identified cohorts only');
    const patient = await tx.getPatient(target.patientId);
    if (!patient) throw new ServiceError('not_found', 'patient not found');
    if (patientAccess(ctx.actor, patient) !== 'allowed') throw hiddenPatient();
    return work(tx, patient);
  });
}

/** Runs audited work that is not about one patient (lists, account actions). */
export async function audited<T>(
  store: ReliefStore,
  clock: () => Date,
  ctx: RequestContext,
  target: AuditTarget,
  work: (tx: StoreTx) => Promise<AuditedWork<T>>,
): Promise<T> {
  try {
    return await store.transaction(async (tx) => {
      const done = await work(tx);
      const entityId = done.entityId === undefined ? target.entityId : done.entityId;
      const now = clock();
      const outcome = done.outcome ?? 'ok';
      const events =
        done.disclosed && done.disclosed.length > 0
          ? done.disclosed.map((id) => auditEvent(ctx, { ...target, patientId: id, entityId: id }, outcome, now))
          : [auditEvent(ctx, { ...target, entityId }, outcome, now)];
      await tx.appendAudit(events);
      return done.result;
    });
  } catch (error) {
    if (error instanceof ServiceError) {
      const outcome = outcomeOf(error);
      if (outcome !== null) {
        await store.transaction((tx) => tx.appendAudit([auditEvent(ctx, target, outcome, clock())]));
      }
    }
    throw error;
  }
}
