import type { Attack, AuraSymptom, DailyRecord, Diary, MedicationIntake } from '../domain/diary.js';
import { MENSTRUATION_FLOWS, TRIGGER_SITES } from '../domain/diary.js';
import type { AcuteMedicationClass, MedicationEffect } from '../domain/medications.js';
import {
  addDays,
  dateFromDayNumber,
  dayNumber,
  formatInZone,
  isLocalMidnight,
  isValidLocalDate,
  isValidTimeZone,
  writtenOffsetMinutes,
} from '../domain/time.js';

/**
 * Deterministic synthetic headache diaries for tests, benchmarks and `relief demo`.
 *
 * The same options always give the same diary: all randomness comes from the seeded PRNG below
 * (never Math.random or the clock), and each concern (profile, daily life, attacks, gaps) draws
 * from its own stream, so changing one part of the model does not reshuffle the others.
 *
 * The numbers are plausible rather than clinical: migraine feature frequencies follow the usual
 * textbook ranges (nausea ~60 %, photophobia ~80 %, aura in ~20 % of attacks), trigger effects are
 * rough risk ratios, and every attack and daily record passes `diarySchema`.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Attacks last 1 h to 3 days (the 72 h upper bound of ICHD-3 1.1 B). */
const MIN_ATTACK_MINUTES = 60;
const MAX_ATTACK_MINUTES = 72 * 60;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny 32-bit PRNG, fast and identical on every platform; not for cryptography. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Mixes a seed and a stream number into a new 32-bit seed (murmur3 finaliser). */
function mixSeed(seed: number, stream: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Convenience draws over {@link mulberry32}. */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An independent stream derived from `seed`, numbered so streams never share draws. */
  static stream(seed: number, stream: number): Rng {
    return new Rng(mixSeed(seed, stream));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One item with probability proportional to its weight. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of options) {
      r -= w;
      if (r < 0) return item;
    }
    return options.at(-1)![0];
  }

  /** Normal draw (Box–Muller); 1 − u keeps the logarithm finite. */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** Stream numbers for {@link Rng.stream}. */
const STREAM = { profile: 1, life: 2, cycle: 3, gaps: 4, attacks: 5 } as const;

// ---------------------------------------------------------------------------------------------
// Options and patient profile

export type FrequencyType = 'episodic' | 'chronic';

/**
 * How readily the patient takes acute medication: 'sparing' (advised to limit it), 'usual', or
 * 'overuse' (treats nearly every headache, including mild ones).
 */
export type AcuteTreatment = 'sparing' | 'usual' | 'overuse';

/** Exposures that can raise the next day's attack risk (see {@link NEXT_DAY_RISK}). */
export type TriggerFactor = 'stress' | 'sleep' | 'alcohol' | 'caffeine';

/** The triggers a patient reacts to unless told otherwise. */
export const DEFAULT_TRIGGER_FACTORS: readonly TriggerFactor[] = ['stress', 'sleep', 'alcohol'];

/** A later change of the attack rate after the reference date, e.g. a relapse. */
export interface RateChange {
  /** From this day on (YYYY-MM-DD, after the reference date)… */
  from: string;
  /** …the attack rate is the baseline rate times this. */
  multiplier: number;
}

/** Baseline attacks per 28 days drawn for each frequency type. */
export const ATTACK_RATE_RANGES: Record<FrequencyType, readonly [number, number]> = {
  episodic: [4, 8],
  chronic: [12, 20],
};

export interface DiaryGeneratorOptions {
  seed: number;
  /** First diary day, YYYY-MM-DD. */
  startDate: string;
  /** Number of diary days. */
  days: number;
  /** Default `synthetic-<seed>`. */
  patientId?: string;
  /** IANA zone; the default Europe/London has DST changes every spring and autumn. */
  timeZone?: string;
  /** Default drawn: three patients in four are female, as in migraine clinics. */
  sex?: 'female' | 'male';
  birthYear?: number;
  /** Default drawn: one patient in five is chronic. */
  frequency?: FrequencyType;
  /** Baseline attacks per 28 days; default drawn from {@link ATTACK_RATE_RANGES}. */
  attacksPer28?: number;
  /** Share of migraine attacks with aura; default 0.2. */
  auraShare?: number;
  /** Share of days with a diary entry; default 0.9. */
  compliance?: number;
  /** A procedure date: from this day on the attack rate is multiplied by `rateMultiplier`. */
  referenceDate?: string;
  /** Default 0.5 (a 50 % responder on average). */
  rateMultiplier?: number;
  /** Later changes of the multiplier after `referenceDate`, e.g. a relapse; default none. */
  rateChanges?: readonly RateChange[];
  /** Default 'usual'. */
  acuteTreatment?: AcuteTreatment;
  /** The exposures that raise this patient's next-day attack risk; default {@link DEFAULT_TRIGGER_FACTORS}. */
  triggerFactors?: readonly TriggerFactor[];
}

