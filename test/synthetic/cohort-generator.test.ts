import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import { diarySchema, type Diary } from '../../src/domain/diary.js';
import { addDays, dayNumber } from '../../src/domain/time.js';
import { idSchema, patientInputSchema } from '../../src/services/schemas.js';
import {
  cohortCounts,
  cohortEntries,
  cohortPatient,
  cohortWindow,
  generateCohort,
  type CohortOptions,
  type CohortPatient,
} from '../../src/synthetic/cohort-generator.js';
import { DEFAULT_TRIGGER_FACTORS, generateDiary } from '../../src/synthetic/diary-generator.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const BASE: CohortOptions = { seed: 1, patients: 200, months: 24, endDate: '2025-06-30' };
const cohort = generateCohort(BASE);
const count = (pred: (p: CohortPatient) => boolean): number => cohort.patients.filter(pred).length;

/** Attacks starting on the day after an exposure, over days after exposed and unexposed days. */
function nextDayRiskRatio(
  patients: readonly CohortPatient[],
  exposed: (f: Record<string, unknown>) => boolean,
): number {
  const attacks = [0, 0];
  const days = [0, 0];
  for (const p of patients) {
    const recorded = new Set(p.diary.dailyRecords.map((r) => r.date));
    const starts = new Set(p.diary.attacks.map((a) => a.start.slice(0, 10)));
    for (const r of p.diary.dailyRecords) {
      const next = addDays(r.date, 1);
      if (!recorded.has(next)) continue;
      const k = exposed(r.factors!) ? 0 : 1;
      attacks[k]! += starts.has(next) ? 1 : 0;
      days[k]!++;
    }
  }
  return attacks[0]! / days[0]! / (attacks[1]! / days[1]!);
}

