import {
  defaultPreferences,
  type PatientPreferences,
  patientPreferencesSchema,
} from '../domain/patient-preferences.js';
import type { RequestContext } from './actor.js';
import { onPatient } from './audited.js';
import { canonical } from './diary-service.js';
import { DuplicateKeyError, InvalidInputError } from './errors.js';
import type { PatientRecord } from './model.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type { PreferencesRecord } from './preferences-ports.js';
import { precondition, type WriteResult } from './write-result.js';

/** A patient's preferences as the API returns them; version 0 means none were chosen (the defaults). */
export interface PreferencesView {
  patientId: string;
  version: number;
  updatedAt: string | null;
  data: PatientPreferences;
}

const toView = (r: PreferencesRecord): PreferencesView => ({
  patientId: r.patientId,
  version: r.version,
  updatedAt: r.updatedAt,
  data: r.body as PatientPreferences,
});

async function loadPreferences(tx: StoreTx, patient: PatientRecord): Promise<PreferencesView> {
  const stored = await tx.getPatientPreferences(patient.id);
  if (stored) return toView(stored);
  return { patientId: patient.id, version: 0, updatedAt: null, data: defaultPreferences(patient.conditions) };
}

/** Validates preferences; problems are named `body.<field>`. */
export function parsePreferences(input: unknown): PatientPreferences {
  const parsed = patientPreferencesSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * What a patient chose for their diary (factors of the daily check-in, intensity scale, usual
 * medications). The patient and their care team read and change them, like the rest of the diary.
 */
export class PreferencesService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  async get(ctx: RequestContext, patientId: string): Promise<PreferencesView> {
    const target = { action: 'preferences.read', patientId, entityType: 'preferences', entityId: patientId };
    return onPatient(this.store, this.clock, ctx, target, async (tx, patient) => ({
      result: await loadPreferences(tx, patient),
    }));
  }

  /** Replaces the preferences. The same preferences again change nothing; a change needs If-Match. */
  async put(
    ctx: RequestContext,
    patientId: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<WriteResult<PreferencesView>> {
    const body = parsePreferences(input);
    const target = { action: 'preferences.put', patientId, entityType: 'preferences', entityId: patientId };
    const attempt = () =>
      onPatient<WriteResult<PreferencesView>>(this.store, this.clock, ctx, target, async (tx) => {
        const existing = await tx.getPatientPreferences(patientId);
        if (existing && canonical(existing.body) === canonical(body)) {
          return { result: { status: 'unchanged', record: toView(existing) }, outcome: 'unchanged' };
        }
        // The defaults are version 0: a first write may name it, or nothing.
        if (existing) precondition(existing.version, ifMatch);
        else if (ifMatch !== undefined) precondition(0, ifMatch);
        const now = this.clock().toISOString();
        const record: PreferencesRecord = existing
          ? { ...existing, body, version: existing.version + 1, updatedAt: now }
          : { patientId, body, version: 1, createdAt: now, updatedAt: now };
        if (!(await tx.putPatientPreferences(record, existing?.version ?? null))) {
          precondition(record.version, ifMatch);
        }
        return { result: { status: existing ? 'updated' : 'created', record: toView(record) } };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two first writes raced (PostgreSQL); the second now sees the first.
      if (error instanceof DuplicateKeyError) return attempt();
      throw error;
    }
  }
}
