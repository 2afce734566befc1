import { describe, expect, test } from 'vitest';
import { analyzeDiary, type DiaryAnalysis } from '../../src/domain/analysis.js';
import type { Diagnosis } from '../../src/domain/patient-classification.js';
import { eachDate, lastDayOfMonth } from '../../src/domain/time.js';
import { LATER, makeDiary, MIGRAINE_FEATURES } from '../helpers/diary.js';

/**
 * Worked examples for ICHD-3 diagnoses over a diary (ICHD-3, Cephalalgia 2018;38:1–211; summarised in
 * /work/shared/clinical-reference.md §1), run through analyzeDiary. Every expected value was counted
 * by hand from the diary built in the test. Patient: adult (born 1980), Europe/Paris.
 */

type Json = Record<string, unknown>;

/** Europe/Paris: CEST (+02:00) from 2024-03-31 to 2024-10-26, CET (+01:00) otherwise. */
function offset(date: string): string {
  return date >= '2024-03-31' && date <= '2024-10-26' ? '+02:00' : '+01:00';
}

const at = (date: string, time: string): string => `${date}T${time}${offset(date)}`;

/** 6 h, left, pulsating, severe, aggravated, nausea, photo- and phonophobia: 1.1 B–D all met. */
function migraineAttack(id: string, date: string, extra: Json = {}): Json {
  return {
    id,
    start: at(date, '08:00:00'),
    end: at(date, '14:00:00'),
    ...MIGRAINE_FEATURES,
    ...extra,
  };
}

/** 3 h, bilateral, pressing, mild, not aggravated, no associated symptoms: 2.x B–D met, 1.1 B–D all failed. */
function tensionAttack(id: string, date: string): Json {
  return {
    id,
    start: at(date, '15:00:00'),
    end: at(date, '18:00:00'),
    peakIntensity: 3,
    side: 'bilateral',
    quality: ['pressing'],
    aggravatedByActivity: false,
    nausea: false,
    vomiting: false,
    photophobia: false,
    phonophobia: false,
  };
}

/** A 1.1 headache preceded by a 20 min gradually spreading unilateral aura starting 30 min before it. */
function auraAttack(id: string, date: string, types: string[]): Json {
  return migraineAttack(id, date, {
    aura: types.map((type) => ({
      type,
      onset: at(date, '07:30:00'),
      durationMinutes: 20,
      spreadGradually: true,
      unilateral: true,
    })),
  });
}

const day = (month: string, n: number): string => `${month}-${String(n).padStart(2, '0')}`;
const daysOf = (month: string, from: number, to: number): string[] => [
  ...eachDate(day(month, from), to === -1 ? lastDayOfMonth(month) : day(month, to)),
];
const headacheFree = (dates: string[]): Json[] => dates.map((date) => ({ date, noHeadache: true }));

function analyze(parts: { attacks?: Json[]; dailyRecords?: Json[] }): DiaryAnalysis {
  return analyzeDiary(makeDiary(parts as Parameters<typeof makeDiary>[0]), { now: LATER });
}

function diagnosis(r: DiaryAnalysis, code: string): Diagnosis {
  const d = r.classification.diagnoses.find((x) => x.code === code);
  if (!d) throw new Error(`no diagnosis ${code}; have ${r.classification.diagnoses.map((x) => x.code).join(', ')}`);
  return d;
}

const criteriaMet = (d: Diagnosis): Array<[string, boolean | null]> => d.criteria.map((c) => [c.id, c.met]);

/** Five attack dates in March 2024, three days apart, each day otherwise recorded headache-free. */
const MARCH_DATES = ['2024-03-01', '2024-03-04', '2024-03-07', '2024-03-10', '2024-03-13'];

