/** A patient's diary preferences as stored (body: `PatientPreferences`); a patient without a row uses the defaults. */
export interface PreferencesRecord {
  patientId: string;
  body: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What the preferences use cases need from storage (part of `StoreTx`, see ports.ts). */
export interface PreferencesStoreTx {
  getPatientPreferences(patientId: string): Promise<PreferencesRecord | undefined>;
  /** Inserts when `expectedVersion` is null, else updates that version; false on a version mismatch. */
  putPatientPreferences(record: PreferencesRecord, expectedVersion: number | null): Promise<boolean>;
}
