import { useId } from 'react';
import {
  ADJUNCT_PROCEDURES,
  ANAESTHESIA,
  DONOR_SITES,
  HARVEST_TECHNIQUES,
  PROCESSING_METHODS,
  procedureSchema,
  RECIPIENT_SITES,
} from '../../../../src/domain/registry';
import { useApi } from '../../api/use-api';
import { Link } from '../../app/router';
import { format, formatDate, formatNumber, t } from '../../i18n/strings';
import { Choices, SelectField, TextAreaField, TextField } from '../../ui/forms';
import { ErrorView, Loading } from '../../ui/states';
import { OutcomeTable, type ProcedureOutcomeResponse } from '../OutcomeTable';
import { DetailList, labelFrom, labelsOf, optionsOf, withChoose } from './parts';
import type { FormContext, FormProps, RecordSpec, RecordView } from './record-types';
import { patientPath } from './RecordPage';
import { compact, numberOf, optionalText, textOf } from './validate';

const s = t.clinicForms.procedure;
const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;

interface RecipientRow {
  /** A stable React key for the row (rows are added and removed). */
  key: string;
  site: string;
  side: string;
  volumeMl: string;
  detail: string;
}

export interface ProcedureForm {
  date: string;
  surgeon: string;
  siteId: string;
  donorSites: string[];
  technique: string;
  cannulaGauge: string;
  cannulaDiameterMm: string;
  method: string;
  centrifugeG: string;
  centrifugeMinutes: string;
  recipientSites: RecipientRow[];
  adjuncts: string[];
  anaesthesia: string;
  durationMinutes: string;
  notes: string;
}

let rowKeys = 0;
const emptyRow = (): RecipientRow => ({ key: `row-${++rowKeys}`, site: '', side: '', volumeMl: '', detail: '' });

