import { useState } from 'react';
import type { DiaryAnalysis } from '../../../../src/domain/analysis';
import { Link } from '../../app/router';
import { format, formatDate, formatNumber, t } from '../../i18n/strings';
import { Choices } from '../../ui/forms';
import type { AdverseEventView, ProcedureView, TreatmentView } from './types';

const s = t.clinicPatients.timeline;

export const TIMELINE_KINDS = ['procedure', 'complication', 'treatment', 'questionnaire', 'diary'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  key: string;
  date: string;
  kind: TimelineKind;
  title: string;
  details: string[];
  /** The record's page, for registry records. */
  link?: string;
}

type TreatmentData = TreatmentView['data'];

function treatmentTitle(d: TreatmentData): string {
  const type = s.treatmentTypes[d.type] ?? d.type;
  switch (d.type) {
    case 'oral-preventive':
      return `${type}: ${d.drug} (${d.preventiveClass})`;
    case 'cgrp-antibody':
      return `${type}: ${d.drug}`;
    case 'botulinum-toxin':
      return `${type}: ${formatNumber(d.doseUnits)} U, ${d.sites.join(', ')}`;
    case 'nerve-block':
      return `${type}: ${d.site} (${d.side})${d.agent ? `, ${d.agent}` : ''}`;
    case 'nerve-decompression-surgery':
      return `${type}: ${d.sites.join(', ')}`;
    case 'neuromodulation':
      return `${type}: ${d.device}`;
    case 'behavioural-therapy':
      return `${type}: ${d.therapy}`;
  }
}

function treatmentDetails(d: TreatmentData): string[] {
  const out: string[] = [];
  if ('stop' in d) out.push(d.stop ? format(s.treatmentStopped, { date: formatDate(d.stop) }) : s.treatmentOngoing);
  if ('percentRelief' in d && d.percentRelief !== undefined) out.push(format(s.relief, { percent: d.percentRelief }));
  return out;
}

/** Every dated fact about the patient: diary months, treatments, procedures, complications, questionnaires. */
export function timelineEvents(input: {
  patientId: string;
  analysis: DiaryAnalysis | undefined;
  procedures: readonly ProcedureView[];
  treatments: readonly TreatmentView[];
  adverseEvents: readonly AdverseEventView[];
  procedureTypes: Record<string, string>;
}): TimelineEvent[] {
  const base = `/clinic/patients/${encodeURIComponent(input.patientId)}`;
  const events: TimelineEvent[] = [];
  const overuseByMonth = new Map<string, { codes: string[]; meets: boolean }>();
  for (const o of input.analysis?.medicationOveruse ?? []) {
    for (const m of o.months) {
      const entry = overuseByMonth.get(m.month) ?? { codes: [], meets: false };
      entry.codes.push(o.code);
      entry.meets ||= m.level === 'meets-criteria';
      overuseByMonth.set(m.month, entry);
    }
  }
  for (const m of input.analysis?.months ?? []) {
    const details = [
      format(s.monthDetail, {
        migraine: m.migraineDays,
        headache: m.headacheDays,
        medication: m.acuteMedicationDays,
        recorded: m.recordedDays,
        days: m.days,
      }),
      format(s.monthAttacks, { n: m.attacks }),
    ];
    const overuse = overuseByMonth.get(m.month);
    if (overuse) {
      details.push(
        format(s.monthOveruse, {
          level: overuse.meets ? s.overuseMeets : s.overuseRisk,
          codes: overuse.codes.join(', '),
        }),
      );
    }
    events.push({
      key: `diary-${m.month}`,
      date: m.start,
      kind: 'diary',
      title: formatDate(m.start, { month: 'long', year: 'numeric' }),
      details,
    });
  }
  for (const q of input.analysis?.questionnaires ?? []) {
    events.push({
      key: `q-${q.instrument}-${q.date}-${events.length}`,
      date: q.date,
      kind: 'questionnaire',
      title: format(s.questionnaire, { instrument: q.instrument, score: formatNumber(q.score) }),
      // Bands and answers are ids ("substantial-impact"): shown as words.
      details: [q.interpretation.replace(/-/g, ' ')],
    });
  }
  for (const p of input.procedures) {
    const d = p.data;
    const total = d.recipientSites.reduce((n, r) => n + r.volumeMl, 0);
    const details = [
      d.recipientSites
        .map((r) => format(s.recipient, { site: r.site, side: r.side, volume: formatNumber(r.volumeMl) }))
        .join('; '),
      format(s.totalVolume, { volume: formatNumber(total) }),
    ];
    if (d.adjuncts && d.adjuncts.length > 0) details.push(format(s.adjuncts, { list: d.adjuncts.join(', ') }));
    events.push({
      key: `procedure-${p.id}`,
      date: d.date,
      kind: 'procedure',
      title: format(s.procedure, {
        type: input.procedureTypes[d.type ?? 'fat-transfer'] ?? d.type ?? '',
        site: d.siteId,
        surgeon: d.surgeon,
      }),
      details,
      link: `${base}/procedures/${encodeURIComponent(p.id)}`,
    });
  }
  for (const tr of input.treatments) {
    events.push({
      key: `treatment-${tr.id}`,
      date: tr.data.start,
      kind: 'treatment',
      title: treatmentTitle(tr.data),
      details: treatmentDetails(tr.data),
      link: `${base}/treatments/${encodeURIComponent(tr.id)}`,
    });
  }
  for (const e of input.adverseEvents) {
    const d = e.data;
    events.push({
      key: `complication-${e.id}`,
      date: d.onset,
      kind: 'complication',
      title: format(s.complication, { term: d.term, grade: d.grade }),
      details: [
        format(s.relation, { relation: s.relations[d.relation] ?? d.relation }),
        d.resolved ? format(s.resolved, { date: formatDate(d.resolved) }) : s.unresolved,
      ],
      link: `${base}/adverse-events/${encodeURIComponent(e.id)}`,
    });
  }
  const rank = (k: TimelineKind) => TIMELINE_KINDS.indexOf(k);
  return events.sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : rank(a.kind) - rank(b.kind) || (a.key < b.key ? -1 : 1),
  );
}

/** The timeline in date order, with a choice of what to show. */
export function Timeline({ events }: { events: readonly TimelineEvent[] }) {
  const [shown, setShown] = useState<string[]>([...TIMELINE_KINDS]);
  const visible = events.filter((e) => shown.includes(e.kind));
  return (
    <>
      <div className="timeline-kinds">
        <Choices
          legend={s.show}
          type="checkbox"
          name="timeline-kinds"
          options={TIMELINE_KINDS.map((k) => ({ value: k, label: s.kinds[k] }))}
          value={shown}
          onChange={setShown}
        />
      </div>
      {visible.length === 0 ? (
        <p>{s.empty}</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {visible.map((e) => (
            <li key={e.key} data-kind={e.kind}>
              <time dateTime={e.date}>{formatDate(e.date)}</time>
              <span className="timeline-kind">{s.kinds[e.kind]}</span>
              <div className="timeline-what">
                <p>
                  {e.title}
                  {e.link && (
                    <>
                      {' · '}
                      <Link to={e.link}>
                        {s.open}
                        <span className="visually-hidden">: {e.title}</span>
                      </Link>
                    </>
                  )}
                </p>
                {e.details.length > 0 && <p className="timeline-detail">{e.details.join(' · ')}</p>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
