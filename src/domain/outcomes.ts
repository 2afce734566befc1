import type { Tri } from './attack-classification.js';
import type { AnalysisConfig } from './config.js';
import type { DiaryDays } from './days.js';
import { attacksByStartDate, countDays, summaryFromCounts, type PeriodCounts } from './period-counts.js';
import { period28Range, type PeriodSummary } from './periods.js';
import { addDays } from './time.js';

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

/** MHI over the migraine attacks that start in a period with sufficient diary. */
export function migraineHeadacheIndex(summary: PeriodSummary, counts: PeriodCounts): Mhi | null {
  if (!summary.sufficient || summary.per28 === null) return null;
  const frequencyPer28 = summary.per28.migraineAttacks;
  const meanIntensity = counts.migrainePeakCount === 0 ? null : counts.migrainePeakSum / counts.migrainePeakCount;
  const meanDurationDays =
    counts.migraineDurationCount === 0 ? null : counts.migraineDurationDaysSum / counts.migraineDurationCount;
  let value: number | null = null;
  if (counts.migraineAttacks === 0) value = 0;
  else if (meanIntensity !== null && meanDurationDays !== null)
    value = frequencyPer28 * meanIntensity * meanDurationDays;
  return { frequencyPer28, meanIntensity, meanDurationDays, value, unit: MHI_UNIT };
}

/** Fractional fall from `before` to `after` (0.5 = halved); null when undefined. */
function fall(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before === 0) return null;
  return (before - after) / before;
}

/**
 * MMD change from baseline (follow-up − baseline) and the percent change relative to baseline;
 * no percentage from a baseline of 0, nothing without both values.
 */
export function mmdChangeFrom(
  baselineMmd: number | null,
  mmd: number | null,
): { mmdChange: number | null; mmdPercentChange: number | null } {
  if (baselineMmd === null || mmd === null) return { mmdChange: null, mmdPercentChange: null };
  return {
    mmdChange: mmd - baselineMmd,
    mmdPercentChange: baselineMmd > 0 ? ((mmd - baselineMmd) / baselineMmd) * 100 : null,
  };
}

/** A follow-up window against baseline: everything of a window outcome but its name and summary. */
export type WindowComparison = Omit<WindowOutcome, 'label' | 'fromPeriod' | 'toPeriod' | 'summary'>;

/**
 * Compares a follow-up window's summary (and the counts it was made from) with the baseline:
 * status, MMD change, responder flags, MHI and Guyuron's success and worsening. Used by the
 * diary analysis and by the registry's per-procedure outcomes alike.
 */
export function compareWindow(
  baseline: { mmd: number | null; mhi: Mhi | null },
  summary: PeriodSummary,
  counts: PeriodCounts,
  today: string,
  cfg: AnalysisConfig,
): WindowComparison {
  const baselineMmd = baseline.mmd;
  const baselineMhi = baseline.mhi;
  const mmd = summary.per28?.migraineDays ?? null;
  const mhi = migraineHeadacheIndex(summary, counts);
  let status: WindowStatus = 'complete';
  if (summary.start > today) status = 'not-started';
  else if (baselineMmd === null) status = 'no-baseline';
  else if (!summary.sufficient) status = 'insufficient-diary';
  else if (summary.end > today) status = 'in-progress';

  const comparable = baselineMmd !== null && mmd !== null;
  const { mmdChange, mmdPercentChange } = mmdChangeFrom(baselineMmd, mmd);
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
    status,
    mmd,
    mmdChange,
    mmdPercentChange,
    responders,
    mhi,
    mhiPercentChange,
    guyuron: { frequencyFall, intensityFall, durationFall, success, worsening },
  };
}

export function computeOutcomes(days: DiaryDays, referenceDate: string, today: string, cfg: AnalysisConfig): Outcomes {
  const byStart = attacksByStartDate(days.attacks);
  const bStart = addDays(referenceDate, -cfg.baselineDays);
  const bEnd = addDays(referenceDate, -1);
  // Days after today are not counted: the diary cannot have recorded them yet.
  const counted = (start: string, end: string) => countDays(days, byStart, start, end < today ? end : today);
  const baselineCounts = counted(bStart, bEnd);
  const baselineSummary = summaryFromCounts(baselineCounts, bStart, bEnd, today, cfg);
  const baselineMmd = baselineSummary.per28?.migraineDays ?? null;
  const baselineMhi = migraineHeadacheIndex(baselineSummary, baselineCounts);

  const windows = cfg.followUpWindows.map((w): WindowOutcome => {
    const start = period28Range(referenceDate, w.fromPeriod).start;
    const end = period28Range(referenceDate, w.toPeriod).end;
    const counts = counted(start, end);
    const summary = summaryFromCounts(counts, start, end, today, cfg);
    return {
      label: w.label,
      fromPeriod: w.fromPeriod,
      toPeriod: w.toPeriod,
      summary,
      ...compareWindow({ mmd: baselineMmd, mhi: baselineMhi }, summary, counts, today, cfg),
    };
  });

  return {
    referenceDate,
    baseline: { summary: baselineSummary, mmd: baselineMmd, mhi: baselineMhi },
    windows,
  };
}
