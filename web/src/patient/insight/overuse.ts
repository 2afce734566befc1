import { recentOveruse, type MedicationOveruse } from '../../../../src/domain/medication-overuse';
import { firstDayOfMonth } from '../../../../src/domain/time';
import { format, formatDate, t } from '../../i18n/strings';

/**
 * Medication-overuse warnings in plain words, for the patient: the latest recent month at an
 * ICHD-3 8.2 threshold, per class. A risk to talk about, never a diagnosis. Which months are
 * recent is the domain's rule (`recentOveruse`), the same as the clinician's flag.
 */

export interface OveruseWarning {
  code: string;
  month: string;
  sentences: string[];
}

const monthName = (month: string) => formatDate(firstDayOfMonth(month), { month: 'long', year: 'numeric' });

export function overuseWarnings(overuse: readonly MedicationOveruse[], asOf: string): OveruseWarning[] {
  const o = t.insight.overuse;
  const out: OveruseWarning[] = [];
  for (const rule of recentOveruse(overuse, asOf)) {
    const latest = rule.months.at(-1);
    if (!latest) continue;
    const medicine = o.medicine[rule.code] ?? rule.name;
    const took = rule.code === '8.2.6' ? o.tookSeveral : o.took;
    const sentences = [
      format(took, { month: monthName(latest.month), medicine, days: latest.days }),
      format(o.risk, { threshold: rule.thresholdDays }),
    ];
    const others = rule.months.slice(0, -1).map((m) => monthName(m.month));
    if (others.length > 0) sentences.push(format(o.earlier, { months: others.join(', ') }));
    if (latest.level === 'meets-criteria') sentences.push(o.sustained);
    sentences.push(o.talk);
    out.push({ code: rule.code, month: latest.month, sentences });
  }
  return out;
}
