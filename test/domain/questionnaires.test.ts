import { describe, expect, test } from 'vitest';
import { ZodError } from 'zod';
import { analyzeDiary } from '../../src/domain/analysis.js';
import {
  questionnaireResponseSchema,
  scoreDn4,
  scoreHit6,
  scoreMidas,
  scorePgic,
  type MidasAnswers,
} from '../../src/domain/questionnaires.js';
import { LATER, makeDiary } from '../helpers/diary.js';

/**
 * Worked examples for questionnaire scoring (clinical-reference §3). Expected scores were added up
 * by hand from each instrument's published scoring rule, cited next to each block.
 */

/** The ZodError thrown by `fn`; fails the test when nothing, or something else, is thrown. */
function zodErrorOf(fn: () => unknown): ZodError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZodError);
    return e as ZodError;
  }
  throw new Error('expected a ZodError, but nothing was thrown');
}

const paths = (e: ZodError): PropertyKey[][] => e.issues.map((i) => i.path);

// MIDAS: Stewart WF, Lipton RB, et al. Neurology 2001;56(6 Suppl 1):S20–S28. Five items, each a
// number of days in the last 3 months; score = sum of items 1–5; grade I 0–5, II 6–10, III 11–20, IV ≥21.
// Items A (headache days) and B (pain 0–10) are recorded, not scored.
describe('MIDAS (Stewart et al., Neurology 2001)', () => {
  const midas = (items: [number, number, number, number, number], extra: Partial<MidasAnswers> = {}) =>
    scoreMidas({
      missedWorkOrSchool: items[0],
      reducedWorkOrSchool: items[1],
      missedHousework: items[2],
      reducedHousework: items[3],
      missedFamilySocialLeisure: items[4],
      ...extra,
    });

  test('score is the sum of items 1–5: 2 + 1 + 0 + 3 + 0 = 6 → grade II', () => {
    expect(midas([2, 1, 0, 3, 0])).toEqual({ score: 6, grade: 'II' });
  });

  test('items A and B do not enter the score', () => {
    expect(midas([2, 1, 0, 3, 0], { headacheDays: 30, averagePain: 7 })).toEqual({ score: 6, grade: 'II' });
  });

  test.each([
    [[0, 0, 0, 0, 0], 0, 'I'],
    [[1, 1, 1, 1, 1], 5, 'I'],
    [[2, 1, 1, 1, 1], 6, 'II'],
    [[2, 2, 2, 2, 2], 10, 'II'],
    [[3, 2, 2, 2, 2], 11, 'III'],
    [[4, 4, 4, 4, 4], 20, 'III'],
    [[5, 4, 4, 4, 4], 21, 'IV'],
    [[90, 90, 90, 90, 90], 450, 'IV'],
  ] as const)('grade boundary: items %j → score %i, grade %s', (items, score, grade) => {
    expect(midas([...items])).toEqual({ score, grade });
  });

  test('a day count above 90 (3 months) is rejected, naming the item', () => {
    const e = zodErrorOf(() => midas([91, 0, 0, 0, 0]));
    expect(paths(e)).toEqual([['missedWorkOrSchool']]);
  });

  test('negative and fractional day counts are rejected, naming the item', () => {
    expect(paths(zodErrorOf(() => midas([0, 0, -1, 0, 0])))).toEqual([['missedHousework']]);
    expect(paths(zodErrorOf(() => midas([0, 0, 0, 2.5, 0])))).toEqual([['reducedHousework']]);
  });

  test('item B (mean pain) outside 0–10 is rejected, naming it', () => {
    expect(paths(zodErrorOf(() => midas([0, 0, 0, 0, 0], { averagePain: 11 })))).toEqual([['averagePain']]);
  });
});

