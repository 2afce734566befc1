import type { Tri } from './attack-classification.js';
import type { AnalysisConfig } from './config.js';
import type { DerivedAttack, DiaryDays } from './days.js';
import { attacksByStartDate, period28Range, summarisePeriod, type PeriodSummary } from './periods.js';
import { addDays, eachDate } from './time.js';

/**
 * A patient's outcome against baseline.
 *
 * - Primary: change in monthly migraine days per 28 days (MMD) from baseline, the primary endpoint
 *   of prevention trials (Tassorelli et al., Cephalalgia 2018; Diener et al., Cephalalgia 2020).
 * - Responders: ≥50 % reduction in MMD, also 75 % and 100 % (same guidelines).
 * - Migraine Headache Index (Guyuron): frequency × intensity × duration. The unit convention is
 *   unconfirmed in the literature, so each result carries its components and its unit.
 * - Guyuron & Pourtaheri, PRS 2019;143:877: success is a ≥50 % fall in frequency, intensity or
 *   duration; worsening is a ≥10 % rise in MHI.
 */

export const MHI_UNIT = 'migraine attacks per 28 days × mean peak intensity (0–10) × mean attack duration (days)';

export interface Mhi {
  frequencyPer28: number;
  meanIntensity: number | null;
  meanDurationDays: number | null;
  value: number | null;
  unit: string;
}

export interface ResponderFlag {
  threshold: number;
  responder: boolean | null;
}

export type WindowStatus = 'complete' | 'in-progress' | 'not-started' | 'insufficient-diary' | 'no-baseline';

export interface WindowOutcome {
  label: string;
  fromPeriod: number;
  toPeriod: number;
  status: WindowStatus;
  summary: PeriodSummary;
  mmd: number | null;
  mmdChange: number | null;
  mmdPercentChange: number | null;
  responders: ResponderFlag[];
  mhi: Mhi | null;
  mhiPercentChange: number | null;
  guyuron: {
    frequencyFall: number | null;
    intensityFall: number | null;
    durationFall: number | null;
    success: Tri;
    worsening: Tri;
  };
}

export interface Outcomes {
  referenceDate: string;
  baseline: { summary: PeriodSummary; mmd: number | null; mhi: Mhi | null };
  windows: WindowOutcome[];
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** MHI over the migraine attacks that start in a period with sufficient diary. */
export function migraineHeadacheIndex(summary: PeriodSummary, attacksInPeriod: readonly DerivedAttack[]): Mhi | null {
  if (!summary.sufficient || summary.per28 === null) return null;
  const migraine = attacksInPeriod.filter((a) => a.migraine === true);
  const intensities = migraine.flatMap((a) => (a.peakNrs === null ? [] : [a.peakNrs]));
  const durations = migraine.flatMap((a) => (a.durationMinutes === null ? [] : [a.durationMinutes / 1440]));
  const frequencyPer28 = summary.per28.migraineAttacks;
  const meanIntensity = mean(intensities);
  const meanDurationDays = mean(durations);
  let value: number | null = null;
  if (migraine.length === 0) value = 0;
  else if (meanIntensity !== null && meanDurationDays !== null)
    value = frequencyPer28 * meanIntensity * meanDurationDays;
  return { frequencyPer28, meanIntensity, meanDurationDays, value, unit: MHI_UNIT };
}

/** Fractional fall from `before` to `after` (0.5 = halved); null when undefined. */
function fall(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before === 0) return null;
  return (before - after) / before;
}

/** Attacks starting from `start` to `end`, but not after today. */
function attacksBetween(
  byStart: ReadonlyMap<string, DerivedAttack[]>,
  start: string,
  end: string,
  today: string,
): DerivedAttack[] {
  const out: DerivedAttack[] = [];
  for (const d of eachDate(start, end < today ? end : today)) out.push(...(byStart.get(d) ?? []));
  return out;
}

export function computeOutcomes(days: DiaryDays, referenceDate: string, today: string, cfg: AnalysisConfig): Outcomes {
  const byStart = attacksByStartDate(days.attacks);
  const bStart = addDays(referenceDate, -cfg.baselineDays);
  const bEnd = addDays(referenceDate, -1);
  const baselineSummary = summarisePeriod(days, byStart, bStart, bEnd, today, cfg);
  const baselineMmd = baselineSummary.per28?.migraineDays ?? null;
  const baselineMhi = migraineHeadacheIndex(baselineSummary, attacksBetween(byStart, bStart, bEnd, today));

  const windows = cfg.followUpWindows.map((w): WindowOutcome => {
    const start = period28Range(referenceDate, w.fromPeriod).start;
    const end = period28Range(referenceDate, w.toPeriod).end;
    const summary = summarisePeriod(days, byStart, start, end, today, cfg);
    const mmd = summary.per28?.migraineDays ?? null;
    const mhi = migraineHeadacheIndex(summary, attacksBetween(byStart, start, end, today));
    let status: WindowStatus = 'complete';
    if (start > today) status = 'not-started';
    else if (baselineMmd === null) status = 'no-baseline';
    else if (!summary.sufficient) status = 'insufficient-diary';
    else if (end > today) status = 'in-progress';

    const comparable = baselineMmd !== null && mmd !== null;
    const mmdChange = comparable ? mmd - baselineMmd : null;
    const mmdPercentChange = comparable && baselineMmd > 0 ? ((mmd - baselineMmd) / baselineMmd) * 100 : null;
    const responders = cfg.responderThresholds.map((threshold) => ({
      threshold,
      // A reduction cannot be measured from a baseline of zero migraine days.
      responder: comparable && baselineMmd > 0 ? (baselineMmd - mmd) / baselineMmd >= threshold - 1e-12 : null,
    }));

    const frequencyFall = fall(baselineMhi?.frequencyPer28 ?? null, mhi?.frequencyPer28 ?? null);
    const intensityFall = fall(baselineMhi?.meanIntensity ?? null, mhi?.meanIntensity ?? null);
    const durationFall = fall(baselineMhi?.meanDurationDays ?? null, mhi?.meanDurationDays ?? null);
    const falls = [frequencyFall, intensityFall, durationFall];
    const success: Tri = falls.some((f) => f !== null && f >= cfg.guyuronSuccessFraction - 1e-12)
      ? true
      : falls.every((f) => f !== null)
        ? false
        : null;
    const mhiFall = fall(baselineMhi?.value ?? null, mhi?.value ?? null);
    const mhiPercentChange = mhiFall === null ? null : -mhiFall * 100;
    let worsening: Tri = mhiFall === null ? null : -mhiFall >= cfg.guyuronWorseningFraction - 1e-12;
    // From a baseline MHI of 0, any MHI above 0 is a rise beyond every threshold.
    if (baselineMhi?.value === 0 && mhi !== null && mhi.value !== null) worsening = mhi.value > 0;

    return {
      label: w.label,
      fromPeriod: w.fromPeriod,
      toPeriod: w.toPeriod,
      status,
      summary,
      mmd,
      mmdChange,
      mmdPercentChange,
      responders,
      mhi,
      mhiPercentChange,
      guyuron: { frequencyFall, intensityFall, durationFall, success, worsening },
    };
  });

  return {
    referenceDate,
    baseline: { summary: baselineSummary, mmd: baselineMmd, mhi: baselineMhi },
    windows,
  };
}