describe('generateCohort', () => {
  test('the same options give the same cohort; a smaller cohort is the start of a larger one', () => {
    const small = { ...BASE, patients: 12 };
    const a = generateCohort(small);
    const b = generateCohort(small);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.patients.map((p) => p.id)).toEqual(cohort.patients.slice(0, 12).map((p) => p.id));
    expect(JSON.stringify(a.patients)).toBe(JSON.stringify(cohort.patients.slice(0, 12)));
    expect(JSON.stringify(cohortPatient(BASE, 7))).toBe(JSON.stringify(cohort.patients[6]));

    const other = generateCohort({ ...small, seed: 2 });
    expect(other.patients[0]!.id).toBe('demo-s2-p0001');
    expect(other.patients[0]!.diary.attacks).not.toEqual(a.patients[0]!.diary.attacks);
  });

  test('sites, ids and names are stable and clearly synthetic', () => {
    expect(cohort.sites.map((s) => s.id)).toEqual(['demo-site-1', 'demo-site-2', 'demo-site-3']);
    for (const s of cohort.sites) expect(s.name).toContain('(synthetic)');
    expect(
      generateCohort({ ...BASE, patients: 1, sites: 5 })
        .sites.map((s) => s.id)
        .at(-1),
    ).toBe('demo-site-5');
    const first = cohort.patients[0]!;
    expect(first.id).toBe('demo-s1-p0001');
    expect(first.record.displayName).toBe('Demo Patient 0001 (seed 1)');
    expect(cohort.patients[199]!.id).toBe('demo-s1-p0200');
    expect(new Set(cohort.patients.map((p) => p.record.siteId))).toEqual(new Set(cohort.sites.map((s) => s.id)));
    for (const p of cohort.patients) expect(patientInputSchema.parse(p.record)).toEqual(p.record);
  });

  test('the window is whole months up to the end date', () => {
    expect(cohortWindow({ months: 24, endDate: '2025-06-30' })).toEqual({
      startDate: '2023-07-01',
      endDate: '2025-06-30',
      days: 731,
    });
    expect(cohortWindow({ months: 1, endDate: '2025-03-31' })).toEqual({
      startDate: '2025-03-01',
      endDate: '2025-03-31',
      days: 31,
    });
    expect(cohortWindow({ months: 3, endDate: '2025-01-15' }).startDate).toBe('2024-10-16');
    expect(cohortWindow({ months: 120, endDate: '2025-06-30' }).startDate).toBe('2015-07-01');
    for (const p of cohort.patients) {
      expect(p.diary.dailyRecords[0]!.date >= '2023-07-01').toBe(true);
      expect(p.diary.dailyRecords.at(-1)!.date <= '2025-06-30').toBe(true);
    }
  });

  // Seed 1 with 200 patients, as drawn. The stated ranges are what the model aims at (35 % chronic,
  // 75 % female, 70 % with a procedure, 30 % with aura); the exact numbers pin this seed.
  test('the mix of patients for seed 1 with 200 patients', () => {
    const chronic = count((p) => p.profile.headache === 'chronic');
    expect(chronic).toBe(68);
    expect(chronic / 200).toBeGreaterThan(0.25);
    expect(chronic / 200).toBeLessThan(0.45);
    const female = count((p) => p.record.sex === 'female');
    expect(female).toBe(155);
    expect(female / 200).toBeGreaterThan(0.68);
    expect(female / 200).toBeLessThan(0.82);
    expect(count((p) => p.profile.headache === 'low-frequency-episodic')).toBe(59);
    expect(count((p) => p.profile.headache === 'high-frequency-episodic')).toBe(54);
    expect(count((p) => p.profile.headache === 'occasional')).toBe(19);
    const procedures = count((p) => p.profile.procedure !== null);
    expect(procedures).toBe(135);
    expect(procedures / 200).toBeGreaterThan(0.6);
    expect(procedures / 200).toBeLessThan(0.8);
    expect(count((p) => p.profile.auraShare > 0)).toBe(60);
    expect(count((p) => p.profile.neuropathicPain !== null)).toBe(27);
    expect(count((p) => p.record.conditions.includes('migraine'))).toBe(181);
    expect(count((p) => p.profile.acuteTreatment === 'overuse')).toBe(33);
    const responses = ['strong', 'partial', 'none', 'relapse'].map((r) =>
      count((p) => p.profile.procedure?.response === r),
    );
    expect(responses).toEqual([44, 36, 37, 18]);
    expect(cohortCounts(cohort)).toEqual({
      sites: 3,
      patients: 200,
      procedures: 135,
      attacks: 35_131,
      dailyRecords: 124_682,
      questionnaires: 1_971,
    });
  });

  test('profiles follow their group: rates, multipliers, sex and conditions', () => {
    const ranges = {
      'low-frequency-episodic': [1.5, 4],
      'high-frequency-episodic': [5, 10],
      chronic: [14, 22],
      occasional: [0, 1],
    } as const;
    for (const p of cohort.patients) {
      const [low, high] = ranges[p.profile.headache];
      expect(p.profile.attacksPer28).toBeGreaterThanOrEqual(low);
      expect(p.profile.attacksPer28).toBeLessThanOrEqual(high);
      expect(p.profile.headache === 'occasional').toBe(!p.record.conditions.includes('migraine'));
      expect(p.profile.neuropathicPain !== null).toBe(p.record.conditions.some((c) => c !== 'migraine'));
      if (p.record.conditions.includes('post-mastectomy-pain')) expect(p.record.sex).toBe('female');
      if (p.profile.acuteTreatment === 'overuse') expect(p.profile.headache).toMatch(/chronic|high-frequency/);
      const proc = p.profile.procedure;
      if (proc === null) continue;
      const [mLow, mHigh] = { strong: [0.1, 0.4], partial: [0.5, 0.8], none: [0.85, 1.15], relapse: [0.2, 0.5] }[
        proc.response
      ];
      expect(proc.multiplier).toBeGreaterThanOrEqual(mLow!);
      expect(proc.multiplier).toBeLessThanOrEqual(mHigh!);
      expect(proc.relapse !== null).toBe(proc.response === 'relapse');
      if (proc.relapse) {
        const after = dayNumber(proc.relapse.from) - dayNumber(proc.date);
        expect(after).toBeGreaterThanOrEqual(120);
        expect(after).toBeLessThanOrEqual(300);
      }
    }
  });

  test('procedure dates leave baseline and follow-up inside the window', () => {
    const start = dayNumber('2023-07-01');
    for (const p of cohort.patients) {
      const proc = p.profile.procedure;
      expect(p.record.referenceDate).toBe(proc?.date);
      expect(p.diary.referenceDate).toBe(proc?.date);
      if (!proc) continue;
      // 24 months: from day 110 (15 % of 731) to day 548 (a quarter of the diary after it).
      const offset = dayNumber(proc.date) - start;
      expect(offset).toBeGreaterThanOrEqual(110);
      expect(offset).toBeLessThanOrEqual(548);
    }
    const short = generateCohort({ ...BASE, patients: 40, months: 3 });
    expect(short.window.days).toBe(92);
    const dates = short.patients.flatMap((p) => (p.profile.procedure ? [p.profile.procedure.date] : []));
    expect(dates.length).toBe(26);
    for (const date of dates) {
      expect(dayNumber(date) - dayNumber(short.window.startDate)).toBeGreaterThanOrEqual(31);
      expect(dayNumber(short.window.endDate) - dayNumber(date)).toBeGreaterThanOrEqual(28);
    }
    // Two months cannot hold a month of baseline and a month of follow-up.
    expect(generateCohort({ ...BASE, patients: 40, months: 1 }).patients.some((p) => p.profile.procedure)).toBe(false);
  });

  test('every diary passes diarySchema; entry ids are valid and unique in the database', () => {
    const ids = new Set<string>();
    const small = generateCohort({ ...BASE, patients: 60, months: 6, seed: 9 });
    for (const p of [...cohort.patients, ...small.patients]) {
      expect(diarySchema.parse(p.diary)).toEqual(p.diary);
      expect(p.diary.patient).toMatchObject({
        id: p.id,
        sex: p.record.sex,
        birthYear: p.record.birthYear,
        timeZone: p.record.timeZone,
        conditions: p.record.conditions,
      });
      const entries = cohortEntries(p);
      expect(entries.length).toBe(p.diary.attacks.length + p.diary.dailyRecords.length + p.diary.questionnaires.length);
      for (const e of entries) {
        expect(idSchema.safeParse(e.id).success).toBe(true);
        expect(e.id.startsWith(`${p.id}-`)).toBe(true);
        expect(ids.has(`${e.kind}:${e.id}`)).toBe(false);
        ids.add(`${e.kind}:${e.id}`);
      }
    }
    const first = cohortEntries(cohort.patients[0]!);
    expect(first[0]).toMatchObject({ kind: 'attack', id: 'demo-s1-p0001-a0001' });
    expect(first.find((e) => e.kind === 'daily-record')!.id).toBe('demo-s1-p0001-d2023-07-01');
  });

  test('neuropathic pain is rated daily; questionnaires at baseline and follow-ups', () => {
    const neuropathic = cohort.patients.filter((p) => p.profile.neuropathicPain !== null);
    for (const p of neuropathic) {
      expect(p.diary.dailyRecords.every((r) => r.pain !== undefined)).toBe(true);
      expect(p.diary.questionnaires.filter((q) => q.instrument === 'DN4').length).toBe(1);
    }
    for (const p of cohort.patients.filter((q) => q.profile.neuropathicPain === null)) {
      expect(p.diary.dailyRecords.some((r) => r.pain !== undefined)).toBe(false);
    }
    const treated = cohort.patients.find((p) => p.profile.procedure && p.record.conditions.includes('migraine'))!;
    const ref = treated.profile.procedure!.date;
    const byDate = (d: Diary) => d.questionnaires.map((q) => `${q.date} ${q.instrument}`);
    expect(byDate(treated.diary).slice(0, 2)).toEqual([`${addDays(ref, -7)} MIDAS`, `${addDays(ref, -7)} HIT-6`]);
    expect(byDate(treated.diary)).toContain(`${addDays(ref, 91)} PGIC`);
    // At 1 month HIT-6 and PGIC: MIDAS asks about 3 months.
    expect(byDate(treated.diary).filter((q) => q.startsWith(addDays(ref, 30)))).toEqual([
      `${addDays(ref, 30)} HIT-6`,
      `${addDays(ref, 30)} PGIC`,
    ]);
    const untreated = cohort.patients.find((p) => !p.profile.procedure && p.record.conditions.includes('migraine'))!;
    expect(byDate(untreated.diary)).toEqual([
      '2023-07-29 MIDAS',
      '2023-07-29 HIT-6',
      '2024-01-27 MIDAS',
      '2024-01-27 HIT-6',
      '2024-07-27 MIDAS',
      '2024-07-27 HIT-6',
      '2025-01-25 MIDAS',
      '2025-01-25 HIT-6',
    ]);
    // MIDAS item A is the diary's headache days in the 90 days before, as the analysis counts them.
    const days = deriveDays(untreated.diary, DEFAULT_CONFIG, NOW);
    for (const q of untreated.diary.questionnaires) {
      if (q.instrument !== 'MIDAS') continue;
      let headacheDays = 0;
      for (let d = addDays(q.date, -90); d < q.date; d = addDays(d, 1))
        if (days.byDate.get(d)?.headache) headacheDays++;
      expect(q.answers.headacheDays).toBe(headacheDays);
    }
    const midas = untreated.diary.questionnaires.flatMap((q) => (q.instrument === 'MIDAS' ? [q.answers] : []));
    expect(midas.map((m) => m.headacheDays)).toEqual([20, 66, 54, 54]);
  });

  test('chronic patients mostly meet ICHD-3 1.3; medication overuse follows the treatment habit', () => {
    const chronic = cohort.patients.filter((p) => p.profile.headache === 'chronic');
    const analyses = new Map(chronic.map((p) => [p.id, analyzeDiary(p.diary, { now: NOW })]));
    const met = chronic.filter((p) => analyses.get(p.id)!.classification.codesMet.includes('1.3')).length;
    expect(met).toBe(59);
    const overuse = (habit: string) =>
      chronic
        .filter((p) => p.profile.acuteTreatment === habit)
        .map((p) => analyses.get(p.id)!.medicationOveruse.some((o) => o.status === 'meets-criteria'));
    const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
    expect([overuse('overuse').filter(Boolean).length, overuse('overuse').length]).toEqual([14, 29]);
    expect([overuse('sparing').filter(Boolean).length, overuse('sparing').length]).toEqual([0, 12]);
    expect(share(overuse('overuse'))).toBeGreaterThan(share(overuse('sparing')));
    const episodic = cohort.patients.filter((p) => p.profile.headache === 'low-frequency-episodic');
    for (const p of episodic) expect(analyzeDiary(p.diary, { now: NOW }).classification.codesMet).not.toContain('1.3');
  });

  test('a trigger raises the next-day attack rate only in patients who react to it', () => {
    const migraine = cohort.patients.filter((p) => p.profile.headache !== 'occasional');
    const reacting = (t: string) => migraine.filter((p) => p.profile.triggerFactors.includes(t as never));
    const notReacting = (t: string) => migraine.filter((p) => !p.profile.triggerFactors.includes(t as never));
    const stress = (f: Record<string, unknown>) => (f.stress as number) >= 2;
    const caffeine = (f: Record<string, unknown>) => (f.caffeine as number) >= 3;
    expect(nextDayRiskRatio(reacting('stress'), stress)).toBeGreaterThan(1.25);
    expect(nextDayRiskRatio(notReacting('stress'), stress)).toBeLessThan(1.1);
    expect(nextDayRiskRatio(reacting('caffeine'), caffeine)).toBeGreaterThan(1.2);
    expect(nextDayRiskRatio(notReacting('caffeine'), caffeine)).toBeLessThan(1.1);
    expect(reacting('stress').length).toBe(110);
    expect(reacting('caffeine').length).toBe(27);
  });

  test('the synthetic course after the procedure shows in the outcomes', () => {
    const medianChange = (response: string): number => {
      const changes = cohort.patients
        .filter((p) => p.profile.procedure?.response === response && p.profile.headache !== 'occasional')
        .map((p) => analyzeDiary(p.diary, { now: NOW }).outcomes!.windows.find((w) => w.label === 'months 4-6')!)
        .flatMap((w) => (w.mmdPercentChange === null ? [] : [w.mmdPercentChange]))
        .sort((x, y) => x - y);
      return changes[Math.floor(changes.length / 2)]!;
    };
    expect(medianChange('strong')).toBeLessThan(-50);
    expect(medianChange('partial')).toBeLessThan(-10);
    expect(medianChange('partial')).toBeGreaterThan(-50);
    expect(Math.abs(medianChange('none'))).toBeLessThan(25);
  });

  test('rejects options it cannot honour', () => {
    expect(() => generateCohort({ ...BASE, months: 0 })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, months: 121 })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, seed: -1 })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, seed: 1.5 })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, patients: 2.5 })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, endDate: '2025-02-30' })).toThrow(RangeError);
    expect(() => generateCohort({ ...BASE, sites: 6 })).toThrow(RangeError);
    expect(generateCohort({ ...BASE, patients: 0 }).patients).toEqual([]);
  });
});

