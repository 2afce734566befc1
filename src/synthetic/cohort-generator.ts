import type { Attack, CONDITIONS, DailyRecord, Diary } from '../domain/diary.js';
import { HIT6_ANSWERS, PGIC_ANSWERS, type QuestionnaireResponse } from '../domain/questionnaires.js';
import { addDays, dayNumber, isLocalMidnight, isValidLocalDate } from '../domain/time.js';
import { generateDiary, Rng, type AcuteTreatment, type RateChange, type TriggerFactor } from './diary-generator.js';

/**
 * A deterministic synthetic cohort for `relief demo` and the benchmarks: sites, patient records
 * and their diaries, with varied headache frequencies (low- and high-frequency episodic, chronic),
 * aura, acute medication use and overuse, triggers that raise the next day's attack risk for some
 * patients, some neuropathic pain, and a procedure date for most patients.
 *
 * SYNTHETIC DEMO VALUES ONLY. The mix of patients and, above all, the change in attack rate after
 * the procedure (strong, partial, none, relapse) are made-up numbers chosen to exercise the
 * software: they are not an estimate of how well any treatment works, and nothing computed from a
 * demo cohort (responder rates, mean changes) may be quoted as a result.
 *
 * Pure: no I/O, no clock and no Math.random. Patient n depends only on the seed, n and the diary
 * window, so a smaller cohort is the start of a larger one with the same seed and window.
 */

export interface CohortOptions {
  seed: number;
  patients: number;
  /** Diary length in calendar months, ending on `endDate`. */
  months: number;
  /** Last diary day, YYYY-MM-DD. */
  endDate: string;
  /** Number of demo sites; default 3. */
  sites?: number;
}

export interface CohortSite {
  id: string;
  name: string;
  /** Where most of the site's patients live. */
  timeZone: string;
}

/** Fields of a patient record, as `PatientService.put` takes them. */
export interface CohortPatientRecord {
  siteId: string;
  displayName: string;
  birthYear: number;
  sex: 'female' | 'male';
  timeZone: string;
  conditions: (typeof CONDITIONS)[number][];
  referenceDate?: string;
  careTeam: string[];
}

export type HeadacheGroup = 'low-frequency-episodic' | 'high-frequency-episodic' | 'chronic' | 'occasional';

/** Synthetic course after the procedure (see the warning at the top of this file). */
export type SyntheticResponse = 'strong' | 'partial' | 'none' | 'relapse';

export interface CohortProcedure {
  date: string;
  response: SyntheticResponse;
  /** Attack-rate multiplier from the procedure date on. */
  multiplier: number;
  /** For a relapse: when the rate climbs back, and to what multiplier. */
  relapse: RateChange | null;
}

/** The hidden "truth" behind one demo patient. */
export interface CohortProfile {
  headache: HeadacheGroup;
  attacksPer28: number;
  auraShare: number;
  compliance: number;
  acuteTreatment: AcuteTreatment;
  triggerFactors: TriggerFactor[];
  procedure: CohortProcedure | null;
  /** Mean daily 0–10 pain before the procedure, for patients with a neuropathic condition. */
  neuropathicPain: number | null;
  diarySeed: number;
}

export interface CohortPatient {
  /** 1-based position in the cohort. */
  index: number;
  id: string;
  record: CohortPatientRecord;
  profile: CohortProfile;
  /** Attack ids are prefixed with the patient id, so they are unique in a database. */
  diary: Diary;
}

export interface CohortWindow {
  startDate: string;
  endDate: string;
  days: number;
}

export interface Cohort {
  sites: CohortSite[];
  window: CohortWindow;
  patients: CohortPatient[];
}

/** One diary entry as the API stores it: the kinds a demo patient has, an id and the body. */
export interface CohortEntry {
  kind: 'attack' | 'daily-record' | 'questionnaire';
  id: string;
  body: Record<string, unknown>;
}

export interface CohortCounts {
  sites: number;
  patients: number;
  procedures: number;
  attacks: number;
  dailyRecords: number;
  questionnaires: number;
}

const MAX_MONTHS = 120;

