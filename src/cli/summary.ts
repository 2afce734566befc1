import type { DiaryAnalysis } from '../domain/analysis.js';
import { formatTriggers } from './trigger-summary.js';

/** A readable plain-text summary of an analysis, for the terminal. */
export function formatSummary(a: DiaryAnalysis, source: string, layout: string, importWarnings: string[]): string {
  const out: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const num = (x: number | null, digits = 1) => (x === null ? '–' : x.toFixed(digits));

  out.push(`Relief analysis of ${source} (${layout}), as of ${a.asOf}`);
  out.push(`Patient ${a.patient.id}, time zone ${a.patient.timeZone}`);
  if (a.span.first === null) {
    out.push('The diary has no recorded day.');
    return out.join('\n');
  }
  out.push(
    `Diary ${a.span.first} to ${a.span.last}: ${a.span.recordedDays} of ${a.span.days} days recorded (${pct(a.span.compliance)})`,
  );

  out.push('', 'ICHD-3 classification from the diary (a clinician must confirm each diagnosis)');
  const met = a.classification.diagnoses.filter((d) => d.status === 'met');
  out.push(`  criteria met: ${met.length === 0 ? 'none' : met.map((d) => `${d.code} ${d.name}`).join('; ')}`);
  for (const d of a.classification.diagnoses) {
    if (d.status === 'not-met') continue;
    const criteria = d.criteria
      .map((c) => `${c.id} ${c.met === true ? 'met' : c.met === false ? 'not met' : 'undetermined'}`)
      .join(', ');
    out.push(`  ${d.code} ${d.name}: ${d.status} (${criteria})`);
  }
  const types = Object.entries(a.classification.attackTypes).filter(([, n]) => n > 0);
  if (types.length > 0) out.push(`  attacks by type: ${types.map(([t, n]) => `${t} ${n}`).join(', ')}`);

  out.push('', 'Medication overuse (ICHD-3 8.2; counted per calendar month)');
  if (a.medicationOveruse.length === 0) out.push('  no month reached an overuse threshold');
  for (const o of a.medicationOveruse) {
    const label = o.status === 'meets-criteria' ? 'MEETS CRITERIA' : 'risk';
    const months = o.months.map((m) => `${m.month} (${m.days} d)`).join(', ');
    out.push(
      `  ${o.code} ${o.name}, ≥${o.thresholdDays} days/month: ${label}; ${o.months.length} month${o.months.length === 1 ? '' : 's'}: ${months}`,
    );
  }

  out.push('', 'Months (per 28 = count × 28 / recorded days, only when enough days are recorded)');
  out.push('  month    recorded  headache  migraine  undetermined  acute-med  | per 28: headache  migraine  acute-med');
  for (const m of a.months) {
    const p = m.per28;
    out.push(
      `  ${m.month}  ${`${m.recordedDays}/${m.days}`.padStart(8)}  ${String(m.headacheDays).padStart(8)}  ${String(
        m.migraineDays,
      ).padStart(
        8,
      )}  ${String(m.migraineDaysUndetermined).padStart(12)}  ${String(m.acuteMedicationDays).padStart(9)}  |  ${
        p
          ? `${num(p.headacheDays).padStart(15)}  ${num(p.migraineDays).padStart(8)}  ${num(p.acuteMedicationDays).padStart(9)}`
          : '   insufficient diary'
      }`,
    );
  }

  if (a.outcomes) {
    const o = a.outcomes;
    out.push('', `Outcome against baseline (reference date ${o.referenceDate}; MMD = migraine days per 28 days)`);
    out.push(`  baseline ${o.baseline.summary.start}..${o.baseline.summary.end}: MMD ${num(o.baseline.mmd)}`);
    for (const w of o.windows) {
      const resp = w.responders
        .map((r) => `≥${r.threshold * 100} %: ${r.responder === null ? '–' : r.responder ? 'yes' : 'no'}`)
        .join(', ');
      out.push(
        `  ${w.label.padEnd(12)} ${w.status.padEnd(18)} MMD ${num(w.mmd)}, change ${num(w.mmdChange)} (${num(
          w.mmdPercentChange,
          0,
        )} %), responder ${resp}`,
      );
    }
  }

  if (a.questionnaires.length > 0) {
    out.push('', 'Questionnaires');
    for (const q of a.questionnaires)
      out.push(`  ${q.date}  ${q.instrument.padEnd(5)} ${String(q.score).padStart(3)}  ${q.interpretation}`);
  }

  out.push(...formatTriggers(a));

  const warnings = [...importWarnings, ...a.warnings];
  if (warnings.length > 0) out.push('', 'Warnings', ...warnings.map((w) => `  ${w}`));
  return out.join('\n');
}
