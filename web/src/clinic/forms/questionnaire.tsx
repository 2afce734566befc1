import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  HIT6_ANSWERS,
  hit6AnswersSchema,
  midasAnswersSchema,
  PGIC_ANSWERS,
  questionnaireResponseSchema,
  scoreHit6,
  scoreMidas,
} from '../../../../src/domain/questionnaires';
import { api, newId } from '../../api/client';
import { Link } from '../../app/router';
import { format, formatDate, t } from '../../i18n/strings';
import { Choices, FormErrors, issuesByField, TextField } from '../../ui/forms';
import { ErrorView, Loading, PageTitle } from '../../ui/states';
import { labelFrom, optionsOf } from './parts';
import type { FormContext } from './record-types';
import { PatientLine, patientPath, usePatientContext } from './RecordPage';
import { compact, numberOf, validateBody } from './validate';
import './clinic-forms.css';

const s = t.clinicForms.questionnaire;

/** Instruments a clinician records at a visit (the follow-up schedule asks for these). */
export const CLINIC_INSTRUMENTS = ['MIDAS', 'HIT-6', 'PGIC'] as const;
type Instrument = (typeof CLINIC_INSTRUMENTS)[number];

const MIDAS_ITEMS = [
  'missedWorkOrSchool',
  'reducedWorkOrSchool',
  'missedHousework',
  'reducedHousework',
  'missedFamilySocialLeisure',
] as const;
const MIDAS_EXTRA = ['headacheDays', 'averagePain'] as const;

interface QuestionnaireForm {
  instrument: string;
  date: string;
  midas: Record<string, string>;
  hit6: string[];
  pgic: string;
}

function emptyForm(ctx: FormContext): QuestionnaireForm {
  const asked = ctx.search.get('instrument') ?? '';
  return {
    instrument: (CLINIC_INSTRUMENTS as readonly string[]).includes(asked) ? asked : '',
    date: ctx.today,
    midas: Object.fromEntries([...MIDAS_ITEMS, ...MIDAS_EXTRA].map((k) => [k, ''])),
    hit6: ['', '', '', '', '', ''],
    pgic: '',
  };
}

/** The body of `PUT /patients/:id/questionnaires/:id` (src/domain/questionnaires.ts). */
function toBody(f: QuestionnaireForm): Record<string, unknown> {
  const base = { instrument: f.instrument === '' ? undefined : f.instrument, date: f.date };
  switch (f.instrument as Instrument) {
    case 'MIDAS':
      return compact({
        ...base,
        answers: compact(Object.fromEntries(Object.entries(f.midas).map(([k, v]) => [k, numberOf(v)]))),
      });
    case 'HIT-6':
      // An unanswered item is sent as null, so the schema names that item.
      return compact({ ...base, answers: f.hit6.map((a) => (a === '' ? null : a)) });
    case 'PGIC':
      return compact({ ...base, answer: f.pgic === '' ? undefined : f.pgic });
    default:
      return compact(base);
  }
}

function fieldLabel(field: string): string {
  const hit6 = /^answers\.(\d)$/.exec(field);
  if (hit6) return format(s.hit6Item, { n: Number(hit6[1]) + 1 });
  const table: Record<string, string> = {
    instrument: s.instrument,
    date: s.date,
    answer: t.clinicForms.outcome.pgic,
    answers: s.instrument,
    ...s.midas,
  };
  return labelFrom(table, field);
}

/** The score as the registry will compute it, once the answers are complete. */
function ScorePreview({ form }: { form: QuestionnaireForm }) {
  let text: string | null = null;
  if (form.instrument === 'MIDAS') {
    const parsed = midasAnswersSchema.safeParse(JSON.parse(JSON.stringify(toBody(form).answers ?? {})));
    if (parsed.success) {
      const { score, grade } = scoreMidas(parsed.data);
      text = format(s.midasScore, { score, grade });
    }
  } else if (form.instrument === 'HIT-6') {
    const parsed = hit6AnswersSchema.safeParse(form.hit6);
    if (parsed.success) {
      const { total, band } = scoreHit6(parsed.data);
      text = format(s.hit6Score, { total, band: s.hit6Bands[band] ?? band });
    } else text = s.hit6Incomplete;
  }
  if (text === null) return null;
  return (
    <p className="record-score" aria-live="polite">
      {text}
    </p>
  );
}

