import { analyzeDiary } from '../domain/analysis.js';
import { candidacyChecklist, type ChecklistItem } from '../domain/candidacy.js';
import type { Attack } from '../domain/diary.js';
import { candidacyAssessmentSchema, type CandidacyAssessment, type Treatment } from '../domain/registry.js';
import { addDays, localDateAt } from '../domain/time.js';
import { CARE_ROLES } from './access-policy.js';
import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { assembleDiary, canonical } from './diary-service.js';
import { DuplicateKeyError, forbidden, InvalidInputError, ServiceError } from './errors.js';
import type { CandidacyRecord } from './registry-model.js';
import type { ReliefStore } from './ports.js';
import { loadSiteSettings } from './site-settings-service.js';
import { precondition, type WriteResult } from './write-result.js';

/** The clinician's candidacy assessment as the API returns it. */
export interface AssessmentView {
  patientId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: CandidacyAssessment;
}

const toAssessmentView = (r: CandidacyRecord): AssessmentView => ({
  patientId: r.patientId,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  data: r.body as CandidacyAssessment,
});

/** The checklist of one patient, with the dates it was worked out for. */
export interface CandidacyView {
  patientId: string;
  /** Today in the patient's time zone: the diary is read up to this day. */
  asOf: string;
  /** From the request, else from the assessment; null when none is planned. */
  plannedDate: string | null;
  /** The 28 days the baseline diary item looks at: up to the day before the planned date, or today. */
  baseline: { start: string; end: string };
  items: ChecklistItem[];
}

/** Validates an assessment; problems are named `body.<field>`. */
export function parseAssessment(input: unknown): CandidacyAssessment {
  const parsed = candidacyAssessmentSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** The candidacy assessment (written by the care team) and the checklist computed from everything known. */
export class CandidacyService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  async getAssessment(ctx: RequestContext, patientId: string): Promise<AssessmentView> {
    const target = {
      action: 'candidacy-assessment.read',
      patientId,
      entityType: 'candidacy-assessment',
      entityId: patientId,
    };
    return onPatient(this.store, this.clock, ctx, target, async (tx) => {
      const record = await tx.getCandidacyAssessment(patientId);
      if (!record) throw new ServiceError('not_found', 'candidacy assessment not found');
      return { result: toAssessmentView(record) };
    });
  }

  /**
   * Creates or replaces the assessment. Contraindication answers must name the patient's site's
   * list, so a misspelt id cannot pass for an answered question.
   */
  async putAssessment(
    ctx: RequestContext,
    patientId: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<WriteResult<AssessmentView>> {
    const body = parseAssessment(input);
    const target = {
      action: 'candidacy-assessment.put',
      patientId,
      entityType: 'candidacy-assessment',
      entityId: patientId,
    };
    const attempt = () =>
      onPatient<WriteResult<AssessmentView>>(this.store, this.clock, ctx, target, async (tx, patient) => {
        if (!CARE_ROLES.has(ctx.actor.role)) throw forbidden('only clinicians and admins assess candidacy');
        const existing = await tx.getCandidacyAssessment(patientId);
        if (existing && canonical(existing.body) === canonical(body)) {
          return { result: { status: 'unchanged', record: toAssessmentView(existing) }, outcome: 'unchanged' };
        }
        if (existing) precondition(existing.version, ifMatch);
        const { data: settings } = await loadSiteSettings(tx, patient.siteId);
        const known = new Set(settings.contraindications.map((c) => c.id));
        const unknown = Object.keys(body.contraindications).filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw new InvalidInputError(
            unknown.map((id) => ({
              path: `body.contraindications.${id}`,
              message: `not in the site's contraindication list (${[...known].join(', ')})`,
            })),
          );
        }
        const now = this.clock().toISOString();
        const record: CandidacyRecord = existing
          ? { ...existing, body, version: existing.version + 1, updatedAt: now }
          : { patientId, body, version: 1, createdAt: now, updatedAt: now };
        if (!(await tx.putCandidacyAssessment(record, existing?.version ?? null))) {
          precondition(record.version, ifMatch);
        }
        return { result: { status: existing ? 'updated' : 'created', record: toAssessmentView(record) } };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two first writes raced (PostgreSQL); the second now sees the first.
      if (error instanceof DuplicateKeyError) return attempt();
      throw error;
    }
  }

  /**
   * The checklist from the diary, the registry and the assessment, for a procedure planned on
   * `plannedDate` (else the assessment's planned date; else the baseline ends today).
   */
  async checklist(
    ctx: RequestContext,
    patientId: string,
    options: { plannedDate?: string } = {},
  ): Promise<CandidacyView> {
    const target = { action: 'candidacy.read', patientId, entityType: 'candidacy', entityId: patientId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => {
      const [attacks, daily, medications, questionnaires, treatments, assessment, settings] = await Promise.all([
        tx.listEntries('attack', patientId, {}),
        tx.listEntries('daily-record', patientId, {}),
        tx.listEntries('medication', patientId, {}),
        tx.listEntries('questionnaire', patientId, {}),
        tx.listRecords(patientId, 'treatment'),
        tx.getCandidacyAssessment(patientId),
        loadSiteSettings(tx, patient.siteId),
      ]);
      const nowMs = this.clock().getTime();
      const today = localDateAt(nowMs, patient.timeZone);
      const body = (assessment?.body ?? null) as CandidacyAssessment | null;
      const plannedDate = options.plannedDate ?? body?.plannedDate ?? null;
      const baselineEnd = plannedDate === null ? today : addDays(plannedDate, -1);
      const diary = assembleDiary(patient, attacks, daily, medications, questionnaires);
      const analysis = analyzeDiary(diary, { now: nowMs, referenceDate: addDays(baselineEnd, 1) });
      const { items } = candidacyChecklist({
        analysis,
        attacks: diary.attacks as Attack[],
        assessment: body,
        treatments: treatments.map((t) => t.body as Treatment),
        settings: settings.data,
        baselineEnd,
        today,
      });
      return {
        result: {
          patientId,
          asOf: today,
          plannedDate,
          baseline: { start: addDays(baselineEnd, -27), end: baselineEnd },
          items,
        },
      };
    });
  }
}