const SITE_TEMPLATES: readonly { name: string; timeZone: string }[] = [
  { name: 'Demo Headache Clinic North (synthetic)', timeZone: 'Europe/London' },
  { name: 'Demo Pain Centre Central (synthetic)', timeZone: 'Europe/Berlin' },
  { name: 'Demo Migraine Unit West (synthetic)', timeZone: 'America/New_York' },
  { name: 'Demo Clinic South (synthetic)', timeZone: 'Australia/Sydney' },
  { name: 'Demo Clinic East (synthetic)', timeZone: 'Asia/Kolkata' },
];

/** Zones of the patients who live away from their site. */
const OTHER_ZONES = ['Europe/Paris', 'Europe/Madrid', 'America/Chicago', 'America/Los_Angeles', 'Asia/Tokyo'];

const NEUROPATHIC: readonly (typeof CONDITIONS)[number][] = [
  'post-mastectomy-pain',
  'post-surgical-neuropathic-pain',
  'occipital-neuralgia',
  'complex-regional-pain-syndrome',
  'other-neuropathic-pain',
];

function validate(o: CohortOptions): void {
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new RangeError('seed must be an integer from 0 to 4294967295');
  }
  if (!Number.isInteger(o.patients) || o.patients < 0) throw new RangeError('patients must be a whole number');
  if (!Number.isInteger(o.months) || o.months < 1 || o.months > MAX_MONTHS) {
    throw new RangeError(`months must be an integer from 1 to ${MAX_MONTHS}`);
  }
  if (!isValidLocalDate(o.endDate)) throw new RangeError(`endDate "${o.endDate}" is not YYYY-MM-DD`);
  const sites = o.sites ?? 3;
  if (!Number.isInteger(sites) || sites < 1 || sites > SITE_TEMPLATES.length) {
    throw new RangeError(`sites must be an integer from 1 to ${SITE_TEMPLATES.length}`);
  }
}

