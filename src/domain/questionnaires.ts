import { z } from 'zod';
import { localDateSchema } from './primitives.js';

/**
 * Questionnaire scoring (clinical-reference §3). Relief ships the scoring rules only; the item
 * wording of licensed instruments (HIT-6 © QualityMetric/GSK; DN4) is loaded by a site.
 */

const dayCount = (max: number) => z.number().int().min(0).max(max);

/**
 * MIDAS (Stewart et al., Neurology 2001): five items, each a number of days in the last 3 months
 * (at most 90). Score = sum of items 1–5; grade I 0–5, II 6–10, III 11–20, IV ≥21.
 * Items A (headache days) and B (mean pain 0–10) are recorded but not scored.
 */
export const midasAnswersSchema = z
  .object({
    missedWorkOrSchool: dayCount(90),
    reducedWorkOrSchool: dayCount(90),
    missedHousework: dayCount(90),
    reducedHousework: dayCount(90),
    missedFamilySocialLeisure: dayCount(90),
    headacheDays: dayCount(90).optional(),
    averagePain: z.number().min(0).max(10).optional(),
  })
  .strict();
export type MidasAnswers = z.infer<typeof midasAnswersSchema>;

export function scoreMidas(answers: MidasAnswers): { score: number; grade: 'I' | 'II' | 'III' | 'IV' } {
  const a = midasAnswersSchema.parse(answers);
  const score =
    a.missedWorkOrSchool + a.reducedWorkOrSchool + a.missedHousework + a.reducedHousework + a.missedFamilySocialLeisure;
  const grade = score <= 5 ? 'I' : score <= 10 ? 'II' : score <= 20 ? 'III' : 'IV';
  return { score, grade };
}

/**
 * HIT-6 (Kosinski et al., Qual Life Res 2003): six items, 4-week recall, answers scored
 * Never 6, Rarely 8, Sometimes 10, Very often 11, Always 13; total 36–78.
 * Bands: ≤49 little or no impact, 50–55 some, 56–59 substantial, ≥60 severe.
 */
export const HIT6_ANSWERS = ['never', 'rarely', 'sometimes', 'very-often', 'always'] as const;
const HIT6_POINTS: Record<(typeof HIT6_ANSWERS)[number], number> = {
  never: 6,
  rarely: 8,
  sometimes: 10,
  'very-often': 11,
  always: 13,
};
export const hit6AnswersSchema = z.array(z.enum(HIT6_ANSWERS)).length(6);

export type Hit6Band = 'little-or-no-impact' | 'some-impact' | 'substantial-impact' | 'severe-impact';

export function scoreHit6(answers: readonly string[]): { total: number; band: Hit6Band } {
  const a = hit6AnswersSchema.parse(answers);
  const total = a.reduce((s, x) => s + HIT6_POINTS[x], 0);
  const band: Hit6Band =
    total <= 49
      ? 'little-or-no-impact'
      : total <= 55
        ? 'some-impact'
        : total <= 59
          ? 'substantial-impact'
          : 'severe-impact';
  return { total, band };
}

/**
 * PGIC: 7-point patient global impression of change (Guy, ECDEU Assessment Manual 1976;
 * Farrar et al., Pain 2001). Score 1 = very much improved … 7 = very much worse.
 */
export const PGIC_ANSWERS = [
  'very-much-improved',
  'much-improved',
  'minimally-improved',
  'no-change',
  'minimally-worse',
  'much-worse',
  'very-much-worse',
] as const;
export const pgicAnswerSchema = z.enum(PGIC_ANSWERS);

export function scorePgic(answer: string): { score: number; improved: boolean } {
  const a = pgicAnswerSchema.parse(answer);
  const score = PGIC_ANSWERS.indexOf(a) + 1;
  // "Much" or "very much improved" is the usual responder definition (Farrar et al. 2001).
  return { score, improved: score <= 2 };
}

/**
 * DN4 (Bouhassira et al., Pain 2005): 10 yes/no items (7 interview, 3 examination);
 * a score of at least 4/10 suggests neuropathic pain.
 */
export const dn4AnswersSchema = z.array(z.boolean()).length(10);

export function scoreDn4(answers: readonly boolean[]): { score: number; neuropathicLikely: boolean } {
  const a = dn4AnswersSchema.parse(answers);
  const score = a.filter(Boolean).length;
  return { score, neuropathicLikely: score >= 4 };
}

export const questionnaireResponseSchema = z.discriminatedUnion('instrument', [
  z.object({ instrument: z.literal('MIDAS'), date: localDateSchema, answers: midasAnswersSchema }).strict(),
  z.object({ instrument: z.literal('HIT-6'), date: localDateSchema, answers: hit6AnswersSchema }).strict(),
  z.object({ instrument: z.literal('PGIC'), date: localDateSchema, answer: pgicAnswerSchema }).strict(),
  z.object({ instrument: z.literal('DN4'), date: localDateSchema, answers: dn4AnswersSchema }).strict(),
]);
export type QuestionnaireResponse = z.infer<typeof questionnaireResponseSchema>;

export interface QuestionnaireScore {
  instrument: QuestionnaireResponse['instrument'];
  date: string;
  score: number;
  /** MIDAS grade, HIT-6 band, PGIC improvement, DN4 interpretation. */
  interpretation: string;
}

/**
 * The instrument and score of a response as stored (a JSON body), scored by `scoreQuestionnaire`;
 * null for a body that is not a valid response. Storage keeps these beside each response, so that
 * cohorts read scores without reading bodies.
 */
export function storedQuestionnaireScore(
  body: unknown,
): { instrument: QuestionnaireResponse['instrument']; score: number } | null {
  const parsed = questionnaireResponseSchema.safeParse(body);
  if (!parsed.success) return null;
  return { instrument: parsed.data.instrument, score: scoreQuestionnaire(parsed.data).score };
}

export function scoreQuestionnaire(r: QuestionnaireResponse): QuestionnaireScore {
  switch (r.instrument) {
    case 'MIDAS': {
      const s = scoreMidas(r.answers);
      return { instrument: r.instrument, date: r.date, score: s.score, interpretation: `grade ${s.grade}` };
    }
    case 'HIT-6': {
      const s = scoreHit6(r.answers);
      return { instrument: r.instrument, date: r.date, score: s.total, interpretation: s.band };
    }
    case 'PGIC': {
      const s = scorePgic(r.answer);
      return { instrument: r.instrument, date: r.date, score: s.score, interpretation: r.answer };
    }
    case 'DN4': {
      const s = scoreDn4(r.answers);
      return {
        instrument: r.instrument,
        date: r.date,
        score: s.score,
        interpretation: s.neuropathicLikely ? 'suggests neuropathic pain' : 'below the neuropathic cut-off',
      };
    }
  }
}