describe('1.1 migraine without aura and 1.5.1 probable migraine (ICHD-3 1.1 A, 1.5.1)', () => {
  test('five attacks fulfilling B–D → 1.1 met', () => {
    // ICHD-3 1.1 A: at least five attacks fulfilling criteria B–D.
    const r = analyze({ attacks: MARCH_DATES.map((d, i) => migraineAttack(`m${i + 1}`, d)) });
    const m11 = diagnosis(r, '1.1');
    expect(m11.status).toBe('met');
    expect(m11.criteria[0]!.met).toBe(true);
    expect(m11.criteria[0]!.evidence.count).toBe(5);
    expect(m11.criteria[0]!.evidence.attackIds).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    // 1.5.1 is for patients who miss one criterion of 1.1; this one meets them all.
    expect(diagnosis(r, '1.5.1').status).toBe('not-met');
    expect(r.classification.attackTypes['migraine-without-aura']).toBe(5);
    // 1.2 (no aura), 1.3 (5 headache days in a month), 2.x (no tension-type episodes) are not met.
    expect(r.classification.codesMet).toEqual(['1.1']);
  });

  test('four attacks fulfilling B–D → 1.5.1 probable migraine, not 1.1', () => {
    // ICHD-3 1.1 A fails (4 < 5); ICHD-3 1.5.1 A: attacks fulfilling all but one of 1.1 A–D.
    const r = analyze({ attacks: MARCH_DATES.slice(0, 4).map((d, i) => migraineAttack(`m${i + 1}`, d)) });
    const m11 = diagnosis(r, '1.1');
    expect(m11.status).toBe('not-met');
    expect(m11.criteria[0]!.met).toBe(false);
    expect(m11.criteria[0]!.evidence.count).toBe(4);
    const p151 = diagnosis(r, '1.5.1');
    expect(p151.status).toBe('met');
    expect(p151.criteria[0]!.evidence.attackIds).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(r.classification.codesMet).toEqual(['1.5.1']);
  });

  test('four attacks plus one whose nausea/photo/phonophobia were not recorded → 1.1 undetermined, not not-met', () => {
    // The fifth attack meets 1.1 B and C; D is unknown. It may be the fifth attack of ICHD-3 1.1 A.
    const fifth = migraineAttack('m5', MARCH_DATES[4]!, {
      nausea: undefined,
      vomiting: undefined,
      photophobia: undefined,
      phonophobia: undefined,
    });
    const r = analyze({ attacks: [...MARCH_DATES.slice(0, 4).map((d, i) => migraineAttack(`m${i + 1}`, d)), fifth] });
    const m11 = diagnosis(r, '1.1');
    expect(m11.criteria[0]!.met).toBe(null);
    expect(m11.status).toBe('undetermined');
    expect(r.classification.codesMet).not.toContain('1.1');
  });

  test('four attacks plus one that already fails 1.1 B → 1.1 not-met even though its other features are unknown', () => {
    // 3 h untreated: ICHD-3 1.1 B fails, so whatever C and D were, it cannot fulfil B–D.
    const fifth = { id: 'x5', start: at(MARCH_DATES[4]!, '08:00:00'), end: at(MARCH_DATES[4]!, '11:00:00') };
    const r = analyze({ attacks: [...MARCH_DATES.slice(0, 4).map((d, i) => migraineAttack(`m${i + 1}`, d)), fifth] });
    const m11 = diagnosis(r, '1.1');
    expect(m11.criteria[0]!.met).toBe(false);
    expect(m11.status).toBe('not-met');
  });

  test('tension-type-like attacks do not count toward 1.1 A', () => {
    // Four 1.1 attacks and six tension-type-like ones: still four attacks fulfilling 1.1 B–D.
    const r = analyze({
      attacks: [
        ...MARCH_DATES.slice(0, 4).map((d, i) => migraineAttack(`m${i + 1}`, d)),
        ...daysOf('2024-03', 20, 25).map((d, i) => tensionAttack(`t${i + 1}`, d)),
      ],
    });
    expect(r.classification.attackTypes['tension-type-like']).toBe(6);
    expect(diagnosis(r, '1.1').status).toBe('not-met');
  });
});

