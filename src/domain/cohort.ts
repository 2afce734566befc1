import type { AnalysisConfig } from './config.js';
import { TRIGGER_SITES } from './diary.js';
import { latestInWindow, visitWindow } from './follow-up.js';
import type { AcuteMedicationClass } from './medications.js';
import { lacksAuraDays, type PeriodCounts } from './period-counts.js';
import { CLAVIEN_DINDO_GRADES, type AdverseEventRelation, type ClavienDindoGrade, type Procedure } from './registry.js';
import { DEFAULT_REGISTRY_OUTCOME_CONFIG, type RegistryOutcomeConfig } from './registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS, type FollowUpVisit, type Instrument } from './site-settings.js';
import { dayNumber } from './time.js';

/**
 * A cohort of procedures: per follow-up window, how many procedures have reached it, how many
 * have enough diary to compare with baseline, the change in monthly migraine days (MMD per 28
 * days), responder counts and complications by Clavien–Dindo grade; and one de-identified row per
 * procedure. MMD, responders and sufficiency follow the core's outcome rules (outcomes.ts,
 * clinical-reference §2), durability the registry's relapse rule (registry-outcomes.ts); windows
 * are the follow-up visits' 28-day diary periods. Each row also carries the MIDAS and HIT-6 score
 * done at each visit (follow-up.ts: the latest in the visit's window) and the baseline predictors
 * the cohort statistics model response on.
 *
 * A cohort evaluates thousands of procedures per request, so `evaluateProcedure` applies those
 * rules to the three summary counts directly, with day numbers instead of dates; the tests check
 * it against `procedureOutcome` and `durability` of registry-outcomes.ts on random procedures.
 *
 * De-identification (the same for every role): no names and no patient, procedure or record ids;
 * rows are numbered R0001… in an order drawn at random for each cohort; dates become days from
 * the procedure; ages are whole years at the procedure with every age of 90 or more shown as 90
 * (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C)).
 */

export const HEADACHE_TYPES = ['chronic', 'episodic'] as const;
export type HeadacheType = (typeof HEADACHE_TYPES)[number];

/**
 * Chronic when the baseline has at least this many headache days per 28 days: the ICHD-3 1.3 A
 * frequency (≥15 headache days a month) applied to the 28-day baseline period.
 */
export const CHRONIC_HEADACHE_DAYS_PER_28 = 15;

/** Which procedures a cohort selects; every field narrows it. */
export interface CohortFilter {
  procedureType?: string;
  /** Sites where the procedure was done. */
  siteIds?: readonly string[];
  surgeon?: string;
  /** Procedure dates, inclusive. */
  from?: string;
  to?: string;
  /** One of the patient's conditions. */
  condition?: string;
  /** From the baseline period; a procedure without a sufficient baseline matches neither. */
  headacheType?: HeadacheType;
}

/** One procedure with what the cohort needs of its patient and of the patient's diary. */
export interface CohortProcedure {
  /** Used only to attribute adverse events; never shown. */
  procedureId: string;
  /** Used only to attribute adverse events; never shown. */
  patientId: string;
  date: string;
  procedureType: string;
  siteId: string;
  surgeon: string | null;
  adjuncts: readonly string[];
  birthYear: number | null;
  sex: string | null;
  conditions: readonly string[];
  /**
   * Counts of the 28-day periods anchored on the procedure date, by index (0 = baseline); a
   * period without a row (undefined, or past the end) recorded nothing.
   */
  periods: PeriodSeries;
  /** From the baseline period's (index 0) counts (`baselineProfileOf`). */
  baselineProfile: BaselineProfile;
  /** Distinct Guyuron trigger sites among the procedure's recipient sites (`triggerSiteCount`). */
  triggerSites: number;
  /** See `priorToxinOrBlockResponse`: false also when none is recorded (no documented response). */
  priorToxinOrBlockResponse: boolean;
  /** The patient's scored MIDAS and HIT-6 responses, in the order they were recorded (date, then id). */
  questionnaires: readonly CohortQuestionnaire[];
}

