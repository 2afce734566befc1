import type { Attack } from './diary.js';
import { resolveIntensity, type IntensityMapping } from './intensity.js';

/**
 * ICHD-3 (Cephalalgia 2018;38:1–211) criteria applied to one attack: 1.1 B–D, 1.2 B–C,
 * 1.5 probable migraine and a tension-type-like pattern (2.x criteria B–D).
 *
 * Criteria are three-valued: true (met), false (not met), null (the diary does not say).
 * A classification needs its criteria to be true; unknown features are listed so that the
 * patient or clinician can see what to record.
 */

export type Tri = boolean | null;

export interface Criterion {
  id: string;
  description: string;
  met: Tri;
}

export type AttackType =
  | 'migraine-without-aura'
  | 'migraine-with-aura'
  | 'probable-migraine-without-aura'
  | 'probable-migraine-with-aura'
  | 'tension-type-like'
  | 'unclassified';

export const ATTACK_TYPE_CODES: Record<AttackType, string | null> = {
  'migraine-without-aura': '1.1',
  'migraine-with-aura': '1.2',
  'probable-migraine-without-aura': '1.5.1',
  'probable-migraine-with-aura': '1.5.2',
  'tension-type-like': '2',
  unclassified: null,
};

export interface AttackClassification {
  attackId: string;
  type: AttackType;
  code: string | null;
  durationMinutes: number | null;
  migraineWithoutAura: Criterion[];
  migraineWithAura: Criterion[];
  tensionType: Criterion[];
}

export interface AttackContext {
  /**
   * The attack's year minus the birth year, when known: the true age is this or one less, so a
   * difference of exactly 18 leaves "under 18" open.
   */
  ageYears: number | null;
  intensity: IntensityMapping;
}

function or3(...values: Tri[]): Tri {
  if (values.some((v) => v === true)) return true;
  if (values.every((v) => v === false)) return false;
  return null;
}

function and3(...values: Tri[]): Tri {
  if (values.some((v) => v === false)) return false;
  if (values.every((v) => v === true)) return true;
  return null;
}

/** "At least n of" over three-valued features. */
function atLeast(n: number, values: Tri[]): Tri {
  const yes = values.filter((v) => v === true).length;
  const unknown = values.filter((v) => v === null).length;
  if (yes >= n) return true;
  if (yes + unknown < n) return false;
  return null;
}

function opt(v: boolean | undefined): Tri {
  return v === undefined ? null : v;
}

function hasQuality(a: Attack, q: string): Tri {
  return a.quality === undefined ? null : a.quality.includes(q as never);
}

export function attackDurationMinutes(a: Attack): number | null {
  return a.end === undefined ? null : (Date.parse(a.end) - Date.parse(a.start)) / 60_000;
}

/**
 * Untreated, or every acute medication taken helped little or not at all: only then is a short
 * attack known to be short. A medication whose effect is not recorded leaves it open.
 */
function untreatedOrUnsuccessfullyTreated(a: Attack): boolean {
  return (a.medications ?? []).every((m) => m.effect === 'none' || m.effect === 'some');
}

/** "Under 18" from the year difference: certain below 18, impossible above, open at exactly 18. */
function under18(ageYears: number | null): Tri {
  if (ageYears === null) return null;
  return ageYears < 18 ? true : ageYears > 18 ? false : null;
}

export function classifyAttack(a: Attack, ctx: AttackContext): AttackClassification {
  const duration = attackDurationMinutes(a);
  const { level } = resolveIntensity(a.peakIntensity, a.intensityLevel, ctx.intensity);
  const headache = level === null ? null : level !== 'none';

  // 1.1 B: 4–72 h untreated or unsuccessfully treated; 2–72 h under 18 (ICHD-3 1.1 note 1).
  // A short attack that medication may have cut short, or whose age rule is open, is undetermined.
  const minor = under18(ctx.ageYears);
  let b11: Tri = null;
  if (duration !== null) {
    if (duration > 72 * 60) b11 = false;
    else if (duration >= 240) b11 = true;
    else if (duration >= 120 && minor !== false) b11 = minor;
    else b11 = untreatedOrUnsuccessfullyTreated(a) ? false : null;
  }
  const unilateral: Tri = a.side === undefined ? null : a.side !== 'bilateral';
  const moderateSevere: Tri = level === null ? null : level === 'moderate' || level === 'severe';
  const c11 = atLeast(2, [unilateral, hasQuality(a, 'pulsating'), moderateSevere, opt(a.aggravatedByActivity)]);
  const d11 = or3(or3(opt(a.nausea), opt(a.vomiting)), and3(opt(a.photophobia), opt(a.phonophobia)));
  const migraineWithoutAura: Criterion[] = [
    { id: 'B', description: 'lasts 4–72 h (2–72 h under 18), untreated or unsuccessfully treated', met: b11 },
    {
      id: 'C',
      description: '≥2 of: unilateral, pulsating, moderate or severe, aggravated by routine activity',
      met: c11,
    },
    { id: 'D', description: 'nausea and/or vomiting, or photophobia and phonophobia', met: d11 },
  ];

  const migraineWithAura = auraCriteria(a, headache);

  // 2.x tension-type headache, criteria B–D, applied to one attack.
  const pressing = hasQuality(a, 'pressing');
  const bilateral: Tri = a.side === undefined ? null : a.side === 'bilateral';
  const mildModerate: Tri = level === null ? null : level === 'mild' || level === 'moderate';
  const notAggravated: Tri = a.aggravatedByActivity === undefined ? null : !a.aggravatedByActivity;
  const tensionType: Criterion[] = [
    {
      id: 'B',
      description: 'lasts 30 min to 7 days',
      met: duration === null ? null : duration >= 30 && duration <= 7 * 24 * 60,
    },
    {
      id: 'C',
      description: '≥2 of: bilateral, pressing or tightening, mild or moderate, not aggravated by activity',
      met: atLeast(2, [bilateral, pressing, mildModerate, notAggravated]),
    },
    {
      id: 'D',
      description: 'no nausea or vomiting; at most one of photophobia and phonophobia',
      met: and3(and3(notTrue(a.nausea), notTrue(a.vomiting)), or3(notTrue(a.photophobia), notTrue(a.phonophobia))),
    },
  ];

  const type = decideType(migraineWithoutAura, migraineWithAura, tensionType);
  return {
    attackId: a.id,
    type,
    code: ATTACK_TYPE_CODES[type],
    durationMinutes: duration,
    migraineWithoutAura,
    migraineWithAura,
    tensionType,
  };
}

