import type { AnalysisConfig } from './config.js';
import { latestInWindow, visitWindow } from './follow-up.js';
import { compareWindow, migraineHeadacheIndex, type Mhi, type WindowComparison } from './outcomes.js';
import { emptyCounts, sumCounts, summaryFromCounts, type PeriodCounts } from './period-counts.js';
import { period28Range, type PeriodSummary } from './periods.js';
import { scoreHit6, scoreMidas, scorePgic, type QuestionnaireResponse } from './questionnaires.js';
import type { FollowUpVisit } from './site-settings.js';
import { daysBetween } from './time.js';

/**
 * Outcomes of one patient's procedure for the registry: the baseline against each follow-up
 * visit's diary periods and questionnaires (the comparison of outcomes.ts), and durability, the
 * time from the procedure to relapse.
 *
 * Counts come keyed by 28-day period index anchored on the procedure date (period 0 is the 28
 * days before it, the baseline; period k covers days (k−1)·28 … k·28−1 after it). A missing index
 * recorded nothing.
 */

/**
 * Durability. No guideline defines relapse after migraine surgery; these are Relief's documented,
 * configurable defaults (docs/clinical-rules.md): the response threshold is the standard ≥ 50 %
 * MMD reduction (Tassorelli et al., Cephalalgia 2018), and relief is lost when the reduction stays
 * below it for two consecutive 28-day periods, so a single bad period is not a relapse.
 */
export interface RegistryOutcomeConfig {
  /** MMD reduction from baseline that makes a responding period (below it, relief is lost). */
  relapseThreshold: number;
  /** Adjacent evaluable periods below the threshold that make a relapse. */
  relapseConsecutivePeriods: number;
}

export const DEFAULT_REGISTRY_OUTCOME_CONFIG: RegistryOutcomeConfig = {
  relapseThreshold: 0.5,
  relapseConsecutivePeriods: 2,
};

/** What durability reads of a period: a caller may fill only these (and leave the rest at zero). */
export type MmdCounts = Pick<PeriodCounts, 'recordedDays' | 'migraineDays'>;

export interface DurabilityPeriod {
  index: number;
  start: string;
  end: string;
  sufficient: boolean;
  mmd: number | null;
  /** Fractional MMD reduction from baseline (0.5 = halved); null when the period is insufficient. */
  reduction: number | null;
}

export interface Durability {
  /** A sufficient baseline with at least one migraine day: a reduction can be measured. */
  evaluable: boolean;
  baselineMmd: number | null;
  /** Responded by today; null when not evaluable. */
  responded: boolean | null;
  /** Days from the procedure to the first day of the first responding period. */
  responseDay: number | null;
  relapsed: boolean;
  /** Days from the procedure to the first day of the first failing period of the relapse. */
  relapseDay: number | null;
  /** Days from the procedure to the end of the last evaluable period, for a responder without relapse. */
  censoredDay: number | null;
  /** Time to event for survival analysis: relapseDay, or censoredDay; null outside durability. */
  time: number | null;
  /** True for a relapse, false when censored; null outside durability (not evaluable, no response). */
  event: boolean | null;
  /** Every period after the procedure that has ended, up to the last one with anything recorded. */
  periods: DurabilityPeriod[];
}

const TOLERANCE = 1e-12;

/**
 * MMD of a 28-day period that has ended, or null when it is insufficient: the compliance rule
 * and the normalisation of `summaryFromCounts` (count × 28 / recorded days) over its 28 days.
 */
function endedPeriodMmd(c: MmdCounts | undefined, cfg: AnalysisConfig): number | null {
  if (c === undefined || c.recordedDays === 0 || c.recordedDays / 28 < cfg.complianceThreshold) return null;
  return c.migraineDays * (28 / c.recordedDays);
}

/**
 * Durability of the response (Relief's rule, docs/clinical-rules.md): only periods that have ended
 * (last day before today) and are sufficient are evaluated, and the baseline (period 0) must be
 * one with MMD > 0. The response begins at the first evaluable period whose reduction reaches the
 * threshold. After it, a relapse is the first run of `relapseConsecutivePeriods` adjacent evaluable
 * periods below the threshold, dated on the first day of the run ((k−1)·28 days); an insufficient
 * or missing period breaks the run. Without relapse, the responder is censored at the end of the
 * last evaluable period (k·28 days). Non-responders have no time to event.
 */
