import type { ChecklistItem } from '../../../../src/domain/candidacy';
import { format, formatDate, formatRate, t } from '../../i18n/strings';
import type { CandidacyView } from './types';

const s = t.clinicPatients.candidacy;
const e = s.ev;

const yesNo = (v: unknown) => (v === true ? t.common.yes : v === false ? t.common.no : e.notAnswered);
const rate = (n: unknown) => (typeof n === 'number' ? formatRate(n) : '—');
const monthName = (m: string) => formatDate(`${m}-01`, { month: 'short', year: 'numeric' });

/** What an item rests on, in words; an item this page does not know is shown as its raw values. */
export function evidenceLines(item: ChecklistItem): string[] {
  // The API's evidence object; each item id has its own keys (src/domain/candidacy.ts).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const v = item.evidence as Record<string, any>;
  switch (item.id) {
    case 'diagnosis-confirmed': {
      const lines: string[] = [];
      if (v.code !== null && v.confirmedOn !== null)
        lines.push(format(e.diagnosis, { code: v.code, date: formatDate(v.confirmedOn) }));
      else if (v.code !== null) lines.push(format(e.diagnosisCode, { code: v.code }));
      else if (item.status === 'unknown') lines.push(e.notAnswered);
      const codes = (v.diaryCodesMet ?? []) as string[];
      lines.push(codes.length > 0 ? format(e.diaryCodes, { codes: codes.join(', ') }) : e.diaryCodesNone);
      return lines;
    }
    case 'baseline-diary': {
      const lines = [format(e.recorded, { recorded: v.recordedDays, required: v.requiredDays })];
      if (v.inProgress) lines.push(format(e.inProgress, { elapsed: v.daysElapsed }));
      if (typeof v.migraineDaysPer28 === 'number')
        lines.push(format(e.per28, { migraine: rate(v.migraineDaysPer28), headache: rate(v.headacheDaysPer28) }));
      return lines;
    }
    case 'preventive-classes': {
      const classes = Object.entries((v.classes ?? {}) as Record<string, string[]>);
      const lines = [
        classes.length > 0
          ? format(e.classes, {
              count: v.count,
              required: v.required,
              list: classes.map(([cls, drugs]) => `${cls} (${drugs.join(', ')})`).join('; '),
            })
          : format(e.classesNone, { required: v.required }),
      ];
      lines.push(v.treatmentHistoryComplete === true ? e.historyComplete : e.historyIncomplete);
      return lines;
    }
    case 'trigger-sites': {
      const share = Math.round(Number(v.minShare) * 100);
      if (v.attacksNamingSites === 0) return [e.noSitesNamed];
      const sites = (v.sites ?? []) as string[];
      const counts = (v.counts ?? {}) as Record<string, number>;
      return [
        sites.length > 0
          ? format(e.sites, {
              share,
              n: v.attacksNamingSites,
              list: sites.map((site) => `${site} (${counts[site] ?? 0})`).join(', '),
            })
          : format(e.sitesNone, { share, n: v.attacksNamingSites }),
      ];
    }
    case 'site-confirmation': {
      const tests = (v.tests ?? []) as { type: string; start: string; sites: string[]; percentRelief: number | null }[];
      const lines =
        tests.length === 0
          ? [e.noTests]
          : tests.map((x) =>
              format(e.tests, {
                type: t.clinicPatients.timeline.treatmentTypes[x.type] ?? x.type,
                date: formatDate(x.start),
                sites: x.sites.join(', '),
                relief:
                  x.percentRelief === null
                    ? e.reliefNotRecorded
                    : format(t.clinicPatients.timeline.relief, { percent: x.percentRelief }),
              }),
            );
      const confirmed = (v.confirmedSites ?? []) as string[];
      if (confirmed.length > 0) lines.push(format(e.confirmed, { list: confirmed.join(', ') }));
      lines.push(format(e.threshold, { percent: v.minReliefPercent }));
      return lines;
    }
    case 'medication-overuse': {
      const lines = [
        format(e.overuseWindow, { from: monthName(v.from), to: monthName(v.to), recorded: v.recordedDays }),
      ];
      const found = (v.overuse ?? []) as { code: string; months: { month: string; level: string }[] }[];
      if (found.length === 0) lines.push(e.overuseNone);
      for (const o of found) {
        lines.push(
          format(e.overuseFound, {
            code: o.code,
            months: o.months.map((m) => `${monthName(m.month)} (${m.level})`).join(', '),
          }),
        );
      }
      lines.push(format(e.addressed, { answer: yesNo(v.medicationOveruseAddressed) }));
      return lines;
    }
    default:
      if (item.id.startsWith('contraindication:'))
        return [v.present === true ? e.present : v.present === false ? e.absent : e.notAnswered];
      return Object.entries(v).map(([k, value]) => `${k}: ${JSON.stringify(value)}`);
  }
}

/** The candidacy checklist: each item met, not met or unknown, its evidence and source. No verdict. */
export function Candidacy({ candidacy }: { candidacy: CandidacyView }) {
  return (
    <>
      <p>{s.intro}</p>
      <p>
        {candidacy.plannedDate ? format(s.planned, { date: formatDate(candidacy.plannedDate) }) : s.notPlanned}{' '}
        {format(s.baseline, { start: formatDate(candidacy.baseline.start), end: formatDate(candidacy.baseline.end) })}
      </p>
      <div className="table-scroll">
        <table className="criteria-table candidacy-table" data-testid="candidacy-table">
          <caption className="visually-hidden">{t.clinicPatients.page.candidacyHeading}</caption>
          <thead>
            <tr>
              <th scope="col">{s.item}</th>
              <th scope="col">{s.status}</th>
              <th scope="col">{s.evidence}</th>
              <th scope="col">{s.source}</th>
            </tr>
          </thead>
          <tbody>
            {candidacy.items.map((item) => (
              <tr key={item.id} data-item={item.id}>
                <th scope="row">{s.labels[item.id] ?? item.label}</th>
                <td>
                  <span className={`status-badge status-${item.status}`}>{s.statuses[item.status]}</span>
                </td>
                <td>
                  <ul className="evidence-list">
                    {evidenceLines(item).map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                </td>
                <td>{s.sources[item.source] ?? item.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
