import type { Attack, DailyRecord, Diary } from '../domain/diary.js';
import { dateFromDayNumber, dayNumber, isValidLocalDate } from '../domain/time.js';
import { Rng } from './diary-generator.js';

/**
 * Seeded diaries with known trigger effects, for testing and simulating the personal trigger
 * analysis (src/domain/triggers.ts).
 *
 * The model is the analysis's own: on each day that is not inside an attack, an attack starts with
 * probability p where logit(p) = logit(baseline) + Σ log(ORⱼ)·xⱼ, xⱼ being factor j's exposure on
 * the previous day (and, when asked, + log(OR of menstruation) on a perimenstrual day). Exposures
 * are independent from day to day and between factors, so a factor's true odds ratio is the one
 * given at lag 1 and exactly 1 at lag 0. An attack lasts 1–3 days. The same options always give
 * the same diary (every draw comes from the seeded PRNG).
 */

export interface SyntheticFactor {
  name: string;
  /**
   * 'yes-no': true when exposed. 'ordinal': 0 when not exposed, 1–3 when exposed. 'hours': a
   * number of hours around 7.5 (6.5–8.5), and 3.5–5.5 when exposed, which Relief reads as
   * "<name> low" (more than 1.5 h under the patient's median for a sleep factor).
   */
  kind: 'yes-no' | 'ordinal' | 'hours';
  /** Share of days exposed. */
  prevalence: number;
  /** The true odds ratio of an attack starting the day after an exposed day; 1 for no effect. */
  oddsRatio: number;
  /** Leave the factor out of a record when not exposed, as apps that record ticked factors do. */
  omitWhenNotExposed?: boolean;
}

export interface TriggerDiaryOptions {
  seed: number;
  /** First diary day, YYYY-MM-DD. */
  startDate: string;
  days: number;
  factors: readonly SyntheticFactor[];
  /** Probability that an attack starts on a day at risk after a day with no exposure; default 0.12. */
  baselineOnsetProbability?: number;
  /** 'daily': daily severity only (default); 'attacks': attack entries and daily records beside them. */
  style?: 'daily' | 'attacks';
  /** Share of days with no entry at all; default 0. */
  missingShare?: number;
  /** A menstrual cycle recorded in the daily records, raising the odds on perimenstrual days. */
  menstruation?: { cycleLength: number; oddsRatio: number };
  patientId?: string;
  timeZone?: string;
}

/** Stream numbers for {@link Rng.stream}: each concern draws from its own stream. */
const STREAM = { exposures: 11, onsets: 12, gaps: 13, cycle: 14 } as const;

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

function validate(o: TriggerDiaryOptions): void {
  if (!Number.isFinite(o.seed)) throw new RangeError('seed must be a finite number');
  if (!isValidLocalDate(o.startDate)) throw new RangeError(`startDate "${o.startDate}" is not YYYY-MM-DD`);
  if (!Number.isInteger(o.days) || o.days < 1) throw new RangeError('days must be a positive integer');
  const p = o.baselineOnsetProbability;
  if (p !== undefined && !(p > 0 && p < 1)) throw new RangeError('baselineOnsetProbability must be in (0, 1)');
  if (o.missingShare !== undefined && !(o.missingShare >= 0 && o.missingShare < 1)) {
    throw new RangeError('missingShare must be in [0, 1)');
  }
  o.factors.forEach((f, i) => {
    if (!(f.prevalence > 0 && f.prevalence < 1)) throw new RangeError(`factors[${i}].prevalence must be in (0, 1)`);
    if (!(f.oddsRatio > 0)) throw new RangeError(`factors[${i}].oddsRatio must be positive`);
  });
  if (new Set(o.factors.map((f) => f.name)).size !== o.factors.length) {
    throw new RangeError('factors: names must differ');
  }
}