export interface Drug {
  name: string;
  class: AcuteMedicationClass;
  doseMg?: number;
}

/** The hidden "truth" behind a synthetic diary. */
export interface PatientProfile {
  patientId: string;
  timeZone: string;
  sex: 'female' | 'male';
  birthYear: number;
  frequency: FrequencyType;
  attacksPer28: number;
  auraShare: number;
  compliance: number;
  /** Share of attacks that are milder, tension-type-like headaches. */
  tensionShare: number;
  meanIntensity: number;
  preferredSide: 'left' | 'right';
  sites: (typeof TRIGGER_SITES)[number][];
  triptan: Drug | null;
  analgesic: Drug;
  /** Whether a daily preventive is prescribed, and the share of days it is taken. */
  preventive: boolean;
  preventiveAdherence: number;
  menstruating: boolean;
  cycleLength: number;
  /** Attack risk ratio from two days before to the third day of menstruation. */
  menstrualSensitivity: number;
  stressLevel: number;
  sleepHours: number;
  drinksAlcohol: boolean;
  caffeineHabit: number;
  referenceDate: string | null;
  rateMultiplier: number;
  /** Sorted by date. */
  rateChanges: RateChange[];
  acuteTreatment: AcuteTreatment;
  triggerFactors: TriggerFactor[];
}

const TRIPTANS: readonly Drug[] = [
  { name: 'sumatriptan', class: 'triptan', doseMg: 50 },
  { name: 'sumatriptan', class: 'triptan', doseMg: 100 },
  { name: 'rizatriptan', class: 'triptan', doseMg: 10 },
  { name: 'zolmitriptan', class: 'triptan', doseMg: 2.5 },
  { name: 'eletriptan', class: 'triptan', doseMg: 40 },
];
const IBUPROFEN: Drug = { name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400 };
const PARACETAMOL: Drug = { name: 'paracetamol', class: 'non-opioid-analgesic', doseMg: 1000 };
const NAPROXEN: Drug = { name: 'naproxen', class: 'non-opioid-analgesic', doseMg: 500 };
const COMBINATION: Drug = { name: 'aspirin paracetamol caffeine', class: 'combination-analgesic' };
const OPIOIDS: readonly Drug[] = [
  { name: 'codeine', class: 'opioid', doseMg: 30 },
  { name: 'tramadol', class: 'opioid', doseMg: 50 },
];

function validateOptions(o: DiaryGeneratorOptions): void {
  if (!Number.isFinite(o.seed)) throw new RangeError('seed must be a finite number');
  if (!isValidLocalDate(o.startDate)) throw new RangeError(`startDate "${o.startDate}" is not YYYY-MM-DD`);
  if (!Number.isInteger(o.days) || o.days < 1) throw new RangeError('days must be a positive integer');
  if (o.timeZone !== undefined && !isValidTimeZone(o.timeZone)) {
    throw new RangeError(`unknown time zone "${o.timeZone}"`);
  }
  if (o.referenceDate !== undefined && !isValidLocalDate(o.referenceDate)) {
    throw new RangeError(`referenceDate "${o.referenceDate}" is not YYYY-MM-DD`);
  }
  if (o.compliance !== undefined && !(o.compliance > 0 && o.compliance <= 1)) {
    throw new RangeError('compliance must be in (0, 1]');
  }
  if (o.attacksPer28 !== undefined && !(o.attacksPer28 >= 0 && o.attacksPer28 <= 28)) {
    throw new RangeError('attacksPer28 must be between 0 and 28');
  }
  if (o.rateMultiplier !== undefined && !(o.rateMultiplier >= 0)) {
    throw new RangeError('rateMultiplier must not be negative');
  }
  if (o.auraShare !== undefined && !(o.auraShare >= 0 && o.auraShare <= 1)) {
    throw new RangeError('auraShare must be in [0, 1]');
  }
  for (const change of o.rateChanges ?? []) {
    if (!isValidLocalDate(change.from)) throw new RangeError(`rateChanges: "${change.from}" is not YYYY-MM-DD`);
    if (!(change.multiplier >= 0)) throw new RangeError('rateChanges: a multiplier must not be negative');
  }
  if (o.rateChanges !== undefined && o.rateChanges.length > 0 && o.referenceDate === undefined) {
    throw new RangeError('rateChanges need a referenceDate');
  }
}

