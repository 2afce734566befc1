import type { PreferencesRecord } from '../services/preferences-ports.js';
import { readPatientDocument, writePatientDocument } from './patient-documents.js';
import { TxBase } from './tx-base.js';

/** Patients' diary preferences: one row per patient that changed the defaults. */
export abstract class PreferencesTx extends TxBase {
  getPatientPreferences(patientId: string): Promise<PreferencesRecord | undefined> {
    return readPatientDocument(this.db, 'patient_preferences', patientId);
  }

  putPatientPreferences(record: PreferencesRecord, expectedVersion: number | null): Promise<boolean> {
    return writePatientDocument(this.db, 'patient_preferences', record, expectedVersion);
  }
}