export interface BaselineProfile {
  /** Recorded days with aura in the baseline period; null without a baseline row, or from a row stored before aura days were counted. */
  auraDays: number | null;
  /** `overuseAtThresholds` on the baseline period; null without a baseline row. */
  medicationOveruse: boolean | null;
}

export const COHORT_INSTRUMENTS = ['midas', 'hit6'] as const;
export type CohortInstrument = (typeof COHORT_INSTRUMENTS)[number];

/** A scored questionnaire response: MIDAS total (0–450) or HIT-6 total (36–78). */
export interface CohortQuestionnaire {
  instrument: CohortInstrument;
  date: string;
  score: number;
}

/** The counts of a 28-day period a cohort reads (the summary rows' columns). */
export type PeriodTotals = Pick<PeriodCounts, 'recordedDays' | 'migraineDays' | 'headacheDays'>;

/** Periods 0, 1, … by index; undefined for a period without a row. */
export type PeriodSeries = readonly (PeriodTotals | undefined)[];

export interface CohortAdverseEvent {
  patientId: string;
  /** The procedure it followed, when the record names one. */
  procedureId: string | null;
  onset: string;
  grade: ClavienDindoGrade;
  relation: AdverseEventRelation;
}

export type GradeCounts = Record<ClavienDindoGrade, number>;

export interface CohortWindowSummary {
  visitId: string;
  label: string;
  months: number;
  /** Procedures whose window has ended (its last day is before today). */
  n: number;
  /** Of those, with a sufficient baseline of more than 0 MMD and a sufficient window. */
  nSufficient: number;
  /** MMD change from baseline over the nSufficient procedures; null when there are none. */
  mmdChange: { mean: number | null; median: number | null };
  /** Procedures among nSufficient whose MMD fell by at least 50 %, 75 %, 100 %. */
  responders: { '50': number; '75': number; '100': number };
  /** Adverse events of the n procedures with onset on or before the window's last day. */
  complications: GradeCounts;
}

export interface CohortRowWindow {
  visitId: string;
  /** The window's last day is before today. */
  ended: boolean;
  /** Ended, and its diary reaches the compliance threshold. */
  sufficient: boolean;
  mmd: number | null;
  mmdChange: number | null;
  mmdPercentChange: number | null;
  responder50: boolean | null;
  responder75: boolean | null;
  responder100: boolean | null;
  /**
   * The score done at the visit: the latest response in the visit's window, when the visit asks
   * for the instrument; null when there is none or the window has not ended (its last day is
   * before today).
   */
  midas: number | null;
  hit6: number | null;
}

/** The baseline predictors of a procedure's outcome (the cohort statistics' "who benefits"). */
export interface CohortRowPredictors {
  /** Any aura day in the baseline period; null when unknown or the baseline has not ended. */
  aura: boolean | null;
  /** ICHD-3 8.2 thresholds met in the baseline period (`overuseAtThresholds`); null as for aura. */
  medicationOveruse: boolean | null;
  triggerSites: number;
  /** False also when no toxin or block response is documented. */
  priorToxinOrBlockResponse: boolean;
  /** Nerve decompression done with the procedure (adjunct 'nerve-decompression'). */
  decompression: boolean;
}

export interface CohortRowDurability {
  /** Reached a ≥50 % MMD reduction in an evaluable period; null when the baseline cannot tell. */
  responded: boolean | null;
  /** Days from the procedure to relapse (event) or to censoring; null for non-responders. */
  time: number | null;
  /** True for a relapse, false when censored; null for non-responders. */
  event: boolean | null;
}

