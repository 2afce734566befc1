import { adverseEventSpec } from './forms/adverse-event';
import { RecordPage } from './forms/RecordPage';

/** A complication, graded by Clavien–Dindo and linked to the procedure it followed. */
export function AdverseEventPage({ params }: { params: Record<string, string> }) {
  return <RecordPage spec={adverseEventSpec} params={params} />;
}