// HIT-6: Kosinski M, et al. Qual Life Res 2003;12:963–974; HIT-6 scoring (QualityMetric). Six items,
// Never 6, Rarely 8, Sometimes 10, Very often 11, Always 13; total 36–78; ≤49 little or no impact,
// 50–55 some, 56–59 substantial, ≥60 severe.
describe('HIT-6 (Kosinski et al., Qual Life Res 2003)', () => {
  const A = { N: 'never', R: 'rarely', S: 'sometimes', V: 'very-often', L: 'always' } as const;
  const hit6 = (codes: string) => scoreHit6([...codes].map((c) => A[c as keyof typeof A]));

  test('each answer has its points: five "never" (30) plus one other item', () => {
    expect(hit6('NNNNNN').total).toBe(36);
    expect(hit6('NNNNNR').total).toBe(38);
    expect(hit6('NNNNNS').total).toBe(40);
    expect(hit6('NNNNNV').total).toBe(41);
    expect(hit6('NNNNNL').total).toBe(43);
  });

  test('range is 36 (all never) to 78 (all always)', () => {
    expect(hit6('NNNNNN')).toEqual({ total: 36, band: 'little-or-no-impact' });
    expect(hit6('LLLLLL')).toEqual({ total: 78, band: 'severe-impact' });
  });

  test.each([
    // 6 + 6 + 8 + 8 + 10 + 11 = 49
    ['NNRRSV', 49, 'little-or-no-impact'],
    // 6 + 6 + 8 + 8 + 11 + 11 = 50
    ['NNRRVV', 50, 'some-impact'],
    // 8 + 8 + 8 + 10 + 10 + 11 = 55
    ['RRRSSV', 55, 'some-impact'],
    // 8 + 8 + 8 + 10 + 11 + 11 = 56
    ['RRRSVV', 56, 'substantial-impact'],
    // 8 + 10 + 10 + 10 + 10 + 11 = 59
    ['RSSSSV', 59, 'substantial-impact'],
    // 10 × 6 = 60
    ['SSSSSS', 60, 'severe-impact'],
  ] as const)('band boundary: %s → %i, %s', (codes, total, band) => {
    expect(hit6(codes)).toEqual({ total, band });
  });

  test('an answer outside the scale is rejected, naming the item', () => {
    const e = zodErrorOf(() => scoreHit6(['never', 'never', 'never', 'often', 'never', 'never']));
    expect(paths(e)).toEqual([[3]]);
    // Within a stored response the path names the field.
    const r = questionnaireResponseSchema.safeParse({
      instrument: 'HIT-6',
      date: '2024-03-01',
      answers: ['never', 'never', 'never', 'often', 'never', 'never'],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([['answers', 3]]);
  });

  test('five or seven answers are rejected', () => {
    expect(() => hit6('NNNNN')).toThrow(ZodError);
    expect(() => hit6('NNNNNNN')).toThrow(ZodError);
  });
});

// PGIC: Guy W, ECDEU Assessment Manual 1976; Farrar JT, et al. Pain 2001;94:149–158 ("much" or
// "very much improved" as the responder definition). 1 = very much improved … 7 = very much worse.
describe('PGIC (Guy 1976; Farrar et al., Pain 2001)', () => {
  test.each([
    ['very-much-improved', 1, true],
    ['much-improved', 2, true],
    ['minimally-improved', 3, false],
    ['no-change', 4, false],
    ['minimally-worse', 5, false],
    ['much-worse', 6, false],
    ['very-much-worse', 7, false],
  ] as const)('%s → %i (improved: %s)', (answer, score, improved) => {
    expect(scorePgic(answer)).toEqual({ score, improved });
  });

  test('an answer outside the 7 points is rejected, naming the field in a response', () => {
    expect(() => scorePgic('improved')).toThrow(ZodError);
    const r = questionnaireResponseSchema.safeParse({ instrument: 'PGIC', date: '2024-03-01', answer: 'improved' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([['answer']]);
  });
});

// DN4: Bouhassira D, et al. Pain 2005;114:29–36. Ten yes/no items; a score of at least 4/10 suggests
// neuropathic pain.
describe('DN4 (Bouhassira et al., Pain 2005)', () => {
  const dn4 = (yes: number) => scoreDn4(Array.from({ length: 10 }, (_, i) => i < yes));

  test('cut-off: 3/10 is below, 4/10 suggests neuropathic pain', () => {
    expect(dn4(0)).toEqual({ score: 0, neuropathicLikely: false });
    expect(dn4(3)).toEqual({ score: 3, neuropathicLikely: false });
    expect(dn4(4)).toEqual({ score: 4, neuropathicLikely: true });
    expect(dn4(10)).toEqual({ score: 10, neuropathicLikely: true });
  });

  test('the score counts yes answers wherever they are', () => {
    // Items 2, 5, 7 and 10 yes → 4.
    const answers = [false, true, false, false, true, false, true, false, false, true];
    expect(scoreDn4(answers)).toEqual({ score: 4, neuropathicLikely: true });
  });

  test('nine or eleven items are rejected, naming the field in a response', () => {
    expect(() => scoreDn4(Array(9).fill(true))).toThrow(ZodError);
    expect(() => scoreDn4(Array(11).fill(true))).toThrow(ZodError);
    const r = questionnaireResponseSchema.safeParse({
      instrument: 'DN4',
      date: '2024-03-01',
      answers: Array(9).fill(true),
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toEqual([['answers']]);
  });
});

describe('questionnaires in a diary are scored by analyzeDiary', () => {
  test('MIDAS, HIT-6, PGIC and DN4 responses get their scores and interpretations', () => {
    const diary = makeDiary({
      dailyRecords: [{ date: '2024-03-01', noHeadache: true }],
      questionnaires: [
        {
          instrument: 'MIDAS',
          date: '2024-03-01',
          answers: {
            missedWorkOrSchool: 5,
            reducedWorkOrSchool: 4,
            missedHousework: 3,
            reducedHousework: 6,
            missedFamilySocialLeisure: 3,
          },
        },
        {
          instrument: 'HIT-6',
          date: '2024-03-01',
          answers: ['sometimes', 'sometimes', 'very-often', 'very-often', 'always', 'always'],
        },
        { instrument: 'PGIC', date: '2024-03-01', answer: 'much-improved' },
        {
          instrument: 'DN4',
          date: '2024-03-01',
          answers: [true, true, true, false, false, false, false, false, false, false],
        },
      ],
    });
    const r = analyzeDiary(diary, { now: LATER });
    expect(r.questionnaires).toEqual([
      // 5 + 4 + 3 + 6 + 3 = 21 → grade IV.
      { instrument: 'MIDAS', date: '2024-03-01', score: 21, interpretation: 'grade IV' },
      // 10 + 10 + 11 + 11 + 13 + 13 = 68 → ≥60 severe.
      { instrument: 'HIT-6', date: '2024-03-01', score: 68, interpretation: 'severe-impact' },
      { instrument: 'PGIC', date: '2024-03-01', score: 2, interpretation: 'much-improved' },
      // 3 yes → below the cut-off of 4.
      { instrument: 'DN4', date: '2024-03-01', score: 3, interpretation: 'below the neuropathic cut-off' },
    ]);
  });

  test('a diary with an out-of-range MIDAS item is rejected, with the path to the item', () => {
    const e = zodErrorOf(() =>
      makeDiary({
        questionnaires: [
          {
            instrument: 'MIDAS',
            date: '2024-03-01',
            answers: {
              missedWorkOrSchool: 0,
              reducedWorkOrSchool: 0,
              missedHousework: 0,
              reducedHousework: 0,
              missedFamilySocialLeisure: 120,
            },
          },
        ],
      }),
    );
    expect(paths(e)).toEqual([['questionnaires', 0, 'answers', 'missedFamilySocialLeisure']]);
  });
});