export interface CohortRow {
  row: string;
  procedureType: string;
  siteId: string;
  surgeon: string | null;
  adjuncts: string[];
  age: number | null;
  sex: string | null;
  conditions: string[];
  headacheType: HeadacheType | null;
  predictors: CohortRowPredictors;
  /** MIDAS and HIT-6: the scores done at the baseline visit (as for a window's). */
  baseline: { recordedDays: number; mmd: number | null; midas: number | null; hit6: number | null };
  windows: CohortRowWindow[];
  durability: CohortRowDurability;
  complications: { grade: ClavienDindoGrade; onsetDay: number }[];
}

export interface CohortReport {
  asOf: string;
  filter: CohortFilter;
  /** Procedures in the cohort (rows). */
  n: number;
  windows: CohortWindowSummary[];
  patients: CohortRow[];
}

export interface CohortInput {
  procedures: readonly CohortProcedure[];
  adverseEvents: readonly CohortAdverseEvent[];
  /**
   * Every live procedure of the patients, selected or not, to attribute unlinked adverse events;
   * the selected procedures when absent.
   */
  patientProcedures?: readonly { patientId: string; procedureId: string; date: string }[];
  filter: CohortFilter;
  today: string;
  cfg: AnalysisConfig;
  /** The follow-up visits; the baseline visit (0 months) is not a window. */
  visits: readonly FollowUpVisit[];
  /** Uniform in [0, 1): draws the order of the row numbers (the caller's randomness; the core has none). */
  random: () => number;
  /** Durability's relapse rule; the registry's defaults when absent. */
  rc?: RegistryOutcomeConfig;
}

/** The follow-up windows of a schedule: every visit but the baseline. */
export function cohortVisits(visits: readonly FollowUpVisit[]): FollowUpVisit[] {
  return visits.filter((v) => v.months > 0);
}

/** The last 28-day period any window of the schedule reads: the cohort needs periods 0…this. */
export function lastCohortPeriod(visits: readonly FollowUpVisit[]): number {
  return Math.max(0, ...cohortVisits(visits).map((v) => v.diaryPeriods.to));
}

/**
 * Years from the birth year to the procedure's year, shown as 90 from 90 on (see the top of this
 * file); unknown when the birth year comes after the procedure (a data error, not an age).
 */
export function ageAtProcedure(birthYear: number | null, procedureDate: string): number | null {
  if (birthYear === null) return null;
  const years = Number(procedureDate.slice(0, 4)) - birthYear;
  return years < 0 ? null : Math.min(90, years);
}

/** The acute medication classes ICHD-3 8.2 counts (config.ts `OVERUSE_CLASSES`). */
export const BASELINE_OVERUSE_CLASSES = [
  'ergot',
  'triptan',
  'non-opioid-analgesic',
  'opioid',
  'combination-analgesic',
] as const satisfies readonly AcuteMedicationClass[];

/** What the baseline profile reads of the baseline period's counts (a `PeriodCounts` will do). */
export interface BaselineCounts {
  /** Absent from counts stored before aura days were counted: unknown. */
  auraDays?: number;
  overuseClassDays: number;
  medicationDaysByClass: Readonly<Record<(typeof BASELINE_OVERUSE_CLASSES)[number], number>>;
}

/**
 * The ICHD-3 8.2 overuse thresholds of medication-overuse.ts (`cfg.overuseThresholds`, days per
 * month) on a run of days: one class on at least its threshold's days (8.2.1–8.2.5), or two or
 * more overuse classes on at least `multipleClasses` days together (8.2.6). On the 28-day baseline
 * period this approximates the monthly rule; ICHD-3's duration (more than 3 months) and its
 * criterion A (headache on ≥15 days a month) are not checked.
 */
export function overuseAtThresholds(
  c: Pick<BaselineCounts, 'medicationDaysByClass' | 'overuseClassDays'>,
  cfg: AnalysisConfig,
): boolean {
  const t = cfg.overuseThresholds;
  const d = c.medicationDaysByClass;
  if (
    d.ergot >= t.ergot ||
    d.triptan >= t.triptan ||
    d['non-opioid-analgesic'] >= t.nonOpioidAnalgesic ||
    d.opioid >= t.opioid ||
    d['combination-analgesic'] >= t.combinationAnalgesic
  ) {
    return true;
  }
  const used = BASELINE_OVERUSE_CLASSES.filter((k) => d[k] > 0).length;
  return used >= 2 && c.overuseClassDays >= t.multipleClasses;
}