describe('1.2 migraine with aura (ICHD-3 1.2 A, 1.2.1 B)', () => {
  test('two attacks with visual/sensory/speech aura only → 1.2.1 typical aura, met', () => {
    // ICHD-3 1.2 A: at least two attacks fulfilling B and C. 1.2.1 B: visual, sensory and/or
    // speech/language symptoms only.
    const r = analyze({
      attacks: [auraAttack('a1', '2024-03-01', ['visual']), auraAttack('a2', '2024-03-08', ['sensory', 'speech'])],
    });
    const m12 = diagnosis(r, '1.2.1');
    expect(m12.name).toBe('Migraine with typical aura');
    expect(m12.status).toBe('met');
    expect(m12.criteria[0]!.met).toBe(true);
    expect(m12.criteria[0]!.evidence.attackIds).toEqual(['a1', 'a2']);
    expect(r.classification.attackTypes['migraine-with-aura']).toBe(2);
    // Aura attacks are not counted as 1.1 attacks; 1.5.2 is not needed when 1.2 is met.
    expect(diagnosis(r, '1.1').status).toBe('not-met');
    expect(diagnosis(r, '1.5.2').status).toBe('not-met');
    expect(r.classification.codesMet).toEqual(['1.2.1']);
  });

  test('a brainstem aura symptom makes it 1.2, not 1.2.1 typical aura', () => {
    // ICHD-3 1.2.1 B excludes motor, brainstem and retinal symptoms.
    const r = analyze({
      attacks: [auraAttack('a1', '2024-03-01', ['visual']), auraAttack('a2', '2024-03-08', ['visual', 'brainstem'])],
    });
    const m12 = diagnosis(r, '1.2');
    expect(m12.name).toBe('Migraine with aura');
    expect(m12.status).toBe('met');
    expect(r.classification.diagnoses.some((d) => d.code === '1.2.1')).toBe(false);
    expect(r.classification.codesMet).toEqual(['1.2']);
  });

  test('one aura attack → 1.2 not met; 1.5.2 probable migraine with aura', () => {
    // ICHD-3 1.2 A needs two attacks; ICHD-3 1.5.2: all but one of 1.2 A–C.
    const r = analyze({ attacks: [auraAttack('a1', '2024-03-01', ['visual'])] });
    const m12 = diagnosis(r, '1.2.1');
    expect(m12.status).toBe('not-met');
    expect(m12.criteria[0]!.met).toBe(false);
    expect(m12.criteria[0]!.evidence.count).toBe(1);
    expect(diagnosis(r, '1.5.2').status).toBe('met');
    expect(r.classification.codesMet).toEqual(['1.5.2']);
  });
});

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04'];

/**
 * A month with `migraineDays` 1.1 attacks on days 1.., then tension-type-like attacks up to day
 * `headacheDays`, then (when `restRecorded`) headache-free records to the end of the month.
 */
function chronicMonth(
  month: string,
  { migraineDays = 8, headacheDays = 15, restRecorded = true } = {},
): { attacks: Json[]; dailyRecords: Json[] } {
  return {
    attacks: [
      ...daysOf(month, 1, migraineDays).map((d) => migraineAttack(`m${d}`, d)),
      ...(headacheDays > migraineDays ? daysOf(month, migraineDays + 1, headacheDays) : []).map((d) =>
        tensionAttack(`t${d}`, d),
      ),
    ],
    dailyRecords: restRecorded ? headacheFree(daysOf(month, headacheDays + 1, -1)) : [],
  };
}

function chronicDiary(months: Array<{ attacks: Json[]; dailyRecords: Json[] }>): DiaryAnalysis {
  return analyze({ attacks: months.flatMap((m) => m.attacks), dailyRecords: months.flatMap((m) => m.dailyRecords) });
}