export function durability(
  procedureDate: string,
  today: string,
  counts: ReadonlyMap<number, MmdCounts>,
  cfg: AnalysisConfig,
  rc: RegistryOutcomeConfig,
): Durability {
  const elapsed = daysBetween(procedureDate, today);
  // Period 0 ends the day before the procedure; period k ends on day k·28 − 1 after it.
  const baselineMmd = elapsed >= 0 ? endedPeriodMmd(counts.get(0), cfg) : null;
  let lastRecorded = 0;
  for (const k of counts.keys()) if (k > lastRecorded) lastRecorded = k;
  const last = Math.min(Math.floor(elapsed / 28), lastRecorded);

  const periods: DurabilityPeriod[] = [];
  const evaluable = baselineMmd !== null && baselineMmd > 0;
  let onset: number | null = null;
  let relapseAt: number | null = null;
  let run = 0;
  let lastEvaluable: number | null = null;
  for (let k = 1; k <= last; k++) {
    const { start, end } = period28Range(procedureDate, k);
    const mmd = endedPeriodMmd(counts.get(k), cfg);
    const reduction = mmd === null || !evaluable ? null : (baselineMmd - mmd) / baselineMmd;
    periods.push({ index: k, start, end, sufficient: mmd !== null, mmd, reduction });
    if (reduction === null) {
      run = 0;
      continue;
    }
    const responding = reduction >= rc.relapseThreshold - TOLERANCE;
    if (onset === null) {
      if (responding) {
        onset = k;
        lastEvaluable = k;
      }
      continue;
    }
    lastEvaluable = k;
    if (relapseAt !== null) continue;
    run = responding ? 0 : run + 1;
    if (run >= rc.relapseConsecutivePeriods) relapseAt = k - rc.relapseConsecutivePeriods + 1;
  }

  const base = { evaluable, baselineMmd, periods };
  if (!evaluable) {
    return {
      ...base,
      responded: null,
      responseDay: null,
      relapsed: false,
      relapseDay: null,
      censoredDay: null,
      time: null,
      event: null,
    };
  }
  if (onset === null) {
    return {
      ...base,
      responded: false,
      responseDay: null,
      relapsed: false,
      relapseDay: null,
      censoredDay: null,
      time: null,
      event: null,
    };
  }
  const responseDay = (onset - 1) * 28;
  if (relapseAt !== null) {
    const relapseDay = (relapseAt - 1) * 28;
    return {
      ...base,
      responded: true,
      responseDay,
      relapsed: true,
      relapseDay,
      censoredDay: null,
      time: relapseDay,
      event: true,
    };
  }
  const censoredDay = (lastEvaluable ?? onset) * 28;
  return {
    ...base,
    responded: true,
    responseDay,
    relapsed: false,
    relapseDay: null,
    censoredDay,
    time: censoredDay,
    event: false,
  };
}

export interface QuestionnaireChange {
  /** The latest score in the baseline visit's window, if any. */
  baseline: number | null;
  /** The latest score in this visit's window. */
  value: number;
  date: string;
  change: number | null;
}

export interface VisitOutcome extends WindowComparison {
  visitId: string;
  label: string;
  months: number;
  dueDate: string;
  opens: string;
  closes: string;
  diaryPeriods: { from: number; to: number; start: string; end: string };
  summary: PeriodSummary;
  questionnaires: {
    midas: QuestionnaireChange | null;
    hit6: QuestionnaireChange | null;
    pgic: { answer: string; score: number; improved: boolean; date: string } | null;
  };
}

export interface ProcedureOutcome {
  procedureDate: string;
  baseline: {
    diaryPeriods: { from: number; to: number; start: string; end: string };
    summary: PeriodSummary;
    mmd: number | null;
    mhi: Mhi | null;
    midas: { score: number; date: string } | null;
    hit6: { total: number; date: string } | null;
  };
  visits: VisitOutcome[];
  durability: Durability;
}

export interface ProcedureOutcomeInput {
  procedureDate: string;
  today: string;
  counts: ReadonlyMap<number, PeriodCounts>;
  visits: readonly FollowUpVisit[];
  questionnaires: readonly QuestionnaireResponse[];
  cfg: AnalysisConfig;
  rc: RegistryOutcomeConfig;
}

/** The default baseline when a schedule has none: period 0, questionnaires from the 28 days before. */
const DEFAULT_BASELINE = {
  months: 0,
  windowBeforeDays: 28,
  windowAfterDays: 0,
  diaryPeriods: { from: 0, to: 0 },
} as const;

