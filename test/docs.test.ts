import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyzeDiary } from '../src/domain/analysis.js';
import { diarySchema } from '../src/domain/diary.js';
import { diaryJsonSchema } from '../src/import/diary-json-schema.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

test('schema/diary.schema.json is generated from the current zod schema (npm run schema)', () => {
  expect(JSON.parse(read('schema/diary.schema.json'))).toEqual(diaryJsonSchema());
});

test('the JSON example in docs/diary-formats.md is a valid diary and classifies its attack', () => {
  const block = /```json\n([\s\S]*?)\n```/.exec(read('docs/diary-formats.md'))![1]!;
  const diary = diarySchema.parse(JSON.parse(block));
  const r = analyzeDiary(diary, { now: Date.parse('2026-01-01T00:00:00Z') });
  // 11.5 h, left, pulsating, severe, aggravated, nausea, photo- and phonophobia; visual aura
  // 30 min before the headache, spreading, unilateral, 25 min: ICHD-3 1.2 B and C are met.
  expect(r.attacks[0]!.classification!.type).toBe('migraine-with-aura');
  expect(r.questionnaires).toEqual([
    { instrument: 'HIT-6', date: '2025-01-31', score: 10 + 11 + 8 + 6 + 10 + 13, interpretation: 'substantial-impact' },
  ]);
});