describe('1.3 chronic migraine (ICHD-3 1.3 A–C; "more than 3 months" = 4 consecutive calendar months)', () => {
  test('15 headache days, 8 of them migraine, in each of 4 months → 1.3 met', () => {
    // Each month: days 1–8 1.1 attacks (1.1 C+D → migraine-like), days 9–15 tension-type-like,
    // the rest headache-free. A: 15 ≥ 15 in Jan–Apr (4 months). B: 32 attacks fulfil 1.1 B–D.
    // C: 8 ≥ 8 migraine-like days in Jan–Apr.
    const r = chronicDiary(MONTHS.map((m) => chronicMonth(m)));
    expect(r.months.map((m) => [m.month, m.headacheDays, m.migraineLikeDays])).toEqual([
      ['2024-01', 15, 8],
      ['2024-02', 15, 8],
      ['2024-03', 15, 8],
      ['2024-04', 15, 8],
    ]);
    const m13 = diagnosis(r, '1.3');
    expect(criteriaMet(m13)).toEqual([
      ['A', true],
      ['B', true],
      ['C', true],
    ]);
    expect(m13.criteria[0]!.evidence.months).toEqual(MONTHS);
    expect(m13.criteria[1]!.evidence.count).toBe(32);
    expect(m13.criteria[2]!.evidence.months).toEqual(MONTHS);
    expect(m13.status).toBe('met');
    // The tension-type-like days belong to the chronic migraine (ICHD-3 1.3 comment): 2.x is not given.
    const tth = diagnosis(r, '2.2');
    expect(tth.status).toBe('not-met');
    expect(tth.criteria.find((c) => c.id === 'not 1.3')!.met).toBe(false);
    expect(r.classification.codesMet).toEqual(['1.1', '1.3']);
  });

  test('three months are not "more than 3 months": 1.3 A not met', () => {
    // Only Jan–Mar reach 15 headache days; April has 14 (days 1–8 migraine, 9–14 tension-type).
    const r = chronicDiary([
      ...MONTHS.slice(0, 3).map((m) => chronicMonth(m)),
      chronicMonth('2024-04', { headacheDays: 14 }),
    ]);
    const m13 = diagnosis(r, '1.3');
    expect(m13.criteria[0]!.met).toBe(false);
    expect(m13.criteria[0]!.evidence.months).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(m13.status).toBe('not-met');
  });

  test('the 4 months must be consecutive: a gap month breaks the run', () => {
    // February has 14 headache days: runs are Jan (1) and Mar–Apr (2), never 4.
    const r = chronicDiary([
      chronicMonth('2024-01'),
      chronicMonth('2024-02', { headacheDays: 14 }),
      chronicMonth('2024-03'),
      chronicMonth('2024-04'),
    ]);
    expect(diagnosis(r, '1.3').criteria[0]!.met).toBe(false);
  });

  test('A and C in different months do not make 1.3 (ICHD-3 1.3 A: "and fulfilling criteria B and C")', () => {
    // Jan–Apr: 20 headache days, none migraine-like (A holds, C fails). May–Aug: 10 migraine days
    // (C holds, A fails). No 4-month run has both.
    const r = chronicDiary([
      ...MONTHS.map((m) => chronicMonth(m, { migraineDays: 0, headacheDays: 20 })),
      ...['2024-05', '2024-06', '2024-07', '2024-08'].map((m) =>
        chronicMonth(m, { migraineDays: 10, headacheDays: 10 }),
      ),
    ]);
    const m13 = diagnosis(r, '1.3');
    expect(criteriaMet(m13)).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
    ]);
    expect(m13.status).toBe('not-met');
    expect(r.classification.codesMet).not.toContain('1.3');
  });

  test('7 migraine-like days in one month fail 1.3 C', () => {
    // February: days 1–7 1.1 attacks, 8–15 tension-type-like → 7 < 8 migraine-like days.
    const r = chronicDiary([
      chronicMonth('2024-01'),
      chronicMonth('2024-02', { migraineDays: 7 }),
      chronicMonth('2024-03'),
      chronicMonth('2024-04'),
    ]);
    const m13 = diagnosis(r, '1.3');
    expect(criteriaMet(m13)).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
    ]);
    expect(m13.status).toBe('not-met');
  });

  test('missing diary days: 1.3 is undetermined, not not-met', () => {
    // April: 10 headache days recorded (8 migraine + 2 tension-type), the other 20 days not recorded.
    // 10 < 15 known, but 10 + 20 unrecorded could reach 15 → A undetermined. B met. C must hold in
    // the same months as A (ICHD-3 1.3 A "and fulfilling criteria B and C"), so it is open too.
    const r = chronicDiary([
      ...MONTHS.slice(0, 3).map((m) => chronicMonth(m)),
      chronicMonth('2024-04', { headacheDays: 10, restRecorded: false }),
    ]);
    const april = r.months.find((m) => m.month === '2024-04')!;
    expect([april.days, april.recordedDays, april.headacheDays]).toEqual([30, 10, 10]);
    const m13 = diagnosis(r, '1.3');
    expect(criteriaMet(m13)).toEqual([
      ['A', null],
      ['B', true],
      ['C', null],
    ]);
    expect(m13.criteria[0]!.evidence.months).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(m13.status).toBe('undetermined');
    expect(r.classification.codesMet).not.toContain('1.3');
  });

  test('the same April with the other 20 days recorded headache-free: 1.3 not-met', () => {
    const r = chronicDiary([
      ...MONTHS.slice(0, 3).map((m) => chronicMonth(m)),
      chronicMonth('2024-04', { headacheDays: 10, restRecorded: true }),
    ]);
    const m13 = diagnosis(r, '1.3');
    expect(m13.criteria[0]!.met).toBe(false);
    expect(m13.status).toBe('not-met');
  });
});

