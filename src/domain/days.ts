import { classifyAttack, isMigraineType, type AttackClassification, type Tri } from './attack-classification.js';
import type { AnalysisConfig } from './config.js';
import type { Attack, AuraType, DailyRecord, Diary, MedicationIntake } from './diary.js';
import { isModerateOrSevere, resolveIntensity, type IntensityLevel } from './intensity.js';
import { MIGRAINE_SPECIFIC_CLASSES, type AcuteMedicationClass } from './medications.js';
import { addDays, daysBetween, epochMs, isLocalMidnight, localDateAt, localDateOf } from './time.js';

/**
 * What each local diary day counts as, derived from attacks and daily records.
 *
 * Day rules (clinical-reference §2; Tassorelli et al., Cephalalgia 2018 counts a day on which a
 * headache starts, continues or recurs):
 * - recorded: the patient said something about the day (a daily record, an attack covering it,
 *   or a medication taken on it). "No entry" is never read as "no headache".
 * - headache day: an attack covers the day, or the daily record reports a headache, or a
 *   migraine-specific acute medication was taken that day without a "no headache" confirmation
 *   (the medication makes the day a migraine day, and a migraine day is a headache day; a
 *   confirmed headache-free day with a triptan, e.g. for aura alone, stays headache-free).
 * - migraine day: a migraine or probable-migraine attack of at least `migraineDayMinMinutes`,
 *   or aura, or a migraine-specific acute medication (triptan, ergot, gepant, ditan)
 *   (van der Arend/Terwindt, Cephalalgia 2023). Probable migraine counts as migraine (ICHD-3 note
 *   to 1.5). When the diary lacks the features to decide, the day is "undetermined" (null).
 */

export interface DerivedAttack {
  id: string;
  /** An attack entry, or a headache day that only a daily record describes (one per day). */
  source: 'attack' | 'daily';
  startDate: string;
  endDate: string;
  ongoing: boolean;
  durationMinutes: number | null;
  peakNrs: number | null;
  level: IntensityLevel | null;
  /** Counts as a migraine attack under the migraine-day rule (null: undetermined). */
  migraine: Tri;
  auraTypes: AuraType[];
  classification: AttackClassification | null;
}

export interface DayFacts {
  date: string;
  recorded: boolean;
  headache: boolean;
  migraine: Tri;
  moderateSevere: boolean;
  aura: boolean;
  /** ICHD-3 1.3 C: migraine-like headache (1.1 C+D, 1.2 B+C, or relieved by a triptan or ergot). */
  migraineLike: Tri;
  tensionTypeLike: boolean;
  medicationClasses: Set<AcuteMedicationClass>;
  /** The day's 0–10 neuropathic pain rating, when given. */
  pain: number | null;
  attackIds: string[];
  /** The patient confirmed the day headache-free. */
  confirmedHeadacheFree: boolean;
  /** A daily record said "no headache" but an attack covers the day. */
  contradiction: boolean;
}

export interface DiaryDays {
  /** First and last day of the diary's span, or null for an empty diary. */
  first: string | null;
  last: string | null;
  byDate: Map<string, DayFacts>;
  attacks: DerivedAttack[];
}

function emptyDay(date: string): DayFacts {
  return {
    date,
    recorded: false,
    headache: false,
    migraine: false,
    moderateSevere: false,
    aura: false,
    migraineLike: false,
    tensionTypeLike: false,
    medicationClasses: new Set(),
    pain: null,
    attackIds: [],
    confirmedHeadacheFree: false,
    contradiction: false,
  };
}

function or3(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return null;
}

/** Relieved by a triptan or ergot: the ICHD-3 1.3 C route for a day believed to be migraine. */
function triptanOrErgotRelief(meds: readonly MedicationIntake[]): Tri {
  const specific = meds.filter((m) => m.class === 'triptan' || m.class === 'ergot');
  if (specific.length === 0) return false;
  if (specific.some((m) => m.effect === 'some' || m.effect === 'good' || m.effect === 'complete')) return true;
  return specific.every((m) => m.effect === 'none') ? false : null;
}

