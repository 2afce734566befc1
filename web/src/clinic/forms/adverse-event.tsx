import { useId } from 'react';
import { ADVERSE_EVENT_RELATIONS, adverseEventSchema, CLAVIEN_DINDO_GRADES } from '../../../../src/domain/registry';
import { useApi } from '../../api/use-api';
import { Link } from '../../app/router';
import { format, formatDate, t } from '../../i18n/strings';
import { SelectField, TextAreaField, TextField } from '../../ui/forms';
import { DetailList, labelFrom, optionsOf, withChoose } from './parts';
import type { FormContext, FormProps, RecordSpec, RecordView } from './record-types';
import { patientPath } from './RecordPage';
import { compact, optionalText, textOf } from './validate';

const s = t.clinicForms.adverseEvent;

export interface AdverseEventForm {
  term: string;
  onset: string;
  resolved: string;
  grade: string;
  relation: string;
  action: string;
  procedureId: string;
  notes: string;
}

function empty(ctx: FormContext): AdverseEventForm {
  return {
    term: '',
    onset: ctx.today,
    resolved: '',
    grade: '',
    relation: '',
    action: '',
    // "Record a complication" on a procedure's page links the new one to it.
    procedureId: ctx.search.get('procedureId') ?? '',
    notes: '',
  };
}

function fromData(d: Record<string, unknown>): AdverseEventForm {
  return {
    term: textOf(d.term),
    onset: textOf(d.onset),
    resolved: textOf(d.resolved),
    grade: textOf(d.grade),
    relation: textOf(d.relation),
    action: textOf(d.action),
    procedureId: textOf(d.procedureId),
    notes: textOf(d.notes),
  };
}

function toBody(f: AdverseEventForm): Record<string, unknown> {
  return compact({
    term: f.term,
    procedureId: optionalText(f.procedureId),
    onset: f.onset,
    resolved: optionalText(f.resolved),
    grade: optionalText(f.grade),
    relation: optionalText(f.relation),
    action: optionalText(f.action),
    notes: optionalText(f.notes),
  });
}

const LABELS: Record<string, string> = {
  term: s.term,
  onset: s.onset,
  resolved: s.resolved,
  grade: s.grade,
  relation: s.relation,
  action: s.action,
  procedureId: s.procedureId,
  notes: t.clinicForms.record.notes,
};

