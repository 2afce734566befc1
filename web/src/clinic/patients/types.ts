import type { ChecklistItem } from '../../../../src/domain/candidacy';
import type { ScheduledVisit } from '../../../../src/domain/follow-up';
import type { PatientFlag, PatientStatus } from '../../../../src/domain/patient-flags';
import type { AdverseEvent, Procedure, Treatment } from '../../../../src/domain/registry';

/** One row of `GET /patient-overview`. */
export interface OverviewRow {
  patientId: string;
  displayName: string;
  siteId: string;
  birthYear: number | null;
  sex: string | null;
  conditions: string[];
  today: string;
  latestProcedure: { id: string; date: string; type: string; siteId: string | null } | null;
  procedureCount: number;
  status: PatientStatus;
  flags: PatientFlag[];
}

export interface OverviewPage {
  items: OverviewRow[];
  total: number;
  nextOffset: number | null;
}

/** `GET /patients/:patientId`. */
export interface PatientView {
  id: string;
  siteId: string;
  displayName: string;
  birthYear: number | null;
  sex: string | null;
  timeZone: string;
  conditions: string[];
  referenceDate: string | null;
}

/** A registry record as the API returns it. */
export interface RecordView<T> {
  id: string;
  patientId: string;
  version: number;
  data: T;
}

export type ProcedureView = RecordView<Procedure>;
export type TreatmentView = RecordView<Treatment>;
export type AdverseEventView = RecordView<AdverseEvent>;

/** `GET /patients/:patientId/candidacy`. */
export interface CandidacyView {
  asOf: string;
  plannedDate: string | null;
  baseline: { start: string; end: string };
  items: ChecklistItem[];
}

/** `GET /patients/:patientId/follow-up`. */
export interface ScheduleView {
  today: string;
  procedures: { procedureId: string; procedureDate: string; visits: ScheduledVisit[] }[];
}

/** `GET /sites` (admins). */
export interface SiteView {
  id: string;
  name: string;
}
