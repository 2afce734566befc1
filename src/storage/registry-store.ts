import type { CandidacyRecord, RecordKind, RegistryRecord, SiteSettingsRecord } from '../services/registry-model.js';
import { procedureColumns } from './derived-columns.js';
import type { Tables } from './tables.js';
import { readPatientDocument, writePatientDocument } from './patient-documents.js';
import { PreferencesTx } from './preferences-store.js';

function toRecord(r: Tables['registry_records']): RegistryRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind as RecordKind,
    startDate: r.start_date,
    endDate: r.end_date,
    category: r.category,
    siteId: r.site_id,
    surgeon: r.surgeon,
    procedureId: r.procedure_id,
    body: JSON.parse(r.body) as Record<string, unknown>,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

function recordRow(r: RegistryRecord): Tables['registry_records'] {
  return {
    id: r.id,
    patient_id: r.patientId,
    kind: r.kind,
    start_date: r.startDate,
    end_date: r.endDate,
    category: r.category,
    site_id: r.siteId,
    surgeon: r.surgeon,
    procedure_id: r.procedureId,
    body: JSON.stringify(r.body),
    ...(r.kind === 'procedure' ? procedureColumns(r.body) : { adjuncts: null, trigger_sites: null }),
    version: r.version,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    deleted_at: r.deletedAt,
  };
}

/** Registry records: procedures, treatments, adverse events, candidacy assessments, site settings. */
export abstract class RegistryTx extends PreferencesTx {
  async getRecord(kind: RecordKind, id: string): Promise<RegistryRecord | undefined> {
    const r = await this.db
      .selectFrom('registry_records')
      .selectAll()
      .where('id', '=', id)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r && toRecord(r);
  }

  async insertRecord(record: RegistryRecord): Promise<void> {
    await this.db.insertInto('registry_records').values(recordRow(record)).execute();
  }

  async updateRecord(record: RegistryRecord, expectedVersion: number): Promise<boolean> {
    const { id: _id, patient_id: _patient, kind: _kind, created_at: _created, ...values } = recordRow(record);
    const r = await this.db
      .updateTable('registry_records')
      .set(values)
      .where('id', '=', record.id)
      .where('patient_id', '=', record.patientId)
      .where('kind', '=', record.kind)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listRecords(patientId: string, kind?: RecordKind): Promise<RegistryRecord[]> {
    let q = this.db
      .selectFrom('registry_records')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('deleted_at', 'is', null);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    const rows = await q.orderBy('start_date').orderBy('id').execute();
    return rows.map(toRecord);
  }

  getCandidacyAssessment(patientId: string): Promise<CandidacyRecord | undefined> {
    return readPatientDocument(this.db, 'candidacy_assessments', patientId);
  }

  putCandidacyAssessment(record: CandidacyRecord, expectedVersion: number | null): Promise<boolean> {
    return writePatientDocument(this.db, 'candidacy_assessments', record, expectedVersion);
  }

  async getSiteSettings(siteId: string): Promise<SiteSettingsRecord | undefined> {
    const r = await this.db.selectFrom('site_settings').selectAll().where('site_id', '=', siteId).executeTakeFirst();
    return (
      r && {
        siteId: r.site_id,
        body: JSON.parse(r.body) as Record<string, unknown>,
        version: r.version,
        updatedAt: r.updated_at,
      }
    );
  }

  async putSiteSettings(record: SiteSettingsRecord, expectedVersion: number | null): Promise<boolean> {
    const body = JSON.stringify(record.body);
    if (expectedVersion === null) {
      await this.db
        .insertInto('site_settings')
        .values({ site_id: record.siteId, body, version: record.version, updated_at: record.updatedAt })
        .execute();
      return true;
    }
    const r = await this.db
      .updateTable('site_settings')
      .set({ body, version: record.version, updated_at: record.updatedAt })
      .where('site_id', '=', record.siteId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
