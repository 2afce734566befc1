import type { ReactNode } from 'react';
import { t } from '../../i18n/strings';

/** Select options for an enum, labelled from the strings (the value itself when a label is missing). */
export function optionsOf(values: readonly string[], labels: Record<string, string>) {
  return values.map((value) => ({ value, label: labels[value] ?? value }));
}

/** Options with a first, empty "Choose…" entry: a required choice starts unanswered. */
export function withChoose(options: { value: string; label: string }[]) {
  return [{ value: '', label: t.clinicForms.record.choose }, ...options];
}

/** Labels of a list of enum values, joined. */
export function labelsOf(values: unknown, labels: Record<string, string>): string {
  if (!Array.isArray(values) || values.length === 0) return t.clinicForms.record.notSet;
  return values.map((v) => labels[String(v)] ?? String(v)).join(', ');
}

/** A read-only record as a list of terms and values; absent values say "Not recorded". */
export function DetailList({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="record-details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === undefined || value === null || value === '' ? t.clinicForms.record.notSet : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** `a.b.c` → "label" from a flat table, by the full path first and then its last part. */
export function labelFrom(table: Record<string, string>, field: string): string {
  return table[field] ?? table[field.split('.').at(-1) ?? field] ?? field;
}
