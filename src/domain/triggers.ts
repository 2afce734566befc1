import { benjaminiHochberg } from '../stats/multiplicity.js';
import { firthLogistic } from '../stats/regression.js';
import type { TriggerConfig } from './config.js';
import type { DiaryDays } from './days.js';
import type { Diary } from './diary.js';
import { buildTriggerData, type AtRiskRows, type FactorKind, type TriggerFactor } from './trigger-exposures.js';

/**
 * Personal trigger analysis: which recorded factors precede the patient's attacks.
 *
 * Design (Peris et al., Cephalalgia 2017, N1-Headache; PAMINA, Wöber et al., Cephalalgia 2007;
 * clinical-reference §5; docs/clinical-rules.md "Personal trigger analysis"):
 * - One row per at-risk day, outcome = an attack starts that day (trigger-exposures.ts says which
 *   days are at risk, and how a diary of daily severity only is read).
 * - Factors come from the daily records. Lag 1 (primary): the factor on the previous day; the row is
 *   dropped when that day has no daily record. Lag 0: the same day. Outside a factor's tracked
 *   span (first to last record naming it) the row is dropped for that factor.
 * - Factors a patient names on an attack (`attack.triggers`) are not used: they are written on
 *   attack days only, so there are no unexposed or attack-free days to compare them with.
 * - Each factor alone: Firth-penalised logistic regression onset ~ exposure (R: glm(...,
 *   method = "brglmFit", type = "AS_mean")), optionally with a perimenstrual-day covariate.
 *   OR = exp(β), profile penalised-likelihood interval and penalised likelihood-ratio p
 *   (Heinze & Schemper 2002, as logistf). q: Benjamini–Hochberg across the patient's factors,
 *   separately per lag.
 * - Verdict: 'trigger' (OR > 1, q below `fdr`), 'protector' (OR < 1, q below `fdr`),
 *   'no-association' (the interval inside the equivalence band), else 'insufficient-data'; also
 *   'insufficient-data' below the recorded-day, onset or exposed-day minimum. "Low power" below
 *   `lowPowerOnsets` onsets. "Possibly premonitory" (Marmura, Curr Pain Headache Rep 2018) when
 *   the factor is associated at lag 0 but not at lag 1: a change noticed on the day of an attack
 *   may be its first symptom rather than its cause.
 */

export const TRIGGER_VERDICTS = ['trigger', 'protector', 'no-association', 'insufficient-data'] as const;
export type TriggerVerdict = (typeof TRIGGER_VERDICTS)[number];
export type TriggerLag = 0 | 1;

export interface TriggerResult {
  factor: string;
  /** 1: exposure on the day before (primary); 0: the same day. */
  lag: TriggerLag;
  /** At-risk days with the factor known at this lag. */
  atRiskDays: number;
  /** Exposed at-risk days. */
  exposedDays: number;
  /** At-risk days on which an attack started. */
  onsets: number;
  exposedOnsets: number;
  oddsRatio: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  p: number | null;
  q: number | null;
  verdict: TriggerVerdict;
  /** Why the verdict is 'insufficient-data'. */
  reason?: string;
  lowPower: boolean;
  possiblyPremonitory: boolean;
  adjustedForMenstruation: boolean;
}

export interface TriggerFactorSummary {
  factor: string;
  /** The factor's name in the daily records. */
  source: string;
  kind: FactorKind;
  exposedWhen: string;
  trackedFrom: string;
  trackedTo: string;
  median?: number;
  deviation?: number;
}

export interface TriggerSummary {
  recordedDays: number;
  /** Recorded days that are at risk, and attack onsets among them (before any factor drops a row). */
  atRiskDays: number;
  onsets: number;
  /** Headache days that continue an attack or episode begun earlier (not at risk). */
  continuationDays: number;
  /** Headache days after a day with no entry (not at risk: onset or continuation cannot be told). */
  undeterminedOnsetDays: number;
  /** Headache-free days right after a day-level headache day (not at risk: no onset could be seen). */
  afterEpisodeDays: number;
  adjustedForMenstruation: boolean;
  perimenstrualAtRiskDays: number;
  factors: TriggerFactorSummary[];
}