/** The diary window: `months` calendar months up to and including `endDate`. */
export function cohortWindow(options: Pick<CohortOptions, 'months' | 'endDate'>): CohortWindow {
  const [y, m, d] = options.endDate.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) - options.months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const sameDayBefore = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, monthLength)).padStart(2, '0')}`;
  const startDate = addDays(sameDayBefore, 1);
  return { startDate, endDate: options.endDate, days: dayNumber(options.endDate) - dayNumber(startDate) + 1 };
}

export function cohortSites(options: Pick<CohortOptions, 'sites'>): CohortSite[] {
  return SITE_TEMPLATES.slice(0, options.sites ?? 3).map((t, i) => ({ id: `demo-site-${i + 1}`, ...t }));
}

export const demoPatientId = (seed: number, index: number): string =>
  `demo-s${seed}-p${String(index).padStart(4, '0')}`;
export const dailyRecordId = (patientId: string, date: string): string => `${patientId}-d${date}`;
export const questionnaireId = (patientId: string, r: QuestionnaireResponse): string =>
  `${patientId}-q${r.date}-${r.instrument}`;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));

/**
 * Where the procedure may fall: at least a month of baseline before it and of follow-up after it;
 * with longer diaries, a longer baseline and at least a quarter of the diary after it.
 */
function procedureRange(days: number): [number, number] | null {
  const lo = clamp(Math.round(days * 0.15), 31, 365);
  const hi = days - clamp(Math.round(days * 0.25), 29, 730);
  return hi >= lo ? [lo, hi] : null;
}

/** Patient `index` (1-based) of the cohort. */
export function cohortPatient(options: CohortOptions, index: number): CohortPatient {
  validate(options);
  if (!Number.isInteger(index) || index < 1) throw new RangeError('index must be a positive integer');
  const window = cohortWindow(options);
  const sites = cohortSites(options);
  const id = demoPatientId(options.seed, index);
  // Every draw happens whatever the earlier ones gave, so the same patient keeps its traits.
  const rng = Rng.stream(options.seed, index);
  const diarySeed = rng.int(1, 0x7fffffff);
  const extraSeed = rng.int(1, 0x7fffffff);
  const site = rng.pick(sites);
  const awayZone = rng.chance(0.1) ? rng.pick(OTHER_ZONES) : null;
  const femaleDraw = rng.chance(0.75);
  const age = rng.int(18, 70);
  const conditionGroup = rng.weighted([
    ['migraine', 85],
    ['migraine+neuropathic', 7],
    ['neuropathic', 8],
  ] as const);
  const neuropathicCondition = rng.pick(NEUROPATHIC);
  const group = rng.weighted<Exclude<HeadacheGroup, 'occasional'>>([
    ['low-frequency-episodic', 35],
    ['high-frequency-episodic', 30],
    ['chronic', 35],
  ]);
  const rateDraw = rng.float();
  const withAura = rng.chance(0.3);
  const auraDraw = rng.uniform(0.3, 0.9);
  const compliance = round2(rng.uniform(0.72, 0.98));
  const treatmentDraw = rng.float();
  const triggerFactors = (['stress', 'sleep', 'alcohol', 'caffeine'] as const).filter((_, i) =>
    rng.chance([0.6, 0.5, 0.35, 0.2][i]!),
  );
  const hasProcedure = rng.chance(0.7);
  const procedureDraw = rng.float();
  // A made-up spread of courses so that every outcome view has something to show; not a success rate.
  const response = rng.weighted<SyntheticResponse>([
    ['strong', 30],
    ['partial', 30],
    ['none', 25],
    ['relapse', 15],
  ]);
  const multiplierDraw = rng.float();
  const relapseAfter = rng.int(120, 300);
  const relapseMultiplier = round2(rng.uniform(0.8, 1.1));
  const painDraw = rng.uniform(4, 7.5);

  const neuropathicOnly = conditionGroup === 'neuropathic';
  const condition = neuropathicOnly || conditionGroup === 'migraine+neuropathic' ? neuropathicCondition : null;
  const conditions: (typeof CONDITIONS)[number][] = neuropathicOnly
    ? [condition!]
    : condition
      ? ['migraine', condition]
      : ['migraine'];
  const sex = femaleDraw || condition === 'post-mastectomy-pain' ? 'female' : 'male';
  const headache: HeadacheGroup = neuropathicOnly ? 'occasional' : group;
  const [rateLow, rateHigh] = {
    'low-frequency-episodic': [1.5, 4],
    'high-frequency-episodic': [5, 10],
    chronic: [14, 22],
    occasional: [0, 1],
  }[headache] as [number, number];
  const attacksPer28 = round1(rateLow + (rateHigh - rateLow) * rateDraw);
  const acuteTreatment: AcuteTreatment =
    headache === 'chronic'
      ? treatmentDraw < 0.45
        ? 'overuse'
        : treatmentDraw < 0.85
          ? 'usual'
          : 'sparing'
      : headache === 'high-frequency-episodic' && treatmentDraw < 0.1
        ? 'overuse'
        : treatmentDraw < 0.7
          ? 'usual'
          : 'sparing';

  let procedure: CohortProcedure | null = null;
  const range = procedureRange(window.days);
  if (hasProcedure && range) {
    const offset = range[0] + Math.floor(procedureDraw * (range[1] - range[0] + 1));
    const date = addDays(window.startDate, offset);
    const [mLow, mHigh] = { strong: [0.1, 0.4], partial: [0.5, 0.8], none: [0.85, 1.15], relapse: [0.2, 0.5] }[
      response
    ] as [number, number];
    procedure = {
      date,
      response,
      multiplier: round2(mLow + (mHigh - mLow) * multiplierDraw),
      relapse: response === 'relapse' ? { from: addDays(date, relapseAfter), multiplier: relapseMultiplier } : null,
    };
  }

  const profile: CohortProfile = {
    headache,
    attacksPer28,
    auraShare: withAura ? round1(auraDraw) : 0,
    compliance,
    acuteTreatment,
    triggerFactors: [...triggerFactors],
    procedure,
    neuropathicPain: condition ? round1(painDraw) : null,
    diarySeed,
  };
  const record: CohortPatientRecord = {
    siteId: site.id,
    displayName: `Demo Patient ${String(index).padStart(4, '0')} (seed ${options.seed})`,
    birthYear: Number(options.endDate.slice(0, 4)) - age,
    sex,
    timeZone: awayZone ?? site.timeZone,
    conditions,
    ...(procedure ? { referenceDate: procedure.date } : {}),
    careTeam: [],
  };
  const diary = demoDiary(id, record, profile, window, extraSeed);
  return { index, id, record, profile, diary };
}

function demoDiary(
  id: string,
  record: CohortPatientRecord,
  profile: CohortProfile,
  window: CohortWindow,
  extraSeed: number,
): Diary {
  const p = profile.procedure;
  const generated = generateDiary({
    seed: profile.diarySeed,
    startDate: window.startDate,
    days: window.days,
    patientId: id,
    timeZone: record.timeZone,
    sex: record.sex,
    birthYear: record.birthYear,
    frequency: profile.headache === 'chronic' ? 'chronic' : 'episodic',
    attacksPer28: profile.attacksPer28,
    auraShare: profile.auraShare,
    compliance: profile.compliance,
    acuteTreatment: profile.acuteTreatment,
    triggerFactors: profile.triggerFactors,
    ...(p ? { referenceDate: p.date, rateMultiplier: p.multiplier, rateChanges: p.relapse ? [p.relapse] : [] } : {}),
  });
  const multiplierOn = (date: string): number => {
    if (!p || date < p.date) return 1;
    return p.relapse && date >= p.relapse.from ? p.relapse.multiplier : p.multiplier;
  };
  const attacks: Attack[] = generated.attacks.map((a) => ({ ...a, id: `${id}-${a.id}` }));
  const painRng = Rng.stream(extraSeed, 1);
  const dailyRecords: DailyRecord[] = generated.dailyRecords.map((r) => {
    if (profile.neuropathicPain === null) return r;
    // Synthetic: pain eases with the same multiplier as the attacks, never below 40 % of baseline.
    const mean = profile.neuropathicPain * (0.4 + 0.6 * Math.min(1, multiplierOn(r.date)));
    return { ...r, pain: Math.round(clamp(painRng.normal(mean, 1.2), 0, 10)) };
  });
  const diary: Diary = {
    ...generated,
    patient: { ...generated.patient, conditions: record.conditions },
    attacks,
    dailyRecords,
    questionnaires: [],
  };
  diary.questionnaires = questionnaires(diary, profile, window, extraSeed);
  return diary;
}

/** Local dates covered by attacks, as written; an end at 00:00 does not reach into its day. */
function headacheDates(attacks: readonly Attack[]): Set<string> {
  const dates = new Set<string>();
  for (const a of attacks) {
    const end = a.end ?? a.start;
    const endDate = end.slice(0, 10);
    const last = endDate > a.start.slice(0, 10) && isLocalMidnight(end, 'UTC') ? addDays(endDate, -1) : endDate;
    for (let d = a.start.slice(0, 10); d <= last; d = addDays(d, 1)) dates.add(d);
  }
  return dates;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

/** Days after the procedure of the questionnaires at 1, 3, 6, 12 and 24 months (inside each visit's window). */
const FOLLOW_UP_DAYS = [30, 91, 182, 365, 730];

/**
 * MIDAS and HIT-6 that follow the diary (disability grows with headache days), at baseline and
 * at follow-ups (HIT-6 only at 1 month: MIDAS asks about 3 months, as the default schedule says);
 * PGIC at follow-ups after a procedure; DN4 once for neuropathic pain.
 */
function questionnaires(
  diary: Diary,
  profile: CohortProfile,
  window: CohortWindow,
  seed: number,
): QuestionnaireResponse[] {
  const covered = headacheDates(diary.attacks);
  const painByDate = new Map(
    diary.dailyRecords.flatMap((r) => (r.pain === undefined ? [] : [[r.date, r.pain] as const])),
  );
  /** The `days` (90) days before `date`: headache days, attack intensities and daily pain ratings. */
  const recall = (date: string, days = 90) => {
    const from = addDays(date, -days);
    let headacheDays = 0;
    const pains: number[] = [];
    for (let d = from; d < date; d = addDays(d, 1)) {
      if (covered.has(d)) headacheDays++;
      const pain = painByDate.get(d);
      if (pain !== undefined) pains.push(pain);
    }
    const intensities = diary.attacks
      .filter((a) => a.start.slice(0, 10) >= from && a.start.slice(0, 10) < date)
      .map((a) => a.peakIntensity ?? 0);
    return { headacheDays, intensities, meanPain: mean(pains) };
  };
  const migraine = diary.patient.conditions.includes('migraine');
  /** What the patient feels as their burden: headache days, or daily pain without migraine. */
  const burden = (r: ReturnType<typeof recall>): number => (migraine ? r.headacheDays : r.meanPain);

  const p = profile.procedure;
  const baseline = p ? addDays(p.date, -7) : addDays(window.startDate, 28);
  const followUps = p
    ? FOLLOW_UP_DAYS.map((n) => addDays(p.date, n))
    : Array.from({ length: 20 }, (_, i) => addDays(baseline, 182 * (i + 1)));
  const baselineBurden = burden(recall(baseline));
  const out: QuestionnaireResponse[] = [];
  [baseline, ...followUps].forEach((date, k) => {
    if (date > window.endDate || dayNumber(date) - dayNumber(window.startDate) < 28) return;
    // One stream per visit, so a change at one visit leaves the others alone (the 1-month visit,
    // added later, has a stream of its own).
    const oneMonth = p !== null && k === 1;
    const rng = Rng.stream(seed, oneMonth ? 200 : 100 + (p !== null && k > 1 ? k - 1 : k));
    const r = recall(date);
    if (migraine && !oneMonth) {
      const impact = (share: number): number =>
        Math.min(90, Math.round(r.headacheDays * share * rng.uniform(0.5, 1.5)));
      out.push({
        instrument: 'MIDAS',
        date,
        answers: {
          missedWorkOrSchool: impact(0.1),
          reducedWorkOrSchool: impact(0.25),
          missedHousework: impact(0.12),
          reducedHousework: impact(0.25),
          missedFamilySocialLeisure: impact(0.12),
          headacheDays: Math.min(90, r.headacheDays),
          averagePain: Math.round(mean(r.intensities)),
        },
      });
    }
    if (migraine) {
      // 0 "never" … 4 "always": about "sometimes" at 5 headache days in HIT-6's 4 weeks, "always" near daily.
      const level = recall(date, 28).headacheDays / 5;
      out.push({
        instrument: 'HIT-6',
        date,
        answers: Array.from({ length: 6 }, () => HIT6_ANSWERS[Math.round(clamp(level + rng.normal(1, 0.8), 0, 4))]!),
      });
    }
    if (k > 0 && p) {
      const ratio = baselineBurden === 0 ? 1 : burden(r) / baselineBurden;
      const felt = ratio * rng.uniform(0.85, 1.15);
      const answer = [0.3, 0.5, 0.8, 1.1, 1.4, 2].findIndex((limit) => felt <= limit);
      out.push({ instrument: 'PGIC', date, answer: PGIC_ANSWERS[answer === -1 ? 6 : answer]! });
    }
    if (k === 0 && profile.neuropathicPain !== null) {
      out.push({ instrument: 'DN4', date, answers: Array.from({ length: 10 }, () => rng.chance(0.6)) });
    }
  });
  return out;
}

/** The cohort's patients one at a time, so a large cohort need not be held in memory. */
export function* cohortPatients(options: CohortOptions): Generator<CohortPatient> {
  validate(options);
  for (let index = 1; index <= options.patients; index++) yield cohortPatient(options, index);
}

/** The whole cohort in memory: for tests, benchmarks and small demos. */
export function generateCohort(options: CohortOptions): Cohort {
  validate(options);
  return { sites: cohortSites(options), window: cohortWindow(options), patients: [...cohortPatients(options)] };
}

/** A patient's diary as API entries, each with its stable id. */
export function cohortEntries(patient: CohortPatient): CohortEntry[] {
  const { id, diary } = patient;
  return [
    ...diary.attacks.map((a): CohortEntry => ({ kind: 'attack', id: a.id, body: a })),
    ...diary.dailyRecords.map((r): CohortEntry => ({ kind: 'daily-record', id: dailyRecordId(id, r.date), body: r })),
    ...diary.questionnaires.map((q): CohortEntry => ({ kind: 'questionnaire', id: questionnaireId(id, q), body: q })),
  ];
}

export function countPatient(patient: CohortPatient): Omit<CohortCounts, 'sites'> {
  return {
    patients: 1,
    procedures: patient.profile.procedure ? 1 : 0,
    attacks: patient.diary.attacks.length,
    dailyRecords: patient.diary.dailyRecords.length,
    questionnaires: patient.diary.questionnaires.length,
  };
}

export function cohortCounts(cohort: Cohort): CohortCounts {
  const counts: CohortCounts = {
    sites: cohort.sites.length,
    patients: 0,
    procedures: 0,
    attacks: 0,
    dailyRecords: 0,
    questionnaires: 0,
  };
  for (const patient of cohort.patients) {
    const c = countPatient(patient);
    counts.patients += c.patients;
    counts.procedures += c.procedures;
    counts.attacks += c.attacks;
    counts.dailyRecords += c.dailyRecords;
    counts.questionnaires += c.questionnaires;
  }
  return counts;
}