/** Draws the patient behind a diary; options that are given win over the draws. */
export function drawProfile(options: DiaryGeneratorOptions): PatientProfile {
  validateOptions(options);
  const rng = Rng.stream(options.seed, STREAM.profile);
  // Every draw happens whether or not an option overrides it, so overrides do not shift the rest.
  const sex = rng.chance(0.75) ? 'female' : 'male';
  const age = rng.int(18, 65);
  const drawnFrequency: FrequencyType = rng.chance(0.2) ? 'chronic' : 'episodic';
  const frequency = options.frequency ?? drawnFrequency;
  const [low, high] = ATTACK_RATE_RANGES[frequency];
  const rate = rng.uniform(low, high);
  const birthYear = options.birthYear ?? Number(options.startDate.slice(0, 4)) - age;
  const chronic = frequency === 'chronic';
  const profile: PatientProfile = {
    patientId: options.patientId ?? `synthetic-${options.seed}`,
    timeZone: options.timeZone ?? 'Europe/London',
    sex: options.sex ?? sex,
    birthYear,
    frequency,
    attacksPer28: options.attacksPer28 ?? Math.round(rate * 10) / 10,
    auraShare: options.auraShare ?? 0.2,
    compliance: options.compliance ?? 0.9,
    tensionShare: chronic ? rng.uniform(0.25, 0.4) : rng.uniform(0.05, 0.15),
    meanIntensity: rng.uniform(5.5, 7.5),
    preferredSide: rng.chance(0.5) ? 'left' : 'right',
    sites: drawSites(rng),
    triptan: rng.chance(chronic ? 0.8 : 0.65) ? rng.pick(TRIPTANS) : null,
    analgesic: rng.pick([IBUPROFEN, IBUPROFEN, PARACETAMOL, NAPROXEN]),
    preventive: rng.chance(chronic ? 0.7 : 0.3),
    preventiveAdherence: rng.uniform(0.8, 0.97),
    menstruating: false,
    cycleLength: rng.int(26, 31),
    menstrualSensitivity: rng.uniform(1.5, 2.5),
    stressLevel: rng.uniform(0.8, 1.8),
    sleepHours: rng.uniform(6.4, 7.8),
    drinksAlcohol: rng.chance(0.7),
    caffeineHabit: rng.uniform(0.5, 2.5),
    referenceDate: options.referenceDate ?? null,
    rateMultiplier: options.rateMultiplier ?? 0.5,
    rateChanges: [...(options.rateChanges ?? [])].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
    acuteTreatment: options.acuteTreatment ?? 'usual',
    triggerFactors: [...(options.triggerFactors ?? DEFAULT_TRIGGER_FACTORS)],
  };
  // Menstruation from about 12 to about 50 years of age, judged at the diary start.
  const ageAtStart = Number(options.startDate.slice(0, 4)) - profile.birthYear;
  profile.menstruating = profile.sex === 'female' && ageAtStart >= 12 && ageAtStart < 50;
  return profile;
}

/** One or two Guyuron trigger sites, for the fat-transfer use case. */
function drawSites(rng: Rng): (typeof TRIGGER_SITES)[number][] {
  const main = rng.weighted<(typeof TRIGGER_SITES)[number]>([
    ['frontal', 3],
    ['temporal', 3],
    ['occipital', 2],
    ['nasal', 1],
    ['auriculotemporal', 1],
  ]);
  const second = rng.pick(['frontal', 'temporal', 'occipital'] as const);
  return rng.chance(0.4) && second !== main ? [main, second] : [main];
}

// ---------------------------------------------------------------------------------------------
// Daily life: factors, menstruation, preventive, missed entries

interface Factors {
  stress: number;
  sleepHours: number;
  alcohol: boolean;
  caffeine: number;
}

