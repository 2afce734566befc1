import { Fragment } from 'react';
import { TRIGGER_SITES } from '../../../../src/domain/diary';
import { PREVENTIVE_CLASSES, TREATMENT_TYPES, treatmentSchema } from '../../../../src/domain/registry';
import { format, formatDate, formatNumber, t } from '../../i18n/strings';
import { Choices, SelectField, TextAreaField, TextField } from '../../ui/forms';
import { DetailList, labelFrom, labelsOf, optionsOf, withChoose } from './parts';
import type { FormContext, FormProps, RecordSpec, RecordView } from './record-types';
import { compact, numberOf, optionalText, textOf } from './validate';

const s = t.clinicForms.treatment;
const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
const STOP_REASONS = ['ineffective', 'side-effects', 'completed', 'other'] as const;
const THERAPIES = ['cbt', 'biofeedback', 'relaxation', 'mindfulness', 'other'] as const;

type Field =
  | 'drug'
  | 'preventiveClass'
  | 'doseMg'
  | 'frequency'
  | 'start'
  | 'stop'
  | 'stopReason'
  | 'doseUnits'
  | 'sites'
  | 'site'
  | 'side'
  | 'agent'
  | 'percentRelief'
  | 'device'
  | 'therapy'
  | 'notes';

/** The fields of each treatment type, in the order the form shows them (src/domain/registry.ts). */
const FIELDS: Record<(typeof TREATMENT_TYPES)[number], readonly Field[]> = {
  'oral-preventive': ['drug', 'preventiveClass', 'doseMg', 'frequency', 'start', 'stop', 'stopReason', 'notes'],
  'cgrp-antibody': ['drug', 'doseMg', 'start', 'stop', 'stopReason', 'notes'],
  'botulinum-toxin': ['start', 'stop', 'doseUnits', 'sites', 'percentRelief', 'notes'],
  'nerve-block': ['start', 'site', 'side', 'agent', 'percentRelief', 'notes'],
  'nerve-decompression-surgery': ['start', 'sites', 'notes'],
  neuromodulation: ['device', 'start', 'stop', 'notes'],
  'behavioural-therapy': ['therapy', 'start', 'stop', 'notes'],
};

const NUMBER_FIELDS = new Set<Field>(['doseMg', 'doseUnits', 'percentRelief']);
/** Typed text sent as it is, even empty (the schema says what is wrong with it). */
const REQUIRED_TEXT = new Set<Field>(['drug', 'device', 'start']);

export interface TreatmentForm {
  type: string;
  values: Record<Exclude<Field, 'sites'>, string>;
  sites: string[];
}

const fieldsOf = (type: string): readonly Field[] => FIELDS[type as keyof typeof FIELDS] ?? [];

const TEXT_FIELDS = [...new Set(Object.values(FIELDS).flat())].filter(
  (f): f is Exclude<Field, 'sites'> => f !== 'sites',
);

function empty(ctx: FormContext): TreatmentForm {
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, ''])) as TreatmentForm['values'];
  return { type: '', values: { ...values, start: ctx.today }, sites: [] };
}

function fromData(d: Record<string, unknown>): TreatmentForm {
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, textOf(d[f])])) as TreatmentForm['values'];
  return { type: textOf(d.type), values, sites: Array.isArray(d.sites) ? d.sites.map(String) : [] };
}

/** Only the chosen type's fields go into the body: the schema refuses the others. */
function toBody(f: TreatmentForm): Record<string, unknown> {
  const body: Record<string, unknown> = { type: f.type === '' ? undefined : f.type };
  for (const field of fieldsOf(f.type)) {
    if (field === 'sites') body.sites = f.sites;
    else if (NUMBER_FIELDS.has(field)) body[field] = numberOf(f.values[field]);
    else if (REQUIRED_TEXT.has(field)) body[field] = f.values[field];
    // Optional text and unanswered choices are left out.
    else body[field] = optionalText(f.values[field]);
  }
  return compact(body);
}

const LABELS: Record<string, string> = {
  type: s.type,
  drug: s.drug,
  preventiveClass: s.preventiveClass,
  doseMg: s.doseMg,
  frequency: s.frequency,
  start: s.start,
  stop: s.stop,
  stopReason: s.stopReason,
  doseUnits: s.doseUnits,
  sites: s.sites,
  site: s.site,
  side: s.side,
  agent: s.agent,
  percentRelief: s.percentRelief,
  device: s.device,
  therapy: s.therapy,
  notes: t.clinicForms.record.notes,
};

/** A treatment given once (a block, an operation) has a date; the others a start and a stop. */
const singleDay = (type: string) => type === 'nerve-block' || type === 'nerve-decompression-surgery';