describe('diary generator options the cohort uses', () => {
  const base = { seed: 3, startDate: '2023-01-01', days: 365, frequency: 'chronic', attacksPer28: 16 } as const;

  test('the defaults are the original model', () => {
    const explicit = generateDiary({
      ...base,
      acuteTreatment: 'usual',
      triggerFactors: DEFAULT_TRIGGER_FACTORS,
      referenceDate: '2023-06-01',
      rateChanges: [],
    });
    expect(JSON.stringify(explicit)).toBe(JSON.stringify(generateDiary({ ...base, referenceDate: '2023-06-01' })));
  });

  test('acuteTreatment changes how many days have acute medication', () => {
    const medicationDays = (acuteTreatment: 'sparing' | 'usual' | 'overuse') =>
      new Set(
        generateDiary({ ...base, acuteTreatment })
          .attacks.filter((a) => a.medications !== undefined)
          .map((a) => a.start.slice(0, 10)),
      ).size;
    expect([medicationDays('sparing'), medicationDays('usual'), medicationDays('overuse')]).toEqual([79, 136, 168]);
  });

  test('rateChanges bring the rate back after a response', () => {
    const options = {
      ...base,
      days: 3 * 365,
      compliance: 1,
      referenceDate: '2024-01-01',
      rateMultiplier: 0.2,
    } as const;
    const relapsed = generateDiary({ ...options, rateChanges: [{ from: '2025-01-01', multiplier: 1 }] });
    const kept = generateDiary(options);
    const attacksIn = (d: Diary, from: string, to: string) =>
      d.attacks.filter((a) => a.start.slice(0, 10) >= from && a.start.slice(0, 10) <= to).length;
    const year = (d: Diary, y: number) => attacksIn(d, `${y}-01-01`, `${y}-12-31`);
    expect(year(relapsed, 2024)).toBe(year(kept, 2024));
    expect(year(relapsed, 2025)).toBeGreaterThan(2.5 * year(kept, 2025));
    expect(year(relapsed, 2025)).toBeGreaterThan(0.8 * year(relapsed, 2023));
    expect(() => generateDiary({ ...base, rateChanges: [{ from: '2023-03-01', multiplier: 1 }] })).toThrow(
      'rateChanges need a referenceDate',
    );
    expect(() =>
      generateDiary({ ...base, referenceDate: '2023-02-01', rateChanges: [{ from: '2023-13-01', multiplier: 1 }] }),
    ).toThrow(RangeError);
  });
});
