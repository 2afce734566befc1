import type { TriggerConfig } from '../../../../src/domain/config';
import {
  unmetTriggerMinimums,
  type TriggerResult,
  type TriggerSummary,
  type UnmetTriggerMinimum,
} from '../../../../src/domain/triggers';
import { format, formatNumber, t } from '../../i18n/strings';

/**
 * The personal trigger results (domain/triggers.ts) in plain words. Only the primary lag (the
 * factor on the day before) is shown; the same-day result only adds the "early sign" note.
 */

/** "sleep hours low" → "low sleep hours": numeric factors are split into a low and a high one. */
export function factorPhrase(factor: string): string {
  const m = /^(.*) (low|high)$/.exec(factor);
  return m ? `${m[2]} ${m[1]}` : factor;
}

export const factorTitle = (factor: string) => {
  const phrase = factorPhrase(factor);
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
};

export function ratio(x: number): string {
  return formatNumber(x, x < 1 ? 2 : 1);
}

/**
 * More recorded days needed before every minimum of the analysis (`unmetTriggerMinimums`) is
 * reached, at the pace of the diary so far (onsets and exposed days per recorded day); null when
 * a pace is still zero.
 */
export function moreDaysNeeded(r: TriggerResult, recordedDays: number, cfg: TriggerConfig): number | null {
  let most = 0;
  for (const m of unmetTriggerMinimums(r, recordedDays, cfg)) {
    // Each recorded day is a day more; onsets and exposed days come at the diary's pace.
    if (m.minimum === 'recorded-days') most = Math.max(most, m.need - m.have);
    else if (m.have === 0 || recordedDays === 0) return null;
    else most = Math.max(most, Math.ceil((m.need - m.have) / (m.have / recordedDays)));
  }
  return most;
}

/** How far a result is towards a minimum, in words. */
function progressText(m: UnmetTriggerMinimum, factor: string): string {
  const s = t.insight.triggers;
  switch (m.minimum) {
    case 'recorded-days':
      return format(s.progressDays, { n: m.have, min: m.need });
    case 'onsets':
      return format(s.progressOnsets, { n: m.have, min: m.need });
    case 'exposed-days':
      return format(s.progressExposed, { n: m.have, min: m.need, factor });
  }
}

/** The sentences that explain one factor's verdict. */
export function triggerSentences(r: TriggerResult, summary: TriggerSummary, cfg: TriggerConfig): string[] {
  const s = t.insight.triggers;
  const factor = factorPhrase(r.factor);
  const numbers =
    r.oddsRatio !== null && r.ciLower !== null && r.ciUpper !== null
      ? { factor, or: ratio(r.oddsRatio), lower: ratio(r.ciLower), upper: ratio(r.ciUpper) }
      : null;
  const unmet = unmetTriggerMinimums(r, summary.recordedDays, cfg);
  const out: string[] = [];
  if (r.verdict === 'trigger' && numbers) out.push(format(s.triggerText, numbers));
  else if (r.verdict === 'protector' && numbers) out.push(format(s.protectorText, numbers));
  else if (r.verdict === 'no-association' && numbers) out.push(format(s.noAssociationText, numbers));
  else if (unmet.length > 0) {
    const days = moreDaysNeeded(r, summary.recordedDays, cfg);
    if (days !== null) out.push(format(s.moreDays, { days }));
    else
      out.push(
        format(s.cannotEstimate, {
          what: r.onsets === 0 ? s.noOnsetsYet : format(s.noExposureYet, { factor }),
        }),
      );
    out.push(format(s.progress, { parts: unmet.map((m) => progressText(m, factor)).join(', ') }));
  } else if (numbers) out.push(format(s.unclear, numbers));
  else if (r.exposedDays === 0 || r.exposedDays === r.atRiskDays) out.push(format(s.noContrast, { factor }));
  else out.push(s.noFit);
  if (r.possiblyPremonitory) out.push(s.premonitory);
  const undecided = r.verdict === 'insufficient-data' && unmet.length === 0;
  if (r.lowPower && (r.verdict === 'no-association' || undecided))
    out.push(format(s.lowPower, { n: cfg.lowPowerOnsets }));
  return out;
}