function TreatmentFields({ value: f, onChange, errors }: FormProps<TreatmentForm>) {
  const setValue = (field: Exclude<Field, 'sites'>, v: string) =>
    onChange({ ...f, values: { ...f.values, [field]: v } });
  const err = (field: string) => errors.get(field);
  const optional = t.clinicForms.record.optional;
  const fields = fieldsOf(f.type);

  const control = (field: Field) => {
    const v = field === 'sites' ? '' : f.values[field];
    const common = { errors: err(field) };
    switch (field) {
      case 'drug':
      case 'device':
        return (
          <TextField
            {...common}
            label={LABELS[field]}
            required
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
          />
        );
      case 'frequency':
      case 'agent':
        return (
          <TextField
            {...common}
            label={`${LABELS[field]} ${optional}`}
            hint={field === 'frequency' ? s.frequencyHint : s.agentHint}
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
          />
        );
      case 'doseMg':
      case 'doseUnits':
      case 'percentRelief':
        return (
          <TextField
            {...common}
            label={field === 'doseUnits' ? s.doseUnits : `${LABELS[field]} ${optional}`}
            hint={field === 'percentRelief' ? s.percentReliefHint : undefined}
            type="text"
            inputMode="decimal"
            required={field === 'doseUnits'}
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
          />
        );
      case 'start':
        return (
          <TextField
            {...common}
            label={singleDay(f.type) ? s.startSingle : s.start}
            type="date"
            required
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
          />
        );
      case 'stop':
        return (
          <TextField
            {...common}
            label={`${s.stop} ${optional}`}
            hint={s.stopHint}
            type="date"
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
          />
        );
      case 'preventiveClass':
      case 'stopReason':
      case 'side':
      case 'therapy':
      case 'site': {
        const table = {
          preventiveClass: [PREVENTIVE_CLASSES, s.classLabels],
          stopReason: [STOP_REASONS, s.stopReasonLabels],
          side: [SIDES, t.clinicForms.sides],
          therapy: [THERAPIES, s.therapyLabels],
          site: [TRIGGER_SITES, t.clinicForms.triggerSites],
        } as const;
        const [values, labels] = table[field];
        return (
          <SelectField
            {...common}
            label={field === 'stopReason' ? `${LABELS[field]} ${optional}` : LABELS[field]}
            required={field !== 'stopReason'}
            value={v}
            onChange={(e) => setValue(field, e.target.value)}
            options={withChoose(optionsOf(values, labels))}
          />
        );
      }
      case 'sites':
        return null;
      case 'notes':
        return null;
    }
  };

  return (
    <>
      <div className="record-grid">
        <SelectField
          label={s.type}
          required
          value={f.type}
          onChange={(e) => onChange({ ...f, type: e.target.value })}
          options={withChoose(optionsOf(TREATMENT_TYPES, s.typeLabels))}
          errors={err('type')}
        />
      </div>
      {f.type !== '' && (
        <fieldset className="record-group">
          <legend>{s.typeLabels[f.type] ?? f.type}</legend>
          <div className="record-grid">
            {fields.map((field) => (
              <Fragment key={field}>{control(field)}</Fragment>
            ))}
          </div>
          {fields.includes('sites') && (
            <Choices
              legend={f.type === 'nerve-decompression-surgery' ? s.decompressionSites : s.sites}
              type="checkbox"
              name="sites"
              options={optionsOf(TRIGGER_SITES, t.clinicForms.triggerSites)}
              value={f.sites}
              onChange={(sites) => onChange({ ...f, sites })}
              errors={err('sites')}
            />
          )}
          <TextAreaField
            label={`${t.clinicForms.record.notes} ${optional}`}
            rows={3}
            value={f.values.notes}
            onChange={(e) => setValue('notes', e.target.value)}
            errors={err('notes')}
          />
        </fieldset>
      )}
    </>
  );
}

function TreatmentDetails({ record }: { record: RecordView; ctx: FormContext }) {
  const d = record.data;
  const type = String(d.type);
  const rows: [string, string | undefined][] = [[s.type, s.typeLabels[type] ?? type]];
  for (const field of fieldsOf(type)) {
    if (field === 'notes') continue;
    const v = d[field];
    let text: string | undefined;
    if (field === 'sites') text = labelsOf(v, t.clinicForms.triggerSites);
    else if (v === undefined) text = field === 'stop' ? s.ongoing : undefined;
    else if (field === 'start' || field === 'stop') text = formatDate(String(v));
    else if (field === 'percentRelief') text = format(s.percentValue, { value: Number(v) });
    else if (typeof v === 'number') text = formatNumber(v);
    else {
      const labels: Record<string, Record<string, string>> = {
        preventiveClass: s.classLabels,
        stopReason: s.stopReasonLabels,
        side: t.clinicForms.sides,
        therapy: s.therapyLabels,
        site: t.clinicForms.triggerSites,
      };
      text = labels[field]?.[String(v)] ?? String(v);
    }
    rows.push([field === 'start' && singleDay(type) ? s.startSingle : LABELS[field]!, text]);
  }
  rows.push([t.clinicForms.record.notes, d.notes === undefined ? undefined : String(d.notes)]);
  return (
    <section className="card">
      <DetailList rows={rows} />
    </section>
  );
}

const titleOf = (template: string) => (d: Record<string, unknown>) =>
  format(template, { type: s.typeLabels[String(d.type)] ?? String(d.type), date: formatDate(String(d.start)) });

export const treatmentSpec: RecordSpec<TreatmentForm> = {
  kind: 'treatment',
  segment: 'treatments',
  schema: treatmentSchema,
  empty,
  fromData,
  toBody,
  Form: TreatmentFields,
  Details: TreatmentDetails,
  newTitle: s.newTitle,
  title: titleOf(s.title),
  editTitle: titleOf(s.editTitle),
  deleteQuestion: s.deleteQuestion,
  fieldLabel: (field) => labelFrom(LABELS, field),
};