/** Daily records for a month: headache on days 1..headacheDays, medications on given days, the rest headache-free. */
function medicationMonth(month: string, headacheDays: number, meds: Array<{ days: number[]; med: Json }>): Json[] {
  return daysOf(month, 1, -1).map((date, i) => {
    const n = i + 1;
    const medications = meds.filter((m) => m.days.includes(n)).map((m) => m.med);
    const record: Json =
      n <= headacheDays ? { date, headache: { peakIntensity: 6, hours: 6 } } : { date, noHeadache: true };
    if (medications.length > 0) record.medications = medications;
    return record;
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const TRIPTAN = { name: 'sumatriptan', class: 'triptan', effect: 'good' };
const IBUPROFEN = { name: 'ibuprofen', class: 'non-opioid-analgesic', effect: 'some' };
const PARACETAMOL = { name: 'paracetamol', class: 'non-opioid-analgesic', effect: 'some' };

describe('8.2 medication-overuse headache (ICHD-3 8.2.2, 8.2.3, 8.2.6)', () => {
  test('triptan on 10 days/month with 15 headache days: at-risk months 1–3, met from the 4th (ICHD-3 8.2.2)', () => {
    // Each month: 1.1 attacks on days 1–15, a triptan with those of days 1–10, headache-free after.
    // 8.2.2 B: triptan on ≥10 days/month for >3 months; A: headache on ≥15 days/month.
    const r = analyze({
      attacks: MONTHS.flatMap((m) =>
        daysOf(m, 1, 15).map((d, i) => migraineAttack(`m${d}`, d, i < 10 ? { medications: [TRIPTAN] } : {})),
      ),
      dailyRecords: MONTHS.flatMap((m) => headacheFree(daysOf(m, 16, -1))),
    });
    expect(r.medicationOveruse).toEqual([
      {
        code: '8.2.2',
        name: 'triptan overuse',
        thresholdDays: 10,
        status: 'meets-criteria',
        months: [
          { month: '2024-01', days: 10, headacheDays: 15, level: 'risk' },
          { month: '2024-02', days: 10, headacheDays: 15, level: 'risk' },
          { month: '2024-03', days: 10, headacheDays: 15, level: 'risk' },
          { month: '2024-04', days: 10, headacheDays: 15, level: 'meets-criteria' },
        ],
      },
    ]);
    const moh = diagnosis(r, '8.2.2');
    expect(moh.status).toBe('met');
    expect(moh.criteria[0]!.met).toBe(true);
    // 1.3 and 8.2 are both given when both are met (ICHD-3 1.3 comment): A 15 days × 4 months,
    // B 60 attacks, C 15 migraine-like days × 4 months.
    expect(r.classification.codesMet).toEqual(['1.1', '1.3', '8.2.2']);
  });

  test('the same triptan use over only three months is at-risk, not met', () => {
    const r = analyze({
      dailyRecords: MONTHS.slice(0, 3).flatMap((m) => medicationMonth(m, 15, [{ days: range(1, 10), med: TRIPTAN }])),
    });
    expect(r.medicationOveruse.map((o) => [o.code, o.status, o.months.map((m) => m.level)])).toEqual([
      ['8.2.2', 'risk', ['risk', 'risk', 'risk']],
    ]);
    const moh = diagnosis(r, '8.2.2');
    expect(moh.status).toBe('at-risk');
    expect(moh.criteria[0]!.met).toBe(false);
    expect(r.classification.codesMet).not.toContain('8.2.2');
  });

  test('a month with 14 headache days breaks the run (ICHD-3 8.2 A: headache on ≥15 days/month)', () => {
    // Triptan on 10 days every month; February has only 14 headache days.
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) =>
        medicationMonth(m, m === '2024-02' ? 14 : 15, [{ days: range(1, 10), med: TRIPTAN }]),
      ),
    });
    expect(r.medicationOveruse.map((o) => [o.code, o.status])).toEqual([['8.2.2', 'risk']]);
    expect(diagnosis(r, '8.2.2').status).toBe('at-risk');
  });

  test('9 triptan days/month is below the 8.2.2 threshold', () => {
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) => medicationMonth(m, 15, [{ days: range(1, 9), med: TRIPTAN }])),
    });
    expect(r.medicationOveruse).toEqual([]);
  });

  test('non-opioid analgesic on 15 days/month for 4 months → 8.2.3 met (ICHD-3 8.2.3: ≥15 days/month)', () => {
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) => medicationMonth(m, 15, [{ days: range(1, 15), med: PARACETAMOL }])),
    });
    expect(r.medicationOveruse.map((o) => [o.code, o.thresholdDays, o.status, o.months.map((m) => m.level)])).toEqual([
      ['8.2.3', 15, 'meets-criteria', ['risk', 'risk', 'risk', 'meets-criteria']],
    ]);
    expect(diagnosis(r, '8.2.3').status).toBe('met');
  });

  test('non-opioid analgesic on 14 days/month is not flagged at all', () => {
    // 14 < 15 for 8.2.3; one class only, so 8.2.6 ("multiple classes") does not apply either.
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) => medicationMonth(m, 15, [{ days: range(1, 14), med: PARACETAMOL }])),
    });
    expect(r.medicationOveruse).toEqual([]);
    expect(r.classification.diagnoses.some((d) => d.code.startsWith('8.2'))).toBe(false);
  });

  test('paracetamol and ibuprofen are one class: 8 + 7 days make 15 days of 8.2.3, not 8.2.6', () => {
    // ICHD-3 8.2.3 covers paracetamol, ASA and other NSAIDs together (clinical-reference §1 table).
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) =>
        medicationMonth(m, 15, [
          { days: range(1, 8), med: PARACETAMOL },
          { days: range(9, 15), med: IBUPROFEN },
        ]),
      ),
    });
    expect(r.medicationOveruse.map((o) => [o.code, o.status])).toEqual([['8.2.3', 'meets-criteria']]);
  });

  test('triptan 5 days + NSAID 5 other days = 10 days of two classes, neither overused alone → 8.2.6', () => {
    // ICHD-3 8.2.6: any combination on a total of ≥10 days/month for >3 months, no single class overused.
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) =>
        medicationMonth(m, 15, [
          { days: range(1, 5), med: TRIPTAN },
          { days: range(6, 10), med: IBUPROFEN },
        ]),
      ),
    });
    expect(r.medicationOveruse).toEqual([
      {
        code: '8.2.6',
        name: 'overuse of multiple drug classes not individually overused',
        thresholdDays: 10,
        status: 'meets-criteria',
        months: MONTHS.map((month, i) => ({
          month,
          days: 10,
          headacheDays: 15,
          level: i < 3 ? 'risk' : 'meets-criteria',
        })),
      },
    ]);
    expect(diagnosis(r, '8.2.6').status).toBe('met');
  });

  test('8.2.6 counts days, not doses: both classes on the same 9 days is 9 days', () => {
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) =>
        medicationMonth(m, 15, [
          { days: range(1, 9), med: TRIPTAN },
          { days: range(1, 9), med: IBUPROFEN },
        ]),
      ),
    });
    expect(r.medicationOveruse).toEqual([]);
  });

  test('when one class is overused alone, it is 8.2.2, not 8.2.6', () => {
    // Triptan 10 days (8.2.2) + NSAID on 2 other days: 12 days of two classes, but one is overused alone.
    const r = analyze({
      dailyRecords: MONTHS.flatMap((m) =>
        medicationMonth(m, 15, [
          { days: range(1, 10), med: TRIPTAN },
          { days: range(11, 12), med: IBUPROFEN },
        ]),
      ),
    });
    expect(r.medicationOveruse.map((o) => o.code)).toEqual(['8.2.2']);
  });
});