interface DayState {
  date: string;
  /** No diary entry at all on this day. */
  missed: boolean;
  factors: Factors;
  menstruation: (typeof MENSTRUATION_FLOWS)[number] | undefined;
  /** Two days before to the third day of menstruation: menstrually related migraine risk. */
  menstrualWindow: boolean;
  preventiveTaken: boolean | undefined;
}

const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));
const roundTo = (x: number, step: number): number => Math.round(x / step) * step;

/** 1970-01-01 was a Thursday. */
const weekdayOf = (n: number): number => (n + 4) % 7;

/** Stress persists from day to day and is lower at weekends; sleep is longer at weekends. */
function drawFactors(rng: Rng, p: PatientProfile, weekday: number, previousStress: number): Factors {
  const weekend = weekday === 0 || weekday === 6;
  const stressBase = weekend ? p.stressLevel - 0.7 : p.stressLevel;
  const stress = Math.round(clamp(0.45 * previousStress + 0.55 * stressBase + rng.normal(0, 0.7), 0, 3));
  const sleep = rng.normal(p.sleepHours + (weekend ? 0.6 : 0) - (stress >= 2 ? 0.4 : 0), 0.9);
  const friSat = weekday === 5 || weekday === 6;
  return {
    stress,
    sleepHours: clamp(roundTo(sleep, 0.5), 3, 11),
    alcohol: p.drinksAlcohol && rng.chance(friSat ? 0.35 : 0.08),
    caffeine: Math.round(clamp(p.caffeineHabit + rng.normal(0, 0.6), 0, 3)),
  };
}

/** Flow on each diary day (undefined between periods) and the days of raised migraine risk. */
function menstrualCalendar(
  rng: Rng,
  p: PatientProfile,
  first: number,
  count: number,
): { flows: ((typeof MENSTRUATION_FLOWS)[number] | undefined)[]; window: boolean[] } {
  const onsets: number[] = [];
  // Start one cycle before the diary so the first days have a cycle position too.
  for (let onset = first - rng.int(1, p.cycleLength); onset <= first + count + 40;) {
    onsets.push(onset);
    onset += p.cycleLength + rng.int(-2, 2);
  }
  const flows: ((typeof MENSTRUATION_FLOWS)[number] | undefined)[] = new Array(count).fill(undefined);
  const window: boolean[] = new Array(count).fill(false);
  for (const onset of onsets) {
    const length = rng.int(4, 6);
    const pattern = [rng.pick(['medium', 'heavy'] as const), 'heavy', 'medium', 'light', 'light', 'spotting'] as const;
    for (let k = 0; k < length; k++) {
      const i = onset + k - first;
      if (i >= 0 && i < count) flows[i] = k === length - 1 ? 'spotting' : pattern[k];
    }
    for (let k = -2; k <= 2; k++) {
      const i = onset + k - first;
      if (i >= 0 && i < count) window[i] = true;
    }
  }
  return { flows, window };
}

/**
 * Missed days come in short runs (a busy week, a holiday) rather than one at a time: a two-state
 * chain whose long-run share of recorded days is the asked compliance.
 */
function missedDays(rng: Rng, compliance: number, count: number): boolean[] {
  const missShare = 1 - compliance;
  const stayMissed = 0.45;
  let startMissing = (missShare * (1 - stayMissed)) / (1 - missShare);
  let keepMissing = stayMissed;
  if (startMissing > 1) startMissing = keepMissing = missShare;
  const missed: boolean[] = [];
  let previous = false; // the first day of a diary is always filled in
  for (let i = 0; i < count; i++) {
    const miss: boolean = i > 0 && rng.chance(previous ? keepMissing : startMissing);
    missed.push(miss);
    previous = miss;
  }
  return missed;
}

function simulateDays(options: DiaryGeneratorOptions, p: PatientProfile): DayState[] {
  const life = Rng.stream(options.seed, STREAM.life);
  const first = dayNumber(options.startDate);
  const cycle = p.menstruating
    ? menstrualCalendar(Rng.stream(options.seed, STREAM.cycle), p, first, options.days)
    : null;
  const missed = missedDays(Rng.stream(options.seed, STREAM.gaps), p.compliance, options.days);
  const days: DayState[] = [];
  let stress = p.stressLevel;
  for (let i = 0; i < options.days; i++) {
    const weekday = weekdayOf(first + i);
    const factors = drawFactors(life, p, weekday, stress);
    stress = factors.stress;
    const preventiveTaken = life.chance(p.preventiveAdherence);
    days.push({
      date: dateFromDayNumber(first + i),
      missed: missed[i]!,
      factors,
      menstruation: cycle ? (cycle.flows[i] ?? 'none') : undefined,
      menstrualWindow: cycle?.window[i] ?? false,
      preventiveTaken: p.preventive ? preventiveTaken : undefined,
    });
  }
  return days;
}

