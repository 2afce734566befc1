import type { AnalysisConfig } from './config.js';
import type { AcuteMedicationClass } from './medications.js';
import type { MonthSummary } from './periods.js';
import { monthOf, nextMonth, previousMonth } from './time.js';

/**
 * ICHD-3 8.2 medication-overuse headache, per calendar month (clinical-reference §1):
 * 8.2.1 ergotamine, 8.2.2 triptan, 8.2.4 opioid, 8.2.5 combination analgesic: ≥10 days/month;
 * 8.2.3 non-opioid analgesic: ≥15 days/month; 8.2.6 two or more classes, none overused alone:
 * ≥10 days/month together. Thresholds are expert consensus (ICHD-3 comment).
 *
 * A month at a threshold is a "risk" (what patient apps such as N1-Headache show from the first
 * month). It "meets criteria" once the threshold has held for more than 3 consecutive months
 * (`sustainedMonths`) and each of those months had headache on ≥15 days (8.2 criterion A).
 * Counts are raw days, never scaled: a month with missing diary days can only under-count.
 */

export type OveruseLevel = 'risk' | 'meets-criteria';

export interface OveruseMonth {
  month: string;
  days: number;
  headacheDays: number;
  level: OveruseLevel;
}

export interface MedicationOveruse {
  code: string;
  name: string;
  thresholdDays: number;
  /** The highest level reached in any month. */
  status: OveruseLevel;
  months: OveruseMonth[];
}

interface OveruseRule {
  code: string;
  name: string;
  threshold: (cfg: AnalysisConfig) => number;
  days: (m: MonthSummary) => number;
}

const single = (c: AcuteMedicationClass) => (m: MonthSummary) => m.medicationDaysByClass[c];

const SINGLE_CLASS_RULES: OveruseRule[] = [
  { code: '8.2.1', name: 'ergotamine overuse', threshold: (c) => c.overuseThresholds.ergot, days: single('ergot') },
  { code: '8.2.2', name: 'triptan overuse', threshold: (c) => c.overuseThresholds.triptan, days: single('triptan') },
  {
    code: '8.2.3',
    name: 'non-opioid analgesic overuse',
    threshold: (c) => c.overuseThresholds.nonOpioidAnalgesic,
    days: single('non-opioid-analgesic'),
  },
  { code: '8.2.4', name: 'opioid overuse', threshold: (c) => c.overuseThresholds.opioid, days: single('opioid') },
  {
    code: '8.2.5',
    name: 'combination-analgesic overuse',
    threshold: (c) => c.overuseThresholds.combinationAnalgesic,
    days: single('combination-analgesic'),
  },
];

const MULTIPLE_CLASS_RULE: OveruseRule = {
  code: '8.2.6',
  name: 'overuse of multiple drug classes not individually overused',
  threshold: (c) => c.overuseThresholds.multipleClasses,
  days: (m) => m.overuseClassDays,
};

function isConsecutive(a: string, b: string): boolean {
  return nextMonth(a) === b;
}

export function medicationOveruse(months: readonly MonthSummary[], cfg: AnalysisConfig): MedicationOveruse[] {
  const atThreshold = (rule: OveruseRule, m: MonthSummary): boolean => {
    if (rule !== MULTIPLE_CLASS_RULE) return rule.days(m) >= rule.threshold(cfg);
    const anySingle = SINGLE_CLASS_RULES.some((r) => r.days(m) >= r.threshold(cfg));
    return !anySingle && m.overuseClassesUsed >= 2 && m.overuseClassDays >= rule.threshold(cfg);
  };
  const out: MedicationOveruse[] = [];
  for (const rule of [...SINGLE_CLASS_RULES, MULTIPLE_CLASS_RULE]) {
    const flagged: OveruseMonth[] = [];
    // Length of the current run of consecutive months at threshold with ≥15 headache days.
    let run = 0;
    let previous: string | null = null;
    for (const m of months) {
      if (!atThreshold(rule, m)) {
        run = 0;
        previous = m.month;
        continue;
      }
      const continues = previous !== null && isConsecutive(previous, m.month);
      run = m.headacheDays >= 15 ? (continues ? run + 1 : 1) : 0;
      previous = m.month;
      flagged.push({
        month: m.month,
        days: rule.days(m),
        headacheDays: m.headacheDays,
        level: run >= cfg.sustainedMonths ? 'meets-criteria' : 'risk',
      });
    }
    if (flagged.length === 0) continue;
    out.push({
      code: rule.code,
      name: rule.name,
      thresholdDays: rule.threshold(cfg),
      status: flagged.some((f) => f.level === 'meets-criteria') ? 'meets-criteria' : 'risk',
      months: flagged,
    });
  }
  return out;
}

/**
 * How many calendar months count as "recent" for a medication-overuse warning or flag: the current
 * month so far and the one before it. The current month alone would clear every warning on the 1st
 * of the month, before the patient has had a chance to change anything; months further back say
 * what the patient did, not what they do now, and a longer run is already what the level
 * ("meets criteria" after more than 3 months) reports (docs/clinical-rules.md, "Medication overuse").
 */
export const RECENT_OVERUSE_MONTHS = 2;

/** The recent months (`YYYY-MM`, inclusive) as of the local date `today`. */
export function recentOveruseMonths(today: string): { from: string; to: string } {
  const to = monthOf(today);
  let from = to;
  for (let i = 1; i < RECENT_OVERUSE_MONTHS; i++) from = previousMonth(from);
  return { from, to };
}

/**
 * The rules of `medicationOveruse` that reached their threshold in a recent month, each with its
 * recent months only (oldest first). Months after `today` are left out. The patient's warning and
 * the clinician's flag both come from here, so they agree.
 */
export function recentOveruse(overuse: readonly MedicationOveruse[], today: string): MedicationOveruse[] {
  const { from, to } = recentOveruseMonths(today);
  const out: MedicationOveruse[] = [];
  for (const rule of overuse) {
    const months = rule.months.filter((m) => m.month >= from && m.month <= to);
    if (months.length === 0) continue;
    const status = months.some((m) => m.level === 'meets-criteria') ? 'meets-criteria' : 'risk';
    out.push({ ...rule, status, months });
  }
  return out;
}