function empty(ctx: FormContext): ProcedureForm {
  return {
    date: ctx.today,
    surgeon: '',
    siteId: ctx.patient.siteId,
    donorSites: [],
    technique: '',
    cannulaGauge: '',
    cannulaDiameterMm: '',
    method: '',
    centrifugeG: '',
    centrifugeMinutes: '',
    recipientSites: [emptyRow()],
    adjuncts: [],
    anaesthesia: '',
    durationMinutes: '',
    notes: '',
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function fromData(d: Obj): ProcedureForm {
  const harvest = obj(d.harvest);
  const processing = obj(d.processing);
  return {
    date: textOf(d.date),
    surgeon: textOf(d.surgeon),
    siteId: textOf(d.siteId),
    donorSites: strings(d.donorSites),
    technique: textOf(harvest.technique),
    cannulaGauge: textOf(harvest.cannulaGauge),
    cannulaDiameterMm: textOf(harvest.cannulaDiameterMm),
    method: textOf(processing.method),
    centrifugeG: textOf(processing.centrifugeG),
    centrifugeMinutes: textOf(processing.centrifugeMinutes),
    recipientSites: (Array.isArray(d.recipientSites) ? d.recipientSites : []).map((r) => {
      const row = obj(r);
      return {
        ...emptyRow(),
        site: textOf(row.site),
        side: textOf(row.side),
        volumeMl: textOf(row.volumeMl),
        detail: textOf(row.detail),
      };
    }),
    adjuncts: strings(d.adjuncts),
    anaesthesia: textOf(d.anaesthesia),
    durationMinutes: textOf(d.durationMinutes),
    notes: textOf(d.notes),
  };
}

const choice = (v: string) => (v === '' ? undefined : v);

function toBody(f: ProcedureForm): Obj {
  const centrifuged = f.method === 'centrifugation';
  return compact({
    type: 'fat-transfer',
    date: f.date,
    surgeon: f.surgeon,
    siteId: f.siteId,
    donorSites: f.donorSites,
    harvest: compact({
      technique: choice(f.technique),
      cannulaGauge: numberOf(f.cannulaGauge),
      cannulaDiameterMm: numberOf(f.cannulaDiameterMm),
    }),
    // g and minutes belong to centrifugation only; the fields are hidden for the other methods.
    processing: compact({
      method: choice(f.method),
      centrifugeG: centrifuged ? numberOf(f.centrifugeG) : undefined,
      centrifugeMinutes: centrifuged ? numberOf(f.centrifugeMinutes) : undefined,
    }),
    recipientSites: f.recipientSites.map((r) =>
      compact({
        site: choice(r.site),
        side: choice(r.side),
        volumeMl: numberOf(r.volumeMl),
        detail: optionalText(r.detail),
      }),
    ),
    adjuncts: f.adjuncts,
    anaesthesia: choice(f.anaesthesia),
    durationMinutes: numberOf(f.durationMinutes),
    notes: optionalText(f.notes),
  });
}

/** Total of the volumes typed so far (rows without a valid positive volume add nothing). */
function totalVolume(rows: readonly { volumeMl: string }[]): number {
  return rows.reduce((sum, r) => {
    const v = numberOf(r.volumeMl);
    return typeof v === 'number' && v > 0 ? sum + v : sum;
  }, 0);
}

const LABELS: Record<string, string> = {
  date: s.date,
  surgeon: s.surgeon,
  siteId: s.siteId,
  donorSites: s.donorSites,
  'harvest.technique': s.technique,
  'harvest.cannulaGauge': s.cannulaGauge,
  'harvest.cannulaDiameterMm': s.cannulaDiameterMm,
  'processing.method': s.method,
  'processing.centrifugeG': s.centrifugeG,
  'processing.centrifugeMinutes': s.centrifugeMinutes,
  recipientSites: s.recipientSites,
  site: s.site,
  side: s.side,
  volumeMl: s.volumeMl,
  detail: s.detail,
  adjuncts: s.adjuncts,
  anaesthesia: s.anaesthesia,
  durationMinutes: s.durationMinutes,
  notes: t.clinicForms.record.notes,
};

function fieldLabel(field: string): string {
  const m = /^recipientSites\.(\d+)\.(\w+)/.exec(field);
  if (m) return `${format(s.recipientSite, { n: Number(m[1]) + 1 })}: ${labelFrom(LABELS, m[2]!)}`;
  return labelFrom(LABELS, field);
}

function ProcedureFields({ value: f, onChange, errors, ctx }: FormProps<ProcedureForm>) {
  const set = <K extends keyof ProcedureForm>(key: K, v: ProcedureForm[K]) => onChange({ ...f, [key]: v });
  const setRow = (i: number, patch: Partial<RecipientRow>) =>
    set(
      'recipientSites',
      f.recipientSites.map((r, n) => (n === i ? { ...r, ...patch } : r)),
    );
  const err = (field: string) => errors.get(field);
  const siteIds = [...new Set([ctx.patient.siteId, ...ctx.user.siteIds, ...(f.siteId ? [f.siteId] : [])])];
  const totalId = useId();
  const sides = withChoose(optionsOf(SIDES, t.clinicForms.sides));
  const recipientOptions = withChoose(optionsOf(RECIPIENT_SITES, s.recipientSiteLabels));

  return (
    <>
      <fieldset className="record-group">
        <legend>{s.summary}</legend>
        <div className="record-grid">
          <TextField
            label={s.date}
            type="date"
            required
            value={f.date}
            onChange={(e) => set('date', e.target.value)}
            errors={err('date')}
          />
          <TextField
            label={s.surgeon}
            hint={s.surgeonHint}
            required
            value={f.surgeon}
            onChange={(e) => set('surgeon', e.target.value)}
            errors={err('surgeon')}
            autoComplete="off"
          />
          <SelectField
            label={s.siteId}
            required
            value={f.siteId}
            onChange={(e) => set('siteId', e.target.value)}
            options={siteIds.map((id) => ({ value: id, label: id }))}
            errors={err('siteId')}
          />
          <SelectField
            label={s.anaesthesia}
            required
            value={f.anaesthesia}
            onChange={(e) => set('anaesthesia', e.target.value)}
            options={withChoose(optionsOf(ANAESTHESIA, s.anaesthesiaLabels))}
            errors={err('anaesthesia')}
          />
          <TextField
            label={`${s.durationMinutes} ${t.clinicForms.record.optional}`}
            type="text"
            inputMode="numeric"
            value={f.durationMinutes}
            onChange={(e) => set('durationMinutes', e.target.value)}
            errors={err('durationMinutes')}
          />
        </div>
      </fieldset>

      <fieldset className="record-group">
        <legend>{s.harvest}</legend>
        <Choices
          legend={s.donorSites}
          type="checkbox"
          name="donorSites"
          options={optionsOf(DONOR_SITES, s.donorSiteLabels)}
          value={f.donorSites}
          onChange={(v) => set('donorSites', v)}
          errors={err('donorSites')}
        />
        <div className="record-grid">
          <SelectField
            label={s.technique}
            required
            value={f.technique}
            onChange={(e) => set('technique', e.target.value)}
            options={withChoose(optionsOf(HARVEST_TECHNIQUES, s.techniqueLabels))}
            errors={err('harvest.technique')}
          />
          <TextField
            label={`${s.cannulaGauge} ${t.clinicForms.record.optional}`}
            hint={s.cannulaGaugeHint}
            type="text"
            inputMode="numeric"
            value={f.cannulaGauge}
            onChange={(e) => set('cannulaGauge', e.target.value)}
            errors={err('harvest.cannulaGauge')}
          />
          <TextField
            label={`${s.cannulaDiameterMm} ${t.clinicForms.record.optional}`}
            type="text"
            inputMode="decimal"
            value={f.cannulaDiameterMm}
            onChange={(e) => set('cannulaDiameterMm', e.target.value)}
            errors={err('harvest.cannulaDiameterMm')}
          />
        </div>
      </fieldset>

      <fieldset className="record-group">
        <legend>{s.processing}</legend>
        <div className="record-grid">
          <SelectField
            label={s.method}
            required
            value={f.method}
            onChange={(e) => set('method', e.target.value)}
            options={withChoose(optionsOf(PROCESSING_METHODS, s.methodLabels))}
            errors={err('processing.method')}
          />
          {f.method === 'centrifugation' && (
            <>
              <TextField
                label={`${s.centrifugeG} ${t.clinicForms.record.optional}`}
                type="text"
                inputMode="decimal"
                value={f.centrifugeG}
                onChange={(e) => set('centrifugeG', e.target.value)}
                errors={err('processing.centrifugeG')}
              />
              <TextField
                label={`${s.centrifugeMinutes} ${t.clinicForms.record.optional}`}
                type="text"
                inputMode="decimal"
                value={f.centrifugeMinutes}
                onChange={(e) => set('centrifugeMinutes', e.target.value)}
                errors={err('processing.centrifugeMinutes')}
              />
            </>
          )}
        </div>
      </fieldset>

      <fieldset className="record-group" aria-describedby={totalId}>
        <legend>{s.recipientSites}</legend>
        {err('recipientSites') && <p className="field-error">{err('recipientSites')!.join('; ')}</p>}
        {f.recipientSites.map((row, i) => {
          const n = i + 1;
          const rowErr = (k: string) => err(`recipientSites.${i}.${k}`);
          return (
            <div className="recipient-row" key={row.key} role="group" aria-label={format(s.recipientSite, { n })}>
              <h3 aria-hidden="true">{format(s.recipientSite, { n })}</h3>
              <SelectField
                label={s.site}
                required
                value={row.site}
                onChange={(e) => setRow(i, { site: e.target.value })}
                options={recipientOptions}
                errors={rowErr('site')}
              />
              <SelectField
                label={s.side}
                required
                value={row.side}
                onChange={(e) => setRow(i, { side: e.target.value })}
                options={sides}
                errors={rowErr('side')}
              />
              <TextField
                label={s.volumeMl}
                type="text"
                inputMode="decimal"
                required
                value={row.volumeMl}
                onChange={(e) => setRow(i, { volumeMl: e.target.value })}
                errors={rowErr('volumeMl')}
              />
              <TextField
                label={`${s.detail} ${t.clinicForms.record.optional}`}
                value={row.detail}
                onChange={(e) => setRow(i, { detail: e.target.value })}
                errors={rowErr('detail')}
              />
              {f.recipientSites.length > 1 ? (
                <button
                  type="button"
                  className="recipient-remove"
                  onClick={() =>
                    set(
                      'recipientSites',
                      f.recipientSites.filter((_, k) => k !== i),
                    )
                  }
                >
                  {format(s.removeSite, { n })}
                </button>
              ) : (
                <span />
              )}
            </div>
          );
        })}
        <p className="record-total" id={totalId} aria-live="polite">
          {format(s.totalVolume, { volume: formatNumber(totalVolume(f.recipientSites)) })}
        </p>
        <div className="record-actions">
          <button type="button" onClick={() => set('recipientSites', [...f.recipientSites, emptyRow()])}>
            {s.addSite}
          </button>
        </div>
        <p className="hint">{s.detailHint}</p>
      </fieldset>

      <Choices
        legend={`${s.adjuncts} ${t.clinicForms.record.optional}`}
        type="checkbox"
        name="adjuncts"
        options={optionsOf(ADJUNCT_PROCEDURES, s.adjunctLabels)}
        value={f.adjuncts}
        onChange={(v) => set('adjuncts', v)}
        errors={err('adjuncts')}
      />
      <TextAreaField
        label={`${t.clinicForms.record.notes} ${t.clinicForms.record.optional}`}
        rows={3}
        value={f.notes}
        onChange={(e) => set('notes', e.target.value)}
        errors={err('notes')}
      />
    </>
  );
}

function label(table: Record<string, string>, v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : (table[String(v)] ?? String(v));
}

function ProcedureDetails({ record, ctx }: { record: RecordView; ctx: FormContext }) {
  const d = record.data;
  const harvest = obj(d.harvest);
  const processing = obj(d.processing);
  const rows = (Array.isArray(d.recipientSites) ? d.recipientSites : []).map(obj);
  const total = rows.reduce((sum, r) => sum + (typeof r.volumeMl === 'number' ? r.volumeMl : 0), 0);
  const cannula = [
    harvest.cannulaGauge !== undefined ? format(s.gaugeValue, { value: String(harvest.cannulaGauge) }) : null,
    harvest.cannulaDiameterMm !== undefined
      ? format(s.millimetres, { value: Number(harvest.cannulaDiameterMm) })
      : null,
  ]
    .filter(Boolean)
    .join(', ');
  const processingText = [
    label(s.methodLabels, processing.method),
    processing.centrifugeG !== undefined ? format(s.gForce, { value: Number(processing.centrifugeG) }) : null,
    processing.centrifugeMinutes !== undefined
      ? format(s.minutes, { value: Number(processing.centrifugeMinutes) })
      : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      <section className="card" aria-labelledby="procedure-details">
        <h2 id="procedure-details">{s.summary}</h2>
        <DetailList
          rows={[
            [s.date, formatDate(String(d.date))],
            [s.surgeon, label({}, d.surgeon)],
            [s.siteId, label({}, d.siteId)],
            [s.anaesthesia, label(s.anaesthesiaLabels, d.anaesthesia)],
            [s.durationMinutes, d.durationMinutes === undefined ? undefined : formatNumber(Number(d.durationMinutes))],
            [s.donorSites, labelsOf(d.donorSites, s.donorSiteLabels)],
            [s.technique, label(s.techniqueLabels, harvest.technique)],
            [s.cannula, cannula],
            [s.processing, processingText],
            [s.adjuncts, labelsOf(d.adjuncts, s.adjunctLabels)],
            [t.clinicForms.record.notes, label({}, d.notes)],
          ]}
        />
        <div className="table-scroll">
          <table data-testid="recipient-sites">
            <caption className="visually-hidden">{s.recipientSites}</caption>
            <thead>
              <tr>
                <th scope="col">{s.recipientSites}</th>
                <th scope="col">{s.side}</th>
                <th scope="col" className="num">
                  {s.volumeMl}
                </th>
                <th scope="col">{s.detail}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>{label(s.recipientSiteLabels, r.site)}</td>
                  <td>{label(t.clinicForms.sides, r.side)}</td>
                  <td className="num">{formatNumber(Number(r.volumeMl))}</td>
                  <td>{label({}, r.detail) ?? ''}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {format(s.totalVolume, { volume: formatNumber(total) })}
                </th>
                <td className="num">{formatNumber(total)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <Complications patientId={ctx.patient.id} procedureId={record.id} />
      <ProcedureOutcome patientId={ctx.patient.id} procedureId={record.id} />
    </>
  );
}

function Complications({ patientId, procedureId }: { patientId: string; procedureId: string }) {
  const events = useApi<{ items: RecordView[] }>(`/patients/${encodeURIComponent(patientId)}/adverse-events`);
  const linked = events.data?.items.filter((e) => e.data.procedureId === procedureId) ?? [];
  const ae = t.clinicForms.adverseEvent;
  return (
    <section className="card" aria-labelledby="procedure-complications">
      <h2 id="procedure-complications">{s.complications}</h2>
      {events.loading && <Loading />}
      {events.error && <ErrorView error={events.error} onRetry={events.reload} />}
      {events.data &&
        (linked.length === 0 ? (
          <p>{s.noComplications}</p>
        ) : (
          <ul>
            {linked.map((e) => (
              <li key={e.id}>
                <Link to={`${patientPath(patientId)}/adverse-events/${encodeURIComponent(e.id)}`}>
                  {format(ae.title, { term: String(e.data.term), date: formatDate(String(e.data.onset)) })}
                </Link>{' '}
                ({format(ae.gradeName, { grade: String(e.data.grade) })})
              </li>
            ))}
          </ul>
        ))}
      <p className="no-print">
        <Link
          to={`${patientPath(patientId)}/adverse-events/new?procedureId=${encodeURIComponent(procedureId)}`}
          className="button"
        >
          {s.recordComplication}
        </Link>
      </p>
    </section>
  );
}

function ProcedureOutcome({ patientId, procedureId }: { patientId: string; procedureId: string }) {
  const outcome = useApi<ProcedureOutcomeResponse>(
    `/patients/${encodeURIComponent(patientId)}/procedures/${encodeURIComponent(procedureId)}/outcome`,
  );
  if (outcome.error) return <ErrorView error={outcome.error} onRetry={outcome.reload} />;
  if (!outcome.data) return <Loading />;
  return (
    <div className="card">
      <OutcomeTable outcome={outcome.data} />
    </div>
  );
}

export const procedureSpec: RecordSpec<ProcedureForm> = {
  kind: 'procedure',
  segment: 'procedures',
  schema: procedureSchema,
  empty,
  fromData,
  toBody,
  Form: ProcedureFields,
  Details: ProcedureDetails,
  newTitle: s.newTitle,
  title: (d) => format(s.title, { date: formatDate(String(d.date)) }),
  editTitle: (d) => format(s.editTitle, { date: formatDate(String(d.date)) }),
  deleteQuestion: s.deleteQuestion,
  fieldLabel,
};