export interface TriggerAnalysis {
  triggers: TriggerResult[];
  summary: TriggerSummary;
  warnings: string[];
}

export function analyzeTriggers(diary: Diary, days: DiaryDays, asOf: string, cfg: TriggerConfig): TriggerAnalysis {
  const { rows, factors, warnings } = buildTriggerData(diary, days, asOf, cfg);
  let adjust = false;
  if (cfg.adjustForMenstruation) {
    if (rows.periodStarts > 0) adjust = true;
    else
      warnings.push(
        'no first day of menstrual flow is recorded: the trigger analysis is not adjusted for menstruation',
      );
  }

  const results: TriggerResult[] = [];
  const fits: Fit[] = [];
  for (const f of factors) {
    for (const lag of [1, 0] as const) {
      const fit = fitFactor(rows, f, lag, adjust, cfg);
      fits.push(fit);
      results.push(fit.result);
    }
  }
  for (const lag of [1, 0] as const) {
    const withP = results.filter((r) => r.lag === lag && r.p !== null);
    if (withP.length === 0) continue;
    const q = benjaminiHochberg(withP.map((r) => r.p!));
    withP.forEach((r, i) => (r.q = q[i]!));
  }
  fits.forEach((fit) => decide(fit, rows.recordedDays, cfg));
  for (let k = 0; k < results.length; k += 2) {
    const [lag1, lag0] = [results[k]!, results[k + 1]!];
    const premonitory = associated(lag0) && !associated(lag1);
    lag1.possiblyPremonitory = lag0.possiblyPremonitory = premonitory;
  }

  let onsets = 0;
  let perimenstrual = 0;
  for (let r = 0; r < rows.onset.length; r++) {
    onsets += rows.onset[r]!;
    perimenstrual += rows.perimenstrual[r]!;
  }
  return {
    triggers: results,
    summary: {
      recordedDays: rows.recordedDays,
      atRiskDays: rows.onset.length,
      onsets,
      continuationDays: rows.continuations,
      undeterminedOnsetDays: rows.undeterminedOnsets,
      afterEpisodeDays: rows.afterEpisodes,
      adjustedForMenstruation: adjust,
      perimenstrualAtRiskDays: perimenstrual,
      factors: factors.map((f) => ({
        factor: f.name,
        source: f.source,
        kind: f.kind,
        exposedWhen: f.exposedWhen,
        trackedFrom: f.trackedFrom,
        trackedTo: f.trackedTo,
        ...(f.median !== undefined ? { median: f.median, deviation: f.deviation } : {}),
      })),
    },
    warnings,
  };
}

interface Fit {
  result: TriggerResult;
  /** Why no numbers could be computed, when none were. */
  noFit?: string;
}

const associated = (r: TriggerResult): boolean => r.verdict === 'trigger' || r.verdict === 'protector';