/** The Clavien–Dindo grades as radios, each with its definition (Dindo et al., Ann Surg 2004). */
function GradeChoice({
  value,
  onChange,
  errors,
}: {
  value: string;
  onChange: (grade: string) => void;
  errors?: string[];
}) {
  const id = useId();
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return (
    <fieldset className="choices grade-choices" aria-describedby={[`${id}-hint`, errorId].filter(Boolean).join(' ')}>
      <legend>{s.grade}</legend>
      <p className="hint" id={`${id}-hint`}>
        {s.gradeHint}
      </p>
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      {CLAVIEN_DINDO_GRADES.map((grade) => (
        <label key={grade} className="choice">
          <input
            type="radio"
            name="grade"
            value={grade}
            checked={value === grade}
            onChange={() => onChange(grade)}
            aria-invalid={errorId ? true : undefined}
          />
          <span>
            <span className="grade-name">{format(s.gradeName, { grade })}</span> {s.grades[grade]}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function useProcedures(patientId: string) {
  return useApi<{ items: RecordView[] }>(`/patients/${encodeURIComponent(patientId)}/procedures`);
}

function AdverseEventFields({ value: f, onChange, errors, ctx }: FormProps<AdverseEventForm>) {
  const set = <K extends keyof AdverseEventForm>(key: K, v: AdverseEventForm[K]) => onChange({ ...f, [key]: v });
  const err = (field: string) => errors.get(field);
  const optional = t.clinicForms.record.optional;
  const procedures = useProcedures(ctx.patient.id);
  const procedureOptions = [
    { value: '', label: s.noProcedure },
    ...(procedures.data?.items ?? []).map((p) => ({
      value: p.id,
      label: format(s.procedureOption, { date: formatDate(String(p.data.date)) }),
    })),
  ];
  // A link given in the address, or an old one, stays choosable while the list loads.
  if (f.procedureId !== '' && !procedureOptions.some((o) => o.value === f.procedureId)) {
    procedureOptions.push({ value: f.procedureId, label: f.procedureId });
  }
  return (
    <>
      <div className="record-grid">
        <TextField
          label={s.term}
          hint={s.termHint}
          required
          value={f.term}
          onChange={(e) => set('term', e.target.value)}
          errors={err('term')}
        />
        <SelectField
          label={s.procedureId}
          value={f.procedureId}
          onChange={(e) => set('procedureId', e.target.value)}
          options={procedureOptions}
          errors={err('procedureId')}
        />
        <TextField
          label={s.onset}
          type="date"
          required
          value={f.onset}
          onChange={(e) => set('onset', e.target.value)}
          errors={err('onset')}
        />
        <TextField
          label={`${s.resolved} ${optional}`}
          hint={s.resolvedHint}
          type="date"
          value={f.resolved}
          onChange={(e) => set('resolved', e.target.value)}
          errors={err('resolved')}
        />
      </div>
      <GradeChoice value={f.grade} onChange={(grade) => set('grade', grade)} errors={err('grade')} />
      <div className="record-grid">
        <SelectField
          label={s.relation}
          required
          value={f.relation}
          onChange={(e) => set('relation', e.target.value)}
          options={withChoose(optionsOf(ADVERSE_EVENT_RELATIONS, s.relationLabels))}
          errors={err('relation')}
        />
      </div>
      <TextAreaField
        label={`${s.action} ${optional}`}
        hint={s.actionHint}
        rows={2}
        value={f.action}
        onChange={(e) => set('action', e.target.value)}
        errors={err('action')}
      />
      <TextAreaField
        label={`${t.clinicForms.record.notes} ${optional}`}
        rows={3}
        value={f.notes}
        onChange={(e) => set('notes', e.target.value)}
        errors={err('notes')}
      />
    </>
  );
}

function AdverseEventDetails({ record, ctx }: { record: RecordView; ctx: FormContext }) {
  const d = record.data;
  const procedures = useProcedures(ctx.patient.id);
  const procedureId = typeof d.procedureId === 'string' ? d.procedureId : undefined;
  const procedure = procedures.data?.items.find((p) => p.id === procedureId);
  const grade = String(d.grade);
  return (
    <section className="card">
      <DetailList
        rows={[
          [s.term, String(d.term)],
          [s.onset, formatDate(String(d.onset))],
          [s.resolved, d.resolved === undefined ? s.unresolved : formatDate(String(d.resolved))],
          [s.grade, `${format(s.gradeName, { grade })}: ${s.grades[grade] ?? ''}`],
          [s.relation, s.relationLabels[String(d.relation)] ?? String(d.relation)],
          [
            s.procedureId,
            procedureId === undefined ? (
              s.noProcedure
            ) : (
              <Link to={`${patientPath(ctx.patient.id)}/procedures/${encodeURIComponent(procedureId)}`}>
                {procedure ? format(s.procedureOption, { date: formatDate(String(procedure.data.date)) }) : procedureId}
              </Link>
            ),
          ],
          [s.action, d.action === undefined ? undefined : String(d.action)],
          [t.clinicForms.record.notes, d.notes === undefined ? undefined : String(d.notes)],
        ]}
      />
    </section>
  );
}

const titleOf = (template: string) => (d: Record<string, unknown>) =>
  format(template, { term: String(d.term), date: formatDate(String(d.onset)) });

export const adverseEventSpec: RecordSpec<AdverseEventForm> = {
  kind: 'adverse-event',
  segment: 'adverse-events',
  schema: adverseEventSchema,
  empty,
  fromData,
  toBody,
  Form: AdverseEventFields,
  Details: AdverseEventDetails,
  newTitle: s.newTitle,
  title: titleOf(s.title),
  editTitle: titleOf(s.editTitle),
  deleteQuestion: s.deleteQuestion,
  fieldLabel: (field) => labelFrom(LABELS, field),
};
