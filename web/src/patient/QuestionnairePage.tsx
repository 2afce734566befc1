import { type FormEvent, useState } from 'react';
import { localDateAt } from '../../../src/domain/time';
import { newId } from '../api/client';
import { useUser } from '../app/session';
import { Link } from '../app/router';
import { format, formatDate, t } from '../i18n/strings';
import { saveEntry } from '../offline/outbox';
import { FormErrors, issuesByField } from '../ui/forms';
import { Loading, PageTitle } from '../ui/states';
import { useCaptureContext } from './capture/patient-context';
import { instrumentOfSlug, type PatientInstrument } from './insight/instruments';
import { questionnaireBody, scoreText } from './insight/questionnaire-body';
import { type Answers, Hit6Questions, MidasQuestions, PgicQuestion } from './insight/QuestionnaireForms';
import './insight/insight.css';

/**
 * A questionnaire the patient fills in (MIDAS, HIT-6, PGIC), dated today in their time zone and
 * saved through the outbox under an id chosen when the page opened: saving twice, or again after
 * a lost answer, stores it once.
 */
export function QuestionnairePage({ params }: { params: Record<string, string> }) {
  const instrument = instrumentOfSlug(params.instrument ?? '');
  const q = t.insight.questionnaire;
  if (!instrument) {
    return (
      <div className="questionnaire-page">
        <PageTitle title={t.common.notFoundPage.title}>{t.common.notFoundPage.title}</PageTitle>
        <p>{format(q.unknown, { name: params.instrument ?? '' })}</p>
        <Link to="/my-diary">{q.backToDiary}</Link>
      </div>
    );
  }
  return <QuestionnaireForm key={instrument} instrument={instrument} />;
}

function QuestionnaireForm({ instrument }: { instrument: PatientInstrument }) {
  const q = t.insight.questionnaire;
  const patientId = useUser().patientId!;
  const { context } = useCaptureContext(patientId);
  const [id] = useState(newId);
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [apiError, setApiError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ state: 'sent' | 'queued'; score: string }>();
  const title = q.titles[instrument]!;

  if (!context) return <Loading />;
  const today = localDateAt(Date.now(), context.timeZone);

  const set = (field: string, value: string) => {
    setAnswers((a) => ({ ...a, [field]: value }));
    setErrors((e) => {
      if (!e.has(field)) return e;
      const next = new Map(e);
      next.delete(field);
      return next;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const built = questionnaireBody(instrument, answers, today);
    if ('errors' in built) {
      setErrors(built.errors);
      setApiError(undefined);
      // The first unanswered question, for keyboard and screen-reader users.
      const [first] = built.errors.keys();
      document.querySelector<HTMLElement>(`[data-field="${first}"] input, [name="${first}"]`)?.focus();
      return;
    }
    setSaving(true);
    setApiError(undefined);
    try {
      const result = await saveEntry({ patientId, kind: 'questionnaire', id, body: built.body });
      setSaved({ state: result.state, score: scoreText(built.body) });
    } catch (error) {
      setApiError(error);
      setErrors(issuesByField(error));
    } finally {
      setSaving(false);
    }
  };

  if (saved) {
    return (
      <div className="questionnaire-page">
        <PageTitle title={title}>{title}</PageTitle>
        <section className="card questionnaire-result" aria-labelledby="result-title">
          <h2 id="result-title">{q.savedTitle}</h2>
          <p className="score" role="status">
            {saved.score}
          </p>
          <p>{saved.state === 'sent' ? q.sent : q.queued}</p>
          <Link to="/my-diary" className="button primary">
            {q.backToDiary}
          </Link>
        </section>
      </div>
    );
  }

  const formProps = { answers, set, errors };
  const clientIssues = apiError === undefined && errors.size > 0;
  return (
    <div className="questionnaire-page">
      <PageTitle title={title}>{title}</PageTitle>
      <p>{q.intro[instrument]}</p>
      {instrument === 'HIT-6' && <p className="hint">{q.wordingNote}</p>}
      <p className="hint">{format(q.date, { date: formatDate(today) })}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors error={apiError} />
        {clientIssues && (
          <p className="field-error" role="alert">
            {format(q.fixFirst, { count: errors.size })}
          </p>
        )}
        {instrument === 'MIDAS' && <MidasQuestions {...formProps} />}
        {instrument === 'HIT-6' && <Hit6Questions {...formProps} />}
        {instrument === 'PGIC' && <PgicQuestion {...formProps} />}
        <div className="submit-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? q.saving : q.submit}
          </button>
        </div>
      </form>
    </div>
  );
}