function fitFactor(rows: AtRiskRows, f: TriggerFactor, lag: TriggerLag, adjust: boolean, cfg: TriggerConfig): Fit {
  const records = lag === 1 ? rows.previousRecord : rows.record;
  const design: number[][] = [];
  const y: number[] = [];
  let exposedDays = 0;
  let onsets = 0;
  let exposedOnsets = 0;
  let perimenstrual = 0;
  for (let r = 0; r < records.length; r++) {
    const k = records[r]!;
    if (k < 0) continue;
    const x = f.exposure[k]!;
    if (x < 0) continue;
    const outcome = rows.onset[r]!;
    const m = rows.perimenstrual[r]!;
    design.push(adjust ? [1, x, m] : [1, x]);
    y.push(outcome);
    exposedDays += x;
    onsets += outcome;
    exposedOnsets += x & outcome;
    perimenstrual += m;
  }
  const n = y.length;
  // A covariate that does not vary among these days cannot be adjusted for.
  const adjusted = adjust && perimenstrual > 0 && perimenstrual < n;
  if (adjust && !adjusted) for (const row of design) row.pop();

  const result: TriggerResult = {
    factor: f.name,
    lag,
    atRiskDays: n,
    exposedDays,
    onsets,
    exposedOnsets,
    oddsRatio: null,
    ciLower: null,
    ciUpper: null,
    p: null,
    q: null,
    verdict: 'insufficient-data',
    lowPower: onsets < cfg.lowPowerOnsets,
    possiblyPremonitory: false,
    adjustedForMenstruation: adjusted,
  };
  if (exposedDays === 0 || exposedDays === n) {
    return { result, noFit: n === 0 ? 'no at-risk day with the factor known' : 'the exposure does not vary' };
  }
  const fit = firthLogistic(design, y, { level: cfg.level, profile: [1] });
  if (!fit.converged) return { result, noFit: 'the regression did not converge' };
  result.oddsRatio = Math.exp(fit.coefficients[1]!);
  const interval = fit.profile[1];
  if (interval) {
    result.ciLower = Math.exp(interval.lower);
    result.ciUpper = Math.exp(interval.upper);
  }
  result.p = fit.p[1] ?? null;
  return { result };
}

/** The minimums of data a factor's result needs before any verdict but 'insufficient-data'. */
export type TriggerMinimum = 'recorded-days' | 'onsets' | 'exposed-days';

export interface UnmetTriggerMinimum {
  minimum: TriggerMinimum;
  have: number;
  need: number;
}

const MINIMUM_NAME: Record<TriggerMinimum, string> = {
  'recorded-days': 'recorded days',
  onsets: 'onsets',
  'exposed-days': 'exposed at-risk days',
};

/**
 * The minimums a result has not reached, in the order the verdict checks them: recorded days of
 * the diary (`minRecordedDays`), attack onsets (`minOnsets`), exposed at-risk days (`minExposedDays`).
 */
export function unmetTriggerMinimums(
  r: Pick<TriggerResult, 'onsets' | 'exposedDays'>,
  recordedDays: number,
  cfg: TriggerConfig,
): UnmetTriggerMinimum[] {
  const all: UnmetTriggerMinimum[] = [
    { minimum: 'recorded-days', have: recordedDays, need: cfg.minRecordedDays },
    { minimum: 'onsets', have: r.onsets, need: cfg.minOnsets },
    { minimum: 'exposed-days', have: r.exposedDays, need: cfg.minExposedDays },
  ];
  return all.filter((m) => m.have < m.need);
}

function decide(fit: Fit, recordedDays: number, cfg: TriggerConfig): void {
  const r = fit.result;
  const insufficient = (reason: string) => {
    r.verdict = 'insufficient-data';
    r.reason = reason;
  };
  const unmet = unmetTriggerMinimums(r, recordedDays, cfg)[0];
  if (unmet) return insufficient(`fewer than ${unmet.need} ${MINIMUM_NAME[unmet.minimum]} (${unmet.have})`);
  if (fit.noFit !== undefined) return insufficient(fit.noFit);
  if (r.oddsRatio === null || r.q === null || r.ciLower === null || r.ciUpper === null)
    return insufficient('no profile interval or p-value');
  if (r.q < cfg.fdr && r.oddsRatio > 1) {
    r.verdict = 'trigger';
  } else if (r.q < cfg.fdr && r.oddsRatio < 1) {
    r.verdict = 'protector';
  } else if (r.ciLower >= cfg.equivalence.lower && r.ciUpper <= cfg.equivalence.upper) {
    r.verdict = 'no-association';
  } else {
    insufficient(`q ≥ ${cfg.fdr} and the interval is not inside ${cfg.equivalence.lower}–${cfg.equivalence.upper}`);
  }
}
