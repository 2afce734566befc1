import { median as medianOf } from '../stats/descriptive.js';
import type { TriggerConfig } from './config.js';
import type { DiaryDays } from './days.js';
import type { DailyRecord, Diary } from './diary.js';
import { dateFromDayNumber, dayNumber } from './time.js';

/**
 * The data of the personal trigger analysis, built once per diary: the at-risk days with their
 * outcome, and every factor's exposure per daily record as a flat array. The fits in
 * triggers.ts then read these arrays for each factor and lag without building objects per day.
 *
 * At-risk days (Peris et al., Cephalalgia 2017; PAMINA, Wöber et al., Cephalalgia 2007): a day is at
 * risk when it is recorded and does not continue an attack that began on an earlier day; the
 * outcome is an attack starting that day.
 * - An attack entry starts on its start day; the following days it covers are continuations.
 * - A headache day without an attack entry (a diary of daily severity only) belongs to an episode
 *   of consecutive headache days: it is an onset when the day before is recorded and
 *   headache-free, a continuation when the day before is a headache day, and not at risk when the
 *   day before is not recorded, since an onset cannot be told from a continuation then.
 * - The day after such a headache day is not at risk either, even when it is headache-free: a
 *   daily diary cannot show an attack starting on it (it would read as the episode going on), so
 *   keeping it would add days that can only be attack-free, all of them right after a headache
 *   day. A factor that comes with headache days (a remedy, a premonitory sign) would then look
 *   protective the next day. With attack entries a new attack is seen whatever the day before,
 *   so the day after an attack entry stays at risk.
 */

export const FACTOR_KINDS = ['yes-no', 'ordinal', 'low', 'high'] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];

export interface TriggerFactor {
  /** The name in results: the diary's factor name, with " low" or " high" for a number. */
  name: string;
  /** The factor's name in the daily records. */
  source: string;
  kind: FactorKind;
  /** When a day counts as exposed, in words ("true", "> 0", "< 6.0"). */
  exposedWhen: string;
  /** First and last daily record that mention the factor: outside them it is unknown. */
  trackedFrom: string;
  trackedTo: string;
  /** For a number: the patient's median and the deviation that makes a day low or high. */
  median?: number;
  deviation?: number;
  /** Per daily record (in date order): 1 exposed, 0 not exposed, −1 unknown. */
  exposure: Int8Array;
}

export interface AtRiskRows {
  /** Recorded days up to the analysis date. */
  recordedDays: number;
  /** Day number of each at-risk day, in date order. */
  day: Int32Array;
  /** 1 when an attack starts that day. */
  onset: Uint8Array;
  /** Index of the day's daily record, or −1. */
  record: Int32Array;
  /** Index of the previous day's daily record, or −1. */
  previousRecord: Int32Array;
  /** 1 on a perimenstrual day (see {@link perimenstrualDays}). */
  perimenstrual: Uint8Array;
  /** Headache days that continue an episode begun the day before or earlier. */
  continuations: number;
  /** Headache days after a day with no entry: onset or continuation cannot be told. */
  undeterminedOnsets: number;
  /** Headache-free days right after a day-level headache day (see the rules above). */
  afterEpisodes: number;
  /** Days with a first day of flow among the daily records. */
  periodStarts: number;
}

export interface TriggerData {
  rows: AtRiskRows;
  factors: TriggerFactor[];
  warnings: string[];
}

/** Menstrual flow that starts a period; spotting alone does not (ICHD-3 A1.1 counts bleeding). */
const FLOW = new Set(['light', 'medium', 'heavy']);

export function buildTriggerData(diary: Diary, days: DiaryDays, asOf: string, cfg: TriggerConfig): TriggerData {
  const records = diary.dailyRecords.filter((r) => r.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : 1));
  const rows = atRiskRows(days, records, asOf);
  const warnings: string[] = [];
  const factors = factorExposures(records, cfg, warnings);
  return { rows, factors, warnings };
}

