import { diaryStateFromCounts, followUpSchedule, type ScheduledVisit, type VisitStatus } from '../domain/follow-up.js';
import type { PeriodCounts } from '../domain/period-counts.js';
import type { QuestionnaireResponse } from '../domain/questionnaires.js';
import {
  DEFAULT_REGISTRY_OUTCOME_CONFIG,
  procedureOutcome,
  type ProcedureOutcome,
} from '../domain/registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS, siteSettingsSchema, type SiteSettings } from '../domain/site-settings.js';
import { localDateAt } from '../domain/time.js';
import { CARE_ROLES } from './access-policy.js';
import type { RequestContext } from './actor.js';
import { audited, onPatient } from './audited.js';
import { forbidden, ServiceError } from './errors.js';
import type { PatientRecord } from './model.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type { RegistryRecord } from './registry-model.js';
import { SUMMARY_CONFIG } from './summaries.js';

/** One procedure's outcomes as the API returns them. */
export interface OutcomeView extends ProcedureOutcome {
  patientId: string;
  procedureId: string;
  /** The date the outcomes are as of: the patient's local date unless asked otherwise. */
  today: string;
}

/** One procedure's follow-up schedule. */
export interface ProcedureSchedule {
  procedureId: string;
  procedureDate: string;
  visits: ScheduledVisit[];
}

export interface ScheduleView {
  patientId: string;
  today: string;
  procedures: ProcedureSchedule[];
}

/** A visit in a clinician's list of due and overdue follow-ups. */
export interface DueRow {
  patientId: string;
  displayName: string;
  procedureId: string;
  procedureDate: string;
  visitId: string;
  label: string;
  dueDate: string;
  opens: string;
  closes: string;
  status: VisitStatus;
  /** Instruments not done yet. */
  missing: string[];
}

export type DueStatus = 'due' | 'overdue';

/** Hidden from the caller as "not found"; the audit log records what it was. */
const procedureNotFound = (auditOutcome: 'not_found' | 'denied' = 'not_found') =>
  new ServiceError('not_found', 'procedure not found', { auditOutcome });

/** The follow-up schedule of the patient's site; the defaults when it has none (or none that still validates). */
async function followUpVisits(tx: StoreTx, siteId: string): Promise<SiteSettings['followUp']> {
  const stored = await tx.getSiteSettings(siteId);
  const parsed = stored ? siteSettingsSchema.safeParse(stored.body) : null;
  return parsed?.success ? parsed.data.followUp : DEFAULT_SITE_SETTINGS.followUp;
}

/** The stored 28-day counts around a procedure date, by period index. */
async function periodCounts(tx: StoreTx, patientId: string, procedureDate: string) {
  const rows = await tx.listPeriod28Summaries(patientId, procedureDate);
  return new Map<number, PeriodCounts>(rows.map((r) => [r.periodIndex, r.counts]));
}

async function questionnairesOf(tx: StoreTx, patientId: string): Promise<QuestionnaireResponse[]> {
  return (await tx.listEntries('questionnaire', patientId, {})).map((e) => e.body as QuestionnaireResponse);
}

/**
 * A patient's follow-up and the outcomes of their procedures, computed from the stored
 * patient-period summaries (never a rescan of the diary) and the questionnaire entries.
 */
