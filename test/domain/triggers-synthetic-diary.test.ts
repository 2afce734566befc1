import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_TRIGGER_CONFIG } from '../../src/domain/config.js';
import { diarySchema } from '../../src/domain/diary.js';
import type { TriggerResult } from '../../src/domain/triggers.js';
import { generateTriggerDiary, type TriggerDiaryOptions } from '../../src/synthetic/trigger-diary-generator.js';
import { expectClose, readReference, readReferenceInput } from '../stats/reference.js';

/**
 * The trigger analysis of a synthetic diary against R (scripts/r-reference/triggers-synthetic-diary.R):
 * attack entries over several days, days with no entry, hours read as low/high against the median,
 * a factor recorded only when ticked, and the adjustment for perimenstrual days, each rebuilt in R
 * from the diary.
 */
type Expected = Pick<
  TriggerResult,
  | 'factor'
  | 'lag'
  | 'atRiskDays'
  | 'exposedDays'
  | 'onsets'
  | 'exposedOnsets'
  | 'oddsRatio'
  | 'ciLower'
  | 'ciUpper'
  | 'p'
  | 'q'
  | 'verdict'
  | 'lowPower'
  | 'possiblyPremonitory'
  | 'adjustedForMenstruation'
>;

interface Reference {
  recordedDays: number;
  atRiskDays: number;
  onsets: number;
  perimenstrualAtRiskDays: number;
  factors: string[];
  unadjusted: Expected[];
  adjusted: Expected[];
}

const input = readReferenceInput<{ options: TriggerDiaryOptions; diary: unknown }>('triggers-synthetic-diary');
const expected = readReference<Reference>('triggers-synthetic-diary');
const diary = diarySchema.parse(input.diary);

function analyse(adjustForMenstruation: boolean) {
  return analyzeDiary(diary, {
    now: Date.parse('2030-01-01T00:00:00Z'),
    config: { triggers: { ...DEFAULT_TRIGGER_CONFIG, adjustForMenstruation } },
  });
}

test('the committed input is the generator’s diary for the stored options', () => {
  expect(input.diary).toEqual(generateTriggerDiary(input.options));
});

describe.each([
  ['not adjusted', false, expected.unadjusted],
  ['adjusted for menstruation', true, expected.adjusted],
] as const)('a synthetic diary, %s, against R', (_label, adjust, rows) => {
  const analysis = analyse(adjust);

  test('days at risk, onsets and factors', () => {
    expect(analysis.triggerAnalysis).toMatchObject({
      recordedDays: expected.recordedDays,
      atRiskDays: expected.atRiskDays,
      onsets: expected.onsets,
      perimenstrualAtRiskDays: expected.perimenstrualAtRiskDays,
      adjustedForMenstruation: adjust,
    });
    expect(analysis.triggerAnalysis.factors.map((f) => f.factor).sort()).toEqual([...expected.factors].sort());
  });

  test('every factor at both lags', () => {
    expect(analysis.triggers).toHaveLength(rows.length);
    for (const e of rows) {
      const what = `${e.factor} at lag ${e.lag}`;
      const r = analysis.triggers.find((t) => t.factor === e.factor && t.lag === e.lag)!;
      expect(r, what).toBeDefined();
      const { oddsRatio, ciLower, ciUpper, p, q, ...counts } = e;
      expect(r, what).toMatchObject(counts);
      expectClose(r.oddsRatio, oddsRatio, `${what}: odds ratio`);
      expectClose(r.ciLower, ciLower, `${what}: lower limit`);
      expectClose(r.ciUpper, ciUpper, `${what}: upper limit`);
      expectClose(r.p, p, `${what}: p`);
      expectClose(r.q, q, `${what}: q`);
    }
  });
});
