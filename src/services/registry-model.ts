/** Registry records as the services read and write them through the store port. */

export const RECORD_KINDS = ['procedure', 'treatment', 'adverse-event'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A procedure, treatment or adverse event: the validated body plus what lists and cohorts query. */
export interface RegistryRecord {
  id: string;
  patientId: string;
  kind: RecordKind;
  /** Procedure date, treatment start, adverse-event onset (local date). */
  startDate: string;
  /** Treatment stop or adverse-event resolution; null while ongoing (and for procedures). */
  endDate: string | null;
  /** Procedure type, treatment type, or Clavien–Dindo grade. */
  category: string;
  /** Procedures only: where it was done and by whom. */
  siteId: string | null;
  surgeon: string | null;
  /** Adverse events only: the procedure it followed, when known. */
  procedureId: string | null;
  body: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** The clinician's candidacy assessment of one patient (body: `CandidacyAssessment`). */
export interface CandidacyRecord {
  patientId: string;
  body: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A site's settings (body: `SiteSettings`); a site without a row uses the defaults. */
export interface SiteSettingsRecord {
  siteId: string;
  body: Record<string, unknown>;
  version: number;
  updatedAt: string;
}