export function generateTriggerDiary(options: TriggerDiaryOptions): Diary {
  validate(options);
  const { days, factors } = options;
  const first = dayNumber(options.startDate);
  const exposures = Rng.stream(options.seed, STREAM.exposures);
  const onsets = Rng.stream(options.seed, STREAM.onsets);
  const gaps = Rng.stream(options.seed, STREAM.gaps);
  const base = logit(options.baselineOnsetProbability ?? 0.12);
  const logOdds = factors.map((f) => Math.log(f.oddsRatio));

  const exposed: boolean[][] = [];
  const values: (boolean | number)[][] = [];
  for (let i = 0; i < days; i++) {
    const e = factors.map((f) => exposures.chance(f.prevalence));
    exposed.push(e);
    values.push(factors.map((f, j) => factorValue(exposures, f, e[j]!)));
  }
  const cycle = options.menstruation ? menstrualDays(options) : null;

  // Headache state: 0 none, 1 an attack starts, 2 an attack continues.
  const state = new Uint8Array(days);
  const attacks: Attack[] = [];
  for (let i = 0; i < days; i++) {
    if (state[i] !== 0) continue;
    let eta = base;
    if (i > 0) for (let j = 0; j < factors.length; j++) if (exposed[i - 1]![j]) eta += logOdds[j]!;
    if (cycle?.perimenstrual[i]) eta += Math.log(options.menstruation!.oddsRatio);
    if (!onsets.chance(expit(eta))) continue;
    const length = onsets.weighted([
      [1, 0.6],
      [2, 0.3],
      [3, 0.1],
    ] as const);
    state[i] = 1;
    for (let k = 1; k < length && i + k < days; k++) state[i + k] = 2;
    if (options.style === 'attacks') attacks.push(attackEntry(attacks.length, first + i, length, onsets));
  }

  const dailyRecords: DailyRecord[] = [];
  for (let i = 0; i < days; i++) {
    if (i > 0 && gaps.chance(options.missingShare ?? 0)) continue;
    const record: DailyRecord = { date: dateFromDayNumber(first + i) };
    if (options.style === 'attacks' || state[i] === 0) {
      if (state[i] === 0) record.noHeadache = true;
    } else {
      record.headache = { intensityLevel: state[i] === 1 ? 'moderate' : 'mild' };
    }
    const recorded: Record<string, boolean | number> = {};
    factors.forEach((f, j) => {
      if (f.omitWhenNotExposed && !exposed[i]![j]) return;
      recorded[f.name] = values[i]![j]!;
    });
    if (Object.keys(recorded).length > 0) record.factors = recorded;
    if (cycle) record.menstruation = cycle.flow[i]!;
    dailyRecords.push(record);
  }
  return {
    format: 'relief-diary',
    version: 1,
    patient: {
      id: options.patientId ?? `trigger-synthetic-${options.seed}`,
      sex: options.menstruation ? 'female' : 'male',
      timeZone: options.timeZone ?? 'UTC',
      conditions: ['migraine'],
    },
    attacks,
    dailyRecords,
    questionnaires: [],
  };
}

function factorValue(rng: Rng, f: SyntheticFactor, exposed: boolean): boolean | number {
  switch (f.kind) {
    case 'yes-no':
      return exposed;
    case 'ordinal':
      return exposed ? rng.int(1, 3) : 0;
    case 'hours':
      return exposed ? rng.int(7, 11) / 2 : rng.int(13, 17) / 2;
  }
}

/** An attack entry from 08:00 on its first day to 20:00 on its last, in UTC. */
function attackEntry(index: number, day: number, length: number, rng: Rng): Attack {
  return {
    id: `t${String(index + 1).padStart(4, '0')}`,
    start: `${dateFromDayNumber(day)}T08:00:00Z`,
    end: `${dateFromDayNumber(day + length - 1)}T20:00:00Z`,
    peakIntensity: rng.int(4, 9),
  };
}

/** Periods of 5 days every `cycleLength` days (± 2), first day heavy; the ICHD-3 A1.1 window around each. */
function menstrualDays(options: TriggerDiaryOptions): {
  flow: NonNullable<DailyRecord['menstruation']>[];
  perimenstrual: boolean[];
} {
  const rng = Rng.stream(options.seed, STREAM.cycle);
  const { cycleLength } = options.menstruation!;
  const flow: NonNullable<DailyRecord['menstruation']>[] = new Array(options.days).fill('none');
  const perimenstrual: boolean[] = new Array(options.days).fill(false);
  const pattern = ['heavy', 'heavy', 'medium', 'light', 'spotting'] as const;
  for (let start = rng.int(0, cycleLength - 1); start < options.days + 2; start += cycleLength + rng.int(-2, 2)) {
    pattern.forEach((level, k) => {
      if (start + k < options.days) flow[start + k] = level;
    });
    for (let k = -2; k <= 2; k++) if (start + k >= 0 && start + k < options.days) perimenstrual[start + k] = true;
  }
  return { flow, perimenstrual };
}
