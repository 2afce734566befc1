import { QuestionnaireRecorder } from './forms/questionnaire';

/** A questionnaire (MIDAS, HIT-6, PGIC) the clinician records for the patient, e.g. at a visit. */
export function ClinicQuestionnairePage({ params }: { params: Record<string, string> }) {
  return <QuestionnaireRecorder patientId={params.patientId!} />;
}
