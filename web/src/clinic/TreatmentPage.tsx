import { treatmentSpec } from './forms/treatment';
import { RecordPage } from './forms/RecordPage';

/** A treatment other than fat transfer: the form shows only the fields of the chosen type. */
export function TreatmentPage({ params }: { params: Record<string, string> }) {
  return <RecordPage spec={treatmentSpec} params={params} />;
}