describe('criteria a clinician must confirm (ICHD-3 criterion E / D: "not better accounted for")', () => {
  test('every diagnosis lists what the clinician must confirm', () => {
    // A diary that produces every kind of diagnosis: 1.1, 1.2, 1.3, 1.5.x, 2.x and 8.2.2.
    const r = analyze({
      attacks: [
        ...MONTHS.flatMap((m) =>
          daysOf(m, 1, 15).map((d, i) => migraineAttack(`m${d}`, d, i < 10 ? { medications: [TRIPTAN] } : {})),
        ),
        auraAttack('a1', '2024-05-02', ['visual']),
        tensionAttack('t1', '2024-05-05'),
      ],
      dailyRecords: MONTHS.flatMap((m) => headacheFree(daysOf(m, 16, -1))),
    });
    const codes = r.classification.diagnoses.map((d) => d.code);
    // One tension-type-like episode is not 2.x (≥10 needed), so no subtype is named.
    expect(codes).toEqual(['1.1', '1.2.1', '1.3', '1.5.1', '1.5.2', '2', '8.2.2']);
    expect(diagnosis(r, '2').status).toBe('not-met');
    for (const d of r.classification.diagnoses) {
      expect(d.clinicianMustConfirm.length, d.code).toBeGreaterThan(0);
      expect(
        d.clinicianMustConfirm.some((s) => /not better accounted for|not fulfilling criteria for any other/.test(s)),
        d.code,
      ).toBe(true);
    }
    expect(diagnosis(r, '1.1').clinicianMustConfirm).toContain(
      'E: not better accounted for by another ICHD-3 diagnosis (history and examination)',
    );
    expect(diagnosis(r, '8.2.2').clinicianMustConfirm).toContain('a pre-existing headache disorder');
  });
});

describe('undetermined features keep 1.5 and 2.x open', () => {
  test('six headache days logged by day only: 1.1 and 1.5.1 are undetermined; 2.x has no subtype', () => {
    const r = analyze({
      dailyRecords: daysOf('2024-01', 1, 31).map((date, i) =>
        i % 6 === 0 ? { date, headache: { peakIntensity: 6 } } : { date, noHeadache: true },
      ),
    });
    expect(r.attacks).toHaveLength(6);
    expect(diagnosis(r, '1.1').status).toBe('undetermined');
    expect(diagnosis(r, '1.5.1').status).toBe('undetermined');
    // Fewer than 10 possible tension-type episodes: 2.x is ruled out, and named without a subtype.
    expect(r.classification.diagnoses.find((d) => d.code.startsWith('2'))).toMatchObject({
      code: '2',
      status: 'not-met',
    });
  });
});