function attackMigraine(c: AttackClassification, elapsedMinutes: number, ongoing: boolean, cfg: AnalysisConfig): Tri {
  // An attack still under way may yet reach the minimum duration.
  if (elapsedMinutes < cfg.migraineDayMinMinutes) return ongoing ? null : false;
  if (isMigraineType(c.type)) return true;
  if (c.type === 'tension-type-like') return false;
  // Probable migraine without aura needs all but one of B–D: two known failures rule it out.
  const failed = c.migraineWithoutAura.filter((x) => x.met === false).length;
  return failed >= 2 ? false : null;
}

function attackMigraineLike(c: AttackClassification, meds: readonly MedicationIntake[]): Tri {
  const [, c11, d11] = c.migraineWithoutAura;
  const [b12, c12] = c.migraineWithAura;
  const viaWithout: Tri = c11!.met === false || d11!.met === false ? false : c11!.met && d11!.met ? true : null;
  const viaAura: Tri = b12!.met === false || c12!.met === false ? false : b12!.met && c12!.met ? true : null;
  return or3(or3(viaWithout, viaAura), triptanOrErgotRelief(meds));
}

export function deriveDays(diary: Diary, cfg: AnalysisConfig, nowMs: number): DiaryDays {
  const tz = diary.patient.timeZone;
  const byDate = new Map<string, DayFacts>();
  const day = (date: string): DayFacts => {
    let d = byDate.get(date);
    if (!d) byDate.set(date, (d = emptyDay(date)));
    return d;
  };
  const today = localDateAt(nowMs, tz);
  const attacks: DerivedAttack[] = [];

  const addMedications = (meds: readonly MedicationIntake[], fallbackDate: string): void => {
    for (const m of meds) {
      const d = day(m.takenAt === undefined ? fallbackDate : localDateOf(m.takenAt, tz));
      d.recorded = true;
      d.medicationClasses.add(m.class);
      if (MIGRAINE_SPECIFIC_CLASSES.has(m.class)) d.migraine = true;
    }
  };

  for (const a of diary.attacks) attacks.push(deriveAttack(a, diary, cfg, nowMs, today, day, addMedications));

  const coveredByAttack = new Set([...byDate.values()].filter((d) => d.attackIds.length > 0).map((d) => d.date));
  const records = [...diary.dailyRecords].sort((x, y) => (x.date < y.date ? -1 : 1));
  for (const r of records) applyDailyRecord(r, day(r.date), cfg, addMedications);
  for (const d of byDate.values()) {
    const specific = [...d.medicationClasses].some((c) => MIGRAINE_SPECIFIC_CLASSES.has(c));
    if (specific && !d.headache && !d.confirmedHeadacheFree) d.headache = true;
  }
  attacks.push(...dailyHeadaches(records, coveredByAttack, byDate, cfg));
  attacks.sort((x, y) => (x.startDate < y.startDate ? -1 : x.startDate > y.startDate ? 1 : 0));

  let first: string | null = null;
  let last: string | null = null;
  for (const d of byDate.values()) {
    if (!d.recorded) continue;
    if (first === null || d.date < first) first = d.date;
    if (last === null || d.date > last) last = d.date;
  }
  return { first, last, byDate, attacks };
}

