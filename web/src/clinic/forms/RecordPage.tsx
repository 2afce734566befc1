import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { localDateAt } from '../../../../src/domain/time';
import { api, ApiError, newId } from '../../api/client';
import { useApi } from '../../api/use-api';
import { Link, navigate, useLocation } from '../../app/router';
import { useUser } from '../../app/session';
import { format, formatDate, formatTime, t } from '../../i18n/strings';
import { errorText, FormErrors, issuesByField } from '../../ui/forms';
import { ErrorView, Loading, PageTitle } from '../../ui/states';
import type { FormContext, PatientInfo, RecordSpec, RecordView } from './record-types';
import { validateBody } from './validate';
import './clinic-forms.css';

const s = t.clinicForms.record;

/** Records saved as new on this page, so the page that shows them next can say so once. */
const justSaved = new Set<string>();

export const patientPath = (patientId: string) => `/clinic/patients/${encodeURIComponent(patientId)}`;
const apiPath = (patientId: string, segment: string, id: string) =>
  `/patients/${encodeURIComponent(patientId)}/${segment}/${encodeURIComponent(id)}`;

/** A version conflict: someone else wrote the record since it was loaded. */
function isVersionConflict(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    (error.details.reason === 'version_conflict' || error.details.reason === 'version_required')
  );
}

/** The patient a form belongs to, with the signed-in user and the patient's local date. */
export function usePatientContext(patientId: string): {
  ctx: FormContext | undefined;
  error: unknown;
  reload: () => void;
} {
  const user = useUser();
  const { search } = useLocation();
  const patient = useApi<PatientInfo>(`/patients/${encodeURIComponent(patientId)}`);
  const ctx =
    patient.data === undefined
      ? undefined
      : { patient: patient.data, user, today: localDateAt(Date.now(), patient.data.timeZone), search };
  return { ctx, error: patient.error, reload: patient.reload };
}

/** The back link and the patient's name, above every form. */
export function PatientLine({ patient }: { patient: PatientInfo }) {
  return (
    <p className="record-patient">
      <Link to={patientPath(patient.id)}>{s.backToPatient}</Link>
      <span>{format(s.patientLine, { name: patient.displayName })}</span>
    </p>
  );
}

/**
 * A registry record's page: `recordId` "new" opens an empty form under an id chosen now (so a
 * double submit or a retry writes the same record once); an existing record is shown with its
 * details, and edited under its version (If-Match). Bodies are checked with the server's schema
 * before they are sent, so the messages are the API's own; the server's 400s land beside the
 * fields just the same.
 */
export function RecordPage<F>({ spec, params }: { spec: RecordSpec<F>; params: Record<string, string> }) {
  const patientId = params.patientId!;
  const recordId = params.recordId!;
  const { ctx, error: patientError, reload: reloadPatient } = usePatientContext(patientId);
  const isNew = recordId === 'new';
  const [id] = useState(() => (isNew ? newId() : recordId));
  const [record, setRecord] = useState<RecordView | null>(null);
  const [loadError, setLoadError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    setLoadError(undefined);
    api.get<RecordView>(apiPath(patientId, spec.segment, id), controller.signal).then(setRecord, (e: Error) => {
      if (e.name !== 'AbortError') setLoadError(e);
    });
    return () => controller.abort();
  }, [isNew, patientId, spec.segment, id, generation]);

  if (patientError !== undefined) return <LoadFailed error={patientError} onRetry={reloadPatient} />;
  if (loadError !== undefined) return <LoadFailed error={loadError} onRetry={() => setGeneration((g) => g + 1)} />;
  if (ctx === undefined || (!isNew && record === null)) return <Loading />;
  return <RecordEditor spec={spec} ctx={ctx} id={id} initial={record} />;
}

function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <>
      <PageTitle title={errorText(error)}>{errorText(error)}</PageTitle>
      <ErrorView error={error} onRetry={onRetry} />
    </>
  );
}