/**
 * The baseline period's aura days and medication overuse, from its stored counts (undefined: no
 * row, nothing recorded). Counts stored before aura days were counted leave them unknown.
 */
export function baselineProfileOf(counts: BaselineCounts | undefined, cfg: AnalysisConfig): BaselineProfile {
  if (counts === undefined) return { auraDays: null, medicationOveruse: null };
  return {
    auraDays: lacksAuraDays(counts) ? null : counts.auraDays!,
    medicationOveruse: overuseAtThresholds(counts, cfg),
  };
}

/** Guyuron's migraine trigger sites: the diary's vocabulary but "other" (clinical-reference §6). */
export const GUYURON_TRIGGER_SITES: ReadonlySet<string> = new Set(TRIGGER_SITES.filter((s) => s !== 'other'));

/** Distinct trigger sites among a procedure's recipient sites: both sides of one site count once. */
export function triggerSiteCount(recipientSites: readonly string[]): number {
  return new Set(recipientSites.filter((s) => GUYURON_TRIGGER_SITES.has(s))).size;
}

/**
 * What a cohort reads of a procedure record's body (stored beside it as columns): its adjunct
 * procedures and its distinct trigger sites (`triggerSiteCount` of its recipient sites). A body
 * without them has none.
 */
export function procedureCohortFacts(body: Record<string, unknown>): { adjuncts: string[]; triggerSites: number } {
  const p = body as Partial<Pick<Procedure, 'adjuncts' | 'recipientSites'>>;
  return {
    adjuncts: Array.isArray(p.adjuncts) ? p.adjuncts : [],
    triggerSites: Array.isArray(p.recipientSites) ? triggerSiteCount(p.recipientSites.map((s) => s.site)) : 0,
  };
}

/** The treatments that test a trigger site before surgery (as candidacy.ts counts them). */
export const SITE_TEST_TREATMENTS: readonly string[] = ['botulinum-toxin', 'nerve-block'];

/**
 * A botulinum toxin or nerve block started before the procedure date whose recorded relief
 * reaches the site's candidacy threshold (`minBlockReliefPercent`; Guyuron: ≥50 %). False when
 * none is recorded, or none with its relief: no documented response, which is not a failed one.
 */
export function priorToxinOrBlockResponse(
  treatments: readonly { type: string; start: string; percentRelief?: number | null }[],
  procedureDate: string,
  minReliefPercent: number,
): boolean {
  return treatments.some(
    (t) =>
      SITE_TEST_TREATMENTS.includes(t.type) &&
      t.start < procedureDate &&
      t.percentRelief !== undefined &&
      t.percentRelief !== null &&
      t.percentRelief >= minReliefPercent,
  );
}

/** The middle value, or the mean of the two middle values. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Mean and median of MMD changes. The values are sorted once (numerically, in a typed array) and
 * summed in that order, so the mean does not depend on the order the procedures came in.
 */
function meanAndMedian(xs: readonly number[]): { mean: number | null; median: number | null } {
  if (xs.length === 0) return { mean: null, median: null };
  const s = Float64Array.from(xs).sort();
  let sum = 0;
  for (const x of s) sum += x;
  const mid = s.length >> 1;
  return { mean: sum / s.length, median: s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2 };
}

export function emptyGradeCounts(): GradeCounts {
  return Object.fromEntries(CLAVIEN_DINDO_GRADES.map((g) => [g, 0])) as GradeCounts;
}

interface Scores {
  midas: number | null;
  hit6: number | null;
}

