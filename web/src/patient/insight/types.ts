import type { DiaryAnalysis } from '../../../../src/domain/analysis';
import type { ScheduledVisit } from '../../../../src/domain/follow-up';

/** `GET /patients/:patientId/analysis` (JSON of the domain's result). */
export type Analysis = DiaryAnalysis;

/** `GET /patients/:patientId/follow-up`. */
export interface FollowUpSchedule {
  patientId: string;
  today: string;
  procedures: { procedureId: string; procedureDate: string; visits: ScheduledVisit[] }[];
}