function RecordEditor<F>({
  spec,
  ctx,
  id,
  initial,
}: {
  spec: RecordSpec<F>;
  ctx: FormContext;
  id: string;
  initial: RecordView | null;
}) {
  const patientId = ctx.patient.id;
  const path = apiPath(patientId, spec.segment, id);
  const [record, setRecord] = useState<RecordView | null>(initial);
  const [editing, setEditing] = useState(initial === null);
  const [form, setForm] = useState<F>(() => (initial === null ? spec.empty(ctx) : spec.fromData(initial.data)));
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(() => justSaved.has(id));
  useEffect(() => {
    justSaved.delete(id);
  }, [id]);
  const busy = useRef(false);
  const errorsRef = useRef<HTMLDivElement>(null);

  // Move focus to the error summary, so a keyboard or screen-reader user hears what to fix.
  useEffect(() => {
    if (error !== undefined) errorsRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [error]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current) return;
    const body = spec.toBody(form);
    const invalid = validateBody(spec.schema, body);
    if (invalid) {
      setError(invalid);
      return;
    }
    busy.current = true;
    setSaving(true);
    setError(undefined);
    try {
      const res = await api.put<RecordView & { status: string }>(path, body, record?.version);
      const { status: _status, ...view } = res.body;
      void _status;
      if (record === null) {
        // The new record now has its own page; replace "new" so Back does not open a second blank form.
        justSaved.add(id);
        navigate(`${patientPath(patientId)}/${spec.segment}/${encodeURIComponent(id)}`, { replace: true });
        return;
      }
      setRecord(view);
      setForm(spec.fromData(view.data));
      setEditing(false);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };

  const reloadTheirs = useCallback(async () => {
    try {
      const latest = await api.get<RecordView>(path);
      setRecord(latest);
      setForm(spec.fromData(latest.data));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }, [path, spec]);

  const errors = issuesByField(error);
  const labels: Record<string, string> = {};
  if (error instanceof ApiError) for (const field of errors.keys()) labels[field] = spec.fieldLabel(field);

  if (!editing && record !== null) {
    const title = spec.title(record.data);
    return (
      <div className="record-page">
        <PageTitle title={title}>{title}</PageTitle>
        <PatientLine patient={ctx.patient} />
        {saved && (
          <p className="record-saved" role="status">
            {s.saved}
          </p>
        )}
        <div className="record-actions no-print">
          <button
            type="button"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {s.edit}
          </button>
          <DeleteButton question={spec.deleteQuestion} path={path} version={record.version} patientId={patientId} />
        </div>
        <spec.Details key={record.version} record={record} ctx={ctx} />
        <p className="hint">
          {format(s.lastChanged, {
            version: record.version,
            date: formatTime(record.updatedAt, ctx.patient.timeZone, true),
          })}
        </p>
      </div>
    );
  }

  const title = record === null ? spec.newTitle : spec.editTitle(record.data);
  return (
    <div className="record-page">
      <PageTitle title={title}>{title}</PageTitle>
      <PatientLine patient={ctx.patient} />
      <form className="record-form" onSubmit={(e) => void save(e)} noValidate>
        <div ref={errorsRef}>
          {isVersionConflict(error) ? (
            <div className="form-errors" role="alert" tabIndex={-1}>
              <p>{s.conflict}</p>
              <button type="button" onClick={() => void reloadTheirs()}>
                {s.reload}
              </button>
            </div>
          ) : (
            <FormErrors error={error} labels={labels} />
          )}
        </div>
        <spec.Form value={form} onChange={setForm} errors={errors} ctx={ctx} />
        <div className="record-actions">
          <button type="submit" className="primary" disabled={saving} aria-disabled={saving}>
            {saving ? s.saving : s.save}
          </button>
          {record !== null && (
            <button
              type="button"
              onClick={() => {
                setForm(spec.fromData(record.data));
                setError(undefined);
                setEditing(false);
              }}
            >
              {s.cancelEdit}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

/** Delete with a confirmation step; a refusal (linked complications) is explained in place. */
function DeleteButton({
  question,
  path,
  version,
  patientId,
}: {
  question: string;
  path: string;
  version: number;
  patientId: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const remove = async () => {
    setDeleting(true);
    setError(undefined);
    try {
      await api.delete(path, version);
      navigate(patientPath(patientId));
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setDeleting(false);
    }
  };

  let problem: ReactNode = null;
  if (error instanceof ApiError && error.status === 409 && error.details.reason === 'has_adverse_events') {
    const ids = Array.isArray(error.details.adverseEventIds) ? (error.details.adverseEventIds as string[]) : [];
    problem = <LinkedEvents patientId={patientId} ids={ids} />;
  } else if (error !== undefined) {
    problem = <p>{isVersionConflict(error) ? s.conflict : errorText(error)}</p>;
  }

  return (
    <>
      {confirming ? (
        <div className="record-confirm" role="group" aria-label={s.delete}>
          <p>{question}</p>
          <button ref={confirmRef} type="button" className="danger" disabled={deleting} onClick={() => void remove()}>
            {deleting ? s.deleting : s.confirmDelete}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {s.keep}
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {s.delete}
        </button>
      )}
      {problem !== null && (
        <div className="form-errors record-delete-error" role="alert">
          {problem}
        </div>
      )}
    </>
  );
}

/** The complications that keep a procedure from being deleted, as links. */
function LinkedEvents({ patientId, ids }: { patientId: string; ids: string[] }) {
  const events = useApi<{ items: RecordView[] }>(`/patients/${encodeURIComponent(patientId)}/adverse-events`);
  const byId = new Map(events.data?.items.map((e) => [e.id, e]) ?? []);
  return (
    <>
      <p>{t.clinicForms.procedure.hasAdverseEvents}</p>
      <ul>
        {ids.map((id) => {
          const e = byId.get(id);
          return (
            <li key={id}>
              <Link to={`${patientPath(patientId)}/adverse-events/${encodeURIComponent(id)}`}>
                {e
                  ? format(t.clinicForms.procedure.linkedEvent, {
                      term: String(e.data.term),
                      date: formatDate(String(e.data.onset)),
                    })
                  : id}
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}