interface Evaluated {
  baseline: { recordedDays: number; mmd: number | null; headacheType: HeadacheType | null } & Scores;
  windows: CohortRowWindow[];
  /** Each window's last day, as a day number (for complications). */
  windowEnds: number[];
  durability: CohortRowDurability;
}

/** Reductions are compared with this slack, as in outcomes.ts and registry-outcomes.ts. */
const TOLERANCE = 1e-12;

/**
 * MMD of a run of 28-day periods that has ended (summaryFromCounts's rule): migraine days × 28 /
 * recorded days, or null when recorded days fall short of the compliance threshold.
 */
function endedMmd(recorded: number, migraine: number, days: number, cfg: AnalysisConfig): number | null {
  if (recorded === 0 || recorded / days < cfg.complianceThreshold) return null;
  return migraine * (28 / recorded);
}

/** Sums of periods from…to; a missing period recorded nothing. */
function totals(periods: PeriodSeries, from: number, to: number): PeriodTotals {
  if (from === to) return periods[from] ?? NONE;
  const out = { recordedDays: 0, migraineDays: 0, headacheDays: 0 };
  for (let i = from; i <= to; i++) {
    const c = periods[i];
    if (!c) continue;
    out.recordedDays += c.recordedDays;
    out.migraineDays += c.migraineDays;
    out.headacheDays += c.headacheDays;
  }
  return out;
}

const NONE: PeriodTotals = { recordedDays: 0, migraineDays: 0, headacheDays: 0 };

/**
 * Durability after registry-outcomes.ts `durability`: periods that have ended and are sufficient
 * are evaluated against a sufficient baseline (period 0) above 0 MMD; the response starts at the
 * first period reaching the threshold; relapse is the first run of `relapseConsecutivePeriods`
 * adjacent evaluable periods below it, dated on its first day; otherwise censored at the end of
 * the last evaluable period.
 */
function durabilityOf(
  periods: PeriodSeries,
  elapsed: number,
  baselineMmd: number | null,
  cfg: AnalysisConfig,
  rc: RegistryOutcomeConfig,
): CohortRowDurability {
  if (baselineMmd === null || baselineMmd <= 0) return { responded: null, time: null, event: null };
  // The last period with a row (0 for none).
  let lastRecorded = Math.max(0, periods.length - 1);
  while (lastRecorded > 0 && periods[lastRecorded] === undefined) lastRecorded--;
  const last = Math.min(Math.floor(elapsed / 28), lastRecorded);
  let onset: number | null = null;
  let relapseAt: number | null = null;
  let lastEvaluable = 0;
  let run = 0;
  for (let k = 1; k <= last; k++) {
    const c = periods[k];
    const mmd = c ? endedMmd(c.recordedDays, c.migraineDays, 28, cfg) : null;
    if (mmd === null) {
      run = 0;
      continue;
    }
    const responding = (baselineMmd - mmd) / baselineMmd >= rc.relapseThreshold - TOLERANCE;
    if (onset === null) {
      if (responding) onset = lastEvaluable = k;
      continue;
    }
    lastEvaluable = k;
    if (relapseAt !== null) continue;
    run = responding ? 0 : run + 1;
    if (run >= rc.relapseConsecutivePeriods) relapseAt = k - rc.relapseConsecutivePeriods + 1;
  }
  if (onset === null) return { responded: false, time: null, event: null };
  if (relapseAt !== null) return { responded: true, time: (relapseAt - 1) * 28, event: true };
  return { responded: true, time: lastEvaluable * 28, event: false };
}

/** The baseline visit of a schedule without one: the default schedule's. */
const DEFAULT_BASELINE_VISIT: FollowUpVisit = DEFAULT_SITE_SETTINGS.followUp.find((v) => v.months === 0)!;

const INSTRUMENT: Record<CohortInstrument, Instrument> = { midas: 'MIDAS', hit6: 'HIT-6' };
const NO_SCORES: Scores = { midas: null, hit6: null };

