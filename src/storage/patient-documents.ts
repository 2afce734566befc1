import type { Db } from './tx-base.js';

/**
 * A patient's one versioned JSON document (a candidacy assessment, diary preferences): one row
 * per patient, written under the version the writer read.
 */
export type PatientDocumentTable = 'candidacy_assessments' | 'patient_preferences';

export interface PatientDocument {
  patientId: string;
  body: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export async function readPatientDocument(
  db: Db,
  table: PatientDocumentTable,
  patientId: string,
): Promise<PatientDocument | undefined> {
  const r = await db.selectFrom(table).selectAll().where('patient_id', '=', patientId).executeTakeFirst();
  return (
    r && {
      patientId: r.patient_id,
      body: JSON.parse(r.body) as Record<string, unknown>,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }
  );
}

/** Inserts when `expectedVersion` is null; otherwise updates only that version (false when it is not the stored one). */
export async function writePatientDocument(
  db: Db,
  table: PatientDocumentTable,
  record: PatientDocument,
  expectedVersion: number | null,
): Promise<boolean> {
  const body = JSON.stringify(record.body);
  if (expectedVersion === null) {
    await db
      .insertInto(table)
      .values({
        patient_id: record.patientId,
        body,
        version: record.version,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
      })
      .execute();
    return true;
  }
  const r = await db
    .updateTable(table)
    .set({ body, version: record.version, updated_at: record.updatedAt })
    .where('patient_id', '=', record.patientId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
