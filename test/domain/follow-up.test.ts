import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import {
  diaryStateFromCounts,
  followUpSchedule,
  visitDueDate,
  type DiaryState,
  type ScheduledVisit,
} from '../../src/domain/follow-up.js';
import { emptyCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import { DEFAULT_SITE_SETTINGS, type FollowUpVisit } from '../../src/domain/site-settings.js';

const VISITS = DEFAULT_SITE_SETTINGS.followUp;
const visit = (id: string): FollowUpVisit => VISITS.find((v) => v.id === id)!;

/** Counts with `recorded` recorded days and nothing else. */
const recorded = (n: number): PeriodCounts => ({ ...emptyCounts(), recordedDays: n });

const DIARY_NOT_ENDED: DiaryState = { ended: false, sufficient: false, compliance: 0 };
const DIARY_DONE: DiaryState = { ended: true, sufficient: true, compliance: 1 };

function one(
  procedureDate: string,
  v: FollowUpVisit,
  today: string,
  questionnaires: { instrument: string; date: string }[] = [],
  diary: (from: number, to: number) => DiaryState = () => DIARY_NOT_ENDED,
): ScheduledVisit {
  return followUpSchedule({ procedureDate, visits: [v], today, questionnaires, diary })[0]!;
}

describe('visit due dates: calendar months, clamped to the month’s last day', () => {
  test.each([
    ['2024-01-31', 1, '2024-02-29'], // leap February
    ['2023-01-31', 1, '2023-02-28'], // common February
    ['2024-03-31', 1, '2024-04-30'],
    ['2024-01-31', 3, '2024-04-30'],
    ['2023-12-31', 2, '2024-02-29'], // across the year end, into a leap February
    ['2024-02-29', 12, '2025-02-28'], // a leap day a year on
    ['2024-02-29', 48, '2028-02-29'], // and four years on
    ['2022-02-28', 24, '2024-02-28'], // the 28th stays the 28th in a leap year
    ['2024-11-15', 3, '2025-02-15'],
    ['2024-05-10', 0, '2024-05-10'],
    ['2024-07-31', 240, '2044-07-31'],
  ])('%s + %i months = %s', (procedureDate, months, due) => {
    expect(visitDueDate(procedureDate, months)).toBe(due);
  });
});

describe('the default schedule of a procedure on 2024-01-31', () => {
  const schedule = followUpSchedule({
    procedureDate: '2024-01-31',
    visits: VISITS,
    today: '2024-01-01',
    questionnaires: [],
    diary: () => DIARY_NOT_ENDED,
  });

  test('due dates, windows and diary periods, worked by hand', () => {
    expect(
      schedule.map(({ visitId, dueDate, opens, closes, diaryStart, diaryEnd }) => ({
        visitId,
        dueDate,
        opens,
        closes,
        diaryStart,
        diaryEnd,
      })),
    ).toEqual([
      // Baseline: due on the procedure date, window −28..0; period 0 = the 28 days before.
      {
        visitId: 'baseline',
        dueDate: '2024-01-31',
        opens: '2024-01-03',
        closes: '2024-01-31',
        diaryStart: '2024-01-03',
        diaryEnd: '2024-01-30',
      },
      // 29 Feb (clamped) −7 = 22 Feb, +14 = 14 Mar; period 1 = days 0–27.
      {
        visitId: 'm1',
        dueDate: '2024-02-29',
        opens: '2024-02-22',
        closes: '2024-03-14',
        diaryStart: '2024-01-31',
        diaryEnd: '2024-02-27',
      },
      // 30 Apr −14 = 16 Apr, +28 = 28 May; period 3 = days 56–83 (27 Mar – 23 Apr).
      {
        visitId: 'm3',
        dueDate: '2024-04-30',
        opens: '2024-04-16',
        closes: '2024-05-28',
        diaryStart: '2024-03-27',
        diaryEnd: '2024-04-23',
      },
      // 31 Jul ±28; period 6 = days 140–167 (19 Jun – 16 Jul).
      {
        visitId: 'm6',
        dueDate: '2024-07-31',
        opens: '2024-07-03',
        closes: '2024-08-28',
        diaryStart: '2024-06-19',
        diaryEnd: '2024-07-16',
      },
      // 31 Jan 2025 −30 = 1 Jan, +60 = 1 Apr (28 days of February 2025); period 13 = days 336–363.
      {
        visitId: 'm12',
        dueDate: '2025-01-31',
        opens: '2025-01-01',
        closes: '2025-04-01',
        diaryStart: '2025-01-01',
        diaryEnd: '2025-01-28',
      },
      // 31 Jan 2026 −60 = 2 Dec 2025, +90 = 1 May; period 26 = days 700–727 (2024 has 366 days).
      {
        visitId: 'm24',
        dueDate: '2026-01-31',
        opens: '2025-12-02',
        closes: '2026-05-01',
        diaryStart: '2025-12-31',
        diaryEnd: '2026-01-27',
      },
    ]);
  });

  test('before anything opens, every visit is upcoming and every instrument pending', () => {
    expect(schedule.map((v) => v.status)).toEqual([
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
    ]);
    expect(schedule[2]!.instruments).toEqual([
      { instrument: 'MIDAS', status: 'pending' },
      { instrument: 'HIT-6', status: 'pending' },
      { instrument: 'PGIC', status: 'pending' },
      { instrument: 'diary', status: 'pending', compliance: 0 },
    ]);
  });
});

describe('due and overdue on the exact boundary dates (1-month visit, window 22 Feb – 14 Mar 2024)', () => {
  const m1 = visit('m1');
  test.each([
    ['2024-02-21', 'upcoming', 'pending'], // the day before the window opens
    ['2024-02-22', 'due', 'pending'], // the day it opens
    ['2024-02-29', 'due', 'pending'], // the due date
    ['2024-03-14', 'due', 'pending'], // the day it closes
    ['2024-03-15', 'overdue', 'missing'], // the day after
  ])('on %s the visit is %s and its questionnaires %s', (today, status, questionnaire) => {
    const v = one('2024-01-31', m1, today, [], () => DIARY_DONE);
    expect(v.status).toBe(status);
    expect(v.instruments).toEqual([
      { instrument: 'HIT-6', status: questionnaire },
      { instrument: 'PGIC', status: questionnaire },
      { instrument: 'diary', status: 'done', compliance: 1 },
    ]);
  });

  test('the baseline visit: due from 28 days before the procedure to the procedure date', () => {
    const baseline = visit('baseline');
    // Procedure 2024-03-01: window 2024-02-02 .. 2024-03-01.
    expect(one('2024-03-01', baseline, '2024-02-01').status).toBe('upcoming');
    expect(one('2024-03-01', baseline, '2024-02-02').status).toBe('due');
    expect(one('2024-03-01', baseline, '2024-03-01').status).toBe('due');
    expect(one('2024-03-01', baseline, '2024-03-02').status).toBe('overdue');
  });
});

describe('instruments: done, pending, missing', () => {
  const m1 = visit('m1');

  test('a questionnaire counts only when dated inside the window; the latest one is shown', () => {
    const v = one(
      '2024-01-31',
      m1,
      '2024-03-14',
      [
        { instrument: 'HIT-6', date: '2024-02-21' }, // the day before the window: does not count
        { instrument: 'PGIC', date: '2024-02-22' }, // the first day
        { instrument: 'PGIC', date: '2024-03-14' }, // the last day: the latest
        { instrument: 'PGIC', date: '2024-03-01' },
        { instrument: 'MIDAS', date: '2024-03-01' }, // not due at this visit
      ],
      () => DIARY_DONE,
    );
    expect(v.instruments).toEqual([
      { instrument: 'HIT-6', status: 'pending' },
      { instrument: 'PGIC', status: 'done', date: '2024-03-14' },
      { instrument: 'diary', status: 'done', compliance: 1 },
    ]);
    expect(v.status).toBe('due');
  });

  test('a questionnaire dated after today does not count yet', () => {
    const qs = [{ instrument: 'PGIC', date: '2024-03-05' }];
    expect(one('2024-01-31', m1, '2024-03-04', qs).instruments[1]).toEqual({ instrument: 'PGIC', status: 'pending' });
    expect(one('2024-01-31', m1, '2024-03-05', qs).instruments[1]).toEqual({
      instrument: 'PGIC',
      status: 'done',
      date: '2024-03-05',
    });
  });

  test('a questionnaire after the window closes does not count; the visit stays overdue', () => {
    const v = one('2024-01-31', m1, '2024-04-01', [
      { instrument: 'HIT-6', date: '2024-03-14' },
      { instrument: 'PGIC', date: '2024-03-15' },
    ]);
    expect(v.instruments.map((i) => `${i.instrument} ${i.status}`)).toEqual([
      'HIT-6 done',
      'PGIC missing',
      'diary pending',
    ]);
    expect(v.status).toBe('overdue');
  });

  test('every instrument done makes the visit completed, inside or after its window', () => {
    const qs = [
      { instrument: 'HIT-6', date: '2024-03-01' },
      { instrument: 'PGIC', date: '2024-03-02' },
    ];
    expect(one('2024-01-31', m1, '2024-03-05', qs, () => DIARY_DONE).status).toBe('completed');
    expect(one('2024-01-31', m1, '2025-01-01', qs, () => DIARY_DONE).status).toBe('completed');
  });

  test('the diary: pending until its periods end, then done when sufficient, missing when not', () => {
    // Procedure 2024-01-31; period 1 is 2024-01-31 .. 2024-02-27 (28 days). 80 % of 28 is 22.4:
    // 23 recorded days (82.1 %) suffice, 22 (78.6 %) do not.
    const diaryVisit: FollowUpVisit = { ...m1, instruments: ['diary'] };
    const at = (today: string, counts: Map<number, PeriodCounts>) =>
      one('2024-01-31', diaryVisit, today, [], diaryStateFromCounts('2024-01-31', today, counts, DEFAULT_CONFIG));
    const enough = new Map([[1, recorded(23)]]);
    const tooFew = new Map([[1, recorded(22)]]);

    // On the period's last day it has not ended yet: 23 of 28 days so far is sufficient, but pending.
    const lastDay = at('2024-02-27', enough);
    expect(lastDay.instruments).toEqual([{ instrument: 'diary', status: 'pending', compliance: 23 / 28 }]);
    expect(lastDay.status).toBe('due');

    const next = at('2024-02-28', enough);
    expect(next.instruments).toEqual([{ instrument: 'diary', status: 'done', compliance: 23 / 28 }]);
    // Nothing else is due at this visit, so it is completed.
    expect(next.status).toBe('completed');

    const missing = at('2024-02-28', tooFew);
    expect(missing.instruments).toEqual([{ instrument: 'diary', status: 'missing', compliance: 22 / 28 }]);
    expect(missing.status).toBe('due');
    expect(at('2024-03-15', tooFew).status).toBe('overdue');
  });

  test('a diary over several periods is summed over all of them', () => {
    // Periods 2–3 of a procedure on 2024-01-31: 2024-02-28 .. 2024-04-23 (56 days); 80 % is 44.8.
    const v: FollowUpVisit = { ...visit('m3'), diaryPeriods: { from: 2, to: 3 }, instruments: ['diary'] };
    const state = (p2: number, p3: number) =>
      one(
        '2024-01-31',
        v,
        '2024-05-01',
        [],
        diaryStateFromCounts(
          '2024-01-31',
          '2024-05-01',
          new Map([
            [2, recorded(p2)],
            [3, recorded(p3)],
          ]),
          DEFAULT_CONFIG,
        ),
      ).instruments[0];
    expect(state(28, 17)).toEqual({ instrument: 'diary', status: 'done', compliance: 45 / 56 });
    expect(state(28, 16)).toEqual({ instrument: 'diary', status: 'missing', compliance: 44 / 56 });
  });
});

describe('leap years', () => {
  test('a procedure on 29 February 2024', () => {
    const s = followUpSchedule({
      procedureDate: '2024-02-29',
      visits: VISITS,
      today: '2025-02-28',
      questionnaires: [],
      diary: () => DIARY_DONE,
    });
    expect(s.map((v) => v.dueDate)).toEqual([
      '2024-02-29',
      '2024-03-29',
      '2024-05-29',
      '2024-08-29',
      '2025-02-28',
      '2026-02-28',
    ]);
    // The 12-month visit: due 2025-02-28, window 2025-01-29 .. 2025-04-29.
    expect(s[4]).toMatchObject({ opens: '2025-01-29', closes: '2025-04-29', status: 'due' });
    expect(s[3]).toMatchObject({ closes: '2024-09-26', status: 'overdue' });
  });
});
