import type { CohortRow } from '../../../src/domain/cohort';
import type { CsvColumn } from '../ui/csv';

/**
 * The de-identified rows (`patients[]`) flattened for a spreadsheet: one line per procedure, a
 * column per figure; lists joined with ";", each window's figures prefixed by its visit id
 * (`m12.mmd`), complications as `grade@day` (days from the procedure).
 */
export function patientColumns(visitIds: readonly string[]): CsvColumn<CohortRow>[] {
  const columns: CsvColumn<CohortRow>[] = [
    { header: 'row', value: (r) => r.row },
    { header: 'procedureType', value: (r) => r.procedureType },
    { header: 'siteId', value: (r) => r.siteId },
    { header: 'surgeon', value: (r) => r.surgeon },
    { header: 'adjuncts', value: (r) => r.adjuncts.join(';') },
    { header: 'age', value: (r) => r.age },
    { header: 'sex', value: (r) => r.sex },
    { header: 'conditions', value: (r) => r.conditions.join(';') },
    { header: 'headacheType', value: (r) => r.headacheType },
    { header: 'predictors.aura', value: (r) => r.predictors.aura },
    { header: 'predictors.medicationOveruse', value: (r) => r.predictors.medicationOveruse },
    { header: 'predictors.triggerSites', value: (r) => r.predictors.triggerSites },
    { header: 'predictors.priorToxinOrBlockResponse', value: (r) => r.predictors.priorToxinOrBlockResponse },
    { header: 'predictors.decompression', value: (r) => r.predictors.decompression },
    { header: 'baseline.recordedDays', value: (r) => r.baseline.recordedDays },
    { header: 'baseline.mmd', value: (r) => r.baseline.mmd },
    { header: 'baseline.midas', value: (r) => r.baseline.midas },
    { header: 'baseline.hit6', value: (r) => r.baseline.hit6 },
  ];
  const windowFields = [
    'ended',
    'sufficient',
    'mmd',
    'mmdChange',
    'mmdPercentChange',
    'responder50',
    'responder75',
    'responder100',
    'midas',
    'hit6',
  ] as const;
  visitIds.forEach((visitId, i) => {
    for (const field of windowFields) {
      columns.push({ header: `${visitId}.${field}`, value: (r) => r.windows[i]?.[field] ?? null });
    }
  });
  columns.push(
    { header: 'durability.responded', value: (r) => r.durability.responded },
    { header: 'durability.time', value: (r) => r.durability.time },
    { header: 'durability.event', value: (r) => r.durability.event },
    { header: 'complications', value: (r) => r.complications.map((c) => `${c.grade}@${c.onsetDay}`).join(';') },
  );
  return columns;
}