/** A visit's window around a procedure date: `visitWindow`, or the same from a cache. */
type WindowOf = (procedureDate: string, visit: FollowUpVisit) => { opens: string; closes: string };

/** `visitWindow`, computed once per procedure date and visit (many procedures share a date). */
function cachedWindows(): WindowOf {
  const byDate = new Map<string, Map<FollowUpVisit, { opens: string; closes: string }>>();
  return (date, visit) => {
    let byVisit = byDate.get(date);
    if (!byVisit) byDate.set(date, (byVisit = new Map()));
    let w = byVisit.get(visit);
    if (!w) byVisit.set(visit, (w = visitWindow(date, visit)));
    return w;
  };
}

/**
 * The scores done at a visit, as follow-up.ts decides "done": the latest response in the visit's
 * window of each instrument the visit asks for; none until the window has ended.
 */
function visitScores(
  questionnaires: readonly CohortQuestionnaire[],
  procedureDate: string,
  visit: FollowUpVisit,
  today: string,
  windowOf: WindowOf,
): Scores {
  if (questionnaires.length === 0) return NO_SCORES;
  const { opens, closes } = windowOf(procedureDate, visit);
  if (closes >= today) return NO_SCORES;
  const score = (instrument: CohortInstrument) =>
    visit.instruments.includes(INSTRUMENT[instrument])
      ? (latestInWindow(questionnaires, instrument, opens, closes)?.score ?? null)
      : null;
  return { midas: score('midas'), hit6: score('hit6') };
}

/**
 * One procedure's baseline, windows and durability on `today`. Only windows that have ended are
 * reported; a baseline is one that has ended (the procedure is not in the future) and is sufficient.
 */
export function evaluateProcedure(
  p: Pick<CohortProcedure, 'date' | 'periods'> & Partial<Pick<CohortProcedure, 'questionnaires'>>,
  visits: readonly FollowUpVisit[],
  today: string,
  cfg: AnalysisConfig,
  rc: RegistryOutcomeConfig = DEFAULT_REGISTRY_OUTCOME_CONFIG,
): Evaluated {
  return evaluate(p, visits, today, cfg, rc, visitWindow);
}

function evaluate(
  p: Pick<CohortProcedure, 'date' | 'periods'> & Partial<Pick<CohortProcedure, 'questionnaires'>>,
  visits: readonly FollowUpVisit[],
  today: string,
  cfg: AnalysisConfig,
  rc: RegistryOutcomeConfig,
  windowOf: WindowOf,
): Evaluated {
  const day0 = dayNumber(p.date);
  const elapsed = dayNumber(today) - day0;
  const questionnaires = p.questionnaires ?? [];
  const baselineVisit = visits.find((v) => v.months === 0) ?? DEFAULT_BASELINE_VISIT;
  const bp = baselineVisit.diaryPeriods;
  const b = totals(p.periods, bp.from, bp.to);
  const baselineEnded = elapsed >= bp.to * 28;
  const baselineDays = 28 * (bp.to - bp.from + 1);
  const baselineMmd = baselineEnded ? endedMmd(b.recordedDays, b.migraineDays, baselineDays, cfg) : null;
  const headachePer28 = baselineMmd === null ? null : b.headacheDays * (28 / b.recordedDays);

  const windows: CohortRowWindow[] = [];
  const windowEnds: number[] = [];
  for (const v of visits) {
    if (v.months === 0) continue;
    const { from, to } = v.diaryPeriods;
    windowEnds.push(day0 + to * 28 - 1);
    const ended = elapsed >= to * 28;
    const t = ended ? totals(p.periods, from, to) : NONE;
    const mmd = ended ? endedMmd(t.recordedDays, t.migraineDays, 28 * (to - from + 1), cfg) : null;
    const comparable = mmd !== null && baselineMmd !== null;
    // A reduction cannot be measured from a baseline of zero migraine days (outcomes.ts).
    const measurable = comparable && baselineMmd > 0;
    const reduction = measurable ? (baselineMmd - mmd) / baselineMmd : null;
    const scores = visitScores(questionnaires, p.date, v, today, windowOf);
    windows.push({
      visitId: v.id,
      ended,
      sufficient: mmd !== null,
      mmd,
      mmdChange: comparable ? mmd - baselineMmd : null,
      mmdPercentChange: measurable ? ((mmd - baselineMmd) / baselineMmd) * 100 : null,
      responder50: reduction === null ? null : reduction >= 0.5 - TOLERANCE,
      responder75: reduction === null ? null : reduction >= 0.75 - TOLERANCE,
      responder100: reduction === null ? null : reduction >= 1 - TOLERANCE,
      midas: scores.midas,
      hit6: scores.hit6,
    });
  }
  // Durability reads period 0 as the baseline, whatever the baseline visit.
  const p0 = p.periods[0] ?? NONE;
  const durabilityBaseline = elapsed >= 0 ? endedMmd(p0.recordedDays, p0.migraineDays, 28, cfg) : null;
  const scores = visitScores(questionnaires, p.date, baselineVisit, today, windowOf);
  return {
    baseline: {
      recordedDays: b.recordedDays,
      mmd: baselineMmd,
      headacheType:
        headachePer28 === null ? null : headachePer28 >= CHRONIC_HEADACHE_DAYS_PER_28 ? 'chronic' : 'episodic',
      midas: scores.midas,
      hit6: scores.hit6,
    },
    windows,
    windowEnds,
    durability: durabilityOf(p.periods, elapsed, durabilityBaseline, cfg, rc),
  };
}

