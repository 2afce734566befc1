import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { ApiError, type FieldIssue } from '../api/client';
import { format, t } from '../i18n/strings';

/**
 * Form parts that show the API's own validation messages beside the fields they name. An
 * ApiError's issue `body.recipientSites.0.volumeMl` belongs to the field named
 * `recipientSites.0.volumeMl`; issues no field claims are listed in the summary at the top.
 */

/** Field name of an API issue path: `body.a.0.b` → `a.0.b`. */
export function fieldOf(issue: FieldIssue): string {
  return issue.path.replace(/^(body|params|query|headers)\.?/, '');
}

/** Issues by field name, from an ApiError (or none). */
export function issuesByField(error: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return map;
  for (const issue of error.issues) {
    const key = fieldOf(issue);
    map.set(key, [...(map.get(key) ?? []), issue.message]);
  }
  return map;
}

/** The error summary at the top of a form: focusable, announced, every issue with its field. */
export function FormErrors({ error, labels = {} }: { error: unknown; labels?: Record<string, string> }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError && error.issues.length > 0) {
    return (
      <div className="form-errors" role="alert" tabIndex={-1}>
        <p>{format(t.common.errors.fixFields, { count: error.issues.length })}</p>
        <ul>
          {error.issues.map((i, n) => (
            <li key={n}>
              <strong>{labels[fieldOf(i)] ?? fieldOf(i)}</strong>: {i.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="form-errors" role="alert">
      <p>{errorText(error)}</p>
    </div>
  );
}

/** A sentence for any error: the API's message, or what a network failure means. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return t.common.errors.notFound;
    if (error.status === 403) return t.common.errors.forbidden;
    if (error.status === 409 && error.code === 'conflict') return `${t.common.errors.conflict} (${error.message})`;
    return error.message;
  }
  if (error instanceof Error && error.name === 'NetworkError') return t.common.errors.network;
  return format(t.common.errors.generic, { message: error instanceof Error ? error.message : String(error) });
}

interface FieldProps {
  label: ReactNode;
  /** Hint under the label. */
  hint?: ReactNode;
  /** Messages for this field (from `issuesByField(error).get(name)`). */
  errors?: string[];
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled control with its hint and error messages wired for screen readers. */
export function Field({ label, hint, errors, children }: FieldProps) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={errorId ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      {children({ id, describedBy, invalid: errorId !== undefined })}
    </div>
  );
}

type Common = { label: ReactNode; hint?: ReactNode; errors?: string[] };

export function TextField({ label, hint, errors, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  errors,
  options,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] }) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function TextAreaField({ label, hint, errors, ...area }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...area} />
      )}
    </Field>
  );
}

/** A group of checkboxes or radios with one legend. */
export function Choices({
  legend,
  type,
  name,
  options,
  value,
  onChange,
  errors,
}: {
  legend: ReactNode;
  type: 'checkbox' | 'radio';
  name: string;
  options: readonly { value: string; label: string }[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  errors?: string[];
}) {
  const id = useId();
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return (
    <fieldset className="choices" aria-describedby={errorId}>
      <legend>{legend}</legend>
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type={type}
            name={name}
            value={o.value}
            checked={value.includes(o.value)}
            onChange={(e) => {
              if (type === 'radio') onChange([o.value]);
              else onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value));
            }}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