function periodsCounts(counts: ReadonlyMap<number, PeriodCounts>, from: number, to: number): PeriodCounts {
  if (from === to) return counts.get(from) ?? emptyCounts();
  const parts: PeriodCounts[] = [];
  for (let i = from; i <= to; i++) parts.push(counts.get(i) ?? emptyCounts());
  return sumCounts(parts);
}

function midasOf(qs: readonly QuestionnaireResponse[], opens: string, closes: string) {
  const r = latestInWindow(qs, 'MIDAS', opens, closes);
  return r?.instrument === 'MIDAS' ? { score: scoreMidas(r.answers).score, date: r.date } : null;
}

function hit6Of(qs: readonly QuestionnaireResponse[], opens: string, closes: string) {
  const r = latestInWindow(qs, 'HIT-6', opens, closes);
  return r?.instrument === 'HIT-6' ? { total: scoreHit6(r.answers).total, date: r.date } : null;
}

function change(baseline: number | null, value: { score: number; date: string } | null): QuestionnaireChange | null {
  if (value === null) return null;
  return { baseline, value: value.score, date: value.date, change: baseline === null ? null : value.score - baseline };
}

/**
 * One procedure's outcomes: the baseline visit's diary periods (period 0 by default) against
 * each later visit's periods, with every metric of `compareWindow`, questionnaire changes from the
 * baseline visit's window to each visit's window (the latest response in each, up to today), and
 * durability.
 */
export function procedureOutcome(input: ProcedureOutcomeInput): ProcedureOutcome {
  const { procedureDate, today, counts, cfg } = input;
  // Outcomes are as of today: a questionnaire dated later is left out, like every later entry.
  const qs = input.questionnaires.filter((q) => q.date <= today);
  const baselineVisit = input.visits.find((v) => v.months === 0) ?? DEFAULT_BASELINE;
  const bp = baselineVisit.diaryPeriods;
  const bStart = period28Range(procedureDate, bp.from).start;
  const bEnd = period28Range(procedureDate, bp.to).end;
  const baselineCounts = periodsCounts(counts, bp.from, bp.to);
  const baselineSummary = summaryFromCounts(baselineCounts, bStart, bEnd, today, cfg);
  const baselineMmd = baselineSummary.per28?.migraineDays ?? null;
  const baselineMhi = migraineHeadacheIndex(baselineSummary, baselineCounts);
  const bWindow = visitWindow(procedureDate, baselineVisit);
  const baselineMidas = midasOf(qs, bWindow.opens, bWindow.closes);
  const baselineHit6 = hit6Of(qs, bWindow.opens, bWindow.closes);

  const visits = input.visits
    .filter((v) => v.months > 0)
    .map((v): VisitOutcome => {
      const { from, to } = v.diaryPeriods;
      const start = period28Range(procedureDate, from).start;
      const end = period28Range(procedureDate, to).end;
      const windowCounts = periodsCounts(counts, from, to);
      const summary = summaryFromCounts(windowCounts, start, end, today, cfg);
      const { dueDate, opens, closes } = visitWindow(procedureDate, v);
      const midas = midasOf(qs, opens, closes);
      const hit6 = hit6Of(qs, opens, closes);
      const pgicResponse = latestInWindow(qs, 'PGIC', opens, closes);
      const pgic =
        pgicResponse?.instrument === 'PGIC'
          ? { answer: pgicResponse.answer, ...scorePgic(pgicResponse.answer), date: pgicResponse.date }
          : null;
      return {
        visitId: v.id,
        label: v.label,
        months: v.months,
        dueDate,
        opens,
        closes,
        diaryPeriods: { from, to, start, end },
        summary,
        ...compareWindow({ mmd: baselineMmd, mhi: baselineMhi }, summary, windowCounts, today, cfg),
        questionnaires: {
          midas: change(baselineMidas?.score ?? null, midas),
          hit6: change(baselineHit6?.total ?? null, hit6 && { score: hit6.total, date: hit6.date }),
          pgic,
        },
      };
    });

  return {
    procedureDate,
    baseline: {
      diaryPeriods: { ...bp, start: bStart, end: bEnd },
      summary: baselineSummary,
      mmd: baselineMmd,
      mhi: baselineMhi,
      midas: baselineMidas,
      hit6: baselineHit6,
    },
    visits,
    durability: durability(procedureDate, today, counts, cfg, input.rc),
  };
}