/**
 * The row's predictors. Those of the baseline period are unknown until it has ended (a procedure
 * after `today`), as its MMD is.
 */
function predictorsOf(p: CohortProcedure, today: string): CohortRowPredictors {
  const ended = p.date <= today;
  const { auraDays, medicationOveruse } = p.baselineProfile;
  return {
    aura: ended && auraDays !== null ? auraDays > 0 : null,
    medicationOveruse: ended ? medicationOveruse : null,
    triggerSites: p.triggerSites,
    priorToxinOrBlockResponse: p.priorToxinOrBlockResponse,
    decompression: p.adjuncts.includes('nerve-decompression'),
  };
}

export function matchesFilter(p: CohortProcedure, filter: CohortFilter): boolean {
  if (filter.procedureType !== undefined && p.procedureType !== filter.procedureType) return false;
  if (filter.siteIds !== undefined && !filter.siteIds.includes(p.siteId)) return false;
  if (filter.surgeon !== undefined && p.surgeon !== filter.surgeon) return false;
  if (filter.from !== undefined && p.date < filter.from) return false;
  if (filter.to !== undefined && p.date > filter.to) return false;
  if (filter.condition !== undefined && !p.conditions.includes(filter.condition)) return false;
  return true;
}

type DatedEvent = CohortAdverseEvent & { day: number };

/**
 * The complications of each procedure: events its record links to it, and events linked to none
 * that began on or after it, given to the patient's latest procedure by then (one event is never
 * counted for two procedures). Events the clinician judged unrelated to the procedure are not
 * complications of it (Clavien–Dindo grades deviations from the postoperative course).
 */
function complicationsByProcedure(
  events: readonly CohortAdverseEvent[],
  procedures: readonly { patientId: string; procedureId: string; date: string }[],
): Map<string, DatedEvent[]> {
  const byPatient = new Map<string, { procedureId: string; date: string }[]>();
  for (const p of procedures) {
    const list = byPatient.get(p.patientId);
    if (list) list.push(p);
    else byPatient.set(p.patientId, [p]);
  }
  const out = new Map<string, DatedEvent[]>();
  for (const e of events) {
    if (e.relation === 'unrelated') continue;
    let owner = e.procedureId;
    if (owner === null) {
      let latest: { procedureId: string; date: string } | null = null;
      for (const p of byPatient.get(e.patientId) ?? []) {
        if (p.date > e.onset) continue;
        if (latest === null || p.date > latest.date || (p.date === latest.date && p.procedureId > latest.procedureId))
          latest = p;
      }
      owner = latest?.procedureId ?? null;
    }
    if (owner === null) continue;
    const list = out.get(owner);
    const dated = { ...e, day: dayNumber(e.onset) };
    if (list) list.push(dated);
    else out.set(owner, [dated]);
  }
  return out;
}

