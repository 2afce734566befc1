import { useId } from 'react';
import { HIT6_ANSWERS, PGIC_ANSWERS } from '../../../../src/domain/questionnaires';
import { t } from '../../i18n/strings';
import { TextField } from '../../ui/forms';

/** The answers being filled in, by field name as the API names them (`answers.0`, `answer`). */
export type Answers = Record<string, string>;

export const MIDAS_ITEMS = [
  'missedWorkOrSchool',
  'reducedWorkOrSchool',
  'missedHousework',
  'reducedHousework',
  'missedFamilySocialLeisure',
] as const;

/** One question with its answers as large radio buttons. */
export function RadioQuestion({
  name,
  question,
  options,
  value,
  onChange,
  errors,
}: {
  name: string;
  question: string;
  options: readonly { value: string; label: string }[];
  value: string | undefined;
  onChange: (value: string) => void;
  errors?: string[];
}) {
  const id = useId();
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return (
    <fieldset
      className={errorId ? 'question question-invalid' : 'question'}
      aria-describedby={errorId}
      data-field={name}
    >
      <legend>{question}</legend>
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      <div className="answer-options">
        {options.map((o) => (
          <label key={o.value} className="answer-option">
            <input
              type="radio"
              name={`${id}-${name}`}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

interface FormProps {
  answers: Answers;
  set: (field: string, value: string) => void;
  errors: Map<string, string[]>;
}

export function Hit6Questions({ answers, set, errors }: FormProps) {
  const q = t.insight.questionnaire.hit6;
  const options = HIT6_ANSWERS.map((a) => ({ value: a, label: q.answers[a]! }));
  return (
    <>
      {q.items.map((item, i) => (
        <RadioQuestion
          key={i}
          name={`answers.${i}`}
          question={`${i + 1}. ${item}`}
          options={options}
          value={answers[`answers.${i}`]}
          onChange={(v) => set(`answers.${i}`, v)}
          errors={errors.get(`answers.${i}`)}
        />
      ))}
    </>
  );
}

export function PgicQuestion({ answers, set, errors }: FormProps) {
  const q = t.insight.questionnaire.pgic;
  return (
    <RadioQuestion
      name="answer"
      question={q.question}
      options={PGIC_ANSWERS.map((a) => ({ value: a, label: q.answers[a]! }))}
      value={answers.answer}
      onChange={(v) => set('answer', v)}
      errors={errors.get('answer')}
    />
  );
}

export function MidasQuestions({ answers, set, errors }: FormProps) {
  const q = t.insight.questionnaire;
  const dayField = (field: string, label: string, optional = false) => (
    <TextField
      key={field}
      label={optional ? `${label} ${q.optional}` : label}
      hint={q.days}
      className="days-input"
      type="number"
      inputMode="numeric"
      min={0}
      max={90}
      step={1}
      name={field}
      value={answers[field] ?? ''}
      onChange={(e) => set(field, e.target.value)}
      errors={errors.get(field)}
    />
  );
  return (
    <>
      {MIDAS_ITEMS.map((item, i) => dayField(`answers.${item}`, `${i + 1}. ${q.midas.items[i]}`))}
      {dayField('answers.headacheDays', `A. ${q.midas.a}`, true)}
      <TextField
        label={`B. ${q.midas.b} ${q.optional}`}
        className="days-input"
        type="number"
        inputMode="decimal"
        min={0}
        max={10}
        step={0.5}
        name="answers.averagePain"
        value={answers['answers.averagePain'] ?? ''}
        onChange={(e) => set('answers.averagePain', e.target.value)}
        errors={errors.get('answers.averagePain')}
      />
    </>
  );
}