export class OutcomeService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /** The patient's own calendar date: follow-up windows are counted in the days they live. */
  private todayOf(patient: PatientRecord): string {
    return localDateAt(this.clock().getTime(), patient.timeZone);
  }

  private async schedules(tx: StoreTx, patient: PatientRecord, today: string): Promise<ProcedureSchedule[]> {
    const procedures = await tx.listRecords(patient.id, 'procedure');
    if (procedures.length === 0) return [];
    const [visits, questionnaires] = await Promise.all([
      followUpVisits(tx, patient.siteId),
      questionnairesOf(tx, patient.id),
    ]);
    const out: ProcedureSchedule[] = [];
    for (const p of procedures) {
      const counts = await periodCounts(tx, patient.id, p.startDate);
      out.push({
        procedureId: p.id,
        procedureDate: p.startDate,
        visits: followUpSchedule({
          procedureDate: p.startDate,
          visits,
          today,
          questionnaires,
          diary: diaryStateFromCounts(p.startDate, today, counts, SUMMARY_CONFIG),
        }),
      });
    }
    return out;
  }

  /** Baseline against each follow-up visit, questionnaire change and durability of one procedure. */
  async outcome(
    ctx: RequestContext,
    patientId: string,
    procedureId: string,
    options: { today?: string } = {},
  ): Promise<OutcomeView> {
    const target = { action: 'outcome.read', patientId, entityType: 'procedure', entityId: procedureId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const record: RegistryRecord | undefined = await tx.getRecord('procedure', procedureId);
      if (!record || record.deletedAt !== null) throw procedureNotFound();
      if (record.patientId !== patientId) throw procedureNotFound('denied');
      const today = options.today ?? this.todayOf(patient);
      const [visits, counts, questionnaires] = await Promise.all([
        followUpVisits(tx, patient.siteId),
        periodCounts(tx, patientId, record.startDate),
        questionnairesOf(tx, patientId),
      ]);
      const outcome = procedureOutcome({
        procedureDate: record.startDate,
        today,
        counts,
        visits,
        questionnaires,
        cfg: SUMMARY_CONFIG,
        rc: DEFAULT_REGISTRY_OUTCOME_CONFIG,
      });
      return { result: { patientId, procedureId, today, ...outcome } };
    });
  }

  /** The follow-up schedule of each of the patient's procedures: what is due, done and missing. */
  async schedule(ctx: RequestContext, patientId: string): Promise<ScheduleView> {
    const target = { action: 'follow-up.read', patientId, entityType: 'follow-up', entityId: patientId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const today = this.todayOf(patient);
      return { result: { patientId, today, procedures: await this.schedules(tx, patient, today) } };
    });
  }

  /**
   * Visits due or overdue for the patients of the caller's sites (every site for an admin), by
   * due date. Each patient listed gets an audit row, since the list shows who they are.
   */
  async dueList(ctx: RequestContext, filter: { siteId?: string; status?: readonly DueStatus[] }): Promise<DueRow[]> {
    const target = { action: 'follow-up.list', patientId: null, entityType: 'follow-up', entityId: null };
    if (!CARE_ROLES.has(ctx.actor.role)) {
      // Audited as a refusal, like every other denied request.
      await audited(this.store, this.clock, ctx, target, () => {
        throw forbidden('only clinicians and admins list follow-ups');
      });
    }
    let siteIds: readonly string[] | undefined = ctx.actor.role === 'admin' ? undefined : ctx.actor.siteIds;
    if (filter.siteId !== undefined) {
      siteIds = siteIds === undefined || siteIds.includes(filter.siteId) ? [filter.siteId] : [];
    }
    const wanted = new Set<VisitStatus>(filter.status ?? ['due', 'overdue']);
    // Read in a snapshot beside the writer: a list over every patient of a site must not hold the
    // write transaction. Nothing is shown unless the audit rows are written.
    const rows = await this.store.snapshot(async (tx) => {
      const out: DueRow[] = [];
      for (const patient of await tx.listPatients({ siteIds })) {
        for (const s of await this.schedules(tx, patient, this.todayOf(patient))) {
          for (const v of s.visits) {
            if (!wanted.has(v.status)) continue;
            out.push({
              patientId: patient.id,
              displayName: patient.displayName,
              procedureId: s.procedureId,
              procedureDate: s.procedureDate,
              visitId: v.visitId,
              label: v.label,
              dueDate: v.dueDate,
              opens: v.opens,
              closes: v.closes,
              status: v.status,
              missing: v.instruments.filter((i) => i.status !== 'done').map((i) => i.instrument),
            });
          }
        }
      }
      return out;
    });
    const key = (r: DueRow) => [r.dueDate, r.displayName, r.patientId, r.procedureId, r.visitId];
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
      return 0;
    });
    const disclosed = [...new Set(rows.map((r) => r.patientId))];
    return audited(this.store, this.clock, ctx, target, () => Promise.resolve({ result: rows, disclosed }));
  }
}