function atRiskRows(days: DiaryDays, records: readonly DailyRecord[], asOf: string): AtRiskRows {
  const empty: AtRiskRows = {
    recordedDays: 0,
    day: new Int32Array(0),
    onset: new Uint8Array(0),
    record: new Int32Array(0),
    previousRecord: new Int32Array(0),
    perimenstrual: new Uint8Array(0),
    continuations: 0,
    undeterminedOnsets: 0,
    afterEpisodes: 0,
    periodStarts: 0,
  };
  if (days.first === null || days.last === null || days.first > asOf) return empty;
  const first = dayNumber(days.first);
  const last = dayNumber(days.last < asOf ? days.last : asOf);
  const span = last - first + 1;

  const recorded = new Uint8Array(span);
  const headache = new Uint8Array(span);
  const coveredByAttack = new Uint8Array(span);
  for (let i = 0; i < span; i++) {
    const facts = days.byDate.get(dateFromDayNumber(first + i));
    if (facts === undefined) continue;
    recorded[i] = facts.recorded ? 1 : 0;
    headache[i] = facts.headache ? 1 : 0;
  }
  // 1: an attack entry starts that day; 2: an attack entry that began earlier still covers it.
  const attackState = new Uint8Array(span);
  for (const a of days.attacks) {
    if (a.source !== 'attack') continue;
    const start = dayNumber(a.startDate) - first;
    const end = Math.min(dayNumber(a.endDate) - first, span - 1);
    if (start >= span) continue;
    if (start >= 0 && attackState[start] === 0) attackState[start] = 1;
    for (let i = Math.max(start + 1, 0); i <= end; i++) attackState[i] = 2;
    for (let i = Math.max(start, 0); i <= end; i++) coveredByAttack[i] = 1;
  }

  const recordIndex = new Int32Array(span).fill(-1);
  records.forEach((r, k) => {
    const i = dayNumber(r.date) - first;
    if (i >= 0 && i < span) recordIndex[i] = k;
  });
  const { days: perimenstrual, periodStarts } = perimenstrualDays(records, first, span);

  const day: number[] = [];
  const onset: number[] = [];
  let recordedDays = 0;
  let continuations = 0;
  let undeterminedOnsets = 0;
  let afterEpisodes = 0;
  for (let i = 0; i < span; i++) {
    if (recorded[i] === 0) continue;
    recordedDays++;
    // A headache that no attack entry covers: a day-level headache.
    const dayLevel = (j: number) => headache[j] === 1 && coveredByAttack[j] === 0;
    let y: number;
    if (attackState[i] === 2) {
      continuations++;
      continue;
    } else if (attackState[i] === 1) {
      y = 1;
    } else if (i > 0 && dayLevel(i - 1)) {
      // Whether the episode went on or ended, a new onset could not be seen today.
      if (headache[i] === 1) continuations++;
      else afterEpisodes++;
      continue;
    } else if (headache[i] === 1) {
      if (i > 0 && headache[i - 1] === 1) {
        continuations++;
        continue;
      }
      if (i === 0 || recorded[i - 1] === 0) {
        undeterminedOnsets++;
        continue;
      }
      y = 1;
    } else {
      y = 0;
    }
    day.push(i);
    onset.push(y);
  }
  const n = day.length;
  const out: AtRiskRows = {
    recordedDays,
    day: new Int32Array(n),
    onset: Uint8Array.from(onset),
    record: new Int32Array(n),
    previousRecord: new Int32Array(n),
    perimenstrual: new Uint8Array(n),
    continuations,
    undeterminedOnsets,
    afterEpisodes,
    periodStarts,
  };
  for (let r = 0; r < n; r++) {
    const i = day[r]!;
    out.day[r] = first + i;
    out.record[r] = recordIndex[i]!;
    out.previousRecord[r] = i > 0 ? recordIndex[i - 1]! : -1;
    out.perimenstrual[r] = perimenstrual[i]!;
  }
  return out;
}

/**
 * Perimenstrual days: ICHD-3 appendix A1.1 counts "day −2 to +3" of menstruation, where day 1 is
 * the first day of flow and there is no day 0, i.e. the two days before the first day of flow, that
 * day and the two after it. A first day of flow is a day of light, medium or heavy flow whose
 * previous day has none recorded (cycle apps record the days of a period only).
 */