// ---------------------------------------------------------------------------------------------
// Attack risk

/**
 * Risk ratios of the day after an exposure. Rough magnitudes in line with trigger studies
 * (stress, short sleep and alcohol are the most reported); not a clinical model.
 */
export const NEXT_DAY_RISK = {
  stress2: 1.4,
  stress3: 1.8,
  sleepUnder6h: 1.5,
  alcohol: 1.4,
  /** Three or more caffeinated drinks (the top of the 0–3 scale); only for patients with the 'caffeine' trigger. */
  caffeine3: 1.3,
} as const;

function riskRatio(yesterday: DayState | undefined, today: DayState, p: PatientProfile): number {
  let r = 1;
  if (yesterday) {
    const f = yesterday.factors;
    const reacts = (t: TriggerFactor) => p.triggerFactors.includes(t);
    if (reacts('stress')) {
      if (f.stress >= 3) r *= NEXT_DAY_RISK.stress3;
      else if (f.stress >= 2) r *= NEXT_DAY_RISK.stress2;
    }
    if (reacts('sleep') && f.sleepHours < 6) r *= NEXT_DAY_RISK.sleepUnder6h;
    if (reacts('alcohol') && f.alcohol) r *= NEXT_DAY_RISK.alcohol;
    if (reacts('caffeine') && f.caffeine >= 3) r *= NEXT_DAY_RISK.caffeine3;
  }
  if (today.menstrualWindow) r *= p.menstrualSensitivity;
  return r;
}

/**
 * Daily probability that an attack starts. Risk ratios are divided by their mean over the diary
 * so that triggers move attacks between days without changing the patient's overall rate.
 */
function dailyAttackProbabilities(days: readonly DayState[], p: PatientProfile): number[] {
  const ratios = days.map((d, i) => riskRatio(days[i - 1], d, p));
  const meanRatio = ratios.reduce((s, r) => s + r, 0) / Math.max(1, ratios.length);
  return days.map((d, i) => {
    const after = p.referenceDate !== null && d.date >= p.referenceDate;
    const rate = p.attacksPer28 * (after ? multiplierOn(p, d.date) : 1);
    return clamp(((rate / 28) * ratios[i]!) / meanRatio, 0, 0.95);
  });
}

/** The rate multiplier on a day after the reference date: the last change begun by then, else the first. */
function multiplierOn(p: PatientProfile, date: string): number {
  let multiplier = p.rateMultiplier;
  for (const change of p.rateChanges) if (change.from <= date) multiplier = change.multiplier;
  return multiplier;
}

// ---------------------------------------------------------------------------------------------
// Time zones

function offsetMinutesAt(ms: number, timeZone: string): number {
  return writtenOffsetMinutes(formatInZone(ms, timeZone)) ?? 0;
}

/**
 * The instant of a wall-clock time in a zone. Two passes settle the offset around a DST change;
 * a time skipped by spring-forward lands one hour later, as a phone clock would record it.
 */