function notTrue(v: boolean | undefined): Tri {
  return v === undefined ? null : !v;
}

function auraCriteria(a: Attack, headache: Tri): Criterion[] {
  const symptoms = (a.aura ?? []).filter((s) => s.fullyReversible !== false);
  const b: Tri = symptoms.length > 0;
  const onsets = symptoms.map((s) => (s.onset === undefined ? null : Date.parse(s.onset)));
  const knownOnsets = onsets.filter((o): o is number => o !== null);
  // Two known onsets that differ are a succession; equal known onsets leave it open while an onset is missing.
  const succession: Tri =
    symptoms.length < 2
      ? false
      : knownOnsets.length < 2
        ? null
        : new Set(knownOnsets).size > 1
          ? true
          : knownOnsets.length < symptoms.length
            ? null
            : false;
  const c1 = or3(...symptoms.map((s) => opt(s.spreadGradually)), succession);
  // Each symptom 5–60 min; motor symptoms up to 72 h (ICHD-3 1.2 note).
  const c2 = and3(
    ...symptoms.map((s): Tri => {
      if (s.durationMinutes === undefined) return null;
      const max = s.type === 'motor' ? 72 * 60 : 60;
      return s.durationMinutes >= 5 && s.durationMinutes <= max;
    }),
  );
  // Aphasia is always regarded as a unilateral symptom (ICHD-3 1.2 note).
  const c3 = or3(...symptoms.map((s): Tri => (s.type === 'speech' ? true : opt(s.unilateral))));
  const start = Date.parse(a.start);
  let c4: Tri = headache === false ? false : null;
  if (headache === true) {
    // The headache accompanies the aura or follows it within 60 minutes (ICHD-3 1.2 C4): measured
    // from the end of the symptom (onset + duration), not from its onset.
    c4 = or3(
      ...symptoms.map((s): Tri => {
        if (s.onset === undefined) return null;
        const sinceOnset = start - Date.parse(s.onset);
        if (sinceOnset <= 60 * 60_000) return true;
        return s.durationMinutes === undefined ? null : sinceOnset <= (s.durationMinutes + 60) * 60_000;
      }),
    );
  }
  return [
    { id: 'B', description: '≥1 fully reversible aura symptom', met: b },
    {
      id: 'C',
      description: '≥2 of: gradual spread or succession, each symptom 5–60 min, ≥1 unilateral, headache within 60 min',
      met: symptoms.length === 0 ? false : atLeast(2, [c1, c2, c3, c4]),
    },
  ];
}

function allMet(cs: Criterion[]): boolean {
  return cs.every((c) => c.met === true);
}

function unmetCount(cs: Criterion[]): number {
  return cs.filter((c) => c.met !== true).length;
}

function decideType(without: Criterion[], withAura: Criterion[], tension: Criterion[]): AttackType {
  if (allMet(withAura)) return 'migraine-with-aura';
  if (allMet(without)) return 'migraine-without-aura';
  // 1.5 C: a probable migraine must not meet another headache disorder's criteria.
  if (allMet(tension)) return 'tension-type-like';
  if (withAura[0]!.met === true && unmetCount(withAura) === 1) return 'probable-migraine-with-aura';
  if (unmetCount(without) === 1) return 'probable-migraine-without-aura';
  return 'unclassified';
}

export function isMigraineType(t: AttackType): boolean {
  return t !== 'tension-type-like' && t !== 'unclassified';
}