export function perimenstrualDays(
  records: readonly DailyRecord[],
  first: number,
  span: number,
): { days: Uint8Array; periodStarts: number } {
  const flowDays = new Set<number>();
  for (const r of records)
    if (r.menstruation !== undefined && FLOW.has(r.menstruation)) flowDays.add(dayNumber(r.date));
  const days = new Uint8Array(span);
  let periodStarts = 0;
  for (const d of flowDays) {
    if (flowDays.has(d - 1)) continue;
    periodStarts++;
    for (let k = -2; k <= 2; k++) {
      const i = d + k - first;
      if (i >= 0 && i < span) days[i] = 1;
    }
  }
  return { days, periodStarts };
}

/** Lower case without spaces or punctuation: "Sleep hours", "sleepHours" and "sleep_hours" match. */
export function normaliseFactorName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * One or two analysed factors per factor the daily records name, with exposure per record.
 * Yes/no: exposed when true. Every value an integer 0–3 (an ordinal scale, 0 = none): exposed above
 * 0. Other numbers: "low" and "high" against the patient's own median (see
 * TriggerConfig.numericDeviation). Inside the factor's tracked span (first to last record naming
 * it) a record that names other factors but leaves this one out counts as not exposed (apps record
 * the factors that were ticked); a record naming no factor at all, and any day outside the span,
 * leaves the factor unknown.
 */
function factorExposures(records: readonly DailyRecord[], cfg: TriggerConfig, warnings: string[]): TriggerFactor[] {
  interface Seen {
    first: number;
    last: number;
    booleans: number;
    numbers: number[];
  }
  const seen = new Map<string, Seen>();
  // A record that names no factor at all says nothing about factors that day.
  const namesFactors = records.map((r) => r.factors !== undefined && Object.keys(r.factors).length > 0);
  records.forEach((r, k) => {
    if (r.factors === undefined) return;
    for (const [name, value] of Object.entries(r.factors)) {
      let s = seen.get(name);
      if (s === undefined) seen.set(name, (s = { first: k, last: k, booleans: 0, numbers: [] }));
      s.last = k;
      if (typeof value === 'boolean') s.booleans++;
      else s.numbers.push(value);
    }
  });

  const out: TriggerFactor[] = [];
  for (const [name, s] of seen) {
    const span = { trackedFrom: records[s.first]!.date, trackedTo: records[s.last]!.date };
    if (s.booleans > 0 && s.numbers.length > 0) {
      warnings.push(`factor "${name}" is recorded both as yes/no and as a number: left out of the trigger analysis`);
      continue;
    }
    const exposure = (test: (v: boolean | number) => boolean): Int8Array => {
      const e = new Int8Array(records.length).fill(-1);
      for (let k = s.first; k <= s.last; k++) {
        const factors = records[k]!.factors;
        if (factors === undefined || !namesFactors[k]) continue;
        const v = factors[name];
        e[k] = v !== undefined && test(v) ? 1 : 0;
      }
      return e;
    };
    if (s.booleans > 0) {
      out.push({
        name,
        source: name,
        kind: 'yes-no',
        exposedWhen: 'true',
        ...span,
        exposure: exposure((v) => v === true),
      });
    } else if (s.numbers.every((v) => Number.isInteger(v) && v >= 0 && v <= 3)) {
      out.push({
        name,
        source: name,
        kind: 'ordinal',
        exposedWhen: '> 0',
        ...span,
        exposure: exposure((v) => (v as number) > 0),
      });
    } else {
      const median = medianOf(s.numbers, `factor "${name}"`);
      const deviation =
        cfg.numericDeviation.absolute[normaliseFactorName(name)] ?? cfg.numericDeviation.relative * Math.abs(median);
      const low = median - deviation;
      const high = median + deviation;
      const numeric = { source: name, ...span, median, deviation };
      out.push({
        name: `${name} low`,
        kind: 'low',
        exposedWhen: `< ${round(low)}`,
        ...numeric,
        exposure: exposure((v) => (v as number) < low),
      });
      out.push({
        name: `${name} high`,
        kind: 'high',
        exposedWhen: `> ${round(high)}`,
        ...numeric,
        exposure: exposure((v) => (v as number) > high),
      });
    }
  }
  return out;
}

const round = (x: number): string => String(Math.round(x * 100) / 100);