function zonedEpochMs(date: string, minuteOfDay: number, timeZone: string): number {
  const wall = dayNumber(date) * DAY_MS + minuteOfDay * MINUTE_MS;
  const guess = wall - offsetMinutesAt(wall, timeZone) * MINUTE_MS;
  return wall - offsetMinutesAt(guess, timeZone) * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// Attacks

type AttackKind = 'migraine' | 'tension';
type AttackBody = Omit<Attack, 'id'>;

/** Many attacks start on waking; the rest spread over the day. */
function drawStartMinute(rng: Rng): number {
  const minute = rng.chance(0.4) ? rng.uniform(4 * 60, 9 * 60) : rng.uniform(9 * 60, 23.5 * 60);
  return roundTo(minute, 5);
}

/** Untreated duration: log-normal, median 12 h for migraine and 4 h for tension-type-like. */
function drawNaturalMinutes(rng: Rng, kind: AttackKind): number {
  const median = kind === 'migraine' ? 12 * 60 : 4 * 60;
  const minutes = median * Math.exp(rng.normal(0, kind === 'migraine' ? 0.75 : 0.6));
  return clamp(roundTo(minutes, 5), MIN_ATTACK_MINUTES, MAX_ATTACK_MINUTES);
}

function drawIntensity(rng: Rng, p: PatientProfile, kind: AttackKind): number {
  if (kind === 'tension') return Math.round(clamp(rng.normal(3.5, 1), 1, 6));
  return Math.round(clamp(rng.normal(p.meanIntensity, 1.5), 3, 10));
}

/** Triptans help more often than simple analgesics (roughly 2 h response 60–70 % vs 40–55 %). */
function drawEffect(rng: Rng, drug: Drug): MedicationEffect {
  if (drug.class === 'triptan') {
    return rng.weighted([
      ['complete', 30],
      ['good', 35],
      ['some', 20],
      ['none', 15],
    ] as const);
  }
  return rng.weighted([
    ['complete', 15],
    ['good', 30],
    ['some', 30],
    ['none', 25],
  ] as const);
}

/** First drug: the triptan for most migraine attacks of triptan users, otherwise the analgesic. */
function firstDrug(rng: Rng, p: PatientProfile, kind: AttackKind): Drug {
  const r = rng.float();
  if (r < 0.015) return rng.pick(OPIOIDS);
  if (r < 0.055) return COMBINATION;
  if (p.triptan && kind === 'migraine' && rng.chance(0.75)) return p.triptan;
  return p.analgesic;
}

/** Rescue after an insufficient first dose: the triptan if not yet taken, else another analgesic. */
function rescueDrug(p: PatientProfile, previous: Drug): Drug {
  if (p.triptan && previous.class !== 'triptan') return p.triptan;
  return previous.name === IBUPROFEN.name ? PARACETAMOL : IBUPROFEN;
}

function intake(drug: Drug, takenMs: number, effect: MedicationEffect, timeZone: string): MedicationIntake {
  const m: MedicationIntake = { name: drug.name, class: drug.class };
  if (drug.doseMg !== undefined) m.doseMg = drug.doseMg;
  m.takenAt = formatInZone(takenMs, timeZone);
  m.effect = effect;
  return m;
}

/** Share of attacks treated at all, by treatment habit; 'usual' is the generator's original model. */
const TREATED_SHARE: Record<AcuteTreatment, Record<AttackKind, number>> = {
  sparing: { migraine: 0.55, tension: 0.2 },
  usual: { migraine: 0.9, tension: 0.6 },
  overuse: { migraine: 1, tension: 0.95 },
};

/** Acute treatment, and the earlier end that a dose which worked brings about. */
function treat(
  rng: Rng,
  p: PatientProfile,
  kind: AttackKind,
  startMs: number,
  naturalEndMs: number,
): { medications: MedicationIntake[]; endMs: number } {
  const medications: MedicationIntake[] = [];
  let endMs = naturalEndMs;
  if (!rng.chance(TREATED_SHARE[p.acuteTreatment][kind])) return { medications, endMs };
  let takenMs = startMs + roundTo(rng.uniform(10, 90), 5) * MINUTE_MS;
  let drug = firstDrug(rng, p, kind);
  for (let dose = 0; dose < 2 && takenMs < endMs - 10 * MINUTE_MS; dose++) {
    const effect = drawEffect(rng, drug);
    medications.push(intake(drug, takenMs, effect, p.timeZone));
    if (effect === 'complete' || effect === 'good') {
      const reliefMinutes = effect === 'complete' ? rng.uniform(30, 120) : rng.uniform(60, 300);
      endMs = Math.min(endMs, takenMs + roundTo(reliefMinutes, 5) * MINUTE_MS);
      break;
    }
    if (!rng.chance(0.5)) break;
    drug = rescueDrug(p, drug);
    takenMs += roundTo(rng.uniform(120, 240), 5) * MINUTE_MS;
  }
  return { medications, endMs: Math.max(endMs, startMs + MIN_ATTACK_MINUTES * MINUTE_MS) };
}

/** Visual aura 5–60 min before the headache, sometimes followed by a sensory aura (ICHD-3 1.2). */
function drawAura(rng: Rng, startMs: number, timeZone: string): AuraSymptom[] {
  const visualOnset = startMs - roundTo(rng.uniform(10, 55), 5) * MINUTE_MS;
  const aura: AuraSymptom[] = [
    {
      type: 'visual',
      onset: formatInZone(visualOnset, timeZone),
      durationMinutes: rng.int(10, 50),
      spreadGradually: rng.chance(0.9),
      unilateral: rng.chance(0.7),
      fullyReversible: true,
    },
  ];
  if (rng.chance(0.3)) {
    aura.push({
      type: 'sensory',
      onset: formatInZone(visualOnset + rng.int(5, 20) * MINUTE_MS, timeZone),
      durationMinutes: rng.int(10, 40),
      spreadGradually: rng.chance(0.85),
      unilateral: rng.chance(0.9),
      fullyReversible: true,
    });
  }
  return aura;
}

/** ICHD-3 1.1 C–D features with typical frequencies; nausea is likelier in severe attacks. */
function migraineFeatures(rng: Rng, p: PatientProfile, intensity: number): Partial<AttackBody> {
  const other = p.preferredSide === 'left' ? 'right' : 'left';
  const side = rng.chance(0.6) ? (rng.chance(0.75) ? p.preferredSide : other) : 'bilateral';
  const quality: AttackBody['quality'] = [];
  if (rng.chance(0.65)) quality.push('pulsating');
  if (rng.chance(0.25)) quality.push('pressing');
  if (rng.chance(0.1)) quality.push('stabbing');
  if (quality.length === 0) quality.push('aching');
  const nausea = rng.chance(clamp(0.45 + 0.06 * (intensity - 5), 0.2, 0.85));
  return {
    side,
    ...(rng.chance(0.7) ? { sites: [...p.sites] } : {}),
    quality,
    aggravatedByActivity: rng.chance(0.75),
    nausea,
    vomiting: nausea && rng.chance(0.3),
    photophobia: rng.chance(0.8),
    phonophobia: rng.chance(0.7),
    osmophobia: rng.chance(0.3),
  };
}

/** ICHD-3 2.x pattern: bilateral, pressing, not aggravated, rarely nausea. */
function tensionFeatures(rng: Rng, p: PatientProfile): Partial<AttackBody> {
  return {
    side: rng.chance(0.8) ? 'bilateral' : p.preferredSide,
    quality: rng.chance(0.85) ? ['pressing'] : ['aching'],
    aggravatedByActivity: rng.chance(0.15),
    nausea: rng.chance(0.03),
    vomiting: false,
    photophobia: rng.chance(0.2),
    phonophobia: rng.chance(0.15),
  };
}

/** Triggers the patient noted: yesterday's exposures, each mentioned about half the time. */
function notedTriggers(rng: Rng, p: PatientProfile, yesterday: DayState | undefined, today: DayState): string[] {
  const candidates: string[] = [];
  if (yesterday && yesterday.factors.stress >= 2) candidates.push('stress');
  if (yesterday && yesterday.factors.sleepHours < 6) candidates.push('poor sleep');
  if (yesterday?.factors.alcohol) candidates.push('alcohol');
  // Only patients who react to caffeine think of it (keeps the original draws for everyone else).
  if (p.triggerFactors.includes('caffeine') && yesterday && yesterday.factors.caffeine >= 3)
    candidates.push('caffeine');
  if (today.menstrualWindow) candidates.push('menstruation');
  return candidates.filter(() => rng.chance(0.5));
}

interface DraftAttack {
  startMs: number;
  endMs: number;
  body: AttackBody;
}

function drawAttack(
  rng: Rng,
  p: PatientProfile,
  startMs: number,
  yesterday: DayState | undefined,
  today: DayState,
): DraftAttack {
  const kind: AttackKind = rng.chance(p.tensionShare) ? 'tension' : 'migraine';
  const intensity = drawIntensity(rng, p, kind);
  const naturalEndMs = startMs + drawNaturalMinutes(rng, kind) * MINUTE_MS;
  const { medications, endMs } = treat(rng, p, kind, startMs, naturalEndMs);
  const aura = kind === 'migraine' && rng.chance(p.auraShare) ? drawAura(rng, startMs, p.timeZone) : null;
  // One entry in ten is a quick one: times, intensity and medication, no features.
  const detailed = rng.chance(0.9);
  const features = kind === 'migraine' ? migraineFeatures(rng, p, intensity) : tensionFeatures(rng, p);
  const triggers = notedTriggers(rng, p, yesterday, today);
  const body: AttackBody = {
    start: formatInZone(startMs, p.timeZone),
    end: formatInZone(endMs, p.timeZone),
    peakIntensity: intensity,
    ...(detailed ? features : {}),
    ...(aura ? { aura } : {}),
    ...(detailed && triggers.length > 0 ? { triggers } : {}),
    ...(medications.length > 0 ? { medications } : {}),
  };
  return { startMs, endMs, body };
}

/**
 * Attacks over the diary. An attack drawn while the previous one is still going starts a few hours
 * after it ends instead, so attacks never overlap and the patient's rate is kept.
 */
function drawAttacks(options: DiaryGeneratorOptions, p: PatientProfile, days: readonly DayState[]): DraftAttack[] {
  const attackSeed = mixSeed(options.seed, STREAM.attacks);
  const probabilities = dailyAttackProbabilities(days, p);
  const lastMs = zonedEpochMs(addDays(days.at(-1)!.date, 1), 0, p.timeZone);
  const attacks: DraftAttack[] = [];
  let previousEndMs = -Infinity;
  days.forEach((today, i) => {
    // Each day has its own stream, so a change to one attack does not reshuffle later days.
    const rng = Rng.stream(attackSeed, i);
    if (!rng.chance(probabilities[i]!)) return;
    let startMs = zonedEpochMs(today.date, drawStartMinute(rng), p.timeZone);
    if (startMs < previousEndMs + 2 * 60 * MINUTE_MS) {
      startMs = previousEndMs + roundTo(rng.uniform(2 * 60, 10 * 60), 5) * MINUTE_MS;
    }
    if (startMs >= lastMs) return;
    const attack = drawAttack(rng, p, startMs, days[i - 1], today);
    attacks.push(attack);
    previousEndMs = attack.endMs;
  });
  return attacks;
}

/** Local dates an attack covers, from its written start and end (an end at 00:00 is exclusive). */
function coveredDates(a: AttackBody): string[] {
  const out: string[] = [];
  const endDate = a.end!.slice(0, 10);
  const last = endDate > a.start.slice(0, 10) && isLocalMidnight(a.end!, 'UTC') ? addDays(endDate, -1) : endDate;
  for (let d = a.start.slice(0, 10); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Diary

function dailyRecord(day: DayState, headache: boolean): DailyRecord {
  const r: DailyRecord = { date: day.date };
  if (!headache) r.noHeadache = true;
  r.factors = { ...day.factors };
  if (day.menstruation !== undefined) r.menstruation = day.menstruation;
  if (day.preventiveTaken !== undefined) r.preventiveTaken = day.preventiveTaken;
  return r;
}

/** A synthetic diary and the profile it was drawn from. */
export function generateDiaryWithProfile(options: DiaryGeneratorOptions): { diary: Diary; profile: PatientProfile } {
  const profile = drawProfile(options);
  const days = simulateDays(options, profile);
  const missedByDate = new Map(days.map((d) => [d.date, d.missed]));

  // An attack is lost only when the patient wrote nothing on any day it covered.
  const logged = drawAttacks(options, profile, days).filter((a) =>
    coveredDates(a.body).some((date) => missedByDate.get(date) !== true),
  );
  const attacks: Attack[] = logged.map((a, i) => ({ id: `a${String(i + 1).padStart(4, '0')}`, ...a.body }));
  const headacheDates = new Set(attacks.flatMap(coveredDates));

  const diary: Diary = {
    format: 'relief-diary',
    version: 1,
    patient: {
      id: profile.patientId,
      birthYear: profile.birthYear,
      sex: profile.sex,
      timeZone: profile.timeZone,
      conditions: ['migraine'],
    },
    ...(profile.referenceDate !== null ? { referenceDate: profile.referenceDate } : {}),
    attacks,
    dailyRecords: days.filter((d) => !d.missed).map((d) => dailyRecord(d, headacheDates.has(d.date))),
    questionnaires: [],
  };
  return { diary, profile };
}

/** A deterministic, realistic synthetic diary; it passes `diarySchema.parse`. */
export function generateDiary(options: DiaryGeneratorOptions): Diary {
  return generateDiaryWithProfile(options).diary;
}
