import type { DiaryAnalysis } from '../domain/analysis.js';
import type { TriggerResult, TriggerVerdict } from '../domain/triggers.js';

const VERDICT_ORDER: Record<TriggerVerdict, number> = {
  trigger: 0,
  protector: 1,
  'no-association': 2,
  'insufficient-data': 3,
};

/** The personal trigger analysis as a short table: lag 1 (the day before), verdicts first. */
export function formatTriggers(a: DiaryAnalysis): string[] {
  const s = a.triggerAnalysis;
  if (s.factors.length === 0) return [];
  const out: string[] = [];
  out.push(
    '',
    'Personal triggers (an attack starting the day after the factor; Firth logistic regression, BH q across factors)',
  );
  out.push(
    `  ${s.atRiskDays} days at risk, ${s.onsets} onsets, ${s.factors.length} factors; ` +
      (s.adjustedForMenstruation ? 'adjusted for perimenstrual days' : 'not adjusted for menstruation'),
  );
  const lag1 = a.triggers
    .filter((t) => t.lag === 1)
    .sort((x, y) => VERDICT_ORDER[x.verdict] - VERDICT_ORDER[y.verdict] || (x.q ?? 2) - (y.q ?? 2));
  const width = Math.min(40, Math.max(6, ...lag1.map((t) => t.factor.length)));
  // The intervals' level is configurable (config.triggers.level): 0.95 → "95 % CI", 0.9 → "90 % CI".
  const ci = `${Math.round(a.config.triggers.level * 1000) / 10} % CI`;
  out.push(
    `  ${'factor'.padEnd(width)}  ${'verdict'.padEnd(17)}  ${'OR'.padStart(5)}  ${ci.padEnd(13)}  ${'q'.padStart(5)}  exposed days  onsets after exposure  notes`,
  );
  for (const t of lag1) out.push(`  ${row(t, width)}`);
  const premonitory = a.triggers.filter((t) => t.lag === 0 && t.possiblyPremonitory).map((t) => t.factor);
  if (premonitory.length > 0) {
    out.push(`  associated on the same day only (possibly premonitory, not a trigger): ${premonitory.join(', ')}`);
  }
  return out;
}

function row(t: TriggerResult, width: number): string {
  const num = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));
  const name = t.factor.length > width ? `${t.factor.slice(0, width - 1)}…` : t.factor.padEnd(width);
  const ci = t.ciLower === null || t.ciUpper === null ? '–' : `${num(t.ciLower, 2)}–${num(t.ciUpper, 2)}`;
  const notes = [
    ...(t.reason?.startsWith('fewer than') ? [t.reason] : []),
    ...(t.lowPower ? ['low power'] : []),
    ...(t.adjustedForMenstruation ? ['adjusted'] : []),
  ].join('; ');
  return (
    `${name}  ${t.verdict.padEnd(17)}  ${num(t.oddsRatio, 2).padStart(5)}  ${ci.padEnd(13)}  ${num(t.q, 3).padStart(5)}` +
    `  ${String(t.exposedDays).padStart(12)}  ${`${t.exposedOnsets} of ${t.onsets}`.padStart(21)}  ${notes}`
  ).trimEnd();
}
