import type { DiaryAnalysis } from '../../../src/domain/analysis';
import { format, formatDate, t } from '../i18n/strings';
import type { PatientView } from './report-data';

/** Who the report is about, the diary it covers, the procedure, the ICHD-3 codes and the print date. */
export function ReportHeader(props: {
  patient: PatientView;
  analysis: DiaryAnalysis;
  procedureDate: string | null;
  printed: string;
}) {
  const { patient, analysis, procedureDate, printed } = props;
  const h = t.report.header;
  const person = [
    patient.displayName,
    patient.birthYear === null ? null : format(h.born, { year: String(patient.birthYear) }),
    patient.sex === null ? null : h.sex[patient.sex],
  ].filter((part): part is string => part !== null);
  const { span } = analysis;
  const diagnoses = analysis.classification.codesMet.map((code) => {
    const name = analysis.classification.diagnoses.find((d) => d.code === code)?.name;
    return name === undefined ? code : `${code} ${name}`;
  });
  return (
    <dl className="report-header">
      <div>
        <dt>{h.patient}</dt>
        <dd data-testid="report-patient">{person.join(', ')}</dd>
      </div>
      <div>
        <dt>{h.conditions}</dt>
        <dd>{patient.conditions.map((c) => t.report.condition[c] ?? c).join(', ')}</dd>
      </div>
      <div>
        <dt>{h.procedure}</dt>
        <dd data-testid="report-procedure">{procedureDate === null ? h.noProcedure : formatDate(procedureDate)}</dd>
      </div>
      <div>
        <dt>{h.printed}</dt>
        <dd>{format(h.printedValue, { date: printed, timeZone: patient.timeZone })}</dd>
      </div>
      <div className="report-header-wide">
        <dt>{h.period}</dt>
        <dd data-testid="report-period">
          {span.first === null || span.last === null
            ? h.noDiary
            : format(h.periodValue, {
                from: formatDate(span.first),
                to: formatDate(span.last),
                recorded: span.recordedDays,
                days: span.days,
              })}
        </dd>
      </div>
      <div className="report-header-wide">
        <dt>{h.diagnoses}</dt>
        <dd>
          {diagnoses.length === 0 ? h.noDiagnoses : diagnoses.join('; ')}{' '}
          <span className="report-muted">{h.diagnosesNote}</span>
        </dd>
      </div>
    </dl>
  );
}