/** A random permutation of 0…n−1 (Fisher–Yates). */
function permutation(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export function buildCohort(input: CohortInput): CohortReport {
  const { today, cfg } = input;
  const visits = cohortVisits(input.visits);
  const eventsByProcedure = complicationsByProcedure(input.adverseEvents, input.patientProcedures ?? input.procedures);

  const rc = input.rc ?? DEFAULT_REGISTRY_OUTCOME_CONFIG;
  const windowOf = cachedWindows();
  const selected: (Evaluated & { p: CohortProcedure; events: DatedEvent[] })[] = [];
  for (const p of input.procedures) {
    if (!matchesFilter(p, input.filter)) continue;
    const evaluated = evaluate(p, input.visits, today, cfg, rc, windowOf);
    if (input.filter.headacheType !== undefined && evaluated.baseline.headacheType !== input.filter.headacheType) {
      continue;
    }
    selected.push({
      p,
      baseline: evaluated.baseline,
      windows: evaluated.windows,
      windowEnds: evaluated.windowEnds,
      durability: evaluated.durability,
      events: eventsByProcedure.get(p.procedureId) ?? [],
    });
  }

  const windows = visits.map((visit, w): CohortWindowSummary => {
    const changes: number[] = [];
    const responders = { '50': 0, '75': 0, '100': 0 };
    const complications = emptyGradeCounts();
    let n = 0;
    for (const s of selected) {
      const row = s.windows[w]!;
      if (!row.ended) continue;
      n++;
      const end = s.windowEnds[w]!;
      for (const e of s.events) if (e.day <= end) complications[e.grade]++;
      if (row.responder50 === null) continue;
      changes.push(row.mmdChange!);
      if (row.responder50) responders['50']++;
      if (row.responder75) responders['75']++;
      if (row.responder100) responders['100']++;
    }
    return {
      visitId: visit.id,
      label: visit.label,
      months: visit.months,
      n,
      nSufficient: changes.length,
      mmdChange: meanAndMedian(changes),
      responders,
      complications,
    };
  });

  const order = permutation(selected.length, input.random);
  const width = Math.max(4, String(selected.length).length);
  const patients: CohortRow[] = new Array<CohortRow>(selected.length);
  selected.forEach((s, i) => {
    const k = order[i]!;
    const day0 = dayNumber(s.p.date);
    patients[k] = {
      row: `R${String(k + 1).padStart(width, '0')}`,
      procedureType: s.p.procedureType,
      siteId: s.p.siteId,
      surgeon: s.p.surgeon,
      adjuncts: [...s.p.adjuncts],
      age: ageAtProcedure(s.p.birthYear, s.p.date),
      sex: s.p.sex,
      conditions: [...s.p.conditions],
      headacheType: s.baseline.headacheType,
      predictors: predictorsOf(s.p, today),
      baseline: {
        recordedDays: s.baseline.recordedDays,
        mmd: s.baseline.mmd,
        midas: s.baseline.midas,
        hit6: s.baseline.hit6,
      },
      windows: s.windows,
      durability: s.durability,
      complications: s.events
        .map((e) => ({ grade: e.grade, onsetDay: e.day - day0 }))
        .sort((a, b) => a.onsetDay - b.onsetDay || (a.grade < b.grade ? -1 : a.grade > b.grade ? 1 : 0)),
    };
  });

  return { asOf: today, filter: input.filter, n: selected.length, windows, patients };
}
