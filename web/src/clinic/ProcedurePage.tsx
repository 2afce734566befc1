import { procedureSpec } from './forms/procedure';
import { RecordPage } from './forms/RecordPage';

/** A fat-transfer procedure: its form (`recordId` "new" records one), its details and its outcome table. */
export function ProcedurePage({ params }: { params: Record<string, string> }) {
  return <RecordPage spec={procedureSpec} params={params} />;
}
