import { z } from 'zod';

/** The 4-level headache intensity scale used by ICHD-3 and IHS trial guidelines. */
export const INTENSITY_LEVELS = ['none', 'mild', 'moderate', 'severe'] as const;
export type IntensityLevel = (typeof INTENSITY_LEVELS)[number];
export const intensityLevelSchema = z.enum(INTENSITY_LEVELS);

/**
 * Mapping between the 0–10 numeric rating scale (NRS) and the 4-level scale.
 *
 * Cut points from Serlin et al., Pain 1995;61:277 ("When is cancer pain mild, moderate or
 * severe?"): 1–4 mild, 5–6 moderate, 7–10 severe; 0 is none. When only a level is known, the
 * NRS value used for means (e.g. MHI intensity) is the midpoint of its band.
 * Both are configurable in {@link AnalysisConfig}.
 */
export interface IntensityMapping {
  /** Lowest NRS value of each level above none. */
  mildFrom: number;
  moderateFrom: number;
  severeFrom: number;
  /** NRS value that stands for a level when no number was recorded. */
  levelToNrs: Record<IntensityLevel, number>;
}

export const DEFAULT_INTENSITY_MAPPING: IntensityMapping = {
  mildFrom: 1,
  moderateFrom: 5,
  severeFrom: 7,
  levelToNrs: { none: 0, mild: 2.5, moderate: 5.5, severe: 8.5 },
};

export function levelOfNrs(nrs: number, m: IntensityMapping = DEFAULT_INTENSITY_MAPPING): IntensityLevel {
  if (nrs >= m.severeFrom) return 'severe';
  if (nrs >= m.moderateFrom) return 'moderate';
  if (nrs >= m.mildFrom) return 'mild';
  return 'none';
}

export function isModerateOrSevere(level: IntensityLevel): boolean {
  return level === 'moderate' || level === 'severe';
}

/** Level and NRS of an entry that may carry either or both; the recorded value wins. */
export function resolveIntensity(
  nrs: number | undefined,
  level: IntensityLevel | undefined,
  m: IntensityMapping = DEFAULT_INTENSITY_MAPPING,
): { nrs: number | null; level: IntensityLevel | null } {
  if (nrs !== undefined) return { nrs, level: level ?? levelOfNrs(nrs, m) };
  if (level !== undefined) return { nrs: m.levelToNrs[level], level };
  return { nrs: null, level: null };
}
