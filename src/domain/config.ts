import { DEFAULT_INTENSITY_MAPPING, type IntensityMapping } from './intensity.js';
import type { AcuteMedicationClass } from './medications.js';

/**
 * Every clinical default that the sources leave open, in one place. Each is documented with its
 * source in docs/clinical-rules.md and can be overridden per analysis.
 */
export interface AnalysisConfig {
  /** Minimum attack duration for a migraine day (van der Arend/Terwindt 2023: 30 min; some trials 4 h). */
  migraineDayMinMinutes: number;
  /** Minimum share of recorded days for a period's rates (unconfirmed; default 80 %). */
  complianceThreshold: number;
  /** Days before the reference date that form the baseline (28: IHS trial guidelines' minimum). */
  baselineDays: number;
  /** Follow-up windows as inclusive ranges of 28-day periods after the reference date. */
  followUpWindows: ReadonlyArray<{ label: string; fromPeriod: number; toPeriod: number }>;
  /** Responder thresholds, as a fractional reduction in monthly migraine days. */
  responderThresholds: readonly number[];
  /**
   * Consecutive calendar months that make "for more than 3 months" (ICHD-3 1.3 and 8.2):
   * with whole months, the fourth consecutive month is the first that is more than three.
   */
  sustainedMonths: number;
  /** ICHD-3 8.2 overuse thresholds in days per month. */
  overuseThresholds: OveruseThresholds;
  /** An attack with no end covers at most this many days after its start day. */
  ongoingAttackMaxDays: number;
  /** Guyuron & Pourtaheri 2019: success is a fall of at least this fraction in any MHI component. */
  guyuronSuccessFraction: number;
  /** Guyuron & Pourtaheri 2019: worsening is a rise of at least this fraction in MHI. */
  guyuronWorseningFraction: number;
  intensity: IntensityMapping;
  /** The personal trigger analysis (docs/clinical-rules.md, "Personal trigger analysis"). */
  triggers: TriggerConfig;
}

/**
 * Thresholds of the personal trigger analysis (src/domain/triggers.ts). The design follows
 * Peris et al., Cephalalgia 2017 (N1-Headache) and PAMINA (Wöber et al., Cephalalgia 2007).
 */
export interface TriggerConfig {
  /** Adjust each factor for perimenstrual days (ICHD-3 A1.1: day −2 to +3 of the first day of flow). */
  adjustForMenstruation: boolean;
  /** Confidence level of the odds-ratio intervals. */
  level: number;
  /** A factor is associated when its Benjamini–Hochberg q is below this (a 10 % false discovery rate). */
  fdr: number;
  /** "No association" when the whole interval lies inside [lower, upper] (1.5 and about 1/1.5). */
  equivalence: { lower: number; upper: number };
  /** No verdict below this many recorded days (N1-Headache asks for at least 90 diary days). */
  minRecordedDays: number;
  /** No verdict below this many attack onsets among the factor's at-risk days. */
  minOnsets: number;
  /** No verdict below this many exposed at-risk days. */
  minExposedDays: number;
  /** Flag "low power" below this many onsets (about 24 for moderate effects; Holsteen, Stanford). */
  lowPowerOnsets: number;
  /**
   * A number that is not an ordinal 0–3 (e.g. sleep hours) is exposed "low" or "high" when it lies
   * further than this from the patient's own median: `relative` × the median, unless `absolute`
   * names the factor (matched ignoring case, spaces and punctuation) with a deviation in its unit.
   */
  numericDeviation: { relative: number; absolute: Readonly<Record<string, number>> };
}

export const DEFAULT_TRIGGER_CONFIG: TriggerConfig = {
  adjustForMenstruation: false,
  level: 0.95,
  fdr: 0.1,
  equivalence: { lower: 0.67, upper: 1.5 },
  minRecordedDays: 90,
  minOnsets: 10,
  minExposedDays: 5,
  lowPowerOnsets: 24,
  // ±1.5 h of sleep: a short night of about 6 h against a usual 7.5 h.
  numericDeviation: { relative: 0.2, absolute: { sleephours: 1.5, sleep: 1.5 } },
};

export interface OveruseThresholds {
  ergot: number;
  triptan: number;
  nonOpioidAnalgesic: number;
  opioid: number;
  combinationAnalgesic: number;
  multipleClasses: number;
}

/**
 * Classes that ICHD-3 8.2.6 adds up ("any combination of ergotamine, triptans, simple analgesics,
 * NSAIDs and/or opioids"). Combination analgesics are counted too: they are made of those classes,
 * and leaving them out would hide, e.g., 9 combination days plus 9 triptan days.
 */
export const OVERUSE_CLASSES: readonly AcuteMedicationClass[] = [
  'ergot',
  'triptan',
  'non-opioid-analgesic',
  'opioid',
  'combination-analgesic',
];

export const DEFAULT_CONFIG: AnalysisConfig = {
  migraineDayMinMinutes: 30,
  complianceThreshold: 0.8,
  baselineDays: 28,
  followUpWindows: [
    { label: 'months 1-3', fromPeriod: 1, toPeriod: 3 },
    { label: 'months 4-6', fromPeriod: 4, toPeriod: 6 },
    { label: 'months 7-12', fromPeriod: 7, toPeriod: 12 },
    { label: 'months 13-24', fromPeriod: 13, toPeriod: 24 },
  ],
  responderThresholds: [0.5, 0.75, 1],
  sustainedMonths: 4,
  overuseThresholds: {
    ergot: 10,
    triptan: 10,
    nonOpioidAnalgesic: 15,
    opioid: 10,
    combinationAnalgesic: 10,
    multipleClasses: 10,
  },
  ongoingAttackMaxDays: 3,
  guyuronSuccessFraction: 0.5,
  guyuronWorseningFraction: 0.1,
  intensity: DEFAULT_INTENSITY_MAPPING,
  triggers: DEFAULT_TRIGGER_CONFIG,
};

export function withDefaults(overrides: Partial<AnalysisConfig> = {}): AnalysisConfig {
  return { ...DEFAULT_CONFIG, ...overrides };
}
