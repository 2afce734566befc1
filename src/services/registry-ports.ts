import type { CandidacyRecord, RecordKind, RegistryRecord, SiteSettingsRecord } from './registry-model.js';

/** What the registry use cases need from storage (part of `StoreTx`, see ports.ts). */
export interface RegistryStoreTx {
  /** The record with this id whoever it belongs to, deleted or not. */
  getRecord(kind: RecordKind, id: string): Promise<RegistryRecord | undefined>;
  insertRecord(record: RegistryRecord): Promise<void>;
  /** Writes when the stored version is `expectedVersion`; false when it is not. */
  updateRecord(record: RegistryRecord, expectedVersion: number): Promise<boolean>;
  /** A patient's live records, of one kind or all, ordered by start date, then id. */
  listRecords(patientId: string, kind?: RecordKind): Promise<RegistryRecord[]>;

  getCandidacyAssessment(patientId: string): Promise<CandidacyRecord | undefined>;
  /** Inserts when `expectedVersion` is null, else updates that version; false on a version mismatch. */
  putCandidacyAssessment(record: CandidacyRecord, expectedVersion: number | null): Promise<boolean>;

  getSiteSettings(siteId: string): Promise<SiteSettingsRecord | undefined>;
  /** Inserts when `expectedVersion` is null, else updates that version; false on a version mismatch. */
  putSiteSettings(record: SiteSettingsRecord, expectedVersion: number | null): Promise<boolean>;
}
