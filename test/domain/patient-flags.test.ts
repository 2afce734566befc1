import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { followUpSchedule, type DiaryState } from '../../src/domain/follow-up.js';
import { emptyCounts, summaryFromCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import {
  complianceWindow,
  followUpOverdueFlag,
  lowComplianceFlag,
  medicationOveruseFlag,
  patientStatus,
  recordedDaysIn,
  worseningFlag,
} from '../../src/domain/patient-flags.js';
import type { MonthSummary } from '../../src/domain/periods.js';
import { DEFAULT_REGISTRY_OUTCOME_CONFIG, procedureOutcome } from '../../src/domain/registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { firstDayOfMonth, lastDayOfMonth } from '../../src/domain/time.js';

const CFG = DEFAULT_CONFIG;
const VISITS = DEFAULT_SITE_SETTINGS.followUp;
const DIARY_DONE: DiaryState = { ended: true, sufficient: true, compliance: 1 };

/** Every questionnaire of a visit's window on its due date, so only the visits named stay open. */
const schedule = (procedureDate: string, today: string, questionnaires: { instrument: string; date: string }[]) => ({
  procedureId: 'proc-1',
  procedureDate,
  visits: followUpSchedule({ procedureDate, visits: VISITS, today, questionnaires, diary: () => DIARY_DONE }),
});

describe('follow-up overdue: a visit of the schedule past its window with something not done', () => {
  // Procedure on 10 January 2024. Baseline: window 13 Dec 2023 … 10 Jan, MIDAS and HIT-6 done on 2 Jan.
  // 1-month visit: due 10 Feb, window 3 Feb … 24 Feb, asks for HIT-6 and PGIC (and the diary, done here).
  const baselineDone = [
    { instrument: 'MIDAS', date: '2024-01-02' },
    { instrument: 'HIT-6', date: '2024-01-02' },
  ];

  test('on the window’s last day the visit is still due: no flag', () => {
    expect(followUpOverdueFlag([schedule('2024-01-10', '2024-02-24', baselineDone)], '2024-02-24')).toBeNull();
  });

  test('the day after, it is overdue by one day, with what is missing', () => {
    const flag = followUpOverdueFlag([schedule('2024-01-10', '2024-02-25', baselineDone)], '2024-02-25');
    expect(flag).toEqual({
      flag: 'follow-up-overdue',
      visits: [
        {
          procedureId: 'proc-1',
          procedureDate: '2024-01-10',
          visitId: 'm1',
          label: '1 month',
          dueDate: '2024-02-10',
          closes: '2024-02-24',
          daysOverdue: 1,
          missing: ['HIT-6', 'PGIC'],
        },
      ],
    });
  });

  test('a visit done late inside its window is completed, not overdue', () => {
    const done = [
      ...baselineDone,
      { instrument: 'HIT-6', date: '2024-02-24' },
      { instrument: 'PGIC', date: '2024-02-24' },
    ];
    expect(followUpOverdueFlag([schedule('2024-01-10', '2024-03-01', done)], '2024-03-01')).toBeNull();
  });

  test('a missed baseline is overdue from the day after the procedure, the longest overdue listed first', () => {
    const flag = followUpOverdueFlag([schedule('2024-01-10', '2024-02-25', [])], '2024-02-25');
    expect(flag?.visits.map((v) => [v.visitId, v.daysOverdue])).toEqual([
      ['baseline', 46], // closed 10 Jan: 21 + 25 days
      ['m1', 1],
    ]);
  });
});

/** A month's summary with `days` days of one class and `headache` headache days. */
function month(
  m: string,
  cls: keyof PeriodCounts['medicationDaysByClass'],
  days: number,
  headache: number,
  today: string,
): MonthSummary {
  const counts: PeriodCounts = {
    ...emptyCounts(),
    recordedDays: 28,
    headacheDays: headache,
    acuteMedicationDays: days,
    overuseClassDays: days,
    medicationDaysByClass: { ...emptyCounts().medicationDaysByClass, [cls]: days },
  };
  return { month: m, ...summaryFromCounts(counts, firstDayOfMonth(m), lastDayOfMonth(m), today, CFG) };
}

describe('medication overuse: ICHD-3 8.2 day thresholds in the current or the previous month', () => {
  const today = '2024-06-03';

  test('triptans on 10 days of the previous month meet 8.2.2 (threshold 10); a risk, not yet sustained', () => {
    expect(medicationOveruseFlag([month('2024-05', 'triptan', 10, 12, today)], today, CFG)).toEqual({
      flag: 'medication-overuse',
      month: '2024-05',
      monthInProgress: false,
      headacheDays: 12,
      rules: [{ code: '8.2.2', name: 'triptan overuse', days: 10, thresholdDays: 10, level: 'risk' }],
    });
  });

  test('9 triptan days, or 14 days of simple analgesics (threshold 15), do not', () => {
    expect(medicationOveruseFlag([month('2024-05', 'triptan', 9, 12, today)], today, CFG)).toBeNull();
    expect(medicationOveruseFlag([month('2024-06', 'non-opioid-analgesic', 14, 14, today)], today, CFG)).toBeNull();
  });

  test('15 days of simple analgesics in the three days of June so far cannot be; 15 in June once it has them can', () => {
    const june = month('2024-06', 'non-opioid-analgesic', 15, 15, '2024-06-20');
    expect(medicationOveruseFlag([june], '2024-06-20', CFG)).toMatchObject({
      month: '2024-06',
      monthInProgress: true,
      rules: [{ code: '8.2.3', days: 15, thresholdDays: 15 }],
    });
  });

  test('a month two months back no longer flags', () => {
    expect(medicationOveruseFlag([month('2024-04', 'triptan', 12, 15, today)], today, CFG)).toBeNull();
  });

  test('four consecutive months at the threshold with ≥ 15 headache days meet the criteria (more than 3 months)', () => {
    const months = ['2024-02', '2024-03', '2024-04', '2024-05'].map((m) => month(m, 'triptan', 10, 15, today));
    expect(medicationOveruseFlag(months, today, CFG)?.rules).toEqual([
      { code: '8.2.2', name: 'triptan overuse', days: 10, thresholdDays: 10, level: 'meets-criteria' },
    ]);
    // Three months are not more than three.
    expect(medicationOveruseFlag(months.slice(1), today, CFG)?.rules[0]?.level).toBe('risk');
  });
});

/**
 * Counts of a 28-day period fully recorded, with `attacks` migraine attacks of peak `peak` lasting
 * half a day each, one migraine day each.
 */
const migrainePeriod = (attacks: number, peak: number): PeriodCounts => ({
  ...emptyCounts(),
  recordedDays: 28,
  headacheDays: attacks,
  migraineDays: attacks,
  attacks,
  migraineAttacks: attacks,
  migrainePeakSum: attacks * peak,
  migrainePeakCount: attacks,
  migraineDurationDaysSum: attacks * 0.5,
  migraineDurationCount: attacks,
});

/** Outcome of a procedure on 1 January 2024 with a baseline of 8 attacks of peak 6 (MMD 8, MHI 8 × 6 × 0.5 = 24). */
function outcome(periods: Record<number, PeriodCounts>, today: string) {
  const counts = new Map<number, PeriodCounts>([[0, migrainePeriod(8, 6)]]);
  for (const [k, c] of Object.entries(periods)) counts.set(Number(k), c);
  return procedureOutcome({
    procedureDate: '2024-01-01',
    today,
    counts,
    visits: VISITS,
    questionnaires: [],
    cfg: CFG,
    rc: DEFAULT_REGISTRY_OUTCOME_CONFIG,
  });
}

describe('worsening after a procedure: Guyuron’s ≥ 10 % MHI rise at the latest evaluated visit', () => {
  // The 1-month visit reads period 1 (1–28 January); its comparison is complete from its last day on.
  test('9 migraine days against 8 at baseline: MHI 27 against 24, +12.5 %', () => {
    const flag = worseningFlag('p', outcome({ 1: migrainePeriod(9, 6) }, '2024-01-29'));
    expect(flag).toEqual({
      flag: 'worsening',
      procedureId: 'p',
      procedureDate: '2024-01-01',
      visitId: 'm1',
      label: '1 month',
      baselineMmd: 8,
      mmd: 9,
      mmdChange: 1,
      mhiPercentChange: expect.closeTo(12.5, 9),
    });
  });

  test('same MMD, peak 6.6 against 6: MHI up exactly 10 % is Guyuron’s worsening', () => {
    const flag = worseningFlag('p', outcome({ 1: migrainePeriod(8, 6.6) }, '2024-01-29'));
    expect(flag).toMatchObject({ mmdChange: 0, mhiPercentChange: expect.closeTo(10, 9) });
  });

  test('8 migraine days with 27 of 28 recorded read MMD 8.3, above 8, but MHI up 3.7 % only: no worsening', () => {
    const period = { ...migrainePeriod(8, 6), recordedDays: 27 };
    const o = outcome({ 1: period }, '2024-01-29');
    const m1 = o.visits.find((v) => v.visitId === 'm1')!;
    expect(m1.status).toBe('complete');
    expect(m1.mmd).toBeCloseTo((8 * 28) / 27, 9);
    expect(m1.mmdChange).toBeGreaterThan(0);
    expect(m1.guyuron.worsening).toBe(false);
    expect(worseningFlag('p', o)).toBeNull();
  });

  test('same MMD, peak 6.5: MHI up 8.3 %, no worsening', () => {
    expect(worseningFlag('p', outcome({ 1: migrainePeriod(8, 6.5) }, '2024-01-29'))).toBeNull();
  });

  test('a visit in progress does not count: on 27 January period 1 has a day to go', () => {
    expect(worseningFlag('p', outcome({ 1: migrainePeriod(9, 6) }, '2024-01-27'))).toBeNull();
  });

  test('a later visit that is better decides: worse at 1 month, 4 MMD at 3 months (period 3, ends 24 March)', () => {
    const periods = { 1: migrainePeriod(9, 6), 3: migrainePeriod(4, 6) };
    expect(worseningFlag('p', outcome(periods, '2024-03-24'))).toBeNull();
    // Before period 3 reaches its last day, the 1-month visit is still the latest evaluated one.
    expect(worseningFlag('p', outcome(periods, '2024-03-23'))?.visitId).toBe('m1');
  });

  test('an insufficient follow-up period (22 of 28 days) or no baseline cannot show worsening', () => {
    expect(worseningFlag('p', outcome({ 1: { ...migrainePeriod(9, 6), recordedDays: 22 } }, '2024-01-29'))).toBeNull();
    const noBaseline = outcome({ 1: migrainePeriod(9, 6) }, '2024-01-29');
    expect(worseningFlag('p', { ...noBaseline, baseline: { ...noBaseline.baseline, mmd: null } })).toBeNull();
  });
});

describe('diary compliance low: recorded days of the last 28 below 80 %', () => {
  test('the window is the 28 days ending today', () => {
    expect(complianceWindow('2024-03-10')).toEqual({ from: '2024-02-12', to: '2024-03-10' });
  });

  test('each day counts once, whatever covers it; days outside the window do not count', () => {
    const spans = [
      { from: '2024-02-10', to: '2024-02-13' }, // an attack over the window's start: 12 and 13 Feb
      { from: '2024-02-13', to: '2024-02-13' }, // a daily record on a day already covered
      { from: '2024-03-10', to: '2024-03-12' }, // an ongoing attack reaching past today: 10 Mar only
      { from: '2024-02-20', to: '2024-02-20' },
    ];
    expect(recordedDaysIn(spans, '2024-02-12', '2024-03-10')).toBe(4);
  });

  test('23 of 28 days (82 %) pass; 22 (79 %) are low', () => {
    expect(lowComplianceFlag(23, '2024-03-10', CFG)).toBeNull();
    expect(lowComplianceFlag(22, '2024-03-10', CFG)).toEqual({
      flag: 'low-compliance',
      from: '2024-02-12',
      to: '2024-03-10',
      recordedDays: 22,
      days: 28,
      compliance: 22 / 28,
      threshold: 0.8,
    });
  });
});

describe('status from the latest procedure', () => {
  test('none, planned, in follow-up until the 24-month window closes, then ended', () => {
    expect(patientStatus(null, '2024-01-01')).toBe('no-procedure');
    expect(patientStatus(schedule('2024-02-01', '2024-01-01', []), '2024-01-01')).toBe('procedure-planned');
    // 24 months after 1 January 2022 is 1 January 2024; the window closes 90 days later, 31 March.
    expect(patientStatus(schedule('2022-01-01', '2024-03-31', []), '2024-03-31')).toBe('in-follow-up');
    expect(patientStatus(schedule('2022-01-01', '2024-04-01', []), '2024-04-01')).toBe('follow-up-ended');
  });
});
