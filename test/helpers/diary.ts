import { diarySchema, type Diary, type DiaryInput } from '../../src/domain/diary.js';

/** A validated diary for tests; the patient defaults to an adult in Europe/Paris with migraine. */
export function makeDiary(parts: Partial<Omit<DiaryInput, 'format' | 'version'>> = {}): Diary {
  return diarySchema.parse({
    format: 'relief-diary',
    version: 1,
    patient: { id: 'p1', birthYear: 1980, sex: 'female', timeZone: 'Europe/Paris', conditions: ['migraine'] },
    ...parts,
  });
}

/** A moment well after every test diary, so no day counts as "not yet happened". */
export const LATER = Date.parse('2030-01-01T00:00:00Z');

export type AttackInput = NonNullable<DiaryInput['attacks']>[number];

/**
 * The features of a textbook ICHD-3 1.1 attack (C: left, pulsating, severe, aggravated by activity;
 * D: nausea, photophobia and phonophobia). With a 4–72 h duration, 1.1 B–D are all met.
 */
export const MIGRAINE_FEATURES: Partial<AttackInput> = {
  peakIntensity: 8,
  side: 'left',
  quality: ['pulsating'],
  aggravatedByActivity: true,
  nausea: true,
  vomiting: false,
  photophobia: true,
  phonophobia: true,
};