function deriveAttack(
  a: Attack,
  diary: Diary,
  cfg: AnalysisConfig,
  nowMs: number,
  today: string,
  day: (date: string) => DayFacts,
  addMedications: (meds: readonly MedicationIntake[], fallback: string) => void,
): DerivedAttack {
  const tz = diary.patient.timeZone;
  const startDate = localDateOf(a.start, tz);
  const ongoing = a.end === undefined;
  let endDate: string;
  if (a.end !== undefined) {
    endDate = localDateOf(a.end, tz);
    // An attack that ends at 00:00 ended the day before: the end is exclusive.
    if (endDate > startDate && isLocalMidnight(a.end, tz)) endDate = addDays(endDate, -1);
  } else {
    const cap = addDays(startDate, cfg.ongoingAttackMaxDays);
    endDate = today < startDate ? startDate : today > cap ? cap : today;
  }
  const ageYears =
    diary.patient.birthYear === undefined ? null : Number(startDate.slice(0, 4)) - diary.patient.birthYear;
  const classification = classifyAttack(a, { ageYears, intensity: cfg.intensity });
  const elapsed = ongoing ? Math.max(0, (nowMs - epochMs(a.start)) / 60_000) : classification.durationMinutes!;
  const { nrs, level } = resolveIntensity(a.peakIntensity, a.intensityLevel, cfg.intensity);
  const meds = a.medications ?? [];
  // Aura counts only when fully reversible (ICHD-3 1.2 B); a persistent deficit is something else.
  const aura = (a.aura ?? []).filter((x) => x.fullyReversible !== false);
  const hasAura = aura.length > 0;
  // Aura or a migraine-specific medication makes the whole attack count, on every day it covers.
  const migraine: Tri =
    hasAura || meds.some((m) => MIGRAINE_SPECIFIC_CLASSES.has(m.class))
      ? true
      : attackMigraine(classification, elapsed, ongoing, cfg);
  const migraineLike = attackMigraineLike(classification, meds);
  const isHeadache = level !== 'none';

  for (let n = 0, span = daysBetween(startDate, endDate); n <= span; n++) {
    const d = day(addDays(startDate, n));
    d.recorded = true;
    d.attackIds.push(a.id);
    if (isHeadache) d.headache = true;
    d.migraine = or3(d.migraine, migraine);
    d.migraineLike = or3(d.migraineLike, migraineLike);
    if (hasAura) d.aura = true;
    if (level !== null && isModerateOrSevere(level)) d.moderateSevere = true;
    if (classification.type === 'tension-type-like') d.tensionTypeLike = true;
  }
  addMedications(meds, startDate);
  return {
    id: a.id,
    source: 'attack',
    startDate,
    endDate,
    ongoing,
    durationMinutes: classification.durationMinutes,
    peakNrs: nrs,
    level,
    migraine,
    auraTypes: aura.map((x) => x.type),
    classification,
  };
}

function applyDailyRecord(
  r: DailyRecord,
  d: DayFacts,
  cfg: AnalysisConfig,
  addMedications: (meds: readonly MedicationIntake[], fallback: string) => void,
): void {
  d.recorded = true;
  if (r.pain !== undefined) d.pain = r.pain;
  if (r.noHeadache === true) {
    d.confirmedHeadacheFree = true;
    if (d.headache) d.contradiction = true;
  }
  if (r.aura === true) d.aura = d.migraine = true;
  addMedications(r.medications ?? [], r.date);
  if (r.headache === undefined) return;
  const { level } = resolveIntensity(r.headache.peakIntensity, r.headache.intensityLevel, cfg.intensity);
  if (level === 'none') return;
  d.headache = true;
  if (level !== null && isModerateOrSevere(level)) d.moderateSevere = true;
  // A day-level headache carries no ICHD-3 features: migraine only through aura or medication.
  if (d.migraine === false) d.migraine = null;
  const relief = triptanOrErgotRelief(r.medications ?? []);
  d.migraineLike = or3(d.migraineLike, relief === true ? true : null);
}

/**
 * Headache days that only a daily record describes, one attack-equivalent each: a daily diary does
 * not say where one attack ends and the next begins, and a run of days is not one attack (an
 * attack lasts at most 72 h, ICHD-3 1.1 B).
 */
function dailyHeadaches(
  records: readonly DailyRecord[],
  coveredByAttack: ReadonlySet<string>,
  byDate: ReadonlyMap<string, DayFacts>,
  cfg: AnalysisConfig,
): DerivedAttack[] {
  const out: DerivedAttack[] = [];
  for (const r of records) {
    const facts = byDate.get(r.date)!;
    if (!r.headache || !facts.headache || coveredByAttack.has(r.date)) continue;
    const { nrs, level } = resolveIntensity(r.headache.peakIntensity, r.headache.intensityLevel, cfg.intensity);
    out.push({
      id: `day:${r.date}`,
      source: 'daily',
      startDate: r.date,
      endDate: r.date,
      ongoing: false,
      durationMinutes: r.headache.hours === undefined ? null : r.headache.hours * 60,
      peakNrs: nrs,
      level,
      migraine: facts.migraine,
      auraTypes: [],
      classification: null,
    });
  }
  return out;
}