function QuestionnaireFields({
  form: f,
  onChange,
  errors,
}: {
  form: QuestionnaireForm;
  onChange: (f: QuestionnaireForm) => void;
  errors: Map<string, string[]>;
}) {
  const err = (field: string) => errors.get(field);
  const optional = t.clinicForms.record.optional;
  return (
    <>
      <Choices
        legend={s.instrument}
        type="radio"
        name="instrument"
        options={optionsOf(CLINIC_INSTRUMENTS, s.instrumentLabels)}
        value={f.instrument === '' ? [] : [f.instrument]}
        onChange={([instrument]) => onChange({ ...f, instrument: instrument ?? '' })}
        errors={err('instrument')}
      />
      <div className="record-grid">
        <TextField
          label={s.date}
          type="date"
          required
          value={f.date}
          onChange={(e) => onChange({ ...f, date: e.target.value })}
          errors={err('date')}
        />
      </div>
      {f.instrument === 'MIDAS' && (
        <fieldset className="record-group">
          <legend>{s.instrumentLabels.MIDAS}</legend>
          <p className="hint">{s.midasIntro}</p>
          {err('answers') && <p className="field-error">{err('answers')!.join('; ')}</p>}
          <div className="record-grid">
            {[...MIDAS_ITEMS, ...MIDAS_EXTRA].map((item) => (
              <TextField
                key={item}
                label={MIDAS_ITEMS.includes(item as never) ? s.midas[item] : `${s.midas[item]} ${optional}`}
                type="text"
                inputMode="numeric"
                required={MIDAS_ITEMS.includes(item as never)}
                value={f.midas[item] ?? ''}
                onChange={(e) => onChange({ ...f, midas: { ...f.midas, [item]: e.target.value } })}
                errors={err(`answers.${item}`)}
              />
            ))}
          </div>
        </fieldset>
      )}
      {f.instrument === 'HIT-6' && (
        <fieldset className="record-group">
          <legend>{s.instrumentLabels['HIT-6']}</legend>
          <p className="hint">{s.hit6Intro}</p>
          {err('answers') && <p className="field-error">{err('answers')!.join('; ')}</p>}
          {f.hit6.map((answer, i) => (
            <Choices
              key={i}
              legend={format(s.hit6Item, { n: i + 1 })}
              type="radio"
              name={`hit6-${i}`}
              options={optionsOf(HIT6_ANSWERS, s.hit6Answers)}
              value={answer === '' ? [] : [answer]}
              onChange={([a]) => onChange({ ...f, hit6: f.hit6.map((x, k) => (k === i ? (a ?? '') : x)) })}
              errors={err(`answers.${i}`)}
            />
          ))}
        </fieldset>
      )}
      {f.instrument === 'PGIC' && (
        <Choices
          legend={s.pgicQuestion}
          type="radio"
          name="pgic"
          options={optionsOf(PGIC_ANSWERS, t.clinicForms.pgicAnswers)}
          value={f.pgic === '' ? [] : [f.pgic]}
          onChange={([a]) => onChange({ ...f, pgic: a ?? '' })}
          errors={err('answer')}
        />
      )}
      <ScorePreview form={f} />
    </>
  );
}

/**
 * A questionnaire the clinician records at a visit (MIDAS, HIT-6 or PGIC), written as the
 * patient's questionnaire entry under an id chosen when the form opens: saving twice writes once.
 */
export function QuestionnaireRecorder({ patientId }: { patientId: string }) {
  const { ctx, error: patientError, reload } = usePatientContext(patientId);
  // A new form (and a new id) for each questionnaire recorded on this page.
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState<{ instrument: string; date: string } | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The form is gone: focus goes to what replaced it, so it is read out and Tab continues from there.
    if (saved !== null) savedRef.current?.focus();
  }, [saved]);
  return (
    <div className="record-page">
      <PageTitle title={s.title}>{s.title}</PageTitle>
      {patientError !== undefined ? (
        <ErrorView error={patientError} onRetry={reload} />
      ) : ctx === undefined ? (
        <Loading />
      ) : (
        <>
          <PatientLine patient={ctx.patient} />
          {saved !== null ? (
            <div className="card" role="status" tabIndex={-1} ref={savedRef}>
              <p className="record-saved">
                {format(s.savedOne, { instrument: saved.instrument, date: formatDate(saved.date) })}
              </p>
              <div className="record-actions">
                <button
                  type="button"
                  onClick={() => {
                    setSaved(null);
                    setRound((r) => r + 1);
                  }}
                >
                  {s.recordAnother}
                </button>
                <Link to={patientPath(patientId)}>{t.clinicForms.record.backToPatient}</Link>
              </div>
            </div>
          ) : (
            <QuestionnaireForm key={round} ctx={ctx} onSaved={setSaved} />
          )}
        </>
      )}
    </div>
  );
}

function QuestionnaireForm({
  ctx,
  onSaved,
}: {
  ctx: FormContext;
  onSaved: (saved: { instrument: string; date: string }) => void;
}) {
  const [id] = useState(newId);
  const [form, setForm] = useState(() => emptyForm(ctx));
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const busy = useRef(false);
  const errorsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error !== undefined) errorsRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [error]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current) return;
    const body = toBody(form);
    const invalid = validateBody(questionnaireResponseSchema, body);
    if (invalid) {
      setError(invalid);
      return;
    }
    busy.current = true;
    setSaving(true);
    setError(undefined);
    try {
      await api.put(`/patients/${encodeURIComponent(ctx.patient.id)}/questionnaires/${encodeURIComponent(id)}`, body);
      onSaved({ instrument: form.instrument, date: form.date });
    } catch (err) {
      setError(err);
      busy.current = false;
      setSaving(false);
    }
  };

  const errors = issuesByField(error);
  const labels = Object.fromEntries([...errors.keys()].map((k) => [k, fieldLabel(k)]));
  return (
    <form className="record-form" onSubmit={(e) => void save(e)} noValidate aria-label={s.title}>
      <div ref={errorsRef}>
        <FormErrors error={error} labels={labels} />
      </div>
      <QuestionnaireFields form={form} onChange={setForm} errors={errors} />
      <div className="record-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t.clinicForms.record.saving : t.clinicForms.record.save}
        </button>
      </div>
    </form>
  );
}
