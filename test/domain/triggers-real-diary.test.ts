import { expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { importDiary } from '../../src/import/import-diary.js';
import { describeWithRealData, readRealData, realDataPath } from '../helpers/real-data.js';
import { expectClose, readReference } from '../stats/reference.js';

/**
 * The trigger analysis of the real 490-day trigger diary against R: scripts/r-reference/
 * triggers-real-diary.R builds the at-risk days from the CSV itself and fits every factor with
 * brglm2 and lib-firth.R (profile interval, penalised LR p), BH q per lag.
 */
interface Expected {
  recordedDays: number;
  atRiskDays: number;
  onsets: number;
  continuationDays: number;
  undeterminedOnsetDays: number;
  afterEpisodeDays: number;
  triggers: {
    factor: string;
    lag: 0 | 1;
    atRiskDays: number;
    exposedDays: number;
    onsets: number;
    exposedOnsets: number;
    oddsRatio: number | null;
    ciLower: number | null;
    ciUpper: number | null;
    p: number | null;
    q: number | null;
    verdict: string;
    lowPower: boolean;
    possiblyPremonitory: boolean;
  }[];
}

const FILE = 'daily-trigger-diary-490d.csv';

describeWithRealData(FILE, 'the trigger analysis of the real trigger diary, against R', () => {
  const expected = readReference<Expected>('triggers-real-diary');
  const { diary } = importDiary(readRealData(FILE), realDataPath(FILE), { patientId: 't', timeZone: 'UTC' });
  const analysis = analyzeDiary(diary, { now: Date.parse('2026-01-01T00:00:00Z') });

  test('the at-risk days and onsets', () => {
    expect(analysis.triggerAnalysis).toMatchObject({
      recordedDays: expected.recordedDays,
      atRiskDays: expected.atRiskDays,
      onsets: expected.onsets,
      continuationDays: expected.continuationDays,
      undeterminedOnsetDays: expected.undeterminedOnsetDays,
      afterEpisodeDays: expected.afterEpisodeDays,
      adjustedForMenstruation: false,
    });
    // 490 recorded days = 332 at risk + 60 continuations + 4 headache days after a missing day
    // + 94 headache-free days after a headache day.
    expect(
      expected.atRiskDays + expected.continuationDays + expected.undeterminedOnsetDays + expected.afterEpisodeDays,
    ).toBe(490);
    expect(analysis.triggerAnalysis.factors).toHaveLength(24);
    expect(analysis.triggerAnalysis.factors.every((f) => f.kind === 'ordinal' && f.exposedWhen === '> 0')).toBe(true);
  });

  test('every factor at lag 1 and lag 0: counts, odds ratio, profile interval, p, q and verdict', () => {
    expect(analysis.triggers).toHaveLength(expected.triggers.length);
    for (const e of expected.triggers) {
      const what = `${e.factor} at lag ${e.lag}`;
      const r = analysis.triggers.find((t) => t.factor === e.factor && t.lag === e.lag);
      expect(r, what).toBeDefined();
      expect(
        {
          atRiskDays: r!.atRiskDays,
          exposedDays: r!.exposedDays,
          onsets: r!.onsets,
          exposedOnsets: r!.exposedOnsets,
          verdict: r!.verdict,
          lowPower: r!.lowPower,
          possiblyPremonitory: r!.possiblyPremonitory,
        },
        what,
      ).toEqual({
        atRiskDays: e.atRiskDays,
        exposedDays: e.exposedDays,
        onsets: e.onsets,
        exposedOnsets: e.exposedOnsets,
        verdict: e.verdict,
        lowPower: e.lowPower,
        possiblyPremonitory: e.possiblyPremonitory,
      });
      expectClose(r!.oddsRatio, e.oddsRatio, `${what}: odds ratio`);
      expectClose(r!.ciLower, e.ciLower, `${what}: lower limit`);
      expectClose(r!.ciUpper, e.ciUpper, `${what}: upper limit`);
      expectClose(r!.p, e.p, `${what}: p`);
      expectClose(r!.q, e.q, `${what}: q`);
    }
  });

  test('what R finds in this diary', () => {
    const verdicts = (lag: 0 | 1, verdict: string) =>
      expected.triggers.filter((t) => t.lag === lag && t.verdict === verdict).map((t) => t.factor);
    // A guard that the reference itself says something: at lag 1 caffeine, liquor and changing
    // weather precede attacks and citrus is protective; missed meals and bananas go with attacks on
    // the same day only.
    expect(verdicts(1, 'trigger')).toEqual(['Caffeine', 'Liquor or spirits', 'Changing weather']);
    expect(verdicts(1, 'protector')).toEqual(['Citrus fruit or juice']);
    expect(verdicts(0, 'trigger')).toEqual(expect.arrayContaining(['Missed a meal', 'Bananas']));
    expect(expected.triggers.filter((t) => t.lag === 0 && t.possiblyPremonitory).map((t) => t.factor)).toEqual([
      'Missed a meal',
      'Bananas',
    ]);
  });
});
